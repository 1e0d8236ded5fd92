//! Sentence boundaries as byte spans into the original text.
//!
//! [`Segmenter`] splits news text into sentences and returns [`Span`]s: half-open
//! byte ranges into the text it was given, trimmed of surrounding whitespace.
//! Together the spans cover every non-whitespace byte, in order, without overlap.
//!
//! ```
//! use precis::segment::Segmenter;
//!
//! let text = "Kim meets Moon in Seoul\n\nGen. Kim arrived at 10.30am. \
//!             \"It was warm,\" she said. The U.S. Senate voted on Jan. 5.";
//! let sentences: Vec<&str> = Segmenter::new()
//!     .split(text)
//!     .iter()
//!     .map(|span| span.slice(text))
//!     .collect();
//! assert_eq!(
//!     sentences,
//!     [
//!         "Kim meets Moon in Seoul",
//!         "Gen. Kim arrived at 10.30am.",
//!         "\"It was warm,\" she said.",
//!         "The U.S. Senate voted on Jan. 5.",
//!     ]
//! );
//! ```
//!
//! # Rules, and why each exists
//!
//! - **Line structure.** A blank line always ends a unit. A single line break
//!   after a line without final punctuation ends one too, because scraped news
//!   is full of headlines, bylines, "Also read: ..." and comment-form lines that
//!   carry no stop; but a next line that starts in lowercase, or a line that
//!   ends with a comma or a word such as "the" or "with", is hard-wrapped prose
//!   and continues. CRLF counts as LF.
//! - **Stops.** `.`, `!`, `?`, runs of them (`?!`, `...`) and the stops of other
//!   scripts (`。`, `！`, `？`, `।`, `؟`, ...) end a sentence when whitespace and
//!   a word that is not lowercase follow. A lowercase next word never starts a
//!   sentence in edited English, which keeps `Yahoo! in`, `"Why?" she asked` and
//!   `5th st. near` whole.
//! - **Closing quotes and brackets** after a stop belong to the sentence that
//!   ends (`"This is great." She held...` splits after the quote).
//! - **Abbreviations** come from a list (`lexicons/abbreviations/en.txt`) with
//!   three kinds: titles (`Mr.`, `Gen.`) never end a sentence before a name,
//!   `end` entries (`U.S.`, `Co.`, `a.m.`) end one only when a usual sentence
//!   opener (`The`, `It`, `How`, `Mr.`) follows or the line ends, and `num`
//!   entries (`No.`, `p.`) are abbreviations only before a number.
//! - **Initials.** A single capital and a period between capitalised words is a
//!   middle initial (`John F. Kennedy`); after a lowercase word it is a word of
//!   its own (`you and I. Did...`).
//! - **Numbers, URLs, e-mail.** A stop followed directly by a digit is a decimal
//!   point (`$1.5bn`, `v2.1`, `10.30am`); a stop glued to the next word only
//!   splits in the `time.She said` shape that scrapers leave behind, and never
//!   inside `U.S.A`, an e-mail address or a dotted host name.
//! - **Ellipses.** `...` and `…` end a sentence before a capital; the spaced
//!   `. . .` of quotations marks an omission and does not, unless it carries a
//!   fourth dot (`. . . .`).
//! - **Lists.** Bullets (`•`, `⁃`, ...) start a new unit; `1.`, `2)`, `a.` at the
//!   start of a sentence are markers, not stops, and the next marker of the same
//!   list on the same line starts a new unit (`1) The first 2) The second`).
//!
//! # Cost
//!
//! One pass marks the candidate bytes of the whole text in a bit mask, 16
//! bytes at a time (stops, line breaks and the lead bytes of non-ASCII stops);
//! each candidate is then decided by looking at a bounded neighbourhood (at
//! most [`MAX_ABBREVIATION_BYTES`] bytes back, a word ahead), so splitting is
//! linear in the length of the text.

use std::sync::{Arc, OnceLock};

use memchr::memchr2;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::{Error, Result};

/// A half-open byte range `[start, end)` into the article text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The text this span covers.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// The longest abbreviation, in bytes, the final period excluded. Also how far
/// the splitter looks back from a period for the word it ends.
pub const MAX_ABBREVIATION_BYTES: usize = 31;

/// How far ahead a numbered list looks for its next marker on the same line.
/// Inline list items are short; the bound keeps the search constant-time.
const LIST_LOOKAHEAD: usize = 512;

/// The embedded English abbreviation list.
const EN_ABBREVIATIONS: &str = include_str!("../lexicons/abbreviations/en.txt");

/// Capitalised words that usually open a sentence and rarely continue a name.
/// After an `end` abbreviation or an initial, one of these means a new sentence
/// ("in the U.S. How about you?") where another capitalised word does not
/// ("the U.S. Government").
#[rustfmt::skip]
const SENTENCE_OPENERS: &[&[u8]] = &[
    b"A", b"About", b"According", b"After", b"Again", b"Also", b"Although", b"Among", b"Amid",
    b"An", b"And", b"Another", b"Are", b"As", b"At", b"Before", b"Both", b"But", b"By", b"Can",
    b"Could", b"Despite", b"Did", b"Do", b"Does", b"Dr", b"During", b"Each", b"Earlier",
    b"Even", b"Every", b"For", b"From", b"Had", b"Has", b"Have", b"He", b"Her", b"Here", b"His",
    b"How", b"However", b"I", b"If", b"In", b"Is", b"It", b"Its", b"Last", b"Later", b"Many",
    b"Meanwhile", b"Most", b"Mr", b"Mrs", b"Ms", b"My", b"No", b"Now", b"On", b"One", b"Our",
    b"Over", b"She", b"Since", b"So", b"Some", b"Still", b"That", b"The", b"Their", b"Then",
    b"There", b"These", b"They", b"This", b"Those", b"Though", b"Thus", b"To", b"Today",
    b"Under", b"Until", b"Was", b"We", b"Were", b"What", b"When", b"Where", b"Whether",
    b"Which", b"While", b"Who", b"Why", b"Will", b"With", b"Would", b"Yet", b"You",
];

