//! Document frequencies by term id: an open-addressing table of `(id, count)`
//! pairs in one array.
//!
//! A folder's first pass adds each article's distinct terms to it (about 200
//! an article) and its second pass asks the count of each again, so these
//! two operations run once per term of every article. Term ids are hashes of
//! the stems already: a probe is a multiply, a shift and a compare of the
//! id in place, where a general hash map hashed the id again and matched a
//! control byte before comparing it.

use crate::tokenize::TermId;

/// One term and its count; `count == 0` marks an empty slot (a term is only
/// stored once counted).
#[derive(Clone, Copy, Default)]
struct Slot {
    id: TermId,
    count: u32,
}

/// Term id to count, at most three quarters full.
#[derive(Clone, Default)]
pub struct TermCounts {
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`.
    shift: u32,
    /// Terms stored.
    len: usize,
}

impl std::fmt::Debug for TermCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TermCounts")
            .field("terms", &self.len)
            .finish()
    }
}

/// Smallest table, in slots.
const MIN_SLOTS: usize = 1 << 10;

/// How many terms ahead a walk over a list of terms asks for the slot it
/// will look up: a table of a corpus's terms is larger than the core's L2
/// cache, so a lookup otherwise waits for memory.
const PREFETCH_AHEAD: usize = 8;

impl TermCounts {
    /// An empty table with room for about `terms` terms before it grows.
    pub fn with_capacity(terms: usize) -> TermCounts {
        let slots = (terms.saturating_mul(4) / 3 + 1)
            .next_power_of_two()
            .max(MIN_SLOTS);
        TermCounts {
            slots: vec![Slot::default(); slots],
            shift: 64 - slots.trailing_zeros(),
            len: 0,
        }
    }

    /// Number of terms.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no term is counted.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The count of `id`; 0 if it was never counted.
    #[inline]
    pub fn get(&self, id: TermId) -> u32 {
        if self.slots.is_empty() {
            return 0;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(id);
        loop {
            let slot = self.slots[i];
            if slot.count == 0 {
                return 0;
            }
            if slot.id == id {
                return slot.count;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds `n` (more than 0) to the count of `id`. Returns the count
    /// before.
    #[inline]
    pub fn add(&mut self, id: TermId, n: u32) -> u32 {
        debug_assert!(n > 0);
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(id);
        loop {
            let slot = &mut self.slots[i];
            if slot.count == 0 {
                *slot = Slot { id, count: n };
                self.len += 1;
                return 0;
            }
            if slot.id == id {
                let before = slot.count;
                slot.count = before.saturating_add(n);
                return before;
            }
            i = (i + 1) & mask;
        }
    }

    /// Every `(id, count)`, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (TermId, u32)> + '_ {
        self.slots
            .iter()
            .filter(|s| s.count != 0)
            .map(|s| (s.id, s.count))
    }

    /// Adds every count of `other`, as [`add`](Self::add) on each in turn.
    pub fn add_all(&mut self, other: &TermCounts) {
        for (k, slot) in other.slots.iter().enumerate() {
            if let Some(ahead) = other.slots.get(k + PREFETCH_AHEAD) {
                if ahead.count != 0 {
                    self.prefetch(ahead.id);
                }
            }
            if slot.count != 0 {
                self.add(slot.id, slot.count);
            }
        }
    }

    /// Asks for the slots of the first [`PREFETCH_AHEAD`] of `ids`, before
    /// a walk over them that calls [`prefetch_ahead`](Self::prefetch_ahead).
    #[inline]
    pub fn prefetch_first(&self, ids: &[TermId]) {
        for &id in ids.iter().take(PREFETCH_AHEAD) {
            self.prefetch(id);
        }
    }

    /// Asks for the slot of `ids[k + PREFETCH_AHEAD]`, if there is one:
    /// called at each step `k` of a walk over `ids`, it keeps that many
    /// lookups on their way from memory.
    #[inline(always)]
    pub fn prefetch_ahead(&self, ids: &[TermId], k: usize) {
        if let Some(&id) = ids.get(k + PREFETCH_AHEAD) {
            self.prefetch(id);
        }
    }

    /// Asks the processor to start loading the slot where `id` is looked
    /// up first, so that a lookup a few terms later does not wait for it.
    #[inline(always)]
    fn prefetch(&self, id: TermId) {
        if self.slots.is_empty() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it reads nothing the program sees,
        // and `home` is an index into the slots.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                self.slots.as_ptr().add(self.home(id)).cast(),
            )
        }
    }

    #[inline]
    fn home(&self, id: TermId) -> usize {
        // Ids are hashes, but not necessarily good in their top bits alone:
        // one multiply spreads every bit up.
        (id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    #[cold]
    fn grow(&mut self) {
        let slots = (2 * self.slots.len()).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![Slot::default(); slots]);
        self.shift = 64 - slots.trailing_zeros();
        let mask = slots - 1;
        for slot in old.into_iter().filter(|s| s.count != 0) {
            let mut i = self.home(slot.id);
            while self.slots[i].count != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presized_tables_count_without_growing() {
        assert_eq!(TermCounts::with_capacity(0).slots.len(), MIN_SLOTS);
        let mut t = TermCounts::with_capacity(30_000);
        assert_eq!(t.slots.len(), 1 << 16);
        for id in 0..30_000u64 {
            assert_eq!(t.add(id * 0x9E37_79B9, 1), 0);
        }
        assert_eq!(t.add(0, 2), 1);
        // Three quarters of 65,536 is 49,152: no growth on the way.
        assert_eq!((t.slots.len(), t.len()), (1 << 16, 30_000));
        assert_eq!(t.get(29_999 * 0x9E37_79B9), 1);
        assert_eq!(t.get(0), 3);
    }

    #[test]
    fn counts_add_up_through_growth() {
        let mut t = TermCounts::default();
        assert_eq!(t.get(7), 0);
        // Ids that share their low bits, and 0, which is an id like any other.
        let ids: Vec<TermId> = (0..5_000u64).map(|k| k << 40).collect();
        for (k, &id) in ids.iter().enumerate() {
            for _ in 0..(k % 3 + 1) {
                t.add(id, 1);
            }
        }
        assert_eq!(t.len(), 5_000);
        assert!(ids
            .iter()
            .enumerate()
            .all(|(k, &id)| t.get(id) == (k % 3 + 1) as u32));
        assert_eq!(t.get(1), 0);
        assert_eq!(t.add(ids[4], 10), 2);
        assert_eq!(t.get(ids[4]), 12);
        let mut all: Vec<(TermId, u32)> = t.iter().collect();
        all.sort_unstable();
        assert_eq!(all.len(), 5_000);
        assert_eq!(all[4], (ids[4], 12));
        // 1 + 2 + 3 for each of 1,666 whole rounds, 1 + 2 for the last two
        // ids, and the 10 added to one.
        assert_eq!(t.iter().map(|(_, n)| n as u64).sum::<u64>(), 9_999 + 10);
    }

    #[test]
    fn adding_a_whole_table_adds_each_count_and_grows_on_the_way() {
        let ids: Vec<TermId> = (1..=3_600u64)
            .map(|k| k.wrapping_mul(0xD6E8_FEB8_6659_FD93))
            .collect();
        let (mut a, mut b) = (TermCounts::default(), TermCounts::default());
        for (k, &id) in ids.iter().enumerate() {
            // `a` has the first two thirds, `b` the last two: a third shared.
            if k < 2_400 {
                a.add(id, 1);
            }
            if k >= 1_200 {
                b.add(id, (k % 5 + 1) as u32);
            }
        }
        // Lookups prefetched before any slot exists ask for nothing.
        let mut empty = TermCounts::default();
        empty.prefetch_first(&ids);
        empty.prefetch_ahead(&ids, 0);
        empty.add_all(&TermCounts::default());
        assert_eq!(empty.len(), 0);
        // 2,400 terms fit in 4,096 slots; 3,600 do not (three quarters full
        // at most), so the table grows while `b` is added.
        assert_eq!(a.slots.len(), 4_096);
        a.add_all(&b);
        assert_eq!((a.len(), a.slots.len()), (3_600, 8_192));
        assert_eq!(a.get(ids[0]), 1);
        assert_eq!(a.get(ids[1_800]), 1 + 1);
        assert_eq!(a.get(ids[3_599]), 5);
        let total: u64 = a.iter().map(|(_, n)| n as u64).sum();
        let from_b: u64 = (1_200..3_600u64).map(|k| k % 5 + 1).sum();
        assert_eq!(total, 2_400 + from_b);
    }
}
