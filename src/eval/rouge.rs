//! ROUGE-1, ROUGE-2, ROUGE-L and ROUGE-Lsum, computed the way Google's `rouge-score`
//! package computes them with `use_stemmer=True`, so that our figures can be set
//! beside published ones.
//!
//! What `rouge-score` does, and this module repeats:
//!
//! - **Tokens.** The text is lowercased (full Unicode lowercasing), every run of
//!   characters outside `[a-z0-9]` becomes a separator (so `U.S.` is `u s`, `don't` is
//!   `don t`, `café` is `caf`), and tokens longer than three characters are stemmed with
//!   NLTK's Porter stemmer ([`porter`]).
//! - **ROUGE-N.** Clipped n-gram overlap: each reference n-gram counts at most as often
//!   as it occurs in the candidate. Precision divides by the candidate's n-gram count,
//!   recall by the reference's (either count taken as 1 when it is 0).
//! - **ROUGE-L.** Longest common subsequence of the whole token sequences; all zero when
//!   either side has no tokens.
//! - **ROUGE-Lsum.** Texts are split into sentences on `'\n'` only. For every reference
//!   sentence, the union of one LCS with each candidate sentence is taken (the LCS that
//!   `rouge-score`'s backtracking picks, ties included, since the union depends on it);
//!   a token of that union is a hit only while both texts still have unused copies of
//!   it, as in ROUGE-1.5.5. Precision is hits over candidate tokens, recall hits over
//!   reference tokens.
//! - **F1.** `2·p·r / (p + r)`, or 0 when `p + r` is 0.
//!
//! ```
//! use precis::eval::rouge::RougeScorer;
//!
//! let scorer = RougeScorer::new();
//! let s = scorer.score(
//!     "The talks ended.\nSanctions stay in place.",
//!     "Talks ended without a deal.",
//! );
//! // "talks ended" are 2 of the candidate's 5 tokens and 2 of the reference's 7.
//! assert_eq!(s.rouge1.precision, 2.0 / 5.0);
//! assert_eq!(s.rouge1.recall, 2.0 / 7.0);
//! assert_eq!(s.rouge2.precision, 1.0 / 4.0);
//! ```

use std::borrow::Cow;
use std::sync::{PoisonError, RwLock};

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::porter;

/// `rouge-score` stems only tokens longer than this many characters.
const MAX_UNSTEMMED_LEN: usize = 3;

/// Precision, recall and F1 of one ROUGE variant, each in `[0, 1]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Share of the candidate's units found in the reference.
    pub precision: f64,
    /// Share of the reference's units found in the candidate.
    pub recall: f64,
    /// Harmonic mean of precision and recall (0 when both are 0).
    pub f1: f64,
}

impl Prf {
    /// Builds a score from precision and recall, with F1 computed exactly as
    /// `rouge-score`'s `fmeasure` does (same operation order, so the same bits).
    pub fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }

    fn add(&mut self, other: &Prf) {
        self.precision += other.precision;
        self.recall += other.recall;
        self.f1 += other.f1;
    }

    fn divided(&self, n: f64) -> Prf {
        Prf {
            precision: self.precision / n,
            recall: self.recall / n,
            f1: self.f1 / n,
        }
    }
}

/// The four ROUGE variants for one (reference, candidate) pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct RougeScores {
    /// Unigram overlap.
    pub rouge1: Prf,
    /// Bigram overlap.
    pub rouge2: Prf,
    /// Longest common subsequence over the whole texts.
    pub rouge_l: Prf,
    /// Summary-level LCS over `'\n'`-separated sentences.
    pub rouge_lsum: Prf,
}

/// Scores (reference, candidate) pairs.
///
/// It keeps a cache from each word seen to the id of its stem, shared by all calls and
/// threads (the scorer is `Send + Sync`; `score` takes `&self`). The cache sits behind
/// an `RwLock` that each call takes twice at most: once to read the ids of all its
/// distinct words, and once to write the few words never seen before, which are
/// stemmed outside the lock. It grows with the vocabulary met (tens of thousands of
/// words for a news corpus) and is never pruned.
#[derive(Debug, Default)]
pub struct RougeScorer {
    cache: RwLock<StemCache>,
}

