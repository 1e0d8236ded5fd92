//! Sentence splitting throughput: precis's splitter against the Unicode
//! sentence boundaries of `unicode-segmentation`, over the same bytes.
//!
//! The corpus is every BBC News Summary article concatenated when
//! `../shared/data` exists, else `samples/*.txt`, else a built-in paragraph
//! repeated to about 1 MB.

use std::fs;
use std::path::Path;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use precis::segment::Segmenter;
use unicode_segmentation::UnicodeSegmentation;

const BBC_ARTICLES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/bbc-news-summary/articles"
);
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");

const PARAGRAPH: &str = "SEOUL (Reuters) - North Korea's leader Kim Jong-un met U.S. \
envoy Gen. Smith at 10.30am on Jan. 5, state media said. \"The talks were frank,\" \
a spokesman said. Sanctions worth $1.5bn remain in place... Officials in Washington, \
D.C. declined to comment.\n\nAlso read: Summit ends without a deal\n";

/// The `.txt` files of `dir`, sorted by name and joined by blank lines.
fn concat_dir(dir: &Path) -> Option<String> {
    let mut paths: Vec<_> = fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    let mut text = String::new();
    for path in paths {
        text.push_str(&fs::read_to_string(&path).ok()?);
        text.push_str("\n\n");
    }
    (!text.is_empty()).then_some(text)
}

fn corpus() -> (&'static str, String) {
    if let Some(text) = concat_dir(Path::new(BBC_ARTICLES)) {
        return ("bbc", text);
    }
    if let Some(text) = concat_dir(Path::new(SAMPLES)) {
        return ("samples", text);
    }
    ("builtin", PARAGRAPH.repeat(1_000_000 / PARAGRAPH.len()))
}

fn bench_split(c: &mut Criterion) {
    let (name, text) = corpus();
    let segmenter = Segmenter::new();
    let expected = segmenter.split(&text).len();
    let unicode_expected = text.unicode_sentences().count();
    assert!(expected > 0 && unicode_expected > 0);

    let mut group = c.benchmark_group(format!("segment/{name}"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);
    let mut spans = Vec::new();
    group.bench_function("precis", |b| {
        b.iter(|| {
            spans.clear();
            segmenter.split_into(black_box(&text), &mut spans);
            assert_eq!(spans.len(), expected);
        })
    });
    group.bench_function("unicode_sentences", |b| {
        b.iter(|| {
            let n = black_box(&text).unicode_sentences().count();
            assert_eq!(n, unicode_expected);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_split);
criterion_main!(benches);