/// Lowercase words a headline or byline does not end with: a line that ends
/// with one is hard-wrapped prose and goes on, even before a capital.
#[rustfmt::skip]
const LINKING_WORDS: &[&[u8]] = &[
    b"a", b"an", b"and", b"as", b"at", b"but", b"by", b"for", b"from", b"in", b"into", b"of",
    b"on", b"or", b"than", b"that", b"the", b"to", b"with",
];

/// Prepositions that open an introductory phrase. "At 5 a.m." is not a
/// sentence, so an `end` abbreviation two words into such a phrase goes on.
#[rustfmt::skip]
const PHRASE_OPENERS: &[&[u8]] = &[
    b"about", b"after", b"around", b"at", b"before", b"by", b"from", b"in", b"on", b"since",
    b"till", b"until",
];

/// Closing quotes and brackets that stay with the sentence a stop ends.
#[rustfmt::skip]
const CLOSERS: &[&str] = &[
    "\u{201D}", "\u{2019}", "\u{BB}", "\u{203A}", "\u{300D}", "\u{300F}", "\u{FF09}", "\u{3011}",
    "\u{300B}", "\u{3009}", "\u{3015}", "\u{FF3D}", "\u{FF5D}", "\u{FF02}",
];

/// Opening quotes and brackets that may precede the first word of a sentence.
#[rustfmt::skip]
const OPENERS: &[char] = &[
    '"', '\'', '(', '[', '{', '\u{201C}', '\u{2018}', '\u{AB}', '\u{2039}', '\u{300C}', '\u{300E}',
    '\u{FF08}', '\u{3010}', '\u{300A}', '\u{201E}',
];

/// How an abbreviation behaves before a capitalised word or a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Never ends a sentence before a capital or a number ("Mr.", "Gen.").
    Title,
    /// May end a sentence ("U.S.", "Co.", "a.m.").
    End,
    /// An abbreviation only before a number ("No.", "p.").
    Number,
}

/// The entries that share a lowercased key: one for any case, and spellings
/// with capitals that only match exactly ("sec." and "Sec.").
#[derive(Clone, Debug, Default)]
struct Entry {
    any_case: Option<Kind>,
    exact: Vec<(Box<[u8]>, Kind)>,
}

/// Abbreviations keyed by their ASCII-lowercased bytes without the final period.
#[derive(Clone, Default)]
struct Abbreviations {
    entries: FxHashMap<Box<[u8]>, Entry>,
}

impl std::fmt::Debug for Abbreviations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Abbreviations")
            .field("len", &self.entries.len())
            .finish()
    }
}

impl Abbreviations {
    /// Adds the entries of an abbreviation file; `name` is used in errors.
    fn parse_into(&mut self, source: &str, name: &str) -> Result<()> {
        for (index, raw) in source.lines().enumerate() {
            let line = strip_comment(raw);
            let mut fields = line.split_whitespace();
            let Some(word) = fields.next() else { continue };
            let error = |message: String| Error::Lexicon {
                path: name.into(),
                line: index + 1,
                message,
            };
            let kind = match fields.next() {
                None => Kind::Title,
                Some("end") => Kind::End,
                Some("num") => Kind::Number,
                Some(tag) => {
                    return Err(error(format!(
                        "unknown tag {tag:?} (expected \"end\" or \"num\")"
                    )))
                }
            };
            if let Some(extra) = fields.next() {
                return Err(error(format!("unexpected {extra:?} after the tag")));
            }
            let Some(stem) = word.strip_suffix('.') else {
                return Err(error(format!(
                    "abbreviation {word:?} does not end with a period"
                )));
            };
            if stem.is_empty() || stem.ends_with('.') {
                return Err(error(format!(
                    "abbreviation {word:?} needs a letter before its final period"
                )));
            }
            if stem.len() > MAX_ABBREVIATION_BYTES {
                return Err(error(format!(
                    "abbreviation {word:?} is longer than {MAX_ABBREVIATION_BYTES} bytes"
                )));
            }
            if let Some(c) = stem
                .chars()
                .find(|c| OPENERS.contains(c) || is_closer_char(*c))
            {
                return Err(error(format!(
                    "abbreviation {word:?} contains {c:?}, which can never match"
                )));
            }
            let key: Box<[u8]> = stem.bytes().map(|b| b.to_ascii_lowercase()).collect();
            let entry = self.entries.entry(key).or_default();
            if stem.chars().any(char::is_uppercase) {
                entry
                    .exact
                    .retain(|(spelling, _)| **spelling != *stem.as_bytes());
                entry.exact.push((stem.as_bytes().into(), kind));
            } else {
                entry.any_case = Some(kind);
            }
        }
        Ok(())
    }

    /// The kind of `word` (without its final period), if it is an abbreviation.
    fn get(&self, word: &[u8]) -> Option<Kind> {
        if word.is_empty() || word.len() > MAX_ABBREVIATION_BYTES {
            return None;
        }
        let mut key = [0u8; MAX_ABBREVIATION_BYTES];
        for (k, b) in key.iter_mut().zip(word) {
            *k = b.to_ascii_lowercase();
        }
        let entry = self.entries.get(&key[..word.len()])?;
        let exact = entry.exact.iter().find(|(spelling, _)| **spelling == *word);
        exact.map(|&(_, kind)| kind).or(entry.any_case)
    }
}

/// The line without a `#` comment (at the start or after whitespace).
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

fn starts_uppercase(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn is_closer_char(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}') || CLOSERS.iter().any(|s| s.starts_with(c))
}

/// An abbreviation-aware sentence splitter.
///
/// Cheap to clone and share between threads: the abbreviation table sits
/// behind an [`Arc`], and the built-in English table is parsed once per process.
#[derive(Clone, Debug)]
pub struct Segmenter {
    abbreviations: Arc<Abbreviations>,
}

impl Default for Segmenter {
    fn default() -> Segmenter {
        Segmenter::new()
    }
}

impl Segmenter {
    /// The English splitter with the embedded abbreviation list.
    pub fn new() -> Segmenter {
        static ENGLISH: OnceLock<Arc<Abbreviations>> = OnceLock::new();
        let abbreviations = ENGLISH.get_or_init(|| {
            let mut table = Abbreviations::default();
            table
                .parse_into(EN_ABBREVIATIONS, "<embedded abbreviations/en.txt>")
                .expect("the embedded abbreviation list is valid (checked by a unit test)");
            Arc::new(table)
        });
        Segmenter {
            abbreviations: Arc::clone(abbreviations),
        }
    }

