//! An article's vocabulary: its distinct term ids numbered 0, 1, 2… in order
//! of first occurrence.
//!
//! The summarizer's vectors are indexed by these local numbers, and corpus
//! statistics count each article's vocabulary once. Numbering is done while
//! the article is prepared, with a table reused from article to article, so
//! neither step hashes, sorts or allocates a map of its own.

use crate::tokenize::TermId;

/// A reusable table that numbers the term ids of one article at a time.
///
/// Open addressing on the id's own bits (ids are already hashes), at most
/// half full. Each slot carries the stamp of the article that filled it, so
/// starting an article clears nothing.
///
/// An article uses only the first part of the table that its length calls
/// for, whatever one long article before it grew the table to: its probes
/// then stay within a few kilobytes that the core's first-level cache holds,
/// instead of spreading over the whole table (256 KiB after BBC's longest
/// article).
#[derive(Default)]
pub struct TermNumbering {
    slots: Vec<Slot>,
    /// The current article's slots are the first `mask + 1`, a power of
    /// two no larger than `slots.len()`.
    mask: usize,
    /// `64 - log2(mask + 1)`.
    shift: u32,
    /// The current article's stamp; 0 marks a slot never filled.
    stamp: u32,
}

#[derive(Clone, Copy, Default)]
struct Slot {
    id: TermId,
    local: u32,
    stamp: u32,
}

/// Smallest table, in slots.
const MIN_SLOTS: usize = 64;

/// A table above this many slots (1 MiB) is given back when a much smaller
/// article follows, so one huge article does not pin its table.
const KEEP_SLOTS: usize = 1 << 16;

impl TermNumbering {
    /// An empty table; it grows on first use.
    pub fn new() -> TermNumbering {
        TermNumbering::default()
    }

    /// Starts numbering a new article of about `terms` term occurrences
    /// (an upper bound on its distinct terms saves regrowing the table).
    pub fn begin(&mut self, terms: usize) {
        let want = (2 * terms).next_power_of_two().max(MIN_SLOTS);
        if self.slots.len() > KEEP_SLOTS && want <= self.slots.len() / 8 {
            self.slots = Vec::new();
        }
        self.use_slots(want);
    }

    /// The local number of `id` in the current article; a new id gets the
    /// next number and is appended to `vocabulary` (which must hold exactly
    /// the ids numbered since [`begin`](Self::begin)).
    #[inline]
    pub fn number(&mut self, id: TermId, vocabulary: &mut Vec<TermId>) -> u32 {
        if 2 * (vocabulary.len() + 1) > self.mask + 1 {
            self.regrow(vocabulary);
        }
        let mut i = self.home(id);
        loop {
            let slot = &mut self.slots[i];
            if slot.stamp != self.stamp {
                let local = vocabulary.len() as u32;
                *slot = Slot {
                    id,
                    local,
                    stamp: self.stamp,
                };
                vocabulary.push(id);
                return local;
            }
            if slot.id == id {
                return slot.local;
            }
            i = (i + 1) & self.mask;
        }
    }

