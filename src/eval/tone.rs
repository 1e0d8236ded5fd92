//! Tone against human ratings: Pearson, Spearman, three-class agreement.

use std::path::Path;

use serde::Serialize;

use super::stats::{pearson, spearman};
use crate::tone::Label;
use crate::{Engine, Error, Result};

/// One rated text.
#[derive(Clone, Debug)]
pub struct Rated {
    /// Its id.
    pub id: String,
    /// Human rating, on the file's scale.
    pub rating: f64,
    /// The text.
    pub text: String,
}

/// Column names of a ratings file.
#[derive(Clone, Debug)]
pub struct Columns {
    /// Id column.
    pub id: String,
    /// Rating column.
    pub rating: String,
    /// Text column.
    pub text: String,
}

/// Reads a TSV with a header; errors name the file and line.
pub fn read_ratings(path: &Path, cols: &Columns) -> Result<Vec<Rated>> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        error: source,
    })?;
    let name = path.display().to_string();
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, h)| h.split('\t').collect())
        .unwrap_or_default();
    let find = |c: &str| {
        header
            .iter()
            .position(|h| *h == c)
            .ok_or_else(|| Error::Format {
                path: name.clone(),
                message: format!("no column {c:?} in the header {header:?}"),
            })
    };
    let (ci, cr, ct) = (find(&cols.id)?, find(&cols.rating)?, find(&cols.text)?);
    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let get = |k: usize| {
            f.get(k).copied().ok_or_else(|| Error::Format {
                path: format!("{name}:{}", i + 1),
                message: format!("expected at least {} fields, found {}", k + 1, f.len()),
            })
        };
        let rating: f64 = get(cr)?.trim().parse().map_err(|_| Error::Format {
            path: format!("{name}:{}", i + 1),
            message: format!("rating {:?} is not a number", f[cr]),
        })?;
        out.push(Rated {
            id: get(ci)?.to_string(),
            rating,
            text: get(ct)?.to_string(),
        });
    }
    Ok(out)
}

/// The agreement figures.
#[derive(Clone, Debug, Serialize)]
pub struct ToneEval {
    /// Texts scored.
    pub texts: usize,
    /// Pearson's r of score and rating.
    pub pearson: f64,
    /// Spearman's rho.
    pub spearman: f64,
    /// Share of texts whose label equals the human class.
    pub accuracy: f64,
    /// Human class (rows: impasse, neutral, warm) by predicted label (columns, same order).
    pub confusion: [[usize; 3]; 3],
    /// Texts with at least one lexicon hit.
    pub covered: usize,
    /// Every text's score, in input order.
    #[serde(skip)]
    pub scores: Vec<f64>,
}

fn class(label: Label) -> usize {
    match label {
        Label::Impasse => 0,
        Label::Neutral => 1,
        Label::Warm => 2,
    }
}

/// Scores each text as one article and compares with the ratings.
/// `neutral_band` is the |rating| below which a human rating counts as
/// neutral, in the file's units (0.5 on VADER's -4..4 scale).
pub fn evaluate(engine: &Engine, rated: &[Rated], neutral_band: f64) -> ToneEval {
    use rayon::prelude::*;
    let results: Vec<(f64, Label, bool)> = rated
        .par_iter()
        .map_init(
            || engine.workspace(),
            |ws, r| {
                let (_, tone) = engine.tone(&r.text, ws);
                (tone.score, tone.label, !tone.evidence.is_empty())
            },
        )
        .collect();
    let scores: Vec<f64> = results.iter().map(|r| r.0).collect();
    let ratings: Vec<f64> = rated.iter().map(|r| r.rating).collect();
    let mut confusion = [[0usize; 3]; 3];
    let mut right = 0;
    for (r, &(_, label, _)) in rated.iter().zip(&results) {
        let truth = if r.rating >= neutral_band {
            2
        } else if r.rating <= -neutral_band {
            0
        } else {
            1
        };
        let got = class(label);
        confusion[truth][got] += 1;
        right += (truth == got) as usize;
    }
    ToneEval {
        texts: rated.len(),
        pearson: pearson(&scores, &ratings).unwrap_or(0.0),
        spearman: spearman(&scores, &ratings).unwrap_or(0.0),
        accuracy: right as f64 / rated.len().max(1) as f64,
        confusion,
        covered: results.iter().filter(|r| r.2).count(),
        scores,
    }
}