    /// A splitter that knows only the abbreviations in `source`, an abbreviation
    /// list in the format of `lexicons/abbreviations/README.md`. `name` (a path
    /// or a label) appears in errors.
    pub fn from_abbreviations(source: &str, name: &str) -> Result<Segmenter> {
        let mut table = Abbreviations::default();
        table.parse_into(source, name)?;
        Ok(Segmenter {
            abbreviations: Arc::new(table),
        })
    }

    /// This splitter with the abbreviations of `source` added; an entry in
    /// `source` replaces a built-in one with the same spelling.
    pub fn with_extra_abbreviations(&self, source: &str, name: &str) -> Result<Segmenter> {
        let mut table = Abbreviations::clone(&self.abbreviations);
        table.parse_into(source, name)?;
        Ok(Segmenter {
            abbreviations: Arc::new(table),
        })
    }

    /// Splits `text` into sentences, appending their spans to `out`.
    pub fn split_into(&self, text: &str, out: &mut Vec<Span>) {
        Scan::new(text, &self.abbreviations, out).run();
    }

    /// Splits `text` into sentences.
    pub fn split(&self, text: &str) -> Vec<Span> {
        // News sentences average about 120 bytes: sized for that, the list
        // is rarely regrown.
        let mut out = Vec::with_capacity(text.len() / 96 + 4);
        self.split_into(text, &mut out);
        out
    }
}

const NONE: usize = usize::MAX;

/// Whether the scan stops at byte `b`: `.`, `!`, `?`, a line break (`\n`,
/// `\r`, and 0xC2, which leads NEL), or the lead byte of a non-ASCII stop,
/// bullet or line separator (0xE2, 0xE3 and 0xEF for general punctuation and
/// CJK stops, 0xD6, 0xD8 and 0xDB for Armenian and Arabic, 0xE0 and 0xE1
/// for Indic, Ethiopic, Myanmar and Khmer).
fn is_candidate(b: u8) -> bool {
    matches!(
        b,
        b'.' | b'!' | b'?' | b'\n' | b'\r' | 0xC2 | 0xD6 | 0xD8 | 0xDB | 0xE0..=0xE3 | 0xEF
    )
}

/// The candidate bytes of `bytes` (see [`is_candidate`]): bit `k % 64` of
/// word `k / 64` is byte `k`. One pass over the text instead of a `memchr`
/// call from each candidate to the next (about 260 instructions each on
/// news, whose candidates are some 75 bytes apart).
fn candidates(bytes: &[u8]) -> Vec<u64> {
    let mut bits = vec![0u64; bytes.len().div_ceil(64)];
    let mut blocks = bytes.chunks_exact(64);
    let each = candidates64_fn();
    for (word, block) in bits.iter_mut().zip(blocks.by_ref()) {
        *word = each(block.try_into().expect("64 bytes"));
    }
    let tail = blocks.remainder();
    let at = bytes.len() - tail.len();
    for (i, &b) in tail.iter().enumerate() {
        if is_candidate(b) {
            bits[(at + i) / 64] |= 1 << ((at + i) % 64);
        }
    }
    bits
}

/// The function that marks the candidates of 64 bytes on this processor.
fn candidates64_fn() -> fn(&[u8; 64]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        return |block| {
            // SAFETY: the processor has AVX2, checked above.
            unsafe { candidates64_avx2(block) }
        };
    }
    |block| {
        (0..4).fold(0, |m, q| {
            let part: &[u8; 16] = block[16 * q..16 * q + 16].try_into().expect("16 bytes");
            m | (candidates16(part) as u64) << (16 * q)
        })
    }
}

/// The candidates of 64 bytes, 32 at a time, by nibble lookup: the high
/// nibble of a byte picks a group bit, the low nibble the groups it
/// completes, and a byte is a candidate when the two share a bit.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn candidates64_avx2(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::*;
    // Groups by high nibble: 0x0 (`\n` 0A, `\r` 0D), 0x2 (`!` 21, `.` 2E),
    // 0x3 (`?` 3F), 0xC (C2), 0xD (D6, D8, DB), 0xE (E0-E3, EF).
    const HIGH: [u8; 16] = [1, 0, 2, 4, 0, 0, 0, 0, 0, 0, 0, 0, 8, 16, 32, 0];
    const LOW: [u8; 16] = [
        32,     // x0: E0
        2 | 32, // x1: 21, E1
        8 | 32, // x2: C2, E2
        32,     // x3: E3
        0,
        0,      // x4, x5
        16,     // x6: D6
        0,      // x7
        16,     // x8: D8
        0,      // x9
        1,      // xA: 0A
        16,     // xB: DB
        0,      // xC
        1,      // xD: 0D
        2,      // xE: 2E
        4 | 32, // xF: 3F, EF
    ];
    let table = |t: &[u8; 16]| {
        // SAFETY: reads the 16 bytes of `t`; AVX2 is enabled here.
        let half = unsafe { _mm_loadu_si128(t.as_ptr().cast()) };
        _mm256_broadcastsi128_si256(half)
    };
    let (high, low) = (table(&HIGH), table(&LOW));
    let nibble = _mm256_set1_epi8(0x0F);
    let half = |at: usize| {
        // SAFETY: reads 32 bytes inside `block`.
        let v = unsafe { _mm256_loadu_si256(block.as_ptr().add(at).cast()) };
        let lo = _mm256_and_si256(v, nibble);
        let hi = _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble);
        let both = _mm256_and_si256(_mm256_shuffle_epi8(low, lo), _mm256_shuffle_epi8(high, hi));
        let none = _mm256_cmpeq_epi8(both, _mm256_setzero_si256());
        !(_mm256_movemask_epi8(none) as u32) as u64
    };
    half(0) | half(32) << 32
}

