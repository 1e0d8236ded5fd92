//! The tokenizer's memory of surface forms: an open-addressing hash table
//! keyed by the word's bytes, without a heap allocation per word.
//!
//! A word of up to 16 bytes is identified exactly by its length and two
//! overlapping 8-byte loads (first and last eight bytes; four and four, or
//! three single bytes, for shorter words), so a probe compares three integers
//! and never follows a pointer. Longer words (rare) are kept in an ordinary
//! hash map beside it. The same two loads feed the hash, so a word's bytes
//! are read once.

/// What the tokenizer knows about a surface form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordInfo {
    pub stem: u64,
    pub tag: u32,
    pub flags: u8,
}

/// A word's identity for the table: its length and two loads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key {
    len: u32,
    a: u64,
    b: u64,
}

impl Key {
    /// Words of more than this many bytes are not identified by their key.
    const INLINE: usize = 16;

    pub fn of(word: &[u8]) -> Key {
        let n = word.len();
        let (a, b) = if n >= 8 {
            (load8(word, 0), load8(word, n - 8))
        } else if n >= 4 {
            (load4(word, 0) as u64, load4(word, n - 4) as u64)
        } else if n > 0 {
            let packed = word[0] as u64 | (word[n / 2] as u64) << 8 | (word[n - 1] as u64) << 16;
            (packed, 0)
        } else {
            (0, 0)
        };
        Key {
            len: n as u32,
            a,
            b,
        }
    }

    fn hash(&self) -> u64 {
        // Two rounds of multiply-fold (as in wyhash-style hashes): cheap and
        // good enough to spread words over the table's top bits.
        const K1: u64 = 0x9E37_79B9_7F4A_7C15;
        const K2: u64 = 0xD6E8_FEB8_6659_FD93;
        let x = fold((self.a ^ K1).wrapping_add(self.len as u64), self.b ^ K2);
        fold(x, K1 ^ self.len as u64)
    }
}

