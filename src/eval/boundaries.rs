//! How well sentence boundaries line up with reference spans.
//!
//! The BBC News Summary set gives, for every article, the character spans of
//! the article that its extractive summary copies; each span is made of whole
//! sentences. A good splitter puts a sentence boundary at every start and every
//! end of those spans. [`span_alignment`] counts how often it does.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::segment::{Segmenter, Span};
use crate::{Error, Result};

/// Span boundaries that a splitter reproduces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AlignmentReport {
    /// Articles read.
    pub articles: usize,
    /// Reference boundaries: the start and the end of every non-blank span.
    pub boundaries: usize,
    /// Reference boundaries that are also a sentence start (for a span start)
    /// or a sentence end (for a span end) of the splitter.
    pub matched: usize,
}

impl AlignmentReport {
    /// The fraction of boundaries matched (1.0 when there are none).
    pub fn ratio(&self) -> f64 {
        if self.boundaries == 0 {
            1.0
        } else {
            self.matched as f64 / self.boundaries as f64
        }
    }
}

/// A reference boundary that is not a sentence boundary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Miss {
    /// The article id.
    pub id: String,
    /// Byte offset of the boundary in the article.
    pub offset: usize,
    /// Whether the boundary is the start of a span (else its end).
    pub is_start: bool,
}

/// One line of `summary_spans.jsonl`; other fields are ignored.
#[derive(Deserialize)]
struct Record {
    id: String,
    article_spans: Vec<[usize; 2]>,
}

/// Compares the sentence boundaries of `segmenter` on each article in
/// `articles_dir` (`<id>.txt`) with the reference spans of `spans_jsonl`
/// (one `{"id": ..., "article_spans": [[start, end], ...]}` per line, in
/// character offsets).
pub fn span_alignment(
    segmenter: &Segmenter,
    articles_dir: &Path,
    spans_jsonl: &Path,
) -> Result<AlignmentReport> {
    span_alignment_with(segmenter, articles_dir, spans_jsonl, |_| {})
}

/// [`span_alignment`], also calling `on_miss` for every unmatched boundary.
pub fn span_alignment_with(
    segmenter: &Segmenter,
    articles_dir: &Path,
    spans_jsonl: &Path,
    mut on_miss: impl FnMut(Miss),
) -> Result<AlignmentReport> {
    let jsonl = read_text(spans_jsonl)?;
    let mut report = AlignmentReport::default();
    let mut sentences: Vec<Span> = Vec::new();
    let mut char_to_byte: Vec<usize> = Vec::new();
    for (index, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record: Record = serde_json::from_str(line).map_err(|e| Error::Format {
            path: spans_jsonl.display().to_string(),
            message: format!("line {}: {e}", index + 1),
        })?;
        let article_path = articles_dir.join(format!("{}.txt", record.id));
        let article = read_text(&article_path)?;

        sentences.clear();
        segmenter.split_into(&article, &mut sentences);
        // Spans are in order, so both their starts and their ends are sorted.
        let is_start = |offset: usize| sentences.binary_search_by_key(&offset, |s| s.start).is_ok();
        let is_end = |offset: usize| sentences.binary_search_by_key(&offset, |s| s.end).is_ok();

        char_to_byte.clear();
        char_to_byte.extend(article.char_indices().map(|(i, _)| i));
        char_to_byte.push(article.len());

        report.articles += 1;
        for &[first, last] in &record.article_spans {
            let (Some(&start), Some(&end)) = (char_to_byte.get(first), char_to_byte.get(last))
            else {
                return Err(Error::Format {
                    path: spans_jsonl.display().to_string(),
                    message: format!(
                        "line {}: span [{first}, {last}) is outside article {} ({} characters)",
                        index + 1,
                        record.id,
                        char_to_byte.len() - 1
                    ),
                });
            };
            let Some(piece) = article.get(start..end.max(start)) else {
                continue;
            };
            let trimmed = piece.trim_start();
            let start = start + (piece.len() - trimmed.len());
            let end = start + trimmed.trim_end().len();
            if start == end {
                continue;
            }
            report.boundaries += 2;
            for (offset, at_start, found) in
                [(start, true, is_start(start)), (end, false, is_end(end))]
            {
                if found {
                    report.matched += 1;
                } else {
                    on_miss(Miss {
                        id: record.id.clone(),
                        offset,
                        is_start: at_start,
                    });
                }
            }
        }
    }
    Ok(report)
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        error: source,
    })?;
    String::from_utf8(bytes).map_err(|e| Error::Utf8 {
        path: path.display().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_starts_and_ends_in_characters() {
        let dir = std::env::temp_dir().join(format!("precis-boundaries-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        // "é" is two bytes: character offsets differ from byte offsets after it.
        fs::write(
            dir.join("a.txt"),
            "Café opens\n\nIt was warm. She left. He stayed",
        )
        .unwrap();
        // [12, 25) is "It was warm. ", [25, 34) "She left.", [30, 40) starts and
        // ends inside sentences.
        let spans = dir.join("spans.jsonl");
        fs::write(
            &spans,
            "{\"id\": \"a\", \"article_spans\": [[12, 25], [25, 34], [30, 40]]}\n",
        )
        .unwrap();
        let mut misses = Vec::new();
        let report =
            span_alignment_with(&Segmenter::new(), &dir, &spans, |m| misses.push(m)).unwrap();
        assert_eq!(
            report,
            AlignmentReport {
                articles: 1,
                boundaries: 6,
                matched: 4
            }
        );
        assert_eq!(misses.len(), 2);
        assert_eq!(
            misses[0],
            Miss {
                id: "a".into(),
                offset: 31,
                is_start: true
            }
        );
        assert!((report.ratio() - 4.0 / 6.0).abs() < 1e-12);
        fs::remove_dir_all(&dir).unwrap();
    }
}
