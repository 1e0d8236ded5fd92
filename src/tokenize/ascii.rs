//! Word boundaries for ASCII text, identical to `unicode_word_indices`.
//!
//! For ASCII the Unicode word rules (UAX #29) reduce to a few classes:
//! letters and digits join each other and `_`; a letter, `:`/`.`/`'`, letter
//! stays one word ("U.S", "don't", "a:b"); a digit, `,`/`;`/`.`/`'`, digit
//! stays one word ("3.5", "1,000"). Everything else breaks, and only
//! segments with a letter or digit are words.
//!
//! [`WordMasks`] applies these rules to a whole article at once, as bit
//! masks computed 16 bytes at a time, and then walks any stretch of ASCII
//! text in it (a sentence, a piece between spaces) with bit scans. `tests`
//! check the result equals unicode-segmentation's on arbitrary ASCII and on
//! every BBC sentence.

use std::ops::Range;

/// Bit masks of an article: bit `k % 64` of word `k / 64` describes byte `k`.
#[derive(Default)]
pub struct WordMasks {
    /// Bytes in a word: letters, digits, `_`, and the punctuation that joins
    /// (a `:`/`.`/`'` between two letters, a `,`/`;`/`.`/`'` between two
    /// digits).
    word: Vec<u64>,
    /// The joining punctuation alone.
    join: Vec<u64>,
    /// Bytes outside ASCII.
    high: Vec<u64>,
}

/// Masks of one block of 64 bytes.
#[derive(Clone, Copy, Default)]
struct Block {
    letter: u64,
    digit: u64,
    connector: u64,
    /// `:` `.` `'`: joins two letters.
    mid_letter: u64,
    /// `,` `;` `.` `'`: joins two digits.
    mid_num: u64,
    high: u64,
}

/// The masks of one 64-byte block.
#[cfg(target_arch = "x86_64")]
fn classify(block: &[u8; 64]) -> Block {
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2, checked just above.
        unsafe { classify_avx2(block) }
    } else {
        // SAFETY: SSE2 is part of x86_64.
        unsafe { classify_sse2(block) }
    }
}

/// Byte-range and equality tests over 16 or 32 bytes, written once for both
/// vector widths: `$v` holds the bytes; the result is one mask per class.
/// A byte is in `lo..=hi` when its unsigned distance from `lo` is below
/// `hi - lo + 1`; shifted by 0x80 that is one add and one signed compare.
/// Bytes above ASCII are in none of the (ASCII) ranges.
macro_rules! classes {
    ($v:expr, $set1:ident, $add:ident, $or:ident, $gt:ident, $eq:ident, $movemask:ident) => {{
        let v = $v;
        let within = |x, lo: u8, hi: u8| {
            let shifted = $add(x, $set1((0x80u8.wrapping_sub(lo)) as i8));
            $gt($set1((hi - lo + 1).wrapping_sub(0x80) as i8), shifted)
        };
        let lower = $or(v, $set1(0x20));
        let letter = within(lower, b'a', b'z');
        let digit = within(v, b'0', b'9');
        let connector = $eq(v, $set1(b'_' as i8));
        let both = $or($eq(v, $set1(b'.' as i8)), $eq(v, $set1(b'\'' as i8)));
        let mid_letter = $or(both, $eq(v, $set1(b':' as i8)));
        let mid_num = $or(
            both,
            $or($eq(v, $set1(b',' as i8)), $eq(v, $set1(b';' as i8))),
        );
        [
            $movemask(letter),
            $movemask(digit),
            $movemask(connector),
            $movemask(mid_letter),
            $movemask(mid_num),
            $movemask(v),
        ]
    }};
}

/// [`classify`] 32 bytes at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn classify_avx2(block: &[u8; 64]) -> Block {
    use std::arch::x86_64::*;
    let half = |at: usize| {
        // SAFETY: the load reads 32 bytes inside `block` (unaligned loads
        // are allowed); AVX2 is enabled for this function.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().add(at).cast()) };
        classes!(
            v,
            _mm256_set1_epi8,
            _mm256_add_epi8,
            _mm256_or_si256,
            _mm256_cmpgt_epi8,
            _mm256_cmpeq_epi8,
            _mm256_movemask_epi8
        )
        .map(|m| m as u32 as u64)
    };
    let (a, b) = (half(0), half(32));
    Block::from_parts(std::array::from_fn(|c| a[c] | b[c] << 32))
}

