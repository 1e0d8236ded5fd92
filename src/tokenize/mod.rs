//! Word tokens: Unicode words, lowercased, apostrophes normalised, stemmed,
//! interned to integer ids, with byte offsets into the original text.
//!
//! The hot path never allocates: a per-thread [`Tokenizer`] remembers every
//! surface form it has seen (case-sensitive, exactly as written) together with
//! its ids, so a repeated word costs one hash lookup and no lowercasing or
//! stemming.
//!
//! ```
//! use precis::tokenize::{Tokenizer, Vocabulary};
//!
//! let vocab = Vocabulary::english();
//! let mut tokenizer = Tokenizer::new(&vocab);
//! let mut tokens = Vec::new();
//! tokenizer.tokenize("Talks stalled; the talks’ mood", 0, &mut tokens);
//! assert_eq!(tokens.len(), 5);
//! assert_eq!(tokens[0].stem, tokens[3].stem); // "Talks" and "talks" share a stem
//! assert!(tokens[2].is_stop()); // "the"
//! ```

mod ascii;
mod id;
pub mod porter2;
mod stopwords;
mod table;

use std::borrow::Cow;
use std::ops::Range;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

use table::{Key, WordInfo, WordTable};

pub use id::{term_id, TermId};
pub use stopwords::StopWords;

/// One word of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First byte in the article.
    pub start: u32,
    /// One past the last byte in the article.
    pub end: u32,
    /// Id of the Snowball stem of the lowercased word.
    pub stem: TermId,
    /// What the vocabulary's [`Tagger`] said about the word (0 without one).
    pub tag: u32,
    flags: u8,
}

const FLAG_STOP: u8 = 1;
const FLAG_ALPHA: u8 = 2;
const FLAG_NT: u8 = 4;
const FLAG_CAPITAL: u8 = 8;

impl Token {
    /// Id of the lowercased, apostrophe-normalised word; `text` is what the
    /// token's positions refer to. Computed on each call: the tokenizer
    /// keeps only the stem id per word (see [`Tagger`] for a per-word
    /// result that is kept).
    pub fn surface(&self, text: &str) -> TermId {
        term_id(&Vocabulary::normalize(
            &text[self.start as usize..self.end as usize],
        ))
    }

    /// Whether the word is on the stopword list.
    pub fn is_stop(&self) -> bool {
        self.flags & FLAG_STOP != 0
    }

    /// Whether the word contains at least one letter (as opposed to "3.5").
    pub fn has_letter(&self) -> bool {
        self.flags & FLAG_ALPHA != 0
    }

    /// Whether the word is a negative contraction ("didn't", "won’t").
    pub fn is_negative_contraction(&self) -> bool {
        self.flags & FLAG_NT != 0
    }

    /// Whether the word starts with an uppercase letter as written.
    pub fn is_capitalized(&self) -> bool {
        self.flags & FLAG_CAPITAL != 0
    }

    /// Whether the token counts as content for summarization: a word with a
    /// letter that is not a stopword.
    pub fn is_content(&self) -> bool {
        self.flags & (FLAG_STOP | FLAG_ALPHA) == FLAG_ALPHA
    }
}

/// Computes a word's tag from its surface and stem ids, once per distinct
/// word: the tokenizer keeps the tag with the word's other ids, so its owner
/// needs no lookup of its own per token (the engine tags each word with the
/// tone-lexicon entry it selects).
pub type Tagger = Box<dyn Fn(TermId, TermId) -> u32 + Send + Sync>;

/// What is shared between threads: the stemmer, the stopword list and the
/// tagger.
pub struct Vocabulary {
    stemmer: Stemmer,
    stopwords: StopWords,
    tagger: Option<Tagger>,
    /// Unique per instance: a thread's word cache belongs to one vocabulary.
    id: u64,
    /// How many distinct words a new word cache makes room for.
    expected_words: std::sync::atomic::AtomicUsize,
}

static NEXT_VOCABULARY: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

type WordCache = WordTable;

/// A tokenizer's scratch: normalising and stemming buffers, word masks,
/// words found.
type Buffers = (String, String, ascii::WordMasks, Vec<Found>);

