//! Sentence boundaries against the extractive summaries of the BBC News
//! Summary set: every summary span is made of whole article sentences, so its
//! start and end should be sentence boundaries.

use std::path::Path;

use precis::eval::boundaries::{span_alignment, span_alignment_with};
use precis::segment::Segmenter;

const DATA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/data/bbc-news-summary"
);

/// The share of span boundaries that must be sentence boundaries.
const MIN_RATIO: f64 = 0.99;

/// How many missed boundaries to print, with their context.
const SHOWN_MISSES: usize = 25;

#[test]
fn bbc_summary_spans_align_with_sentences() {
    let data = Path::new(DATA);
    let (articles, spans) = (data.join("articles"), data.join("summary_spans.jsonl"));
    if !spans.exists() || !articles.is_dir() {
        eprintln!(
            "skipping bbc_alignment: {} not found (the shared data folder is absent)",
            data.display()
        );
        return;
    }
    let segmenter = Segmenter::new();
    let mut misses = Vec::new();
    let report = span_alignment_with(&segmenter, &articles, &spans, |miss| misses.push(miss))
        .expect("the BBC data set reads and parses");
    for miss in misses.iter().take(SHOWN_MISSES) {
        let text = std::fs::read_to_string(articles.join(format!("{}.txt", miss.id))).unwrap();
        let mut from = miss.offset.saturating_sub(50);
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let mut to = (miss.offset + 50).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        let (before, after) = (&text[from..miss.offset], &text[miss.offset..to]);
        let kind = if miss.is_start { "start" } else { "end" };
        eprintln!(
            "missed {kind} in {} at {}: {before:?} | {after:?}",
            miss.id, miss.offset
        );
    }
    eprintln!(
        "bbc alignment: {}/{} boundaries ({:.4}) over {} articles, {} missed",
        report.matched,
        report.boundaries,
        report.ratio(),
        report.articles,
        misses.len()
    );
    assert_eq!(report.articles, 2225);
    assert_eq!(report.boundaries - report.matched, misses.len());
    assert!(
        report.ratio() >= MIN_RATIO,
        "alignment {:.4} is below {MIN_RATIO}",
        report.ratio()
    );

    // The plain entry point agrees with the one that reports misses.
    assert_eq!(
        span_alignment(&segmenter, &articles, &spans).unwrap(),
        report
    );
}