/// The candidate bytes of 16 bytes, a bit each.
#[cfg(target_arch = "x86_64")]
fn candidates16(block: &[u8; 16]) -> u16 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of x86_64; the load reads the 16 bytes of
    // `block` (unaligned loads are allowed).
    unsafe {
        let v = _mm_loadu_si128(block.as_ptr().cast());
        let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let ascii = _mm_or_si128(
            _mm_or_si128(
                _mm_or_si128(eq(b'.'), eq(b'!')),
                _mm_or_si128(eq(b'?'), eq(b'\n')),
            ),
            eq(b'\r'),
        );
        let leads = _mm_or_si128(
            _mm_or_si128(
                _mm_or_si128(eq(0xC2), eq(0xD6)),
                _mm_or_si128(eq(0xD8), eq(0xDB)),
            ),
            eq(0xEF),
        );
        // 0xE0..=0xE3: the top six bits are 111000.
        let e0_e3 = _mm_cmpeq_epi8(
            _mm_and_si128(v, _mm_set1_epi8(0xFCu8 as i8)),
            _mm_set1_epi8(0xE0u8 as i8),
        );
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ascii, leads), e0_e3)) as u16
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn candidates16(block: &[u8; 16]) -> u16 {
    block
        .iter()
        .enumerate()
        .fold(0, |m, (i, &b)| m | u16::from(is_candidate(b)) << i)
}

/// The first candidate at or after `from` in `bits` (from [`candidates`]),
/// or `NONE`.
fn next_candidate(bits: &[u64], from: usize) -> usize {
    let mut k = from / 64;
    let Some(&first) = bits.get(k) else {
        return NONE;
    };
    let mut word = first & (!0u64 << (from % 64));
    loop {
        if word != 0 {
            return 64 * k + word.trailing_zeros() as usize;
        }
        k += 1;
        match bits.get(k) {
            Some(&w) => word = w,
            None => return NONE,
        }
    }
}

/// What a run of stop characters is made of.
#[derive(Clone, Copy, Debug, Default)]
struct Run {
    /// Periods, counting `…` as three.
    dots: usize,
    /// Any `!`, `?` or their combined forms.
    strong: bool,
    /// Periods that stand alone between spaces (`. . .`).
    spaced: usize,
}

/// A list marker at the start of a sentence: `1.`, `2)`, `3.)`, `a.`, `b)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Marker {
    /// The number, or the letter as a byte.
    value: u32,
    letter: bool,
    /// The bytes after the value: `.`, `)` or `.)`.
    delimiter: &'static [u8],
}

/// The state of one pass over one text.
struct Scan<'a> {
    text: &'a str,
    bytes: &'a [u8],
    abbreviations: &'a Abbreviations,
    out: &'a mut Vec<Span>,
    /// First byte of the current sentence (never whitespace), or `len`.
    start: usize,
    /// Stops before this byte belong to a list marker.
    skip_until: usize,
    /// Where the next marker of the current inline list starts, or `NONE`.
    list_next: usize,
    /// `"` counted in the sentence starting at `.0`, over `[.0, .1)`: `.2`.
    quotes: (usize, usize, usize),
}

impl<'a> Scan<'a> {
    fn new(text: &'a str, abbreviations: &'a Abbreviations, out: &'a mut Vec<Span>) -> Self {
        Scan {
            text,
            bytes: text.as_bytes(),
            abbreviations,
            out,
            start: 0,
            skip_until: 0,
            list_next: NONE,
            quotes: (NONE, 0, 0),
        }
    }

    fn run(mut self) {
        let len = self.bytes.len();
        let (first, _) = self.skip_ws(0);
        self.start = first;
        if first < len {
            self.sentence_started(first);
        }
        let mut pos = first;
        let bits = candidates(self.bytes);
        loop {
            if self.list_next < pos {
                self.list_next = NONE;
            }
            let p = next_candidate(&bits, pos).min(self.list_next);
            if p == NONE {
                break;
            }
            let resume = if p == self.list_next {
                self.on_list_marker(p)
            } else {
                self.on_byte(p)
            };
            pos = resume.max(p + 1);
        }
        let end = self.trim_end(self.start, len);
        if end > self.start {
            self.out.push(Span {
                start: self.start,
                end,
            });
        }
    }

    /// Handles the candidate byte at `p`; returns where scanning resumes.
    fn on_byte(&mut self, p: usize) -> usize {
        match self.bytes[p] {
            b'.' | b'!' | b'?' => self.on_stop(p),
            b'\n' | b'\r' => self.on_line_break(p),
            0xC2 if self.bytes.get(p + 1) == Some(&0x85) => self.on_line_break(p),
            _ => {
                let c = self.char_at(p);
                let width = c.len_utf8();
                match c {
                    '\u{2026}' | '\u{203C}' | '\u{2047}' | '\u{2048}' | '\u{2049}' => {
                        self.on_stop(p)
                    }
                    '\u{2028}' | '\u{2029}' => self.on_line_break(p),
                    c if is_bullet(c) => self.on_bullet(p, width),
                    c if is_script_stop(c) => self.on_script_stop(p, width),
                    _ => p + width,
                }
            }
        }
    }

    /// A Latin stop (`.`, `!`, `?`, `…` and runs of them) at `p`.
    fn on_stop(&mut self, p: usize) -> usize {
        if p < self.skip_until {
            return p + 1;
        }
        let (run_end, run) = self.extend_run(p);
        let b = self.bytes;
        // "[...]" and "[…]" mark an omission inside a quotation.
        if !run.strong && p > 0 && b[p - 1] == b'[' && b.get(run_end) == Some(&b']') {
            return run_end;
        }
        let mut after = self.skip_closers(run_end);
        let (mut next, mut breaks) = self.skip_ws(after);
        // `world. " England's`: a closing quote set off by a space.
        if breaks == 0 && next > after && self.detached_quote_at(next) {
            after = next + self.char_at(next).len_utf8();
            (next, breaks) = self.skip_ws(after);
        }
        // "compounds. . . . The": the period ends the sentence, the ellipsis opens the next.
        let period_then_ellipsis = b[p] == b'.'
            && run.spaced > 0
            && b.get(p + 1) == Some(&b' ')
            && p > self.start
            && !is_ascii_ws(b[p - 1]);
        let split = if breaks >= 2 {
            true
        } else if p == self.start {
            false
        } else {
            self.decide(p, run_end, after, next, breaks, run)
        };
        if !split {
            return next;
        }
        if period_then_ellipsis && breaks < 2 && next < b.len() {
            self.boundary(p + 1, p + 2);
            return p + 2;
        }
        // `carpet."It's unlike...`: with no quote open, a glued quote opens the next sentence.
        if after == next && next < b.len() && b[run_end] == b'"' && self.quotes_before(p) % 2 == 0 {
            self.boundary(run_end, run_end);
            return run_end;
        }
        self.boundary(after, next);
        next
    }

