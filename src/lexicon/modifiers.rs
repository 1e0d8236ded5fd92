//! Modifier words: negators, intensifiers, diminishers, contrast and
//! concessive connectives, hedges. File format (`lexicons/modifiers.tsv`):
//!
//! ```text
//! term<TAB>kind[<TAB>value]
//! ```
//!
//! `kind` is one of `negate` (optional value: how many content words it
//! reaches, instead of the default scope), `intensify` (value: the relative change it makes,
//! +0.3 for "very", -0.3 for "slightly"), `contrast` ("but": what follows
//! wins), `concede` ("although", "despite": the clause it opens yields),
//! `hedge` ("may", "could").

use crate::{Error, Result};

/// The embedded default modifiers.
pub const DEFAULT_MODIFIERS: &str = include_str!("../../lexicons/modifiers.tsv");

/// What a modifier does to nearby lexicon hits.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModifierKind {
    /// Flips and damps the hits in its scope.
    Negate,
    /// Scales the next hit by `1 + value`.
    Intensify,
    /// Hits before it yield, hits after it win.
    Contrast,
    /// The clause it opens yields to the main clause.
    Concede,
    /// Damps the hits that follow in its clause.
    Hedge,
}

/// One modifier entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Modifier {
    /// The word or phrase.
    pub term: String,
    /// What it does.
    pub kind: ModifierKind,
    /// For `Intensify`, the relative change; for `Negate`, its scope in
    /// content words (0: the default); otherwise 0.
    pub value: f32,
}

/// A list of modifiers in file order.
#[derive(Clone, Debug, Default)]
pub struct Modifiers {
    /// The entries.
    pub entries: Vec<Modifier>,
}

impl Modifiers {
    /// The embedded default list.
    pub fn english() -> Modifiers {
        Modifiers::parse(DEFAULT_MODIFIERS, "<embedded modifiers.tsv>")
            .expect("the embedded modifier list is valid (checked by a test)")
    }

    /// Parses a modifier file; `name` is used in error messages.
    pub fn parse(source: &str, name: &str) -> Result<Modifiers> {
        let mut entries: Vec<Modifier> = Vec::new();
        for (i, line) in source.lines().enumerate() {
            let err = |message: String| Error::Lexicon {
                path: name.to_string(),
                line: i + 1,
                message,
            };
            let trimmed = line.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t').map(str::trim);
            let term = fields.next().unwrap_or("");
            if term.is_empty() {
                return Err(err("empty term".into()));
            }
            let kind = match fields.next() {
                Some("negate") => ModifierKind::Negate,
                Some("intensify") => ModifierKind::Intensify,
                Some("contrast") => ModifierKind::Contrast,
                Some("concede") => ModifierKind::Concede,
                Some("hedge") => ModifierKind::Hedge,
                Some(other) => {
                    return Err(err(format!(
                        "unknown kind {other:?} (negate, intensify, contrast, concede, hedge)"
                    )))
                }
                None => return Err(err(format!("{term:?} has no kind"))),
            };
            let value = match (kind, fields.next()) {
                (ModifierKind::Intensify, Some(v)) => match v.parse::<f32>() {
                    Ok(v) if v.is_finite() && v > -1.0 && v <= 2.0 => v,
                    _ => return Err(err(format!("intensity {v:?} must be a number in (-1, 2]"))),
                },
                (ModifierKind::Intensify, None) => {
                    return Err(err(format!("intensifier {term:?} needs a value")))
                }
                (ModifierKind::Negate, Some(v)) => match v.parse::<u8>() {
                    Ok(n @ 1..=12) => n as f32,
                    _ => {
                        return Err(err(format!(
                            "negation scope {v:?} must be a whole number from 1 to 12"
                        )))
                    }
                },
                (_, None) => 0.0,
                (_, Some(v)) => return Err(err(format!("unexpected value {v:?}"))),
            };
            let term = crate::tokenize::Vocabulary::normalize(term).into_owned();
            if let Some(old) = entries.iter().find(|m| m.term == term) {
                if old.kind != kind || old.value != value {
                    return Err(err(format!(
                        "{term:?} is listed twice with different meanings"
                    )));
                }
                continue;
            }
            entries.push(Modifier { term, kind, value });
        }
        Ok(Modifiers { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_list_parses() {
        let m = Modifiers::english();
        let very = m.entries.iter().find(|m| m.term == "very").unwrap();
        assert_eq!(very.kind, ModifierKind::Intensify);
        assert!(very.value > 0.0);
        assert!(m
            .entries
            .iter()
            .any(|m| m.term == "fail to" && m.kind == ModifierKind::Negate));
    }

    #[test]
    fn errors_name_line() {
        let cases = [
            (
                "not\tnegate\nvery\tboost\t0.3\n",
                "m:2: unknown kind \"boost\" (negate, intensify, contrast, concede, hedge)",
            ),
            (
                "very\tintensify\n",
                "m:1: intensifier \"very\" needs a value",
            ),
            (
                "very\tintensify\tx\n",
                "m:1: intensity \"x\" must be a number in (-1, 2]",
            ),
            (
                "not\tnegate\nnot\thedge\n",
                "m:2: \"not\" is listed twice with different meanings",
            ),
        ];
        for (src, want) in cases {
            assert_eq!(Modifiers::parse(src, "m").unwrap_err().to_string(), want);
        }
    }
}