/// Word -> stem id, and stem -> stem id so that words sharing a stem share an id.
#[derive(Debug, Default)]
struct StemCache {
    word_stem: FxHashMap<Box<str>, u32>,
    stem_ids: FxHashMap<Box<str>, u32>,
}

impl StemCache {
    fn insert(&mut self, word: &str, stem: &str) -> u32 {
        if let Some(&id) = self.word_stem.get(word) {
            return id; // another thread got here first
        }
        let next = u32::try_from(self.stem_ids.len()).expect("fewer than 2^32 stems");
        let id = *self.stem_ids.entry(stem.into()).or_insert(next);
        self.word_stem.insert(word.into(), id);
        id
    }
}

impl RougeScorer {
    /// A scorer with an empty stem cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// Scores `candidate` against `reference`. For ROUGE-Lsum, sentences in both texts
    /// are separated by `'\n'` (as `rouge-score` expects); the other variants ignore
    /// line breaks.
    pub fn score(&self, reference: &str, candidate: &str) -> RougeScores {
        let reference_text = normalise(reference);
        let candidate_text = normalise(candidate);

        let mut words = Words::default();
        let reference_raw = words.tokenize(&reference_text);
        let candidate_raw = words.tokenize(&candidate_text);

        // Give each distinct stem of this pair a small dense id, so counts are arrays.
        let stem_ids = self.stem_ids(&words.distinct);
        let mut dense: FxHashMap<u32, u32> = FxHashMap::default();
        let word_ids: Vec<u32> = stem_ids
            .iter()
            .map(|&global| {
                let next = dense.len() as u32;
                *dense.entry(global).or_insert(next)
            })
            .collect();
        let reference_tokens = reference_raw.map(&word_ids);
        let candidate_tokens = candidate_raw.map(&word_ids);
        let vocabulary = dense.len();

        RougeScores {
            rouge1: rouge_n(&reference_tokens.ids, &candidate_tokens.ids, 1),
            rouge2: rouge_n(&reference_tokens.ids, &candidate_tokens.ids, 2),
            rouge_l: rouge_l(&reference_tokens.ids, &candidate_tokens.ids),
            rouge_lsum: rouge_lsum(&reference_tokens, &candidate_tokens, vocabulary),
        }
    }

    /// The global stem id of every word, stemming and caching the ones not seen yet.
    fn stem_ids(&self, words: &[&str]) -> Vec<u32> {
        let mut ids = vec![0; words.len()];
        let mut unseen = Vec::new();
        {
            let cache = self.cache.read().unwrap_or_else(PoisonError::into_inner);
            for (i, word) in words.iter().enumerate() {
                match cache.word_stem.get(*word) {
                    Some(&id) => ids[i] = id,
                    None => unseen.push(i),
                }
            }
        }
        if unseen.is_empty() {
            return ids;
        }
        let stems: Vec<Cow<'_, str>> = unseen.iter().map(|&i| stem_token(words[i])).collect();
        // Every insert leaves the maps consistent, so a poisoned lock is still usable.
        let mut cache = self.cache.write().unwrap_or_else(PoisonError::into_inner);
        for (&i, stem) in unseen.iter().zip(&stems) {
            ids[i] = cache.insert(words[i], stem);
        }
        ids
    }
}

/// `rouge-score`'s rule: stem only tokens longer than three characters.
///
/// The stem of a non-empty `[a-z0-9]` word is never empty (every suffix rule either
/// keeps a vowel or needs a positive measure), so `rouge-score`'s final "drop empty or
/// invalid tokens" filter has nothing left to drop.
fn stem_token(word: &str) -> Cow<'_, str> {
    if word.len() > MAX_UNSTEMMED_LEN {
        porter::stem(word)
    } else {
        Cow::Borrowed(word)
    }
}

/// Lowercases `text` and turns every character outside `[a-z0-9]` into a space,
/// keeping `'\n'` so ROUGE-Lsum can still see the sentence breaks.
///
/// Lowercasing comes first and is full Unicode lowercasing, as Python's `str.lower`:
/// `İ` becomes `i` plus a combining dot, so it survives as `i`; the Kelvin sign becomes
/// `k`. Every other non-ASCII letter ends up a separator.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\n' {
            out.push('\n');
        } else if c.is_ascii() {
            let c = c.to_ascii_lowercase();
            out.push(if c.is_ascii_alphanumeric() { c } else { ' ' });
        } else {
            for l in c.to_lowercase() {
                let keep = l.is_ascii_lowercase() || l.is_ascii_digit();
                out.push(if keep { l } else { ' ' });
            }
        }
    }
    out
}