/// [`classify`] 16 bytes at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
unsafe fn classify_sse2(block: &[u8; 64]) -> Block {
    use std::arch::x86_64::*;
    let mut parts = [0u64; 6];
    for q in 0..4 {
        // SAFETY: the load reads 16 bytes inside `block`.
        let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * q).cast()) };
        let m = classes!(
            v,
            _mm_set1_epi8,
            _mm_add_epi8,
            _mm_or_si128,
            _mm_cmpgt_epi8,
            _mm_cmpeq_epi8,
            _mm_movemask_epi8
        );
        for (p, m) in parts.iter_mut().zip(m) {
            *p |= (m as u16 as u64) << (16 * q);
        }
    }
    Block::from_parts(parts)
}

impl Block {
    fn from_parts([letter, digit, connector, mid_letter, mid_num, high]: [u64; 6]) -> Block {
        Block {
            letter,
            digit,
            connector,
            mid_letter,
            mid_num,
            high,
        }
    }
}

/// The masks of one 64-byte block, a byte at a time.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn classify_bytes(block: &[u8; 64]) -> Block {
    let mut m = Block::default();
    for (k, &b) in block.iter().enumerate() {
        let bit = 1u64 << k;
        match b {
            b'a'..=b'z' | b'A'..=b'Z' => m.letter |= bit,
            b'0'..=b'9' => m.digit |= bit,
            b'_' => m.connector |= bit,
            b':' => m.mid_letter |= bit,
            b',' | b';' => m.mid_num |= bit,
            b'.' | b'\'' => {
                m.mid_letter |= bit;
                m.mid_num |= bit;
            }
            0x80.. => m.high |= bit,
            _ => {}
        }
    }
    m
}

#[cfg(not(target_arch = "x86_64"))]
fn classify(block: &[u8; 64]) -> Block {
    classify_bytes(block)
}

/// The block of `text` at `base`, the last one padded with spaces.
fn block_at(text: &[u8], base: usize) -> Block {
    match text.get(base..base + 64) {
        Some(b) => classify(b.try_into().expect("64 bytes")),
        None => {
            let mut padded = [b' '; 64];
            let tail = &text[base.min(text.len())..];
            padded[..tail.len()].copy_from_slice(tail);
            classify(&padded)
        }
    }
}

impl WordMasks {
    /// The masks of `text`, reusing this value's memory.
    pub fn compute(&mut self, text: &[u8]) {
        let blocks = text.len().div_ceil(64);
        self.word.clear();
        self.join.clear();
        self.high.clear();
        self.word.reserve(blocks);
        self.join.reserve(blocks);
        self.high.reserve(blocks);
        // Letter and digit bits of the byte before the block.
        let (mut letter_before, mut digit_before) = (0u64, 0u64);
        let mut this = block_at(text, 0);
        for k in 0..blocks {
            let next = block_at(text, 64 * (k + 1));
            let m = this;
            let letter_prev = m.letter << 1 | letter_before;
            let letter_next = m.letter >> 1 | (next.letter & 1) << 63;
            let digit_prev = m.digit << 1 | digit_before;
            let digit_next = m.digit >> 1 | (next.digit & 1) << 63;
            let join =
                m.mid_letter & letter_prev & letter_next | m.mid_num & digit_prev & digit_next;
            self.word.push(m.letter | m.digit | m.connector | join);
            self.join.push(join);
            self.high.push(m.high);
            letter_before = m.letter >> 63;
            digit_before = m.digit >> 63;
            this = next;
        }
    }

    /// Whether `text[range]` (of the text the masks were computed for) is
    /// all ASCII.
    pub fn is_ascii(&self, range: Range<usize>) -> bool {
        let mut any = 0;
        for_each_block(range, |k, keep| any |= self.high[k] & keep);
        any == 0
    }

    /// Calls `f(start, end)` for each word of `text[range]`, which must be
    /// ASCII, exactly as if that stretch were the whole text: punctuation at
    /// either end does not join, since its other side is outside.
    pub fn for_each_word(&self, text: &[u8], range: Range<usize>, mut f: impl FnMut(usize, usize)) {
        let (first, last) = (range.start, range.end.wrapping_sub(1));
        let mut emit = |start: usize, end: usize| {
            // A run of `_` alone is not a word (a join needs letters or
            // digits).
            if text[start] != b'_' || text[start..end].iter().any(|&b| b != b'_') {
                f(start, end);
            }
        };
        // Start of a word that runs on into the next block.
        let mut open: Option<usize> = None;
        for_each_block(range.clone(), |k, keep| {
            let base = 64 * k;
            let mut word = self.word[k] & keep;
            for edge in [first, last] {
                if edge / 64 == k {
                    word &= !(self.join[k] & 1 << (edge % 64));
                }
            }
            if let Some(start) = open {
                let run = (!word).trailing_zeros();
                if run == 64 {
                    return;
                }
                emit(start, base + run as usize);
                open = None;
                word &= !0u64 << run;
            }
            while word != 0 {
                let s = word.trailing_zeros();
                let e = s + (!(word >> s)).trailing_zeros();
                if e == 64 {
                    open = Some(base + s as usize);
                    return;
                }
                emit(base + s as usize, base + e as usize);
                word &= !0u64 << e;
            }
        });
        if let Some(start) = open {
            emit(start, range.end);
        }
    }
}

