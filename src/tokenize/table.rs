//! The tokenizer's memory of surface forms: an open-addressing hash table
//! keyed by the word's bytes, without a heap allocation per word.
//!
//! A word of up to 16 bytes is identified exactly by its length and its
//! first 16 bytes, read as two 8-byte loads with the bytes past the word
//! masked off (a mask chosen by the length from a table, so short and long
//! words take the same instructions, with no branch on the length), so a
//! probe compares three integers and never follows a pointer. Longer words
//! (rare) are kept in an ordinary hash map beside it. The same two loads
//! feed the hash, so a word's bytes are read once.

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

    /// The key of a word on its own (copied into a zeroed 16-byte block).
    pub fn of(word: &[u8]) -> Key {
        let mut padded = [0u8; 16];
        let n = word.len().min(Key::INLINE);
        padded[..n].copy_from_slice(&word[..n]);
        Key::masked(&padded, 0, word.len())
    }

    /// The key of `text[at..end]`, read with two 8-byte loads from `text`
    /// itself when 16 bytes from `at` are in it: no branch on the word's
    /// length.
    #[inline(always)]
    pub fn at(text: &[u8], at: usize, end: usize) -> Key {
        if at + 16 <= text.len() {
            Key::masked(text, at, end - at)
        } else {
            Key::of(&text[at..end])
        }
    }

    /// The first `n` (at most 16) bytes from `at`, as two words with the
    /// bytes past the word zeroed.
    #[inline(always)]
    fn masked(bytes: &[u8], at: usize, n: usize) -> Key {
        let m = n.min(Key::INLINE);
        Key {
            len: n as u32,
            a: load8(bytes, at) & LOW[m],
            b: load8(bytes, at + 8) & HIGH[m],
        }
    }

    pub fn hash(&self) -> u64 {
        // One multiply-fold (as in wyhash-style hashes): cheap, and on the
        // BBC vocabulary as good as two rounds at spreading words over the
        // table's top bits (1.11 probes a lookup, weighted by frequency).
        const K1: u64 = 0x9E37_79B9_7F4A_7C15;
        const K2: u64 = 0xD6E8_FEB8_6659_FD93;
        fold((self.a ^ K1).wrapping_add(self.len as u64), self.b ^ K2)
    }
}

/// `LOW[n]` keeps the first `n` bytes of an 8-byte load (little-endian),
/// `HIGH[n]` the first `n - 8` of the second load.
const LOW: [u64; 17] = masks(0);
const HIGH: [u64; 17] = masks(8);

const fn masks(skip: usize) -> [u64; 17] {
    let mut out = [0u64; 17];
    let mut n = 0;
    while n <= 16 {
        let keep = if n <= skip {
            0
        } else if n - skip >= 8 {
            8
        } else {
            n - skip
        };
        out[n] = if keep == 8 {
            u64::MAX
        } else {
            (1u64 << (8 * keep)) - 1
        };
        n += 1;
    }
    out
}

fn fold(x: u64, y: u64) -> u64 {
    let p = (x as u128).wrapping_mul(y as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

fn load8(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("eight bytes"))
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
        self.get_hashed(key, key.hash(), word)
    }

    /// Asks the processor to start loading the slot that a word whose key
    /// hashes to `hash` is looked up in first, so that the lookup, a few
    /// words later, finds it in cache (see `Tokenizer::words`).
    #[inline(always)]
    pub fn prefetch(&self, hash: u64) {
        if self.slots.is_empty() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it reads nothing the program sees,
        // and the index is in the slots (the hash's top bits, `shift` set
        // from their number).
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
                self.slots
                    .as_ptr()
                    .add((hash >> self.shift) as usize)
                    .cast(),
            )
        }
    }

    /// [`get`](Self::get) with the key's hash (`key.hash()`) computed earlier.
    #[inline(always)]
    pub fn get_hashed(&self, key: &Key, hash: u64, word: &[u8]) -> Option<WordInfo> {
        if word.len() > Key::INLINE {
            return self.long.get(word).copied();
        }
        let mask = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize;
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
    fn lookups_with_the_hash_computed_earlier_find_the_same_words() {
        // A placeholder has no slots: a prefetch there asks for nothing.
        WordTable::placeholder().prefetch(Key::of(b"talks").hash());
        let mut t = WordTable::for_words(10);
        let words: Vec<String> = (0..5_000).map(|k| format!("w{k}")).collect();
        for (k, w) in words.iter().enumerate() {
            let key = Key::of(w.as_bytes());
            t.prefetch(key.hash());
            assert_eq!(t.get_hashed(&key, key.hash(), w.as_bytes()), None);
            t.insert(key, w.as_bytes(), info(k as u64));
        }
        for (k, w) in words.iter().enumerate() {
            let key = Key::of(w.as_bytes());
            t.prefetch(key.hash());
            assert_eq!(
                t.get_hashed(&key, key.hash(), w.as_bytes()),
                Some(info(k as u64))
            );
        }
        assert_eq!(t.get(&Key::of(b"w5000"), b"w5000"), None);
    }

    #[test]
    fn keys_read_in_place_equal_keys_of_the_word_alone() {
        // Every stretch of up to 20 bytes at every position, including the
        // last 16 bytes, where `at` falls back to a copy.
        let text = b"Kim's summit talks stalled; the U.S. envoy (2,500 km away) said so.";
        for at in 0..text.len() {
            for end in at..text.len().min(at + 20) + 1 {
                let word = &text[at..end];
                assert!(
                    Key::at(text, at, end) == Key::of(word),
                    "{:?}",
                    String::from_utf8_lossy(word)
                );
            }
        }
        // Bytes after the word do not reach the key.
        assert!(Key::at(b"talks and more text here", 0, 5) == Key::of(b"talks"));
        assert!(Key::of(b"talks") != Key::of(b"talk"));
        assert!(Key::of(b"talk\0") != Key::of(b"talk"));
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