/// The distinct words of one pair, each with a small index.
#[derive(Default)]
struct Words<'a> {
    index: FxHashMap<&'a str, u32>,
    distinct: Vec<&'a str>,
}

impl<'a> Words<'a> {
    /// Splits normalised text into word indices and line ends.
    fn tokenize(&mut self, normalised: &'a str) -> Tokens {
        let mut tokens = Tokens::default();
        for line in normalised.split('\n') {
            for word in line.split(' ').filter(|w| !w.is_empty()) {
                let next = self.distinct.len() as u32;
                let id = *self.index.entry(word).or_insert(next);
                if id == next {
                    self.distinct.push(word);
                }
                tokens.ids.push(id);
            }
            tokens.line_ends.push(tokens.ids.len());
        }
        tokens
    }
}

/// A tokenized text: token ids, and the end of each `'\n'`-separated line in `ids`.
#[derive(Debug, Default)]
struct Tokens {
    ids: Vec<u32>,
    line_ends: Vec<usize>,
}

impl Tokens {
    fn map(self, to: &[u32]) -> Tokens {
        Tokens {
            ids: self.ids.iter().map(|&id| to[id as usize]).collect(),
            line_ends: self.line_ends,
        }
    }

    /// The lines that have tokens (blank lines cannot change any LCS).
    fn lines(&self) -> impl Iterator<Item = &[u32]> {
        let starts = std::iter::once(0).chain(self.line_ends.iter().copied());
        starts
            .zip(self.line_ends.iter().copied())
            .map(|(start, end)| &self.ids[start..end])
            .filter(|line| !line.is_empty())
    }
}

/// ROUGE-N: clipped n-gram overlap, with `rouge-score`'s `max(count, 1)` denominators.
///
/// `n` is 1 or 2: an n-gram of token ids is then packed into one `u64`, so counting
/// is sorting integers.
fn rouge_n(reference: &[u32], candidate: &[u32], n: usize) -> Prf {
    assert!(n == 1 || n == 2, "ROUGE-{n} is not computed here");
    let reference_grams = sorted_ngrams(reference, n);
    let candidate_grams = sorted_ngrams(candidate, n);
    let overlap = clipped_overlap(&reference_grams, &candidate_grams);
    Prf::new(
        overlap as f64 / candidate_grams.len().max(1) as f64,
        overlap as f64 / reference_grams.len().max(1) as f64,
    )
}

fn sorted_ngrams(tokens: &[u32], n: usize) -> Vec<u64> {
    let mut grams: Vec<u64> = tokens
        .windows(n)
        .map(|gram| {
            gram.iter()
                .fold(0, |packed, &id| packed << 32 | u64::from(id))
        })
        .collect();
    grams.sort_unstable();
    grams
}

/// Sum over distinct items of the smaller of their counts in two sorted lists.
fn clipped_overlap<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut overlap) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                overlap += 1;
                i += 1;
                j += 1;
            }
        }
    }
    overlap
}

/// ROUGE-L over the whole token sequences.
fn rouge_l(reference: &[u32], candidate: &[u32]) -> Prf {
    if reference.is_empty() || candidate.is_empty() {
        return Prf::default();
    }
    let lcs = lcs_len(reference, candidate) as f64;
    Prf::new(lcs / candidate.len() as f64, lcs / reference.len() as f64)
}

/// Length of the longest common subsequence, keeping one row of the table, as long as
/// the shorter sequence.
fn lcs_len(a: &[u32], b: &[u32]) -> usize {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    // row[j] holds the previous row's value until overwritten with this row's.
    let mut row = vec![0u32; short.len()];
    for &x in long {
        let (mut left, mut diagonal) = (0, 0);
        for (cell, &y) in row.iter_mut().zip(short) {
            let up = *cell;
            left = if x == y { diagonal + 1 } else { up.max(left) };
            *cell = left;
            diagonal = up;
        }
    }
    row.last().map_or(0, |&len| len as usize)
}

