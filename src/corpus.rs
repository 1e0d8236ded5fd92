//! Corpus statistics: document frequencies and inverse document frequency.
//!
//! IDF is `ln(1 + (N - df + 0.5) / (df + 0.5))` (the smoothed form BM25 uses):
//! always positive, largest for terms never seen (`df = 0`), and defined for a
//! one-document corpus. `N` is the number of documents: sentences when an
//! article is summarized alone, articles when a folder, a stream or a saved
//! model supplies the statistics.
//!
//! Saved models (`precis idf build`) are plain text, versioned, mergeable:
//!
//! ```text
//! precis-idf 1
//! documents<TAB>2225
//! <stem><TAB><document frequency>
//! ...
//! ```
//!
//! Stems are stored as strings, never as hashed ids, so a model outlives
//! changes of the hash function.

use std::io::{BufRead, Write};
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::tokenize::{term_id, TermId};

mod counts;

use crate::{Error, Result};
use counts::TermCounts;

/// First line of a saved model.
pub const MODEL_HEADER: &str = "precis-idf 1";

/// `ln(1 + (N - df + 0.5) / (df + 0.5))`.
///
/// `doc_freq` must not exceed `doc_count`; a larger value (possible when a
/// model is applied to text it was not built on) is clamped.
pub fn idf(doc_freq: u64, doc_count: u64) -> f32 {
    let n = doc_count as f64;
    let df = (doc_freq.min(doc_count)) as f64;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln() as f32
}

/// Document frequencies over a set of documents.
#[derive(Clone, Debug, Default)]
pub struct DocFreqs {
    docs: u64,
    df: TermCounts,
    /// The stem strings, kept only when building a model to save.
    names: Option<FxHashMap<TermId, Box<str>>>,
    /// `idf(df, docs)` for small `df`, filled on first use so a summary's
    /// vectors look IDF up instead of taking a logarithm per term; emptied
    /// whenever the counts change.
    idf_table: std::sync::OnceLock<Box<[f32]>>,
}

/// Document frequencies up to this get a precomputed IDF.
const IDF_TABLE_LEN: u64 = 1 << 14;

impl DocFreqs {
    /// Empty statistics.
    pub fn new() -> DocFreqs {
        DocFreqs::default()
    }

    /// Empty statistics with room for about `terms` distinct terms before
    /// their table grows (growing rehashes every term counted so far).
    pub fn with_capacity(terms: usize) -> DocFreqs {
        DocFreqs {
            df: TermCounts::with_capacity(terms),
            ..DocFreqs::default()
        }
    }

    /// Empty statistics that remember stem strings, so they can be saved.
    pub fn with_names() -> DocFreqs {
        DocFreqs {
            names: Some(FxHashMap::default()),
            ..DocFreqs::default()
        }
    }

    /// Counts one document given its distinct terms.
    pub fn add_document(&mut self, distinct_terms: &[TermId]) {
        self.idf_table.take();
        self.docs += 1;
        self.df.prefetch_first(distinct_terms);
        for (k, &t) in distinct_terms.iter().enumerate() {
            self.df.prefetch_ahead(distinct_terms, k);
            self.df.add(t, 1);
        }
    }

