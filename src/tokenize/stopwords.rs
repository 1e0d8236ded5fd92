//! Stopwords: a plain list, one word per line, from `lexicons/stopwords/`.

use rustc_hash::FxHashSet;

use crate::{Error, Result};

const ENGLISH: &str = include_str!("../../lexicons/stopwords/en.txt");

/// A set of lowercased stopwords.
#[derive(Clone, Debug, Default)]
pub struct StopWords {
    words: FxHashSet<Box<str>>,
}

impl StopWords {
    /// The embedded English list.
    pub fn english() -> StopWords {
        StopWords::parse(ENGLISH, "<embedded stopwords/en.txt>")
            .expect("the embedded stopword list is valid (checked by a test)")
    }

    /// Parses a list: one word per line, `#` starts a comment line, blank
    /// lines ignored. Words are lowercased and their apostrophes normalised.
    pub fn parse(source: &str, name: &str) -> Result<StopWords> {
        let mut words = FxHashSet::default();
        for (i, line) in source.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.split_whitespace().nth(1).is_some() {
                return Err(Error::Lexicon {
                    path: name.to_string(),
                    line: i + 1,
                    message: format!("expected one word, found {line:?}"),
                });
            }
            words.insert(super::Vocabulary::normalize(line).into());
        }
        Ok(StopWords { words })
    }

    /// Whether `word` (normalised) is a stopword.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses() {
        let s = StopWords::english();
        assert!(s.contains("the") && s.contains("didn't") && !s.contains("summit"));
        assert!(s.len() > 150);
    }

    #[test]
    fn two_words_on_a_line_is_an_error_naming_the_line() {
        let err = StopWords::parse("the\n# c\nof the\n", "mine.txt").unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.txt:3: expected one word, found \"of the\""
        );
    }
}