/// ROUGE-Lsum: union LCS of each reference sentence against all candidate sentences,
/// hits clipped by the tokens' counts in the two texts.
fn rouge_lsum(reference: &Tokens, candidate: &Tokens, vocabulary: usize) -> Prf {
    let (m, n) = (reference.ids.len(), candidate.ids.len());
    if m == 0 || n == 0 {
        return Prf::default();
    }
    let counts = |ids: &[u32]| {
        let mut counts = vec![0u32; vocabulary];
        for &id in ids {
            counts[id as usize] += 1;
        }
        counts
    };
    let mut reference_left = counts(&reference.ids);
    let mut candidate_left = counts(&candidate.ids);

    let mut table = LcsTable::default();
    let mut in_union = Vec::new();
    let mut hits = 0usize;
    for sentence in reference.lines() {
        in_union.clear();
        in_union.resize(sentence.len(), false);
        for other in candidate.lines() {
            table.mark_lcs(sentence, other, &mut in_union);
        }
        for (&id, _) in sentence.iter().zip(&in_union).filter(|(_, &used)| used) {
            let id = id as usize;
            if reference_left[id] > 0 && candidate_left[id] > 0 {
                hits += 1;
                reference_left[id] -= 1;
                candidate_left[id] -= 1;
            }
        }
    }
    Prf::new(hits as f64 / n as f64, hits as f64 / m as f64)
}

/// Finds the same LCS as `rouge-score`'s `lcs_ind`, buffers reused between calls.
///
/// The union in ROUGE-Lsum depends on which of several LCSs is chosen, so the
/// backtracking must break ties as `rouge-score` does: take the diagonal when the
/// tokens match, else step left only when the cell to the left is strictly larger than
/// the one above. Only that one bit per cell is kept (plus one row of lengths), so a
/// pair of 10,000-token one-line texts needs 12.5 MB rather than a 400 MB table.
#[derive(Default)]
struct LcsTable {
    row: Vec<u32>,
    /// One bit per cell, "left > up"; each table row starts a new `u64`.
    step_left: Vec<u64>,
}

impl LcsTable {
    /// Sets `in_lcs[i]` for every position `i` of `reference` on the chosen LCS with
    /// `candidate` (positions already set stay set, which makes the union).
    fn mark_lcs(&mut self, reference: &[u32], candidate: &[u32], in_lcs: &mut [bool]) {
        let words_per_row = candidate.len().div_ceil(64);
        self.row.clear();
        self.row.resize(candidate.len(), 0);
        self.step_left.clear();
        self.step_left.resize(reference.len() * words_per_row, 0);

        for (&x, bit_row) in reference
            .iter()
            .zip(self.step_left.chunks_exact_mut(words_per_row))
        {
            let (mut left, mut diagonal) = (0, 0);
            let chunks = candidate.chunks(64).zip(self.row.chunks_mut(64));
            for ((tokens, cells), bits) in chunks.zip(bit_row) {
                let mut word = 0u64;
                for (k, (&y, cell)) in tokens.iter().zip(cells).enumerate() {
                    let up = *cell;
                    left = if x == y {
                        diagonal + 1
                    } else {
                        word |= u64::from(left > up) << k;
                        up.max(left)
                    };
                    *cell = left;
                    diagonal = up;
                }
                *bits = word;
            }
        }

        let (mut i, mut j) = (reference.len(), candidate.len());
        while i > 0 && j > 0 {
            if reference[i - 1] == candidate[j - 1] {
                in_lcs[i - 1] = true;
                i -= 1;
                j -= 1;
            } else if self.step_left[(i - 1) * words_per_row + (j - 1) / 64] >> ((j - 1) % 64) & 1
                == 1
            {
                j -= 1;
            } else {
                i -= 1;
            }
        }
    }
}

/// Mean scores over documents: each document weighs the same, whatever its length (the
/// plain average of per-document scores that `rouge-score` users usually report).
#[derive(Clone, Debug, Default, Serialize)]
pub struct RougeAggregate {
    /// Documents added so far.
    pub documents: usize,
    /// Sum of each score over the documents.
    sums: RougeScores,
}

impl RougeAggregate {
    /// Adds one document's scores.
    pub fn add(&mut self, s: &RougeScores) {
        self.documents += 1;
        self.sums.rouge1.add(&s.rouge1);
        self.sums.rouge2.add(&s.rouge2);
        self.sums.rouge_l.add(&s.rouge_l);
        self.sums.rouge_lsum.add(&s.rouge_lsum);
    }

