//! Lexicon files: loading the project's own format, VADER's and AFINN's.
//!
//! The project format (`lexicons/tone.tsv`, documented in `lexicons/README.md`):
//!
//! ```text
//! # comment
//! term<TAB>weight[<TAB>category]
//! ```
//!
//! `term` is a word or a phrase of words separated by spaces, `weight` a number
//! in [-4, 4] (the scale of VADER's human ratings), `category` one lowercase
//! word. A term listed twice with different weights is an error naming both
//! lines. VADER files (`word<TAB>mean<TAB>sd<TAB>ratings`) and AFINN files
//! (`word<TAB>integer`, -5..5, rescaled by 4/5) load into the same [`Lexicon`].
//!
//! ```
//! use precis::lexicon::{Format, Lexicon};
//!
//! let lex = Lexicon::parse("warm\t1.8\tpraise\nsea of mistrust\t-2.5\tdistrust\n", "mine.tsv", Format::Precis)?;
//! assert_eq!(lex.entries().len(), 2);
//! assert_eq!(lex.entries()[1].term, "sea of mistrust");
//! # Ok::<(), precis::Error>(())
//! ```

mod modifiers;

use std::borrow::Cow;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::{Error, Result};

pub use modifiers::{Modifier, ModifierKind, Modifiers};

/// The embedded default tone lexicon.
pub const DEFAULT_TONE: &str = include_str!("../../lexicons/tone.tsv");

/// Largest magnitude a weight may have.
pub const MAX_WEIGHT: f32 = 4.0;

/// AFINN rates -5..5; precis uses -4..4.
const AFINN_SCALE: f32 = 4.0 / 5.0;

/// Which file format a lexicon is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    /// `term<TAB>weight[<TAB>category]`, weights in [-4, 4].
    Precis,
    /// VADER: `token<TAB>mean<TAB>sd<TAB>[ratings]`, mean in [-4, 4].
    Vader,
    /// AFINN: `word<TAB>integer` in [-5, 5].
    Afinn,
}

impl Format {
    /// Splits an optional `vader:` / `afinn:` / `precis:` prefix off a path
    /// argument.
    pub fn from_prefixed(arg: &str) -> (Option<Format>, &str) {
        for (prefix, format) in [
            ("vader:", Format::Vader),
            ("afinn:", Format::Afinn),
            ("precis:", Format::Precis),
        ] {
            if let Some(rest) = arg.strip_prefix(prefix) {
                return (Some(format), rest);
            }
        }
        (None, arg)
    }
}

/// One polar entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Entry {
    /// The term as written (lowercased), a word or a phrase. Borrowed from
    /// the binary for the embedded lexicon, so loading it allocates nothing
    /// per entry.
    pub term: Cow<'static, str>,
    /// Valence in [-4, 4]: positive is warm, negative is impasse.
    pub weight: f32,
    /// Optional category.
    pub category: Option<Cow<'static, str>>,
}

/// A list of polar entries, in file order, without duplicates.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
    index: FxHashMap<String, usize>,
}

impl Lexicon {
    /// The embedded default lexicon.
    pub fn english() -> Lexicon {
        // Read at build time (build.rs); a test checks it equals parsing
        // `DEFAULT_TONE`.
        // The term index is left empty: `extend` builds it when needed, so
        // start-up does not hash five thousand terms it never looks up.
        let table = crate::tone::embedded_entries();
        Lexicon {
            entries: table
                .map(|(term, weight, category)| Entry {
                    term: Cow::Borrowed(term),
                    weight,
                    category: category.map(Cow::Borrowed),
                })
                .collect(),
            index: FxHashMap::default(),
        }
    }

