//! The serde types every output format renders.

mod json;

use serde::Serialize;

use crate::engine::Analysis;
use crate::tone::Tone;

/// One output record: an article, or the error that kept it from being read.
#[derive(Clone, Debug, Serialize)]
pub struct Record {
    /// The article's id: its path relative to the folder given, or the
    /// JSONL `id` field (or `<file>:<line>` when it has none).
    pub id: String,
    /// The file it came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The line of a JSONL file it came from (1-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The headline, when the first line looks like one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Size of the text in bytes.
    pub bytes: usize,
    /// The analysis; absent when `error` is set.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub article: Option<ArticleReport>,
    /// Why the article could not be analysed; absent on success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The analysis part of a record.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleReport {
    /// Number of sentences.
    pub sentences: usize,
    /// Number of words.
    pub words: usize,
    /// The picked sentences, in article order.
    pub summary: Vec<SummarySentence>,
    /// The tone.
    pub tone: Tone,
    /// Every sentence with its scores (with `--all-sentences`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_sentences: Option<Vec<SentenceRow>>,
}

/// A picked sentence.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SummarySentence {
    /// Sentence index in the article.
    pub index: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Summary score, the best sentence being 1.
    pub score: f64,
    /// The sentence.
    pub text: String,
}

/// Every sentence, for `--all-sentences`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SentenceRow {
    /// Sentence index.
    pub index: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Summary score, the best sentence being 1.
    pub score: f64,
    /// Rank by summary score (1 = best).
    pub rank: usize,
    /// Whether it is in the summary.
    pub picked: bool,
    /// Tone score of the sentence.
    pub tone: f64,
    /// The sentence.
    pub text: String,
}

/// Summary scores are rounded to this many decimals in records, so that
/// output is stable and compact.
const DECIMALS: f64 = 1e6;

fn round(x: f64) -> f64 {
    (x * DECIMALS).round() / DECIMALS
}

impl Record {
    /// A record for an analysed article.
    pub fn from_analysis(
        id: String,
        path: Option<String>,
        text: &str,
        a: Analysis,
        all_sentences: bool,
    ) -> Record {
        let summary = a
            .summary
            .picked
            .iter()
            .map(|&i| {
                let s = a.sentences[i];
                SummarySentence {
                    index: i,
                    start: s.start,
                    end: s.end,
                    score: round(a.summary.scores[i]),
                    text: s.slice(text).to_string(),
                }
            })
            .collect();
        let all = all_sentences.then(|| {
            let ranks = a.summary.ranks();
            a.sentences
                .iter()
                .enumerate()
                .map(|(i, s)| SentenceRow {
                    index: i,
                    start: s.start,
                    end: s.end,
                    score: round(a.summary.scores[i]),
                    rank: ranks[i],
                    picked: a.summary.picked.binary_search(&i).is_ok(),
                    tone: round(a.tone.sentences[i].score),
                    text: s.slice(text).to_string(),
                })
                .collect()
        });
        let mut tone = a.tone;
        tone.score = round(tone.score);
        tone.warm = round(tone.warm);
        tone.impasse = round(tone.impasse);
        for s in &mut tone.sentences {
            s.score = round(s.score);
        }
        let words = a.sentence_words.iter().map(|&w| w as usize).sum();
        Record {
            id,
            path,
            line: None,
            title: a.title.map(|t| a.sentences[t].slice(text).to_string()),
            bytes: text.len(),
            article: Some(ArticleReport {
                sentences: a.sentences.len(),
                words,
                summary,
                tone,
                all_sentences: all,
            }),
            error: None,
        }
    }

    /// A record for an article that could not be analysed.
    pub fn failed(id: String, path: Option<String>, error: String) -> Record {
        Record {
            id,
            path,
            line: None,
            title: None,
            bytes: 0,
            article: None,
            error: Some(error),
        }
    }
}