    /// The number of `"` in the current sentence before `p`. Counted
    /// incrementally, so a long sentence is never counted twice.
    fn quotes_before(&mut self, p: usize) -> usize {
        if self.quotes.0 != self.start {
            self.quotes = (self.start, self.start, 0);
        }
        let (_, counted_to, count) = &mut self.quotes;
        if p > *counted_to {
            *count += memchr::memchr_iter(b'"', &self.bytes[*counted_to..p]).count();
            *counted_to = p;
        }
        *count
    }

    /// Extends a run of stops starting at `p`: `?!`, `...`, `. . .`, `…`.
    fn extend_run(&self, p: usize) -> (usize, Run) {
        let b = self.bytes;
        let mut run = Run::default();
        let mut i = p;
        loop {
            match b.get(i) {
                Some(b'.') => {
                    run.dots += 1;
                    i += 1;
                }
                Some(b'!' | b'?') => {
                    run.strong = true;
                    i += 1;
                }
                Some(0xE2) => match (b.get(i + 1), b.get(i + 2)) {
                    (Some(0x80), Some(0xA6)) => {
                        run.dots += 3;
                        i += 3;
                    }
                    (Some(0x80), Some(0xBC)) | (Some(0x81), Some(0x87..=0x89)) => {
                        run.strong = true;
                        i += 3;
                    }
                    _ => break,
                },
                Some(b' ')
                    if run.dots > 0
                        && b.get(i + 1) == Some(&b'.')
                        && matches!(
                            b.get(i + 2),
                            None | Some(
                                b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b')' | b']' | 0xE2
                            )
                        ) =>
                {
                    run.dots += 1;
                    run.spaced += 1;
                    i += 2;
                }
                _ => break,
            }
        }
        (i, run)
    }

    /// Whether the run of stops `[p, run_end)`, followed by closers up to
    /// `after` and whitespace up to `next` (with `breaks` line breaks in it),
    /// ends the sentence.
    fn decide(
        &self,
        p: usize,
        run_end: usize,
        after: usize,
        next: usize,
        breaks: usize,
        run: Run,
    ) -> bool {
        let b = self.bytes;
        if next >= b.len() {
            return true;
        }
        if after == next {
            return self.glued_split(p, after);
        }
        if breaks == 1 && (self.list_marker_at(next).is_some() || self.bullet_at(next)) {
            return true;
        }
        let (word, c) = self.word_after(next);
        if c.is_lowercase() {
            return false;
        }
        if run.strong {
            return true;
        }
        if run.dots >= 2 {
            // A spaced three-dot ellipsis marks an omission inside a sentence.
            let glued = p > 0 && !is_ascii_ws(b[p - 1]);
            return !(run.spaced > 0 && run.dots == 3 && !glued);
        }
        if after > run_end {
            return true;
        }
        self.period_splits(p, word, c, breaks)
    }

    /// The single period at `p`, followed by whitespace and then `c` (not
    /// lowercase) starting the word at `word`.
    fn period_splits(&self, p: usize, word: usize, c: char, breaks: usize) -> bool {
        let Some(t) = self.token_start(p) else {
            return true;
        };
        if t == p {
            return true;
        }
        let token = &self.bytes[t..p];
        let digit = c.is_ascii_digit();
        match self.abbreviations.get(token) {
            Some(Kind::Title) => false,
            // "p." before a number is "page"; a capital "P." before a name is
            // a middle initial ("Laura P. Chen").
            Some(Kind::Number) if !digit && is_initial(token) => self.initial_splits(t, word),
            Some(Kind::Number) => !digit,
            Some(Kind::End) => !digit && self.end_abbreviation_splits(t, word, breaks),
            None if is_initialism(token) => !digit && self.end_abbreviation_splits(t, word, breaks),
            None if is_initial(token) => self.initial_splits(t, word),
            None => true,
        }
    }

    /// An abbreviation that can end a sentence (token at `t`) does so before a
    /// line break or a usual sentence opener, unless the sentence so far is an
    /// introductory phrase ("At 5 a.m. Mr. Smith went...").
    fn end_abbreviation_splits(&self, t: usize, word: usize, breaks: usize) -> bool {
        if breaks == 1 {
            return true;
        }
        is_opener(self.ascii_word(word)) && !self.is_opening_phrase(t)
    }

    /// A single capital and a period at `t`: a middle initial between
    /// capitalised words ("John F. Kennedy"), a word of its own after a
    /// lowercase one ("you and I. Did...").
    fn initial_splits(&self, t: usize, word: usize) -> bool {
        let next = self.ascii_word(word);
        if next.len() == 1 && self.bytes.get(word + 1) == Some(&b'.') {
            // Another initial: "J. R. Hartley".
            return false;
        }
        if is_opener(next) {
            return true;
        }
        if t <= self.start {
            return false;
        }
        let b = self.bytes;
        let mut end = t;
        while end > self.start && end + 8 > t && b[end - 1] == b' ' {
            end -= 1;
        }
        if end == t || end == self.start {
            return false;
        }
        match self.token_start(end) {
            Some(s) if s < end => !starts_uppercase(&self.text[s..end]),
            _ => false,
        }
    }

    /// Whether `[start, t)` is a short phrase that opens with a preposition.
    fn is_opening_phrase(&self, t: usize) -> bool {
        let Some(head) = self.bytes.get(self.start..t) else {
            return false;
        };
        if head.len() > 24 {
            return false;
        }
        let mut words = head.split(|&b| is_ascii_ws(b)).filter(|w| !w.is_empty());
        let Some(first) = words.next() else {
            return false;
        };
        words.count() <= 1
            && PHRASE_OPENERS
                .iter()
                .any(|opener| opener.eq_ignore_ascii_case(first))
    }