    #[inline]
    fn home(&self, id: TermId) -> usize {
        (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Makes the first `n` slots (a power of two) the current ones, under a
    /// new stamp, so that none of them holds an id yet.
    fn use_slots(&mut self, n: usize) {
        if n > self.slots.len() {
            // Fresh slots are stamped 0, older than any stamp in use.
            self.slots = vec![Slot::default(); n];
            self.stamp = 0;
        }
        if self.stamp == u32::MAX {
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.mask = n - 1;
        self.shift = 64 - n.trailing_zeros();
    }

    /// Doubles the current slots and re-enters the current article's ids,
    /// which are `vocabulary` in order.
    #[cold]
    fn regrow(&mut self, vocabulary: &[TermId]) {
        self.use_slots(2 * (self.mask + 1).max(MIN_SLOTS / 2));
        for (local, &id) in vocabulary.iter().enumerate() {
            let mut i = self.home(id);
            while self.slots[i].stamp == self.stamp {
                i = (i + 1) & self.mask;
            }
            self.slots[i] = Slot {
                id,
                local: local as u32,
                stamp: self.stamp,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(t: &mut TermNumbering, hint: usize, ids: &[TermId]) -> (Vec<u32>, Vec<TermId>) {
        t.begin(hint);
        let mut vocabulary = Vec::new();
        let locals = ids
            .iter()
            .map(|&id| t.number(id, &mut vocabulary))
            .collect();
        (locals, vocabulary)
    }

    #[test]
    fn numbers_in_order_of_first_occurrence() {
        let mut t = TermNumbering::new();
        let (locals, vocabulary) = numbered(&mut t, 6, &[70, 3, 70, 0, 3, 9]);
        assert_eq!(locals, [0, 1, 0, 2, 1, 3]);
        assert_eq!(vocabulary, [70, 3, 0, 9]);
        // A new article starts from 0 and forgets the previous one's ids.
        let (locals, vocabulary) = numbered(&mut t, 3, &[9, 9, 4]);
        assert_eq!(locals, [0, 0, 1]);
        assert_eq!(vocabulary, [9, 4]);
    }

    #[test]
    fn a_wrong_hint_regrows_and_keeps_the_numbers() {
        let mut t = TermNumbering::new();
        // 40,000 distinct ids (each twice) with a hint of 1.
        let ids: Vec<TermId> = (0..80_000u64)
            .map(|k| (k % 40_000) * 0x1_0000_0001)
            .collect();
        let (locals, vocabulary) = numbered(&mut t, 1, &ids);
        assert_eq!(vocabulary.len(), 40_000);
        for (k, &local) in locals.iter().enumerate() {
            assert_eq!(local as usize, k % 40_000);
        }
        // A small article after a huge one gives the table back.
        let big = t.slots.len();
        let (locals, _) = numbered(&mut t, 4, &[1, 2, 1]);
        assert_eq!(locals, [0, 1, 0]);
        assert!(big > KEEP_SLOTS && t.slots.len() < big);
    }

    #[test]
    fn a_short_article_after_a_long_one_probes_only_its_own_slots() {
        let mut t = TermNumbering::new();
        let long: Vec<TermId> = (1..=3_000u64).map(|k| k * 0x9E37_79B9).collect();
        numbered(&mut t, 3_000, &long);
        assert_eq!((t.slots.len(), t.mask + 1), (8_192, 8_192));
        // Ids of the long article, met again: new numbers, in 64 slots of
        // the same table, with the long article's entries still in them.
        let (locals, vocabulary) = numbered(&mut t, 3, &[long[7], long[2], long[7]]);
        assert_eq!(
            (locals, vocabulary),
            (vec![0, 1, 0], vec![long[7], long[2]])
        );
        assert_eq!((t.slots.len(), t.mask + 1), (8_192, 64));
        // Past its hint, the short article doubles its part of the table
        // without reallocating it, and keeps its numbers.
        let (locals, vocabulary) = numbered(&mut t, 3, &long[..100]);
        assert_eq!(locals, (0..100).collect::<Vec<u32>>());
        assert_eq!(vocabulary, &long[..100]);
        assert_eq!((t.slots.len(), t.mask + 1), (8_192, 256));
    }

    #[test]
    fn stamps_wrap_without_stale_hits() {
        let mut t = TermNumbering::new();
        numbered(&mut t, 2, &[5, 6]);
        t.stamp = u32::MAX - 1;
        numbered(&mut t, 2, &[5, 6]);
        let (locals, vocabulary) = numbered(&mut t, 2, &[6, 7]);
        assert_eq!((locals, vocabulary), (vec![0, 1], vec![6, 7]));
        assert_eq!(t.stamp, 1);
        let (locals, vocabulary) = numbered(&mut t, 2, &[7, 5]);
        assert_eq!((locals, vocabulary), (vec![0, 1], vec![7, 5]));
    }
}
