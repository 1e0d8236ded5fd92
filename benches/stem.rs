//! English stemming: precis's `porter2::stem_into` (falling back to
//! `rust-stemmers` for the words it refuses, as the tokenizer does) against
//! `rust-stemmers` alone, over the distinct normalised words of a corpus.
//!
//! Corpora: the distinct words of `samples/*.txt`, and of the BBC News
//! Summary articles when `../shared/data` exists. Throughput is in words, so
//! criterion's time per iteration divided by the word count is ns/word.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use precis::tokenize::porter2::stem_into;
use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
const BBC_ARTICLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/bbc-news-summary/articles"
);

/// The distinct words of the `.txt` files of `dir`, lowercased with curly
/// apostrophes made straight, in first-seen order of sorted files.
fn distinct_words(dir: &Path) -> Option<Vec<String>> {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    let mut seen = HashSet::new();
    let mut words = Vec::new();
    for path in paths {
        let bytes = fs::read(&path).ok()?;
        for word in String::from_utf8_lossy(&bytes).unicode_words() {
            let word: String = word
                .chars()
                .flat_map(|c| {
                    if c == '\u{2019}' {
                        '\''.to_lowercase()
                    } else {
                        c.to_lowercase()
                    }
                })
                .collect();
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
    }
    (!words.is_empty()).then_some(words)
}

/// Total bytes of all stems: the same for both stemmers, asserted every
/// iteration so neither can be optimised into doing nothing.
fn stem_bytes_porter2(words: &[String], reference: &Stemmer, out: &mut String) -> usize {
    let mut total = 0;
    for word in words {
        if stem_into(black_box(word), out) {
            total += out.len();
        } else {
            total += reference.stem(word).len();
        }
    }
    total
}

fn stem_bytes_reference(words: &[String], reference: &Stemmer) -> usize {
    words
        .iter()
        .map(|word| reference.stem(black_box(word)).len())
        .sum()
}

fn bench_corpus(c: &mut Criterion, name: &str, words: &[String]) {
    let reference = Stemmer::create(Algorithm::English);
    let mut out = String::new();
    let expected = stem_bytes_reference(words, &reference);
    assert_eq!(stem_bytes_porter2(words, &reference, &mut out), expected);
    let refused = words.iter().filter(|w| !stem_into(w, &mut out)).count();
    eprintln!(
        "stem/{name}: {} distinct words, {refused} left to rust-stemmers",
        words.len()
    );

    let mut group = c.benchmark_group(format!("stem/{name}"));
    group.throughput(Throughput::Elements(words.len() as u64));
    group.bench_function("porter2", |b| {
        b.iter(|| assert_eq!(stem_bytes_porter2(words, &reference, &mut out), expected))
    });
    group.bench_function("rust-stemmers", |b| {
        b.iter(|| assert_eq!(stem_bytes_reference(words, &reference), expected))
    });
    group.finish();
}

fn bench_stem(c: &mut Criterion) {
    let samples = distinct_words(Path::new(SAMPLES)).expect("samples/*.txt has words");
    bench_corpus(c, "samples", &samples);
    if let Some(bbc) = distinct_words(Path::new(BBC_ARTICLES)) {
        bench_corpus(c, "bbc", &bbc);
    }
}

criterion_group!(benches, bench_stem);
criterion_main!(benches);
