//! `porter2::stem_into` must give exactly the stem `rust-stemmers` gives.
//!
//! Checked on every word of the BBC News Summary corpus and the lexicons
//! (when `../shared` is present), on every short string over the letters and
//! the apostrophe, and on millions of pseudo-random words built to reach the
//! corners of the algorithm: vowel and y runs, R1 prefixes, apostrophes,
//! digits and the suffixes each step looks for.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use precis::tokenize::porter2::{stem_into, MAX_LEN};
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared");
const BBC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/bbc-news-summary"
);
const REFERENCE_LEXICONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/reference-lexicons"
);
const LEXICONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons");

/// Compares both stemmers on every word and panics listing the first
/// differences. Returns how many words `stem_into` handled itself.
fn assert_same<'a>(words: impl IntoIterator<Item = &'a String>) -> usize {
    let reference = Stemmer::create(Algorithm::English);
    let mut out = String::new();
    let mut handled = 0;
    let mut wrong = Vec::new();
    for word in words {
        // What porter2 promises to handle: the rest goes to rust-stemmers.
        let plain = word.len() <= MAX_LEN
            && word
                .bytes()
                .all(|b| (b' '..=b'~').contains(&b) && !b.is_ascii_uppercase());
        if !stem_into(word, &mut out) {
            assert!(
                !plain,
                "{word:?} is printable lowercase ASCII but was refused"
            );
            continue;
        }
        assert!(plain, "{word:?} was accepted");
        handled += 1;
        let expected = reference.stem(word);
        if out != expected && wrong.len() < 30 {
            wrong.push(format!("{word:?}: got {out:?}, rust-stemmers {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "stems differ:\n{}", wrong.join("\n"));
    handled
}

/// Lowercased with curly apostrophes made straight, as the tokenizer does.
fn normalize(word: &str) -> String {
    word.chars()
        .flat_map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => '\''.to_lowercase(),
            c => c.to_lowercase(),
        })
        .collect()
}

fn files_under(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// The distinct normalised words of every file under `dir`.
fn words_under(dir: &str, words: &mut HashSet<String>) -> usize {
    let mut files = Vec::new();
    files_under(Path::new(dir), &mut files);
    for path in &files {
        let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = String::from_utf8_lossy(&bytes);
        for line in text.lines() {
            for word in line.unicode_words() {
                words.insert(normalize(word));
            }
        }
    }
    files.len()
}

#[test]
fn same_stems_as_rust_stemmers_on_corpus_and_lexicons() {
    if !Path::new(SHARED).is_dir() {
        eprintln!("skipping the corpus check: {SHARED} is absent");
        return;
    }
    let mut words = HashSet::new();
    let files = words_under(BBC, &mut words)
        + words_under(REFERENCE_LEXICONS, &mut words)
        + words_under(LEXICONS, &mut words);
    assert!(files > 2 * 2225, "only {files} files found");
    let handled = assert_same(&words);
    eprintln!(
        "corpus and lexicons: {} distinct words from {files} files, {handled} stemmed by porter2, all equal",
        words.len()
    );
    // Non-ASCII words are a small minority of English news.
    assert!(handled > words.len() * 9 / 10 && words.len() > 30_000);
}

/// Every string of one to four characters over `a-z` and `'`, and of five
/// over letters that matter most to the rules.
#[test]
fn same_stems_on_every_short_string() {
    fn all(alphabet: &[u8], len: usize, prefix: &mut Vec<u8>, words: &mut Vec<String>) {
        if prefix.len() == len {
            words.push(String::from_utf8(prefix.clone()).unwrap());
            return;
        }
        for &c in alphabet {
            prefix.push(c);
            all(alphabet, len, prefix, words);
            prefix.pop();
        }
    }
    let mut words = Vec::new();
    let full = b"abcdefghijklmnopqrstuvwxyz'";
    for len in 1..=4 {
        all(full, len, &mut Vec::new(), &mut words);
    }
    all(b"aeiysldgntbw'", 5, &mut Vec::new(), &mut words);
    let handled = assert_same(&words);
    assert_eq!(handled, words.len());
    eprintln!("short strings: {} distinct words, all equal", words.len());
}

/// xorshift64: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Letters weighted toward vowels, y and the letters the suffix rules test,
/// with apostrophes, digits and the other bytes a normalised word may hold.
const ALPHABET: &[u8] =
    b"aaaaeeeeeiiiioooouuuyyyyybcdddfgggghjklllllmmnnnnpqrrrssssssttttttvwwxzz''0159_.,";

const SUFFIXES: &[&str] = &[
    "ing", "ingly", "ed", "edly", "eed", "eedly", "ies", "ied", "sses", "ss", "us", "s", "'s",
    "s'", "'s'", "'", "ational", "tional", "ization", "ation", "ator", "izer", "alism", "aliti",
    "alli", "fulness", "ousness", "iveness", "ousli", "iviti", "biliti", "bli", "abli", "enci",
    "anci", "entli", "ogi", "logi", "fulli", "lessli", "li", "alize", "icate", "iciti", "ical",
    "ful", "ness", "ative", "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement",
    "ment", "ent", "ism", "ate", "iti", "ous", "ive", "ize", "ion", "sion", "tion", "e", "l", "ll",
    "y", "ly", "at", "bl", "iz", "bb", "dd", "ff", "tt", "rr", "ning", "ying", "ye", "ey", "oy",
];

const PREFIXES: &[&str] = &[
    "gener", "commun", "arsen", "past", "univers", "later", "emerg", "organ", "'", "y", "ay",
    "sky", "news", "in", "out", "pro", "ex", "suc", "her", "ear", "can",
];

fn random_word(rng: &mut Rng) -> String {
    let mut word = String::new();
    if rng.below(6) == 0 {
        word.push_str(rng.pick(PREFIXES));
    }
    let len = 1 + rng.below(16);
    for _ in 0..len {
        word.push(rng.pick(ALPHABET) as char);
    }
    for _ in 0..rng.below(3) {
        word.push_str(rng.pick(SUFFIXES));
    }
    if word.len() > 16 && rng.below(2) == 0 {
        // Keep plenty of short words, where the length rules bite.
        let cut = 1 + rng.below(16);
        word.drain(..word.len() - cut);
    }
    word
}

#[test]
fn same_stems_on_random_ascii_words() {
    // PORTER2_RANDOM_WORDS=20000000 runs a longer search.
    let wanted = std::env::var("PORTER2_RANDOM_WORDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000_000);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut words = HashSet::with_capacity(wanted);
    while words.len() < wanted {
        words.insert(random_word(&mut rng));
    }
    let handled = assert_same(&words);
    assert_eq!(handled, words.len());
    eprintln!("random ASCII: {} distinct words, all equal", words.len());
}

/// Words around `MAX_LEN`, where the vowel bit mask is full: equal up to it,
/// refused beyond it.
#[test]
fn same_stems_on_long_words_up_to_max_len() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut words = HashSet::new();
    while words.len() < 50_000 {
        let mut word = String::new();
        let len = MAX_LEN - 8 + rng.below(17);
        while word.len() < len {
            word.push_str(&random_word(&mut rng));
        }
        word.drain(..word.len() - len);
        words.insert(word);
    }
    let short_enough = words.iter().filter(|w| w.len() <= MAX_LEN).count();
    let handled = assert_same(&words);
    assert_eq!(handled, short_enough);
    assert!(short_enough > 10_000 && words.len() - short_enough > 10_000);
    eprintln!(
        "long words: {} distinct words, {handled} stemmed by porter2, all equal",
        words.len()
    );
}

#[test]
fn refuses_what_it_does_not_handle() {
    let mut out = String::new();
    let too_long = "a".repeat(MAX_LEN + 1);
    for word in [
        "café", "naïve", "Talks", "YES", "日本", "über's", "a\u{0}b", &too_long,
    ] {
        assert!(!stem_into(word, &mut out), "{word:?} was accepted");
    }
    assert!(stem_into(&too_long[1..], &mut out));
    assert_eq!(out, too_long[1..]);
}