fn fold(x: u64, y: u64) -> u64 {
    let p = (x as u128).wrapping_mul(y as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

fn load8(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
}

fn load4(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("four bytes"))
}

/// One entry, packed into 32 bytes and aligned to them, so that a probe
/// reads one cache line (the table is probed for every word and is larger
/// than the core's L2 cache on BBC): the key's loads, the stem id, the tag,
/// and the length and flags sharing one word. With the surface id in it as
/// well, a slot was 40 bytes and half of them straddled two lines; dropping
/// it made a one-thread BBC run ~2% faster (`docs/BENCHMARKS.md`).
#[derive(Clone, Copy)]
#[repr(C, align(32))]
struct Slot {
    a: u64,
    b: u64,
    stem: u64,
    tag: u32,
    /// Length in the low 24 bits (0: empty slot), flags in the high 8.
    len_flags: u32,
}

/// Longest word the table stores (longer ones are looked up every time).
const MAX_LEN: usize = (1 << 24) - 1;

impl Slot {
    fn len(&self) -> u32 {
        self.len_flags & 0xFF_FFFF
    }

    fn key(&self) -> Key {
        Key {
            len: self.len(),
            a: self.a,
            b: self.b,
        }
    }

    fn info(&self) -> WordInfo {
        WordInfo {
            stem: self.stem,
            tag: self.tag,
            flags: (self.len_flags >> 24) as u8,
        }
    }
}

const EMPTY: Slot = Slot {
    a: 0,
    b: 0,
    stem: 0,
    tag: 0,
    len_flags: 0,
};

/// Surface form to [`WordInfo`]; at most three quarters full.
pub struct WordTable {
    /// Words of up to [`Key::INLINE`] bytes, which their key identifies.
    slots: Vec<Slot>,
    /// `64 - log2(slots.len())`: the hash's top bits pick the first slot.
    shift: u32,
    /// Words in `slots`.
    len: usize,
    /// Longer words (about 1% of a news text's distinct words), kept apart
    /// so that a slot needs no reference to their bytes (an arena offset
    /// would not fit in a 32-byte slot).
    long: rustc_hash::FxHashMap<Box<[u8]>, WordInfo>,
}

impl WordTable {
    /// A table with no slots, to leave behind when a table is moved out
    /// (`std::mem::take` would build and fill a default one each time).
    /// Replace it with [`WordTable::for_words`] before use.
    pub fn placeholder() -> WordTable {
        WordTable {
            slots: Vec::new(),
            shift: 64,
            len: 0,
            long: Default::default(),
        }
    }

    /// An empty table with room for about `words` words before it grows
    /// (never fewer than 4,096 slots).
    pub fn for_words(words: usize) -> WordTable {
        let slots = (words.saturating_mul(4) / 3 + 1).next_power_of_two();
        WordTable::with_slots(slots.max(1 << 12))
    }

    /// Whether this is a [`placeholder`](Self::placeholder).
    pub fn is_placeholder(&self) -> bool {
        self.slots.is_empty()
    }

    fn with_slots(n: usize) -> WordTable {
        debug_assert!(n.is_power_of_two());
        WordTable {
            slots: vec![EMPTY; n],
            shift: 64 - n.trailing_zeros(),
            len: 0,
            long: Default::default(),
        }
    }

    /// Number of words held.
    pub fn len(&self) -> usize {
        self.len + self.long.len()
    }

    /// Forgets every word, keeping the allocation.
    pub fn clear(&mut self) {
        self.slots.fill(EMPTY);
        self.long.clear();
        self.len = 0;
    }

    /// The info stored for `word` (whose key is `key`), if any.
    #[inline(always)]
    pub fn get(&self, key: &Key, word: &[u8]) -> Option<WordInfo> {
        if word.len() > Key::INLINE {
            return self.long.get(word).copied();
        }
        let mask = self.slots.len() - 1;
        let mut i = (key.hash() >> self.shift) as usize;
        loop {
            let slot = &self.slots[i];
            if slot.len_flags == 0 {
                return None;
            }
            if slot.key() == *key {
                return Some(slot.info());
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds a word that [`get`](Self::get) did not find. Empty words are not
    /// stored (the tokenizer never produces one).
    pub fn insert(&mut self, key: Key, word: &[u8], info: WordInfo) {
        if word.is_empty() || word.len() > MAX_LEN {
            return;
        }
        if word.len() > Key::INLINE {
            self.long.insert(word.into(), info);
            return;
        }
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            self.grow();
        }
        self.place(Slot {
            a: key.a,
            b: key.b,
            stem: info.stem,
            tag: info.tag,
            len_flags: key.len | (info.flags as u32) << 24,
        });
        self.len += 1;
    }

    fn place(&mut self, slot: Slot) {
        let mask = self.slots.len() - 1;
        let mut i = (slot.key().hash() >> self.shift) as usize;
        while self.slots[i].len_flags != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = slot;
    }

    fn grow(&mut self) {
        let bigger = vec![EMPTY; 2 * self.slots.len().max(1)];
        let old = std::mem::replace(&mut self.slots, bigger);
        self.shift = 64 - self.slots.len().trailing_zeros();
        for slot in old.into_iter().filter(|s| s.len_flags != 0) {
            self.place(slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(n: u64) -> WordInfo {
        WordInfo {
            stem: n,
            tag: n as u32,
            flags: 0,
        }
    }

    #[test]
    fn keys_tell_apart_words_that_share_loads() {
        // Same first and last bytes, different middles: the lengths and the
        // overlapping loads must still separate them.
        let words: Vec<&[u8]> = vec![
            b"a",
            b"ab",
            b"abc",
            b"axc",
            b"abcd",
            b"abxd",
            b"abcde",
            b"abxde",
            b"abcdefgh",
            b"abcdefghi",
            b"abcdXfghi",
            b"abcdefghijklmnop",
            b"abcdefghXjklmnop",
            b"abcdefghijklmnopq",
            b"abcdefghijXlmnopq",
            b"abcdefghijklmnopqrstuvwxyz",
            b"abcdefghijkXmnopqrstuvwxyz",
        ];
        let mut t = WordTable::with_slots(2);
        for (n, w) in words.iter().enumerate() {
            assert_eq!(
                t.get(&Key::of(w), w),
                None,
                "{:?}",
                String::from_utf8_lossy(w)
            );
            t.insert(Key::of(w), w, info(n as u64));
        }
        assert_eq!(t.len(), words.len());
        for (n, w) in words.iter().enumerate() {
            assert_eq!(t.get(&Key::of(w), w), Some(info(n as u64)));
        }
        assert_eq!(
            t.get(
                &Key::of(b"abcdefghijklmnopqrstuvwxyZ"),
                b"abcdefghijklmnopqrstuvwxyZ"
            ),
            None
        );
        t.clear();
        assert_eq!(t.len(), 0);
        assert_eq!(t.get(&Key::of(b"abc"), b"abc"), None);
    }

    #[test]
    fn presized_tables_hold_their_words_without_growing() {
        assert_eq!(WordTable::for_words(0).slots.len(), 1 << 12);
        assert_eq!(WordTable::for_words(3_000).slots.len(), 1 << 12);
        assert_eq!(WordTable::for_words(3_100).slots.len(), 1 << 13);
        let mut t = WordTable::for_words(48_000);
        assert_eq!(t.slots.len(), 1 << 16);
        for n in 0..48_000u64 {
            let w = format!("w{n}");
            t.insert(Key::of(w.as_bytes()), w.as_bytes(), info(n));
        }
        // Three quarters of 65,536 is 49,152: no growth on the way.
        assert_eq!(t.slots.len(), 1 << 16);
        assert_eq!(t.get(&Key::of(b"w47999"), b"w47999"), Some(info(47_999)));
    }

    #[test]
    fn slots_stay_packed() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
        assert_eq!(std::mem::align_of::<Slot>(), 32);
        let mut t = WordTable::for_words(0);
        let info = WordInfo {
            stem: 7,
            tag: u32::MAX,
            flags: 0xFF,
        };
        t.insert(Key::of(b"talks"), b"talks", info);
        assert_eq!(t.get(&Key::of(b"talks"), b"talks"), Some(info));
    }

    #[test]
    fn holds_many_words_through_growth() {
        let mut t = WordTable::for_words(0);
        let words: Vec<String> = (0..50_000).map(|i| format!("w{i}x{}", i * 7919)).collect();
        for (n, w) in words.iter().enumerate() {
            t.insert(Key::of(w.as_bytes()), w.as_bytes(), info(n as u64));
        }
        for (n, w) in words.iter().enumerate() {
            assert_eq!(
                t.get(&Key::of(w.as_bytes()), w.as_bytes()),
                Some(info(n as u64))
            );
        }
        assert_eq!(t.get(&Key::of(b"w1x1"), b"w1x1"), None);
    }
}