    /// A stop directly followed by a non-space character at `after` splits only
    /// in the shape scrapers leave behind ("time.She said", `warm."It`): two
    /// lowercase letters before, a capital and a lowercase letter after, and no
    /// sign of an e-mail address, a dotted name ("Halo.Bungie.Org") or an
    /// abbreviation.
    fn glued_split(&self, p: usize, after: usize) -> bool {
        let b = self.bytes;
        let upper = b.get(after).is_some_and(u8::is_ascii_uppercase);
        let lower = b.get(after + 1).is_some_and(u8::is_ascii_lowercase);
        if !upper
            || !lower
            || p < 2
            || !b[p - 1].is_ascii_lowercase()
            || !b[p - 2].is_ascii_lowercase()
        {
            return false;
        }
        let mut j = after;
        while j < b.len() && j - after < 32 && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        match b.get(j) {
            Some(b'@' | b'/') => return false,
            Some(b'.') if b.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) => return false,
            _ => {}
        }
        let Some(t) = self.token_start(p) else {
            return false;
        };
        let token = &b[t..p];
        if token
            .iter()
            .any(|&x| matches!(x, b'@' | b'/' | b':' | b'.'))
            || token.len() >= 3 && token[..3].eq_ignore_ascii_case(b"www")
        {
            return false;
        }
        self.abbreviations.get(token).is_none()
    }

    /// A line break at `p` that no stop has consumed: the line before it has
    /// no final punctuation (a headline, a byline, hard-wrapped prose).
    fn on_line_break(&mut self, p: usize) -> usize {
        let (next, breaks) = self.skip_ws(p);
        if next >= self.bytes.len() || p <= self.start {
            return next;
        }
        let split = if breaks >= 2 || self.list_marker_at(next).is_some() || self.bullet_at(next) {
            true
        } else if self.char_at(next).is_lowercase() {
            false
        } else {
            !self.line_continues(self.trim_end(self.start, p))
        };
        if split {
            self.boundary(p, next);
        }
        next
    }

    /// Whether a line ending at `end` (no final stop) clearly goes on: it ends
    /// with a comma, a dash or a word that cannot end a headline ("talks
    /// with", "the leaders of").
    fn line_continues(&self, end: usize) -> bool {
        let b = self.bytes;
        match b[end - 1] {
            b',' | b';' | b'&' => return true,
            // A dateline dash or a hyphen, not a rule of dashes.
            b'-' => return end < 2 || b[end - 2] != b'-',
            _ => {}
        }
        match self.token_start(end) {
            Some(t) => LINKING_WORDS.contains(&&self.bytes[t..end]),
            None => false,
        }
    }

    /// A bullet at `p` preceded by whitespace starts a new unit.
    fn on_bullet(&mut self, p: usize, width: usize) -> usize {
        if p < self.skip_until || p <= self.start {
            return p + width;
        }
        if self.prev_char(p).is_some_and(char::is_whitespace) {
            self.boundary(p, p);
        }
        p + width
    }

    /// A stop of another script (`。`, `？`, `।`, `؟`, ...) at `p`: these end a
    /// sentence wherever they occur, together with closing quotes after them.
    fn on_script_stop(&mut self, p: usize, width: usize) -> usize {
        if p < self.skip_until || p <= self.start {
            return p + width;
        }
        let mut i = p + width;
        loop {
            if matches!(self.bytes.get(i), Some(b'!' | b'?')) {
                i += 1;
                continue;
            }
            match self.text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) if is_script_stop(c) => i += c.len_utf8(),
                _ => {
                    let closed = self.skip_closers(i);
                    if closed == i {
                        break;
                    }
                    i = closed;
                }
            }
        }
        let (next, _) = self.skip_ws(i);
        self.boundary(i, next);
        next
    }

    /// The next marker of an inline list reached at `m`.
    fn on_list_marker(&mut self, m: usize) -> usize {
        self.list_next = NONE;
        if m > self.start {
            self.boundary(m, m);
        }
        m
    }

    /// Ends the current sentence at `end` (trimmed) and starts the next one at
    /// `next`, the first non-whitespace byte after it (or `len`).
    fn boundary(&mut self, end: usize, next: usize) {
        let end = self.trim_end(self.start, end);
        if end > self.start {
            self.out.push(Span {
                start: self.start,
                end,
            });
        }
        self.start = next;
        if next < self.bytes.len() {
            self.sentence_started(next);
        }
    }

    /// A sentence that opens with a list marker: its stop is not a sentence
    /// end, and the next marker of the list on this line starts a new unit.
    fn sentence_started(&mut self, s: usize) {
        let mut m = s;
        let bulleted = self.bullet_at(s);
        if bulleted {
            m += self.char_at(s).len_utf8();
            while matches!(self.bytes.get(m), Some(b' ' | b'\t')) {
                m += 1;
            }
        }
        if let Some((end, marker)) = self.list_marker_at(m) {
            self.skip_until = end;
            if !bulleted {
                if let Some(found) = self.find_next_marker(end, marker) {
                    self.list_next = found;
                }
            }
        }
    }

    /// A list marker at `m` followed by whitespace: its end and its value.
    fn list_marker_at(&self, m: usize) -> Option<(usize, Marker)> {
        let b = self.bytes;
        let mut i = m;
        while i < b.len() && i - m < 3 && b[i].is_ascii_digit() {
            i += 1;
        }
        let (value, letter) = match i - m {
            0 if b.get(m).is_some_and(u8::is_ascii_lowercase) => {
                i += 1;
                (u32::from(b[m]), true)
            }
            1 | 2 => (
                b[m..i].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')),
                false,
            ),
            _ => return None,
        };
        let delimiter: &'static [u8] = match (b.get(i), b.get(i + 1)) {
            (Some(b'.'), Some(b')')) if !letter => b".)",
            (Some(b'.'), _) => b".",
            (Some(b')'), _) => b")",
            _ => return None,
        };
        let end = i + delimiter.len();
        if !matches!(b.get(end), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            return None;
        }
        Some((
            end,
            Marker {
                value,
                letter,
                delimiter,
            },
        ))
    }

    /// The next marker of the list that `marker` belongs to, on the same line
    /// and within [`LIST_LOOKAHEAD`] bytes, followed by a word not in lowercase.
    fn find_next_marker(&self, from: usize, marker: Marker) -> Option<usize> {
        let b = self.bytes;
        let value = marker.value + 1;
        if marker.letter && value > u32::from(b'z') {
            return None;
        }
        let mut needle = [0u8; 8];
        needle[0] = b' ';
        let mut n = 1;
        if marker.letter {
            needle[1] = value as u8;
            n = 2;
        } else {
            for d in value.to_string().bytes() {
                needle[n] = d;
                n += 1;
            }
        }
        needle[n..n + marker.delimiter.len()].copy_from_slice(marker.delimiter);
        n += marker.delimiter.len();
        let window = &b[from..b.len().min(from + LIST_LOOKAHEAD)];
        let window = &window[..memchr2(b'\n', b'\r', window).unwrap_or(window.len())];
        memchr::memmem::find_iter(window, &needle[..n])
            .map(|k| from + k + 1)
            .find(|&m| match self.list_marker_at(m) {
                Some((end, found)) if found == Marker { value, ..marker } => {
                    let (next, _) = self.skip_ws(end);
                    !b.get(next).is_some_and(u8::is_ascii_lowercase)
                }
                _ => false,
            })
    }

    /// Start of the word that ends at `p` (a stop), bounded by the sentence
    /// start; `None` when it is longer than [`MAX_ABBREVIATION_BYTES`].
    fn token_start(&self, p: usize) -> Option<usize> {
        let b = self.bytes;
        let floor = self.start.max(p.saturating_sub(MAX_ABBREVIATION_BYTES + 1));
        let mut i = p;
        while i > floor
            && !is_ascii_ws(b[i - 1])
            && !matches!(b[i - 1], b'(' | b'[' | b'{' | b'"' | b'\'')
        {
            i -= 1;
        }
        if i == floor && floor > self.start {
            return None;
        }
        if b[i..p].is_ascii() {
            return Some(i);
        }
        // Non-ASCII whitespace or opening quotes also end the word.
        let word = &self.text[i..p];
        let cut = word
            .char_indices()
            .rev()
            .find(|&(_, c)| c.is_whitespace() || OPENERS.contains(&c))
            .map_or(0, |(k, c)| k + c.len_utf8());
        Some(i + cut)
    }

    /// The first non-opener character at `next` (a non-whitespace byte), and
    /// the byte where it starts.
    fn word_after(&self, next: usize) -> (usize, char) {
        let mut i = next;
        let mut c = self.char_at(i);
        while OPENERS.contains(&c) {
            match self
                .text
                .get(i + c.len_utf8()..)
                .and_then(|rest| rest.chars().next())
            {
                Some(d) => {
                    i += c.len_utf8();
                    c = d;
                }
                None => break,
            }
        }
        (i, c)
    }

    /// The ASCII letters starting at `i` (at most 16).
    fn ascii_word(&self, i: usize) -> &[u8] {
        let b = self.bytes;
        let mut j = i;
        while j < b.len() && j - i < 16 && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        &b[i..j]
    }

    /// A double quote standing alone between whitespace at `i`.
    fn detached_quote_at(&self, i: usize) -> bool {
        let width = match self.bytes.get(i..) {
            Some([b'"', ..]) => 1,
            Some([0xE2, 0x80, 0x9D, ..]) => 3,
            _ => return false,
        };
        self.bytes.get(i + width).is_none_or(|&b| is_ascii_ws(b))
    }

    /// Past closing quotes and brackets starting at `i`.
    fn skip_closers(&self, mut i: usize) -> usize {
        let b = self.bytes;
        while let Some(&x) = b.get(i) {
            if matches!(x, b'"' | b'\'' | b')' | b']' | b'}') {
                i += 1;
            } else if x >= 0x80 {
                match CLOSERS.iter().find(|c| b[i..].starts_with(c.as_bytes())) {
                    Some(c) => i += c.len(),
                    None => break,
                }
            } else {
                break;
            }
        }
        i
    }

    /// Past the whitespace starting at `i`, counting line breaks (CRLF counts
    /// once, U+2029 PARAGRAPH SEPARATOR twice).
    fn skip_ws(&self, mut i: usize) -> (usize, usize) {
        let b = self.bytes;
        let mut breaks = 0;
        while let Some(&x) = b.get(i) {
            match x {
                b' ' | b'\t' | 0x0B | 0x0C => i += 1,
                b'\n' => {
                    if i == 0 || b[i - 1] != b'\r' {
                        breaks += 1;
                    }
                    i += 1;
                }
                b'\r' => {
                    breaks += 1;
                    i += 1;
                }
                0x80.. => {
                    let c = self.char_at(i);
                    if !c.is_whitespace() {
                        break;
                    }
                    breaks += match c {
                        '\u{2029}' => 2,
                        '\u{2028}' | '\u{85}' => 1,
                        _ => 0,
                    };
                    i += c.len_utf8();
                }
                _ => break,
            }
        }
        (i, breaks)
    }

    /// `end` moved back over whitespace, not below `floor`.
    fn trim_end(&self, floor: usize, mut end: usize) -> usize {
        while end > floor {
            let last = self.bytes[end - 1];
            if last < 0x80 {
                if !is_ascii_ws(last) {
                    break;
                }
                end -= 1;
            } else {
                match self.prev_char(end) {
                    Some(c) if c.is_whitespace() => end -= c.len_utf8(),
                    _ => break,
                }
            }
        }
        end
    }

    /// The character starting at byte `i` (a char boundary inside the text).
    fn char_at(&self, i: usize) -> char {
        self.text[i..].chars().next().unwrap_or('\0')
    }

    /// The character ending at byte `i`.
    fn prev_char(&self, i: usize) -> Option<char> {
        self.text[..i].chars().next_back()
    }

    fn bullet_at(&self, i: usize) -> bool {
        self.bytes.get(i).is_some_and(|&b| b >= 0xE2) && is_bullet(self.char_at(i))
    }
}