thread_local! {
    /// The word cache a finished tokenizer leaves to the next one on the
    /// same thread, with the id of its vocabulary: a batch's two passes and
    /// every rayon job on a worker share one cache instead of stemming the
    /// vocabulary again each time.
    static THREAD_CACHE: std::cell::RefCell<(u64, WordCache)> = std::cell::RefCell::new((0, WordCache::placeholder()));
    /// The buffers and word masks a finished tokenizer leaves to the next
    /// one on the same thread (any vocabulary: they hold nothing between
    /// articles), so that they are not grown again.
    static LEFT_BUFFERS: std::cell::Cell<Option<Buffers>> = const { std::cell::Cell::new(None) };
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vocabulary")
            .field("stopwords", &self.stopwords.len())
            .finish()
    }
}

impl Vocabulary {
    /// English: Snowball English stemmer and the embedded stopword list.
    pub fn english() -> Vocabulary {
        Vocabulary::new(StopWords::english())
    }

    /// English stemming with the given stopwords.
    pub fn new(stopwords: StopWords) -> Vocabulary {
        Vocabulary {
            stemmer: Stemmer::create(Algorithm::English),
            stopwords,
            tagger: None,
            id: NEXT_VOCABULARY.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            expected_words: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Tells word caches made from now on how much text is coming, so they
    /// start at about the size it will grow them to instead of doubling
    /// their way there (each doubling rehashes the table and touches
    /// fresh memory). Only a hint: caches still grow, and stay bounded.
    pub fn expect_text(&self, bytes: u64) {
        self.expected_words.store(
            expected_distinct_words(bytes),
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// Gives every word a tag from `tagger` (see [`Token::tag`]).
    pub fn set_tagger(&mut self, tagger: Tagger) {
        self.tagger = Some(tagger);
        // Words tokenized before have no tag: start with fresh caches.
        self.id = NEXT_VOCABULARY.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Normalises one word: lowercase, curly apostrophes made straight.
    /// Returns the input unchanged (borrowed) when it is already normal.
    pub fn normalize(word: &str) -> Cow<'_, str> {
        if word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            return Cow::Borrowed(word);
        }
        let mut out = String::with_capacity(word.len());
        normalize_into(word, &mut out);
        Cow::Owned(out)
    }

    /// The stem of an already normalised word.
    pub fn stem<'a>(&self, normalized: &'a str) -> Cow<'a, str> {
        let mut out = String::new();
        if porter2::stem_into(normalized, &mut out) {
            return if out == normalized {
                Cow::Borrowed(normalized)
            } else {
                Cow::Owned(out)
            };
        }
        self.stemmer.stem(normalized)
    }

    /// The id of the stem of an already normalised word, stemming into
    /// `scratch`: the ASCII words of news text take our Porter2
    /// ([`porter2`], tested equal to the Snowball English stemmer), other
    /// words the Snowball stemmer itself.
    fn stem_id(&self, normalized: &str, scratch: &mut String) -> TermId {
        if porter2::stem_into(normalized, scratch) {
            term_id(scratch)
        } else {
            term_id(&self.stemmer.stem(normalized))
        }
    }

    /// Whether a normalised word is a stopword.
    pub fn is_stopword(&self, normalized: &str) -> bool {
        self.stopwords.contains(normalized)
    }

    /// Tokenizes a whole text through the same pipeline as articles and
    /// returns the stems, in order: how lexicon phrases are compiled.
    pub fn stems_of(&self, text: &str) -> Vec<String> {
        text.unicode_words()
            .map(|w| self.stem(&Vocabulary::normalize(w)).into_owned())
            .collect()
    }
}

/// Lowercases `word` into `out`, mapping curly apostrophes to `'`.
fn normalize_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        // SAFETY-free: ASCII lowercasing keeps the string valid UTF-8.
        out.make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => out.push('\''),
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Distinct surface forms (case variants apart) in `bytes` of English news,
/// by Heaps' law fitted to the BBC corpus (47,652 in its 5.04 MB, 33,976
/// in every second article, 2.51 MB), capped at [`EXPECTED_WORDS_CAP`].
fn expected_distinct_words(bytes: u64) -> usize {
    let words = 47_500.0 * (bytes as f64 / 5.04e6).powf(0.49);
    (words as usize).min(EXPECTED_WORDS_CAP)
}

/// A new cache is never presized beyond this many words (64k slots, 3 MiB).
const EXPECTED_WORDS_CAP: usize = 48_000;

/// Once the per-thread cache holds this many surface forms it starts afresh,
/// so memory stays flat on an endless stream of new words (names, typos).
const CACHE_LIMIT: usize = 1 << 18;

/// A per-thread tokenizer with a cache from surface form to ids.
///
/// Cheap to create; keep one per worker thread and reuse it across articles.
pub struct Tokenizer<'v> {
    vocab: &'v Vocabulary,
    cache: WordCache,
    buf: String,
    stem_buf: String,
    /// Word masks of the article being tokenized (see [`Tokenizer::begin`]).
    masks: ascii::WordMasks,
    /// Words of the stretch being tokenized, found but not yet looked up.
    found: Vec<Found>,
}