    /// Reads a lexicon file. Invalid UTF-8 and bad lines are errors naming the
    /// file and line.
    pub fn load(path: &Path, format: Format) -> Result<Lexicon> {
        let bytes = std::fs::read(path).map_err(|error| Error::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let name = path.display().to_string();
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                return Err(Error::Lexicon {
                    path: name,
                    line,
                    message: "not valid UTF-8".into(),
                });
            }
        };
        Lexicon::parse(text, &name, format)
    }

    /// Parses lexicon text; `name` is used in error messages.
    pub fn parse(source: &str, name: &str, format: Format) -> Result<Lexicon> {
        let mut lex = Lexicon::default();
        // For each entry: the line it came from, and its spelling when that
        // differs from the normalised term (rare: "Warm" for "warm").
        let mut first: Vec<(usize, Option<Box<str>>)> = Vec::new();
        let source = source.strip_prefix('\u{FEFF}').unwrap_or(source);
        for (i, line) in source.lines().enumerate() {
            let line_no = i + 1;
            let err = |message: String| Error::Lexicon {
                path: name.to_string(),
                line: line_no,
                message,
            };
            let trimmed = line.trim();
            if trimmed.is_empty() || (trimmed.starts_with('#') && format == Format::Precis) {
                continue;
            }
            let entry = parse_line(line, format).map_err(err)?;
            let raw = line.split('\t').next().unwrap_or("").trim();
            if let Some(&at) = lex.index.get(entry.term.as_ref()) {
                let old = &lex.entries[at];
                let (first_line, first_raw) = &first[at];
                let first_raw = first_raw.as_deref().unwrap_or(&old.term);
                // The same term written the same way twice must agree; two
                // spellings that only differ in case (VADER has ":-P" and
                // ":-p") keep the first.
                if format != Format::Precis {
                    // VADER's own file lists ":-p" twice; its loader keeps
                    // the last, and so do we for its format and AFINN's.
                    lex.entries[at] = entry;
                    continue;
                }
                if first_raw == raw && (old.weight - entry.weight).abs() > f32::EPSILON {
                    return Err(err(format!(
                        "{:?} is listed again with weight {} (line {} gave {})",
                        entry.term, entry.weight, first_line, old.weight
                    )));
                }
                continue;
            }
            first.push((line_no, (raw != entry.term).then(|| raw.into())));
            lex.index.insert(entry.term.to_string(), lex.entries.len());
            lex.entries.push(entry);
        }
        Ok(lex)
    }

    /// Adds `other`'s entries; an entry of `other` replaces one with the same
    /// term (how `--extra-lexicon` overrides the default).
    pub fn extend(&mut self, other: Lexicon) {
        if self.index.len() != self.entries.len() {
            self.index = (self.entries.iter().enumerate())
                .map(|(i, e)| (e.term.to_string(), i))
                .collect();
        }
        for entry in other.entries {
            match self.index.get(entry.term.as_ref()) {
                Some(&at) => self.entries[at] = entry,
                None => {
                    self.index
                        .insert(entry.term.to_string(), self.entries.len());
                    self.entries.push(entry);
                }
            }
        }
    }

    /// The entries in file order, taken out of the lexicon.
    pub fn into_entries(self) -> Vec<Entry> {
        self.entries
    }

    /// The entries in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

fn parse_weight(field: &str, scale: f32) -> std::result::Result<f32, String> {
    let w: f32 = field
        .trim()
        .parse()
        .map_err(|_| format!("weight {:?} is not a number", field.trim()))?;
    let w = w * scale;
    if !w.is_finite() || w.abs() > MAX_WEIGHT + 1e-4 {
        return Err(format!("weight {} is outside [-4, 4]", field.trim()));
    }
    Ok(w)
}