/// ASCII bytes with the Unicode White_Space property.
fn is_ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

fn is_bullet(c: char) -> bool {
    matches!(
        c,
        '\u{2022}'
            | '\u{2023}'
            | '\u{2043}'
            | '\u{25E6}'
            | '\u{25AA}'
            | '\u{25CF}'
            | '\u{25A0}'
            | '\u{25BA}'
            | '\u{25B6}'
    )
}

/// Stops of other scripts: CJK, Armenian, Arabic, Urdu, Devanagari, Ethiopic,
/// Myanmar, Khmer.
fn is_script_stop(c: char) -> bool {
    matches!(
        c,
        '\u{3002}'
            | '\u{FF61}'
            | '\u{FF01}'
            | '\u{FF1F}'
            | '\u{0589}'
            | '\u{061F}'
            | '\u{06D4}'
            | '\u{0964}'
            | '\u{0965}'
            | '\u{1362}'
            | '\u{1367}'
            | '\u{1368}'
            | '\u{104A}'
            | '\u{104B}'
            | '\u{17D4}'
            | '\u{17D5}'
    )
}

fn is_opener(word: &[u8]) -> bool {
    SENTENCE_OPENERS.contains(&word)
}

/// Single letters joined by periods: "U.S", "a.m", "N.A.T.O".
fn is_initialism(token: &[u8]) -> bool {
    token.len() >= 3
        && token.len() % 2 == 1
        && token.iter().enumerate().all(|(i, b)| {
            if i % 2 == 0 {
                b.is_ascii_alphabetic()
            } else {
                *b == b'.'
            }
        })
}