/// A word found in the text, with its key and the key's hash.
#[derive(Clone, Copy)]
struct Found {
    start: u32,
    end: u32,
    key: Key,
    hash: u64,
}

impl Drop for Tokenizer<'_> {
    fn drop(&mut self) {
        let buffers = (
            std::mem::take(&mut self.buf),
            std::mem::take(&mut self.stem_buf),
            std::mem::take(&mut self.masks),
            std::mem::take(&mut self.found),
        );
        let _ = LEFT_BUFFERS.try_with(|l| l.set(Some(buffers)));
        let cache = std::mem::replace(&mut self.cache, WordCache::placeholder());
        let id = self.vocab.id;
        let _ = THREAD_CACHE.try_with(|c| {
            let mut c = c.borrow_mut();
            if c.0 != id || cache.len() >= c.1.len() {
                *c = (id, cache);
            }
        });
    }
}

impl<'v> Tokenizer<'v> {
    /// A tokenizer; it takes over the cache a previous tokenizer of the
    /// same vocabulary left on this thread.
    pub fn new(vocab: &'v Vocabulary) -> Tokenizer<'v> {
        let cache = THREAD_CACHE
            .try_with(|c| {
                let mut c = c.borrow_mut();
                if c.0 == vocab.id {
                    std::mem::replace(&mut c.1, WordCache::placeholder())
                } else {
                    WordCache::placeholder()
                }
            })
            .ok()
            .filter(|cache| !cache.is_placeholder())
            .unwrap_or_else(|| {
                WordCache::for_words(
                    vocab
                        .expected_words
                        .load(std::sync::atomic::Ordering::Relaxed),
                )
            });
        let (buf, stem_buf, masks, found) = LEFT_BUFFERS
            .try_with(|l| l.take())
            .ok()
            .flatten()
            .unwrap_or_default();
        Tokenizer {
            vocab,
            cache,
            buf,
            stem_buf,
            masks,
            found,
        }
    }

    /// Appends the words of `text` to `out`; `offset` is added to every
    /// position (pass the sentence's start to get article offsets).
    pub fn tokenize(&mut self, text: &str, offset: usize, out: &mut Vec<Token>) {
        self.begin(text);
        self.words(text, 0..text.len(), offset, out);
    }

    /// Prepares to tokenize stretches of `article` with
    /// [`tokenize_span`](Self::tokenize_span): the ASCII word rules are
    /// applied to the whole article at once, 64 bytes at a time.
    pub fn begin(&mut self, article: &str) {
        self.masks.compute(article.as_bytes());
    }

    /// Appends the words of `article[span]` to `out`, with positions in the
    /// article, exactly as [`tokenize`](Self::tokenize) on that stretch
    /// alone would. `article` must be the text last given to
    /// [`begin`](Self::begin).
    pub fn tokenize_span(&mut self, article: &str, span: Range<usize>, out: &mut Vec<Token>) {
        self.words(article, span, 0, out);
    }

    fn words(&mut self, text: &str, span: Range<usize>, offset: usize, out: &mut Vec<Token>) {
        let masks = std::mem::take(&mut self.masks);
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        let bytes = text.as_bytes();
        // Each word's key is read and hashed as the word is found, and the
        // slot it will be looked up in is prefetched; the lookups follow
        // once the stretch's words are all found. The table is larger than
        // the core's L2 cache, and a lookup that waited for memory was most
        // of a word's cost: this way the loads of a sentence's words
        // overlap.
        let mut find = |at: usize, end: usize| {
            let key = Key::at(bytes, at, end);
            let hash = key.hash();
            self.cache.prefetch(hash);
            found.push(Found {
                start: at as u32,
                end: end as u32,
                key,
                hash,
            });
        };
        if masks.is_ascii(span.clone()) {
            // Same boundaries as below, several times faster (see `ascii`).
            masks.for_each_word(bytes, span, &mut find);
        } else {
            // A word never spans an ASCII space (UAX #29 breaks on both
            // sides of one), so the text is cut at spaces and only the
            // stretches holding a non-ASCII character ("£5m", "Kim’s") take
            // the general path. Tests compare the result with
            // `unicode_word_indices` on the whole text, on random Unicode
            // and on every BBC article.
            let mut from = span.start;
            while from < span.end {
                let to =
                    memchr::memchr(b' ', &bytes[from..span.end]).map_or(span.end, |k| from + k);
                if masks.is_ascii(from..to) {
                    masks.for_each_word(bytes, from..to, &mut find);
                } else {
                    for (at, word) in text[from..to].unicode_word_indices() {
                        find(from + at, from + at + word.len());
                    }
                }
                from = to + 1;
            }
        }
        // A word is looked up by its bytes; only a word to learn is taken as
        // a `str` (slicing a `str` checks both ends for character
        // boundaries, two tests a word that the byte slice does not need).
        for f in &found {
            let (at, end) = (f.start as usize, f.end as usize);
            let info = match self.cache.get_hashed(&f.key, f.hash, &bytes[at..end]) {
                Some(info) => info,
                None => self.learn(f.key, &text[at..end]),
            };
            out.push(Token {
                start: (offset + at) as u32,
                end: (offset + end) as u32,
                stem: info.stem,
                tag: info.tag,
                flags: info.flags,
            });
        }
        self.found = found;
        self.masks = masks;
    }

    /// Normalises, classifies and stems a word not seen before on this thread.
    #[cold]
    fn learn(&mut self, key: Key, word: &str) -> WordInfo {
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        let capital = if word.chars().next().is_some_and(char::is_uppercase) {
            FLAG_CAPITAL
        } else {
            0
        };
        normalize_into(word, &mut self.buf);
        let buf = std::mem::take(&mut self.buf);
        let mut scratch = std::mem::take(&mut self.stem_buf);
        let normalized = buf.as_str();
        // "Talks" and "talks" share everything but the capital: when the
        // lowercased form (ASCII, so lowercasing it again changes nothing)
        // is known, or once it is learnt, the variant reuses its stem.
        let base = if normalized != word && normalized.is_ascii() {
            let key = Key::of(normalized.as_bytes());
            match self.cache.get(&key, normalized.as_bytes()) {
                Some(info) => info,
                None => {
                    let info = self.classify(normalized, &mut scratch);
                    self.cache.insert(key, normalized.as_bytes(), info);
                    info
                }
            }
        } else {
            self.classify(normalized, &mut scratch)
        };
        self.buf = buf;
        self.stem_buf = scratch;
        let info = WordInfo {
            flags: base.flags & !FLAG_CAPITAL | capital,
            ..base
        };
        self.cache.insert(key, word.as_bytes(), info);
        info
    }

    /// Ids and flags of a normalised word (without [`FLAG_CAPITAL`]).
    ///
    /// Each thread classifies the words it meets itself. A table shared by
    /// the threads (behind a lock, so each word was stemmed once) cost more
    /// than it saved once stemming took ~70 ns a word: hashing the string,
    /// the lock and the table's growth made a two-thread run spend 15%
    /// more CPU than a one-thread run.
    fn classify(&self, normalized: &str, scratch: &mut String) -> WordInfo {
        let mut flags = 0;
        if self.vocab.is_stopword(normalized) {
            flags |= FLAG_STOP;
        }
        if normalized.chars().any(char::is_alphabetic) {
            flags |= FLAG_ALPHA;
        }
        if normalized.len() > 3 && normalized.ends_with("n't") {
            flags |= FLAG_NT;
        }
        let surface = term_id(normalized);
        // Snowball changes only letters' suffixes: a number ("2,500",
        // "3.5") is its own stem, and skipping the stemmer for it saves time.
        let stem = if flags & FLAG_ALPHA == 0 {
            surface
        } else {
            self.vocab.stem_id(normalized, scratch)
        };
        let tag = self.vocab.tagger.as_ref().map_or(0, |t| t(surface, stem));
        WordInfo { stem, tag, flags }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(u32, u32)> {
        let vocab = Vocabulary::english();
        let mut t = Tokenizer::new(&vocab);
        let mut out = Vec::new();
        t.tokenize(text, 0, &mut out);
        out.iter().map(|t| (t.start, t.end)).collect()
    }

    #[test]
    fn offsets_slice_back_to_words() {
        let text = "Kim’s “beautiful letter” arrived, Moon said.";
        let spans = words(text);
        let got: Vec<&str> = spans
            .iter()
            .map(|&(s, e)| &text[s as usize..e as usize])
            .collect();
        assert_eq!(
            got,
            ["Kim’s", "beautiful", "letter", "arrived", "Moon", "said"]
        );
    }

    #[test]
    fn curly_and_straight_apostrophes_share_ids() {
        let vocab = Vocabulary::english();
        let mut t = Tokenizer::new(&vocab);
        let mut out = Vec::new();
        let text = "didn’t didn't DIDN'T";
        t.tokenize(text, 0, &mut out);
        assert_eq!(out.len(), 3);
        assert!(out.iter().all(|w| w.surface(text) == term_id("didn't")));
        assert!(out.iter().all(|w| w.stem == out[0].stem));
        assert!(out.iter().all(Token::is_negative_contraction));
    }

    #[test]
    fn stems_merge_inflections() {
        let vocab = Vocabulary::english();
        assert_eq!(
            vocab.stems_of("talks talking talked"),
            ["talk", "talk", "talk"]
        );
        assert_eq!(vocab.stems_of("Sanctions"), ["sanction"]);
    }

    #[test]
    fn flags() {
        let vocab = Vocabulary::english();
        let mut t = Tokenizer::new(&vocab);
        let mut out = Vec::new();
        t.tokenize("the 3.5 summit", 10, &mut out);
        assert_eq!((out[0].start, out[0].end), (10, 13));
        assert!(out[0].is_stop() && !out[0].is_content());
        assert!(!out[1].has_letter() && !out[1].is_content());
        assert!(out[2].is_content());
    }

    #[test]
    fn case_variants_share_ids_and_keep_their_own_capital() {
        let vocab = Vocabulary::english();
        let mut t = Tokenizer::new(&vocab);
        t.cache.clear();
        let mut out = Vec::new();
        // The capitalised form first: its lowercase is learnt on the way.
        t.tokenize("Talks TALKS talks The the", 0, &mut out);
        let (a, b, c) = (out[0], out[1], out[2]);
        assert_eq!(
            (a.stem, a.tag, a.flags & !FLAG_CAPITAL),
            (c.stem, c.tag, c.flags)
        );
        assert_eq!(
            (b.stem, b.tag, b.flags & !FLAG_CAPITAL),
            (c.stem, c.tag, c.flags)
        );
        assert_eq!(c.stem, term_id("talk"));
        assert!(a.is_capitalized() && b.is_capitalized() && !c.is_capitalized());
        assert!(out[3].is_stop() && out[3].is_capitalized());
        assert!(out[4].is_stop() && !out[4].is_capitalized());
    }

    #[test]
    fn words_without_letters_are_their_own_stems() {
        // What the tokenizer assumes when it skips the stemmer for numbers.
        let vocab = Vocabulary::english();
        for n in ["2004", "3.5", "1,000", "007", "12'5", "1_000", "0.25", "٣"] {
            assert_eq!(vocab.stem(n), n);
        }
    }

    #[test]
    fn expected_words_follow_the_fitted_curve_up_to_the_cap() {
        // The two points the curve was fitted on, within 1%.
        let full = expected_distinct_words(5_041_385) as f64;
        let half = expected_distinct_words(2_506_664) as f64;
        assert!((full / 47_652.0 - 1.0).abs() < 0.01, "{full}");
        assert!((half / 33_976.0 - 1.0).abs() < 0.01, "{half}");
        assert_eq!(expected_distinct_words(0), 0);
        assert_eq!(expected_distinct_words(1 << 40), EXPECTED_WORDS_CAP);
        let vocab = Vocabulary::english();
        vocab.expect_text(5_041_385);
        assert_eq!(
            vocab
                .expected_words
                .load(std::sync::atomic::Ordering::Relaxed),
            expected_distinct_words(5_041_385)
        );
    }

    #[test]
    fn normalize_borrows_when_already_normal() {
        assert!(matches!(Vocabulary::normalize("deal"), Cow::Borrowed(_)));
        assert_eq!(Vocabulary::normalize("Kim’s"), "kim's");
        assert_eq!(Vocabulary::normalize("ÉTÉ"), "été");
    }
}