    /// Counts one document given its distinct stems as strings.
    pub fn add_named_document<'a>(&mut self, stems: impl IntoIterator<Item = &'a str>) {
        self.idf_table.take();
        self.docs += 1;
        for s in stems {
            let id = term_id(s);
            self.df.add(id, 1);
            if let Some(names) = &mut self.names {
                names.entry(id).or_insert_with(|| s.into());
            }
        }
    }

    /// Adds another set of statistics (disjoint documents) to this one.
    pub fn merge(&mut self, other: &DocFreqs) {
        self.idf_table.take();
        self.docs += other.docs;
        self.df.add_all(&other.df);
        if let (Some(mine), Some(theirs)) = (&mut self.names, &other.names) {
            for (&t, s) in theirs {
                mine.entry(t).or_insert_with(|| s.clone());
            }
        }
    }

    /// [`merge`](Self::merge), taking `other` over whole when this holds
    /// nothing yet (no copy of its table).
    pub fn absorb(&mut self, other: DocFreqs) {
        if self.docs == 0 && self.df.is_empty() && self.names.is_none() && other.names.is_none() {
            *self = other;
        } else {
            self.merge(&other);
        }
    }

    /// Number of documents.
    pub fn doc_count(&self) -> u64 {
        self.docs
    }

    /// Documents containing `term`.
    #[inline]
    pub fn doc_freq(&self, term: TermId) -> u64 {
        self.df.get(term) as u64
    }

    /// Number of distinct terms.
    pub fn terms(&self) -> usize {
        self.df.len()
    }

    /// The IDF of each of `terms`, in order: [`idf`](Self::idf) with the
    /// lookups overlapped (each term's slot is asked for a few terms ahead;
    /// the table is larger than the core's L2 cache).
    pub fn idfs(&self, terms: &[TermId]) -> Vec<f32> {
        self.df.prefetch_first(terms);
        (0..terms.len())
            .map(|k| {
                self.df.prefetch_ahead(terms, k);
                self.idf(terms[k])
            })
            .collect()
    }

    /// IDF of `term` under these statistics.
    #[inline]
    pub fn idf(&self, term: TermId) -> f32 {
        let df = self.doc_freq(term).min(self.docs);
        let table = self.idf_table.get_or_init(|| {
            (0..=self.docs.min(IDF_TABLE_LEN))
                .map(|df| idf(df, self.docs))
                .collect()
        });
        match table.get(df as usize) {
            Some(&x) => x,
            None => idf(df, self.docs),
        }
    }

    /// Writes the model format; needs statistics built [`with_names`](Self::with_names).
    /// Lines are sorted by stem so equal models are equal files.
    pub fn save(&self, out: &mut impl Write) -> std::io::Result<()> {
        let names = self.names.as_ref().ok_or_else(|| {
            std::io::Error::other("these statistics were built without stem names")
        })?;
        let mut rows: Vec<(&str, u32)> = self
            .df
            .iter()
            .map(|(t, n)| (names.get(&t).map_or("", |s| s), n))
            .filter(|(s, _)| !s.is_empty())
            .collect();
        rows.sort_unstable();
        writeln!(out, "{MODEL_HEADER}")?;
        writeln!(out, "documents\t{}", self.docs)?;
        for (s, n) in rows {
            writeln!(out, "{s}\t{n}")?;
        }
        Ok(())
    }

    /// Reads a saved model, keeping the names (so it can be merged and saved).
    pub fn load(path: &Path) -> Result<DocFreqs> {
        let file = std::fs::File::open(path).map_err(|error| Error::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let name = path.display().to_string();
        let bad = |line: usize, message: String| Error::Format {
            path: format!("{name}:{line}"),
            message,
        };
        let mut out = DocFreqs::with_names();
        let mut docs = None;
        for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(|e| bad(i + 1, format!("cannot read line: {e}")))?;
            match i {
                0 if line == MODEL_HEADER => continue,
                0 => return Err(bad(1, format!("expected {MODEL_HEADER:?}, found {line:?}"))),
                _ => {}
            }
            let (key, value) = line
                .split_once('\t')
                .ok_or_else(|| bad(i + 1, "expected <stem><TAB><count>".into()))?;
            let n: u64 = value
                .parse()
                .map_err(|_| bad(i + 1, format!("count {value:?} is not a whole number")))?;
            if i == 1 {
                if key != "documents" {
                    return Err(bad(2, "expected documents<TAB><count>".into()));
                }
                docs = Some(n);
                continue;
            }
            let n = u32::try_from(n).map_err(|_| bad(i + 1, format!("count {n} is too large")))?;
            if key.is_empty() {
                return Err(bad(i + 1, "empty stem".into()));
            }
            let id = term_id(key);
            let names = out.names.get_or_insert_with(FxHashMap::default);
            if names.insert(id, key.into()).is_some() {
                return Err(bad(i + 1, format!("stem {key:?} is listed twice")));
            }
            // A stem counted in no document adds nothing (and is not kept).
            if n > 0 {
                out.df.add(id, n);
            }
        }
        out.docs = docs.ok_or_else(|| bad(1, "empty model".into()))?;
        if let Some((_, n)) = out.df.iter().find(|&(_, n)| n as u64 > out.docs) {
            return Err(Error::Format {
                path: name,
                message: format!(
                    "a document frequency ({n}) exceeds the document count ({})",
                    out.docs
                ),
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idf_values() {
        // One document containing the term: ln(1 + 0.5/1.5).
        assert!((idf(1, 1) - (4.0f64 / 3.0).ln() as f32).abs() < 1e-6);
        assert!(idf(0, 10) > idf(1, 10));
        assert!(idf(10, 10) > 0.0);
        assert_eq!(idf(20, 10), idf(10, 10));
    }

    #[test]
    fn cached_idf_follows_every_change_of_the_counts() {
        let (talk, summit) = (term_id("talk"), term_id("summit"));
        let mut df = DocFreqs::new();
        df.add_document(&[talk, summit]);
        df.add_document(&[talk]);
        assert_eq!(df.idf(talk), idf(2, 2));
        assert_eq!(df.idf(summit), idf(1, 2));
        assert_eq!(df.idf(term_id("sanction")), idf(0, 2));
        // The table filled by the calls above must not outlive a new document.
        df.add_document(&[summit]);
        assert_eq!(df.idf(talk), idf(2, 3));
        assert_eq!(df.idf(summit), idf(2, 3));
        let mut other = DocFreqs::new();
        other.add_document(&[talk]);
        df.merge(&other);
        assert_eq!(df.idf(talk), idf(3, 4));
    }

    #[test]
    fn save_load_merge_round_trip() {
        let mut a = DocFreqs::with_names();
        a.add_named_document(["talk", "summit"]);
        a.add_named_document(["talk"]);
        let mut b = DocFreqs::with_names();
        b.add_named_document(["sanction"]);
        let dir = tempfile::tempdir().unwrap();
        let pa = dir.path().join("a.idf");
        a.save(&mut std::fs::File::create(&pa).unwrap()).unwrap();
        let text = std::fs::read_to_string(&pa).unwrap();
        assert_eq!(text, "precis-idf 1\ndocuments\t2\nsummit\t1\ntalk\t2\n");
        let mut loaded = DocFreqs::load(&pa).unwrap();
        loaded.merge(&b);
        assert_eq!(loaded.doc_count(), 3);
        assert_eq!(loaded.doc_freq(term_id("talk")), 2);
        assert_eq!(loaded.doc_freq(term_id("sanction")), 1);
        let mut out = Vec::new();
        loaded.save(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "precis-idf 1\ndocuments\t3\nsanction\t1\nsummit\t1\ntalk\t2\n"
        );
    }

    #[test]
    fn bad_models_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("m.idf");
        for (text, want) in [
            ("idf\n", "m.idf:1: expected \"precis-idf 1\", found \"idf\""),
            (
                "precis-idf 1\ndocuments\t2\ntalk\tmany\n",
                "m.idf:3: count \"many\" is not a whole number",
            ),
            (
                "precis-idf 1\ndocuments\t2\ntalk\t1\ntalk\t2\n",
                "m.idf:4: stem \"talk\" is listed twice",
            ),
        ] {
            std::fs::write(&p, text).unwrap();
            let err = DocFreqs::load(&p).unwrap_err().to_string();
            assert!(err.ends_with(want), "{err}");
        }
    }
}