/// A single capital letter.
fn is_initial(token: &[u8]) -> bool {
    token.len() == 1 && token[0].is_ascii_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_masks_mark_exactly_the_candidate_bytes() {
        // Every byte value at every position of a block, over lengths that
        // end inside and between blocks.
        let all: Vec<u8> = (0..=255u8).chain(0..=255u8).rev().collect();
        for len in (0..all.len()).step_by(7).chain([63, 64, 65, 127, 128, 129]) {
            let bytes = &all[..len];
            let bits = candidates(bytes);
            assert_eq!(bits.len(), len.div_ceil(64));
            for (k, &b) in bytes.iter().enumerate() {
                let marked = bits[k / 64] >> (k % 64) & 1 == 1;
                assert_eq!(marked, is_candidate(b), "byte {b:#04x} at {k} of {len}");
            }
            // The scan from every position finds the next candidate.
            let mut want = NONE;
            for from in (0..=len).rev() {
                if from < len && is_candidate(bytes[from]) {
                    want = from;
                }
                assert_eq!(next_candidate(&bits, from), want, "from {from} of {len}");
            }
        }
        // The portable 16-byte form agrees with whichever form this
        // processor uses.
        for block in all.chunks_exact(64) {
            let block: &[u8; 64] = block.try_into().unwrap();
            let portable = (0..4).fold(0u64, |m, q| {
                let part: &[u8; 16] = block[16 * q..16 * q + 16].try_into().unwrap();
                m | (candidates16(part) as u64) << (16 * q)
            });
            assert_eq!(candidates64_fn()(block), portable);
        }
    }

    fn sentences(text: &str) -> Vec<&str> {
        Segmenter::new()
            .split(text)
            .iter()
            .map(|s| s.slice(text))
            .collect()
    }

    #[test]
    fn embedded_list_parses() {
        let table = Segmenter::new().abbreviations;
        assert_eq!(table.get(b"U.S"), Some(Kind::End));
        assert_eq!(table.get(b"Mr"), Some(Kind::Title));
        assert_eq!(table.get(b"MR"), None);
        assert_eq!(table.get(b"No"), Some(Kind::Number));
        assert_eq!(table.get(b"gen"), None);
        assert_eq!(table.get(b"GEN"), None);
        assert_eq!(table.get(b"FT"), None);
        assert_eq!(table.get(b"Ft"), Some(Kind::Title));
        assert_eq!(table.get(b"sec"), Some(Kind::Number));
        assert_eq!(table.get(b"SEC"), Some(Kind::Number));
        assert_eq!(table.get(b"Sec"), Some(Kind::Title));
    }

    #[test]
    fn bad_lines_name_the_line() {
        let err = Segmenter::from_abbreviations("Mr.\n# ok\nDr\n", "t.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.txt:3: abbreviation \"Dr\" does not end with a period"
        );
        let err = Segmenter::from_abbreviations("U.S. ending\n", "t.txt").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t.txt:1: unknown tag \"ending\""),
            "{err}"
        );
        let err = Segmenter::new()
            .with_extra_abbreviations("Abc. end x\n", "x")
            .unwrap_err();
        assert_eq!(err.to_string(), "x:1: unexpected \"x\" after the tag");
        assert!(Segmenter::from_abbreviations(".\n", "t").is_err());
        assert!(Segmenter::from_abbreviations("(a.\n", "t").is_err());
    }

    #[test]
    fn extra_abbreviations_apply() {
        let text = "He met Insp. Morse. Then he left.";
        assert_eq!(sentences(text), ["He met Insp. Morse.", "Then he left."]);
        let plain = Segmenter::from_abbreviations("Mr.\n", "t").unwrap();
        let spans = plain.split("He met Insp. Morse.");
        assert_eq!(spans.len(), 2);
        let extra = plain
            .with_extra_abbreviations("Insp. # inspector\n", "t")
            .unwrap();
        assert_eq!(
            extra.split("He met Insp. Morse."),
            [Span { start: 0, end: 19 }]
        );
    }

    #[test]
    fn segmenter_is_cheap_to_share() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Segmenter>();
        let a = Segmenter::new();
        let b = Segmenter::new();
        assert!(
            Arc::ptr_eq(&a.abbreviations, &b.abbreviations),
            "the English table is parsed once"
        );
    }

    #[test]
    fn empty_and_blank_texts() {
        assert!(sentences("").is_empty());
        assert!(sentences(" \n\t\u{3000}\r\n").is_empty());
        assert_eq!(sentences("  x  "), ["x"]);
        assert_eq!(sentences("."), ["."]);
    }
}