    /// Adds everything another aggregate holds (for combining per-thread results).
    pub fn merge(&mut self, other: &RougeAggregate) {
        self.documents += other.documents;
        self.sums.rouge1.add(&other.sums.rouge1);
        self.sums.rouge2.add(&other.sums.rouge2);
        self.sums.rouge_l.add(&other.sums.rouge_l);
        self.sums.rouge_lsum.add(&other.sums.rouge_lsum);
    }

    /// The mean of every score; all zero when no document was added.
    pub fn mean(&self) -> RougeScores {
        if self.documents == 0 {
            return RougeScores::default();
        }
        let n = self.documents as f64;
        RougeScores {
            rouge1: self.sums.rouge1.divided(n),
            rouge2: self.sums.rouge2.divided(n),
            rouge_l: self.sums.rouge_l.divided(n),
            rouge_lsum: self.sums.rouge_lsum.divided(n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens `rouge-score` would produce, as strings.
    fn tokens(text: &str) -> Vec<String> {
        normalise(text)
            .split([' ', '\n'])
            .filter(|w| !w.is_empty())
            .map(|w| stem_token(w).into_owned())
            .collect()
    }

    fn prf(precision: f64, recall: f64, f1: f64) -> Prf {
        Prf {
            precision,
            recall,
            f1,
        }
    }

    #[test]
    fn tokenizes_like_rouge_score() {
        // Expected lists printed by rouge_score.tokenize.tokenize(text, PorterStemmer()).
        let cases: [(&str, &[&str]); 8] = [
            ("Hello, World!", &["hello", "world"]),
            ("U.S.-led talks", &["u", "s", "led", "talk"]),
            ("don't", &["don", "t"]),
            ("café", &["caf"]),
            ("İstanbul", &["i", "stanbul"]),
            ("£1.13bn profits", &["1", "13bn", "profit"]),
            ("Ministers MET negotiators", &["minist", "met", "negoti"]),
            ("270 \u{212a}\nline\ttwo", &["270", "k", "line", "two"]),
        ];
        for (text, want) in cases {
            assert_eq!(tokens(text), want, "{text:?}");
        }
    }

    #[test]
    fn words_of_three_letters_or_fewer_are_not_stemmed() {
        // Porter alone would turn "was" into "wa" and "has" into "ha".
        assert_eq!(porter::stem("was"), "wa");
        assert_eq!(tokens("was has uses"), ["was", "has", "use"]);
    }

    #[test]
    fn ngram_counts_are_clipped() {
        let s = RougeScorer::new().score("the the the cat", "the the the the the");
        // Unigrams: "the" 3 times in the reference, 5 in the candidate: 3 hits.
        assert_eq!(s.rouge1, prf(0.6, 0.75, 0.6666666666666665));
        // Bigrams: "the the" twice in the reference, 4 times in the candidate.
        assert_eq!(s.rouge2, prf(0.5, 2.0 / 3.0, 0.5714285714285715));
    }

    #[test]
    fn stems_match_across_word_forms() {
        let s = RougeScorer::new().score("negotiations", "negotiating");
        assert_eq!(s.rouge1, prf(1.0, 1.0, 1.0));
        // No bigrams on either side: 0 / max(0, 1) everywhere.
        assert_eq!(s.rouge2, Prf::default());
    }

    #[test]
    fn empty_sides_score_zero() {
        let scorer = RougeScorer::new();
        for (reference, candidate) in [
            ("Talks collapsed.", ""),
            ("", "Talks collapsed."),
            ("", ""),
            ("!!!", "..."),
        ] {
            assert_eq!(
                scorer.score(reference, candidate),
                RougeScores::default(),
                "{reference:?} vs {candidate:?}"
            );
        }
        let none = scorer.score("Parliament approved the budget.", "Rain delayed play.");
        assert_eq!(none.rouge1, Prf::default(), "no overlap: F1 is 0, not NaN");
    }

    #[test]
    fn rouge_l_is_the_longest_common_subsequence() {
        let s = RougeScorer::new().score("a b c d e", "a c e b");
        // LCS "a c e": 3 of 4 candidate tokens, 3 of 5 reference tokens.
        assert_eq!(s.rouge_l, prf(0.75, 0.6, 0.6666666666666665));
        assert_eq!(lcs_len(&[1, 2, 3, 4, 5], &[1, 3, 5, 2]), 3);
        assert_eq!(lcs_len(&[1, 3, 5, 2], &[1, 2, 3, 4, 5]), 3);
        assert_eq!(lcs_len(&[], &[1]), 0);
    }

    #[test]
    fn rouge_lsum_takes_the_union_over_candidate_sentences() {
        let s = RougeScorer::new().score("w1 w2 w3 w4 w5", "w3 w4 w5\nw1 w2");
        // Whole-text LCS finds only "w3 w4 w5"; sentence by sentence, both parts count.
        assert_eq!(s.rouge_l, prf(0.6, 0.6, 0.6));
        assert_eq!(s.rouge_lsum, prf(1.0, 1.0, 1.0));
    }

    #[test]
    fn rouge_lsum_breaks_ties_as_rouge_score() {
        // "a b" against "b a": both "a" and "b" are an LCS; rouge-score's backtracking
        // picks "a", so a second candidate sentence "a" adds nothing to the union ...
        let s = RougeScorer::new().score("a b", "b a\na");
        assert_eq!(s.rouge_lsum, prf(1.0 / 3.0, 0.5, 0.4));
        // ... while a second sentence "b" does.
        let s = RougeScorer::new().score("a b", "b a\nb");
        assert_eq!(s.rouge_lsum, prf(2.0 / 3.0, 1.0, 0.8));
    }

    #[test]
    fn rouge_lsum_does_not_count_a_token_twice() {
        // Both reference sentences match the one candidate sentence, but the candidate
        // has only one "x" and one "y" to give.
        let s = RougeScorer::new().score("x y\nx y", "x y");
        assert_eq!(s.rouge_lsum, prf(1.0, 0.5, 0.6666666666666666));
    }

    #[test]
    fn one_line_texts_give_equal_rouge_l_and_lsum() {
        // Deterministic pseudo-random texts over a small vocabulary, so tokens repeat.
        let vocabulary = [
            "talks",
            "summit",
            "the",
            "sanctions",
            "a",
            "trade",
            "deal",
            "in",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut text = |len: usize| {
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    vocabulary[(state % vocabulary.len() as u64) as usize]
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let scorer = RougeScorer::new();
        for len in [1, 2, 5, 17, 60, 300] {
            let (reference, candidate) = (text(len), text(len / 2 + 1));
            let s = scorer.score(&reference, &candidate);
            assert_eq!(s.rouge_l, s.rouge_lsum, "{reference:?} / {candidate:?}");
            for p in [s.rouge1, s.rouge2, s.rouge_l] {
                for v in [p.precision, p.recall, p.f1] {
                    assert!((0.0..=1.0).contains(&v), "{v} out of range");
                }
            }
        }
    }

    #[test]
    fn scorer_is_shareable_and_cache_does_not_change_results() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<RougeScorer>();
        let scorer = RougeScorer::new();
        let first = scorer.score(
            "Ministers negotiated sanctions.",
            "Negotiations on sanctions.",
        );
        let warm = scorer.score(
            "Ministers negotiated sanctions.",
            "Negotiations on sanctions.",
        );
        let cold = RougeScorer::new().score(
            "Ministers negotiated sanctions.",
            "Negotiations on sanctions.",
        );
        assert_eq!(first, warm);
        assert_eq!(first, cold);
        assert_eq!(first.rouge1, prf(2.0 / 3.0, 2.0 / 3.0, 0.6666666666666666));
    }

    #[test]
    fn aggregate_is_the_plain_mean() {
        let scorer = RougeScorer::new();
        let perfect = scorer.score("the talks ended", "the talks ended");
        let nothing = scorer.score("the talks ended", "");
        let mut a = RougeAggregate::default();
        assert_eq!(a.mean(), RougeScores::default(), "no documents: zeros");
        a.add(&perfect);
        let mut b = RougeAggregate::default();
        b.add(&nothing);
        b.add(&perfect);
        a.merge(&b);
        assert_eq!(a.documents, 3);
        let mean = a.mean();
        assert_eq!(mean.rouge1, prf(2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0));
        assert_eq!(mean.rouge_lsum, mean.rouge1);
    }
}
