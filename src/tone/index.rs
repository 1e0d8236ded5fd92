//! The tone model's word index: which lexicon or modifier entry a surface
//! form selects, and which phrases start where.
//!
//! Also compiled into `build.rs`, which runs the same rules over the embedded
//! lexicon and writes the finished table into the binary, so start-up does
//! not insert tens of thousands of inflected forms. This file therefore uses
//! `std` only.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// Payloads with this bit set are modifiers; others are polar entries.
pub const MODIFIER: u32 = 1 << 31;

/// Entries in priority order (modifiers first, then the lexicon), indexed.
#[derive(Default)]
pub struct IndexBuilder {
    /// Surface id to (payload, whether it is the entry's own form).
    words: HashMap<u64, (u32, bool)>,
    /// (payload, stem ids) of entries of two words or more, in order.
    pub phrases: Vec<(u32, Vec<u64>)>,
}

impl IndexBuilder {
    /// Adds one entry: `surface` is the id of its normalised term, `stems`
    /// the ids of its words' stems, `forms` the ids of the inflections it
    /// also matches (polar single words only).
    ///
    /// An entry's own form beats an inflection of an earlier entry; among
    /// own forms, and among inflections, the first entry wins.
    pub fn add(&mut self, surface: u64, stems: &[u64], forms: &[u64], payload: u32) {
        match stems.len() {
            0 => {}
            1 => {
                match self.words.entry(surface) {
                    Entry::Occupied(mut e) if !e.get().1 => *e.get_mut() = (payload, true),
                    Entry::Occupied(_) => {}
                    Entry::Vacant(e) => {
                        e.insert((payload, true));
                    }
                }
                for &form in forms {
                    self.words.entry(form).or_insert((payload, false));
                }
            }
            _ => self.phrases.push((payload, stems.to_vec())),
        }
    }

    /// The finished single-word table (see [`lookup`]).
    pub fn table(&self) -> Vec<(u64, u32)> {
        let mut pairs: Vec<(u64, u32)> = self.words.iter().map(|(&k, &(p, _))| (k, p)).collect();
        // Sorted, so the table's layout does not depend on hash map order.
        pairs.sort_unstable();
        open_table(&pairs)
    }
}

/// An open-addressing table of `(id, payload)` with linear probing, at most
/// half full, a power of two long; id 0 marks an empty slot. Term ids are
/// already hashes, so their top bits pick the first slot.
pub fn open_table(pairs: &[(u64, u32)]) -> Vec<(u64, u32)> {
    let len = (2 * pairs.len()).next_power_of_two().max(2);
    let shift = 64 - len.trailing_zeros();
    let mut slots = vec![(0u64, 0u32); len];
    for &(id, payload) in pairs {
        assert!(id != 0, "term id 0 is reserved for empty slots");
        let mut i = (id >> shift) as usize;
        while slots[i].0 != 0 {
            i = (i + 1) & (len - 1);
        }
        slots[i] = (id, payload);
    }
    slots
}

/// The payload stored for `id` in a table made by [`open_table`].
#[inline]
pub fn lookup(table: &[(u64, u32)], id: u64) -> Option<u32> {
    let mask = table.len() - 1;
    let mut i = (id >> (64 - table.len().trailing_zeros())) as usize;
    loop {
        let (k, payload) = table[i];
        if k == 0 {
            return None;
        }
        if k == id {
            return Some(payload);
        }
        i = (i + 1) & mask;
    }
}

/// Bits of a [`word_filter`] (32 KiB).
pub const WORD_FILTER_BITS: usize = 1 << 18;

/// A bit per `id % WORD_FILTER_BITS` of every id in a table made by
/// [`open_table`]: a word whose bit is clear is not in the table, and the
/// filter is small enough to stay in cache.
pub fn word_filter(table: &[(u64, u32)]) -> Vec<u64> {
    let mut bits = vec![0u64; WORD_FILTER_BITS / 64];
    for &(id, _) in table.iter().filter(|(id, _)| *id != 0) {
        let bit = (id % WORD_FILTER_BITS as u64) as usize;
        bits[bit / 64] |= 1 << (bit % 64);
    }
    bits
}