fn parse_line(line: &str, format: Format) -> std::result::Result<Entry, String> {
    let mut fields = line.split('\t');
    let term = fields.next().unwrap_or("").trim();
    if term.is_empty() {
        return Err("empty term".into());
    }
    let normalized = crate::tokenize::Vocabulary::normalize(term);
    let term = if normalized.contains(|c: char| c.is_whitespace() && c != ' ')
        || normalized.contains("  ")
    {
        normalized.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        normalized.into_owned()
    };
    let weight_field = fields
        .next()
        .ok_or_else(|| format!("{term:?} has no weight (expected term<TAB>weight)"))?;
    let (weight, category) = match format {
        Format::Precis => {
            let weight = parse_weight(weight_field, 1.0)?;
            let category = match fields.next().map(str::trim) {
                None | Some("") => None,
                Some(c) if c.chars().all(|c| c.is_ascii_lowercase() || c == '_') => {
                    Some(c.to_string())
                }
                Some(c) => return Err(format!("category {c:?} must be one lowercase word")),
            };
            if let Some(extra) = fields.next() {
                return Err(format!("unexpected extra field {extra:?}"));
            }
            (weight, category)
        }
        Format::Vader => (parse_weight(weight_field, 1.0)?, None),
        Format::Afinn => {
            let raw = weight_field.trim();
            if raw.parse::<i32>().is_err() {
                return Err(format!("AFINN weight {raw:?} is not an integer"));
            }
            (parse_weight(raw, AFINN_SCALE)?, None)
        }
    };
    Ok(Entry {
        term: Cow::Owned(term),
        weight,
        category: category.map(Cow::Owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicon_is_valid_and_large() {
        let lex = Lexicon::english();
        assert!(lex.len() >= 2000, "{} entries", lex.len());
        // The build-time table is exactly what parsing the file gives.
        let parsed = Lexicon::parse(DEFAULT_TONE, "<embedded tone.tsv>", Format::Precis).unwrap();
        assert_eq!(parsed.entries(), lex.entries());
    }

    #[test]
    fn bad_lines_name_file_and_line() {
        let cases = [
            ("warm\t1.8\n\tx\n", "f.tsv:2: empty term"),
            ("warm\tvery\n", "f.tsv:1: weight \"very\" is not a number"),
            ("warm\t9\n", "f.tsv:1: weight 9 is outside [-4, 4]"),
            (
                "warm\n",
                "f.tsv:1: \"warm\" has no weight (expected term<TAB>weight)",
            ),
            (
                "warm\t1\tGood Stuff\n",
                "f.tsv:1: category \"Good Stuff\" must be one lowercase word",
            ),
            (
                "# c\nwarm\t1.8\nwarm\t2\n",
                "f.tsv:3: \"warm\" is listed again with weight 2 (line 2 gave 1.8)",
            ),
        ];
        for (src, want) in cases {
            let err = Lexicon::parse(src, "f.tsv", Format::Precis).unwrap_err();
            assert_eq!(err.to_string(), want, "{src:?}");
        }
    }

    #[test]
    fn same_weight_duplicate_is_accepted_once() {
        let lex = Lexicon::parse("warm\t1.8\nwarm\t1.8\n", "f", Format::Precis).unwrap();
        assert_eq!(lex.len(), 1);
    }

    #[test]
    fn vader_and_afinn_formats() {
        let v = Lexicon::parse("agreement\t2.2\t0.74833\t[2, 3]\n", "v", Format::Vader).unwrap();
        assert_eq!(v.entries()[0].weight, 2.2);
        let a = Lexicon::parse("abandon\t-2\n", "a", Format::Afinn).unwrap();
        assert!((a.entries()[0].weight - -1.6).abs() < 1e-6);
        let err = Lexicon::parse("abandon\t-2.5\n", "a", Format::Afinn).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a:1: AFINN weight \"-2.5\" is not an integer"
        );
    }

    #[test]
    fn extend_overrides() {
        let mut base = Lexicon::parse("warm\t1.8\ncold\t-1\n", "a", Format::Precis).unwrap();
        base.extend(Lexicon::parse("warm\t3\nthaw\t1\n", "b", Format::Precis).unwrap());
        let got: Vec<(&str, f32)> = base
            .entries()
            .iter()
            .map(|e| (e.term.as_ref(), e.weight))
            .collect();
        assert_eq!(got, [("warm", 3.0), ("cold", -1.0), ("thaw", 1.0)]);
    }

    #[test]
    fn prefixes() {
        assert_eq!(
            Format::from_prefixed("vader:x.txt"),
            (Some(Format::Vader), "x.txt")
        );
        assert_eq!(Format::from_prefixed("x.tsv"), (None, "x.tsv"));
    }

    #[test]
    fn invalid_utf8_names_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.tsv");
        std::fs::write(&p, b"warm\t1\ncold\t-1\nx\xff\t1\n").unwrap();
        let err = Lexicon::load(&p, Format::Precis).unwrap_err();
        assert!(
            err.to_string().ends_with("bad.tsv:3: not valid UTF-8"),
            "{err}"
        );
    }
}
