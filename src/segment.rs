//! Sentence boundaries as byte spans into the original text.

use serde::Serialize;

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

/// An abbreviation-aware sentence splitter.
#[derive(Clone, Debug, Default)]
pub struct Segmenter {}

impl Segmenter {
    /// The English splitter with the embedded abbreviation list.
    pub fn new() -> Segmenter {
        Segmenter {}
    }

    /// Splits `text` into sentences, appending their spans to `out`.
    pub fn split_into(&self, text: &str, out: &mut Vec<Span>) {
        // Placeholder: paragraphs only.
        let mut pos = 0;
        for part in text.split('\n') {
            let trimmed = part.trim();
            if !trimmed.is_empty() {
                let start = pos + (part.len() - part.trim_start().len());
                out.push(Span { start, end: start + trimmed.len() });
            }
            pos += part.len() + 1;
        }
    }

    /// Splits `text` into sentences.
    pub fn split(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        self.split_into(text, &mut out);
        out
    }
}
