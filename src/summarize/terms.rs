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
#[derive(Default)]
pub struct TermNumbering {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`.
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
        if want > self.slots.len()
            || (self.slots.len() > KEEP_SLOTS && want <= self.slots.len() / 8)
        {
            self.resize(want);
        }
        if self.stamp == u32::MAX {
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.stamp = 0;
        }
        self.stamp += 1;
    }

    /// The local number of `id` in the current article; a new id gets the
    /// next number and is appended to `vocabulary` (which must hold exactly
    /// the ids numbered since [`begin`](Self::begin)).
    #[inline]
    pub fn number(&mut self, id: TermId, vocabulary: &mut Vec<TermId>) -> u32 {
        if 2 * (vocabulary.len() + 1) > self.slots.len() {
            self.regrow(vocabulary);
        }
        let mask = self.slots.len() - 1;
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
            i = (i + 1) & mask;
        }
    }

    #[inline]
    fn home(&self, id: TermId) -> usize {
        (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn resize(&mut self, slots: usize) {
        self.slots = vec![Slot::default(); slots];
        self.shift = 64 - slots.trailing_zeros();
        self.stamp = 0;
    }

    /// Doubles the table and re-enters the current article's ids, which
    /// are `vocabulary` in order.
    #[cold]
    fn regrow(&mut self, vocabulary: &[TermId]) {
        self.resize(2 * self.slots.len().max(MIN_SLOTS / 2));
        self.stamp = 1;
        let mask = self.slots.len() - 1;
        for (local, &id) in vocabulary.iter().enumerate() {
            let mut i = self.home(id);
            while self.slots[i].stamp == self.stamp {
                i = (i + 1) & mask;
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