/// Calls `f(k, keep)` for each 64-byte block `k` that `range` touches, with
/// `keep` the bits of the block inside `range`.
#[inline]
fn for_each_block(range: Range<usize>, mut f: impl FnMut(usize, u64)) {
    if range.is_empty() {
        return;
    }
    let (first, last) = (range.start / 64, (range.end - 1) / 64);
    for k in first..=last {
        let mut keep = !0u64;
        if k == first {
            keep &= !0u64 << (range.start % 64);
        }
        if k == last {
            keep &= !0u64 >> (63 - (range.end - 1) % 64);
        }
        f(k, keep);
    }
}

/// Calls `f(start, end)` for each word of `text`, which must be ASCII.
#[cfg(test)]
pub fn for_each_word(text: &[u8], f: impl FnMut(usize, usize)) {
    let mut masks = WordMasks::default();
    masks.compute(text);
    masks.for_each_word(text, 0..text.len(), f);
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn ours(s: &str) -> Vec<(usize, &str)> {
        let mut v = Vec::new();
        for_each_word(s.as_bytes(), |a, b| v.push((a, &s[a..b])));
        v
    }

    #[test]
    fn table() {
        for s in [
            "a:b",
            "a.b",
            "3.5",
            "1,000",
            "a,b",
            "3:4",
            "1;2",
            "_a",
            "a_",
            "__",
            "x.",
            "'a'",
            "a''b",
            "U.S.A.",
            "a\r\nb",
            "1.a",
            "a.1",
            "1'2",
            "a'1",
            "a:1",
            "3a",
            ".5",
            "don't",
            "time.She said",
            "",
            " ",
            "..",
            "a1.5",
            "3a.b",
            "x_.y",
        ] {
            assert_eq!(
                ours(s),
                s.unicode_word_indices().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn vector_masks_equal_byte_masks() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..2000 {
            let mut block = [0u8; 64];
            for b in &mut block {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = state as u8;
            }
            let parts = |b: Block| {
                [
                    b.letter,
                    b.digit,
                    b.connector,
                    b.mid_letter,
                    b.mid_num,
                    b.high,
                ]
            };
            let want = parts(classify_bytes(&block));
            assert_eq!(parts(classify(&block)), want, "{block:?}");
            // SAFETY: SSE2 is part of x86_64.
            #[cfg(target_arch = "x86_64")]
            assert_eq!(parts(unsafe { classify_sse2(&block) }), want, "{block:?}");
        }
    }

    #[test]
    fn a_stretch_is_walked_as_if_it_were_the_whole_text() {
        // Joins at a stretch's ends would need a byte outside it.
        let text = "U.S. talks, 1,000.5 don't_stop a.b:c '3'.x_ __ ok";
        let mut masks = WordMasks::default();
        masks.compute(text.as_bytes());
        for start in 0..text.len() {
            for end in start..=text.len() {
                let mut got = Vec::new();
                masks.for_each_word(text.as_bytes(), start..end, |a, b| got.push((a, b)));
                let want: Vec<(usize, usize)> = text[start..end]
                    .unicode_word_indices()
                    .map(|(a, w)| (start + a, start + a + w.len()))
                    .collect();
                assert_eq!(got, want, "{:?}", &text[start..end]);
                assert!(masks.is_ascii(start..end));
            }
        }
        let mixed = format!("{}£5m and {}", "x".repeat(70), "y".repeat(70));
        masks.compute(mixed.as_bytes());
        assert!(masks.is_ascii(0..70) && masks.is_ascii(72..mixed.len()));
        assert!(!masks.is_ascii(69..71) && !masks.is_ascii(0..mixed.len()));
        assert!(masks.is_ascii(5..5));
    }

    #[test]
    fn agrees_with_unicode_segmentation_on_random_ascii() {
        // A deterministic generator over the bytes that matter.
        let alphabet = b"aZq09.:,;'_ -\n\r\t\"!?()x";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..2000 {
            // Up to three blocks, so that words cross block edges.
            let s: String = (0..len % 200)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize] as char
                })
                .collect();
            assert_eq!(
                ours(&s),
                s.unicode_word_indices().collect::<Vec<_>>(),
                "{s:?}"
            );
        }
    }
}
