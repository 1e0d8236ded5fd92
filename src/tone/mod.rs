//! Diplomatic tone: a score in [-1, 1] per sentence and per article, on the
//! axis warm, positive, cooperative (+) versus impasse, failure, conflict (-),
//! with the evidence that produced it.
//!
//! A sentence's hits are lexicon entries matched on its tokens; each hit's
//! base weight (in [-4, 4]) is changed by the rules below, the changed weights
//! are summed to `S`, and the sentence score is `S / sqrt(S² + ALPHA)`.
//! The article score is the mean of its sentence scores weighted by the
//! evidence mass of each sentence (the sum of absolute hit weights), so an
//! article repeated twice scores exactly what it scores once, and sentences
//! with no evidence (a neutral paragraph) do not move it.
//!
//! ```
//! use precis::{Engine, EngineConfig};
//!
//! let engine = Engine::new(EngineConfig::default());
//! let a = engine.analyze("It was a very warm, very positive letter.");
//! assert!(a.tone.score > 0.5);
//! let b = engine.analyze("The talks ended abruptly without a deal.");
//! assert!(b.tone.score < 0.0);
//! ```

mod forms;
mod index;
mod model;

pub(crate) use model::Payload;
pub use model::ToneModel;

/// The embedded lexicon's entries, read at build time.
pub(crate) fn embedded_entries(
) -> impl ExactSizeIterator<Item = (&'static str, f32, Option<&'static str>)> {
    model::precomputed::entries()
}

use serde::Serialize;

use crate::lexicon::ModifierKind;
use crate::segment::Span;
use crate::tokenize::Token;

/// Normalisation constant of the sentence score `S / sqrt(S² + ALPHA)`:
/// a single clear hit (weight 2) gives about 0.5, two strong ones about 0.85.
pub const ALPHA: f64 = 15.0;

/// A negated positive hit is multiplied by this: flipped, and damped because
/// "not good" is milder than "bad" (the factor VADER measured with raters).
pub const NEGATION_FACTOR: f32 = -0.74;

/// A negated negative hit is multiplied by this instead: it is cancelled,
/// not flipped. "Did not anticipate catastrophe" or "cannot allow these
/// crimes" do not read as praise, and "not a failure" reads as faint relief
/// at most; flipping them was the commonest error of symmetric negation on
/// the NYT set (Pearson 0.515 flipped, 0.530 cancelled).
pub const NEGATED_NEGATIVE_FACTOR: f32 = 0.0;

/// How many content words (non-stopwords) after a negator it reaches, within
/// its clause: "does not see the Hanoi summit as a failed meeting" reaches
/// "failed", four content words on.
pub const NEGATION_SCOPE: u8 = 4;

/// How many words after an intensifier it still applies to ("very much
/// welcomed").
pub const INTENSIFIER_REACH: u8 = 2;

/// Hits before "but" keep this share of their weight...
pub const CONTRAST_BEFORE: f32 = 0.5;

/// ...and hits after it are worth this much more: the clause after "but" is
/// the one the writer stands behind.
pub const CONTRAST_AFTER: f32 = 1.5;

/// Hits inside a concessive clause ("although the talks were cordial, ...")
/// keep this share: the main clause wins.
pub const CONCESSION_FACTOR: f32 = 0.5;

/// Hits after a hedge in its clause ("may", "could") keep this share.
pub const HEDGE_FACTOR: f32 = 0.7;

/// A title's evidence counts this much more in the article score: the
/// headline states what the article is about.
pub const TITLE_WEIGHT: f64 = 1.5;

/// Article scores at or above this are labelled warm.
pub const WARM_AT: f64 = 0.1;

/// Article scores at or below this are labelled impasse.
pub const IMPASSE_AT: f64 = -0.1;

/// The three-way label of a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    /// Warm, positive, cooperative.
    Warm,
    /// Neither.
    Neutral,
    /// Impasse, failure, conflict.
    Impasse,
}

impl Label {
    /// The label of a score, with the documented thresholds.
    pub fn of(score: f64) -> Label {
        if score >= WARM_AT {
            Label::Warm
        } else if score <= IMPASSE_AT {
            Label::Impasse
        } else {
            Label::Neutral
        }
    }

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Warm => "warm",
            Label::Neutral => "neutral",
            Label::Impasse => "impasse",
        }
    }
}

/// A rule that changed a hit's weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// A negator in scope.
    Negation,
    /// An intensifier or diminisher just before.
    Intensifier,
    /// Before a contrast word.
    BeforeContrast,
    /// After a contrast word.
    AfterContrast,
    /// Inside a concessive clause.
    Concession,
    /// After a hedge.
    Hedge,
}

/// One rule applied to a hit: which, by what factor, triggered by which word.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AppliedRule {
    /// The rule.
    pub rule: RuleKind,
    /// The factor the weight was multiplied by.
    pub factor: f32,
    /// The trigger word's byte span.
    pub start: usize,
    /// End of the trigger span.
    pub end: usize,
}

/// One matched lexicon entry.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evidence {
    /// The entry matched, as written in the lexicon.
    pub term: std::borrow::Cow<'static, str>,
    /// First byte of the matched text.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of the sentence it is in.
    pub sentence: usize,
    /// Final weight after the rules.
    pub weight: f32,
    /// The entry's weight in the lexicon.
    pub base: f32,
    /// The entry's category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<std::borrow::Cow<'static, str>>,
    /// Whether a negator flipped it.
    pub negated: bool,
    /// Whether an intensifier or diminisher scaled it.
    pub intensified: bool,
    /// Every rule that changed it, in the order applied.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<AppliedRule>,
    /// The entry's index in the model (`term` and `category` are its),
    /// so that a spilled evidence is stored as a number.
    #[serde(skip)]
    pub(crate) entry: u32,
}

/// Tone of one sentence.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SentenceTone {
    /// Sentence index.
    pub index: usize,
    /// Score in [-1, 1].
    pub score: f64,
}

/// Tone of an article.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Tone {
    /// Score in [-1, 1].
    pub score: f64,
    /// Label from the thresholds [`WARM_AT`] and [`IMPASSE_AT`].
    pub label: Label,
    /// Share of the evidence mass that is positive, in [0, 1].
    pub warm: f64,
    /// Share of the evidence mass that is negative, in [0, 1].
    pub impasse: f64,
    /// Every sentence's score.
    pub sentences: Vec<SentenceTone>,
    /// Every hit, in text order.
    pub evidence: Vec<Evidence>,
}

/// A [`Tone`] as a batch keeps it between its two passes: each evidence in
/// 24 bytes instead of 112, its term, category and base weight left to its
/// lexicon entry, and the rules of all of them in one list. BBC's 49,000
/// evidences took 5.5 MB, a sixth of a run's page faults, as [`Evidence`].
/// [`unpack`](Self::unpack) gives the [`Tone`] back exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct PackedTone {
    /// Score in [-1, 1].
    pub score: f64,
    /// Label from the thresholds [`WARM_AT`] and [`IMPASSE_AT`].
    pub label: Label,
    /// Share of the evidence mass that is positive, in [0, 1].
    pub warm: f64,
    /// Share of the evidence mass that is negative, in [0, 1].
    pub impasse: f64,
    /// Every sentence's score.
    pub sentences: Vec<SentenceTone>,
    evidence: Vec<PackedEvidence>,
    /// The rules of every evidence, in order.
    rules: Vec<AppliedRule>,
}

/// An [`Evidence`] without what its entry holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct PackedEvidence {
    pub entry: u32,
    pub start: u32,
    pub end: u32,
    pub sentence: u32,
    pub weight: f32,
    /// How many of the tone's `rules` are this evidence's.
    pub rules: u16,
    pub negated: bool,
    pub intensified: bool,
}

impl PackedTone {
    /// Packs the evidence in `scratch` (which is left empty), with the
    /// rest of a tone. Positions past `u32` (texts of 4 GiB) do not occur:
    /// tokens hold `u32` positions.
    fn pack(
        scratch: &mut Vec<Evidence>,
        score: f64,
        warm: f64,
        impasse: f64,
        sentences: Vec<SentenceTone>,
    ) -> PackedTone {
        let mut rules = Vec::with_capacity(scratch.iter().map(|e| e.rules.len()).sum());
        let evidence = scratch
            .drain(..)
            .map(|e| {
                rules.extend_from_slice(&e.rules);
                PackedEvidence {
                    entry: e.entry,
                    start: e.start as u32,
                    end: e.end as u32,
                    sentence: e.sentence as u32,
                    weight: e.weight,
                    rules: e.rules.len() as u16,
                    negated: e.negated,
                    intensified: e.intensified,
                }
            })
            .collect();
        PackedTone {
            score,
            label: Label::of(score),
            warm,
            impasse,
            sentences,
            evidence,
            rules,
        }
    }

    /// Builds a packed tone from its parts (a spilled tone read back);
    /// `None` if the evidence counts more rules than there are.
    pub(crate) fn from_parts(
        score: f64,
        label: Label,
        warm: f64,
        impasse: f64,
        sentences: Vec<SentenceTone>,
        evidence: Vec<PackedEvidence>,
        rules: Vec<AppliedRule>,
    ) -> Option<PackedTone> {
        let counted: usize = evidence.iter().map(|e| e.rules as usize).sum();
        (counted == rules.len()).then_some(PackedTone {
            score,
            label,
            warm,
            impasse,
            sentences,
            evidence,
            rules,
        })
    }

    /// The evidence, each with its rules.
    pub(crate) fn evidence(&self) -> impl Iterator<Item = (&PackedEvidence, &[AppliedRule])> {
        let mut at = 0;
        self.evidence.iter().map(move |e| {
            let rules = &self.rules[at..at + e.rules as usize];
            at += e.rules as usize;
            (e, rules)
        })
    }

    /// Points evidence `k` at another entry (to test decoding).
    #[cfg(test)]
    pub(crate) fn set_entry(&mut self, k: usize, entry: u32) {
        self.evidence[k].entry = entry;
    }

    /// Number of evidences.
    pub fn evidence_len(&self) -> usize {
        self.evidence.len()
    }

    /// Approximate heap size, for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        self.sentences.len() * std::mem::size_of::<SentenceTone>()
            + self.evidence.len() * std::mem::size_of::<PackedEvidence>()
            + self.rules.len() * std::mem::size_of::<AppliedRule>()
    }

    /// The tone, with every evidence's term, category and base weight from
    /// `model` (the model that scored it).
    pub fn unpack(self, model: &ToneModel) -> Tone {
        let evidence = self
            .evidence()
            .map(|(e, rules)| {
                let entry = &model.entries[e.entry as usize];
                Evidence {
                    term: entry.term.clone(),
                    start: e.start as usize,
                    end: e.end as usize,
                    sentence: e.sentence as usize,
                    weight: e.weight,
                    base: entry.weight,
                    category: entry.category.clone(),
                    negated: e.negated,
                    intensified: e.intensified,
                    rules: rules.to_vec(),
                    entry: e.entry,
                }
            })
            .collect();
        Tone {
            score: self.score,
            label: self.label,
            warm: self.warm,
            impasse: self.impasse,
            sentences: self.sentences,
            evidence,
        }
    }
}

/// The sentence score of a sum of hit weights: `S / sqrt(S² + ALPHA)`.
pub fn squash(sum: f64) -> f64 {
    if sum == 0.0 {
        0.0
    } else {
        sum / (sum * sum + ALPHA).sqrt()
    }
}

/// Scores the sentences of one article.
///
/// `tokens` are the article's tokens, `sentence_tokens[i]` the range of
/// tokens of sentence `i`; `title` is the index of a headline, if any.
/// Sentences listed in `skip` (boilerplate) get no evidence. `tagged`: the
/// tokens come from a vocabulary given `model.tagger()`, which saves a
/// lookup per word; without tags the result is the same.
///
/// The evidence is gathered in `scratch` (left empty, with its room, for
/// the next article) and returned packed, at its exact length: a batch
/// keeps every article's evidence until the corpus is counted.
#[allow(clippy::too_many_arguments)]
pub fn score(
    model: &ToneModel,
    text: &str,
    sentences: &[Span],
    sentence_tokens: &[std::ops::Range<usize>],
    tokens: &[Token],
    title: Option<usize>,
    skip: &[bool],
    tagged: bool,
    scratch: &mut Vec<Evidence>,
) -> PackedTone {
    scratch.clear();
    let evidence = scratch;
    let mut sentence_scores = Vec::with_capacity(sentences.len());
    let (mut num, mut den) = (0.0f64, 0.0f64);
    let (mut pos_mass, mut neg_mass) = (0.0f64, 0.0f64);
    for (index, range) in sentence_tokens.iter().enumerate() {
        let first = evidence.len();
        if !skip.get(index).copied().unwrap_or(false) {
            let tokens = &tokens[range.clone()];
            score_sentence(model, text, index, tokens, tagged, evidence);
        }
        let hits = &evidence[first..];
        let sum: f64 = hits.iter().map(|h| h.weight as f64).sum();
        let mass: f64 = hits.iter().map(|h| h.weight.abs() as f64).sum();
        for h in hits {
            if h.weight > 0.0 {
                pos_mass += h.weight as f64;
            } else {
                neg_mass -= h.weight as f64;
            }
        }
        let s = squash(sum);
        let w = if Some(index) == title {
            mass * TITLE_WEIGHT
        } else {
            mass
        };
        num += w * s;
        den += w;
        sentence_scores.push(SentenceTone { index, score: s });
    }
    let score = if den > 0.0 {
        (num / den).clamp(-1.0, 1.0)
    } else {
        0.0
    };
    let total = pos_mass + neg_mass;
    let (warm, impasse) = if total > 0.0 {
        (pos_mass / total, neg_mass / total)
    } else {
        (0.0, 0.0)
    };
    PackedTone::pack(evidence, score, warm, impasse, sentence_scores)
}

/// Whether the text between two words closes a clause: punctuation that a
/// negation or a hedge does not reach across.
fn clause_break(gap: &str) -> bool {
    if gap == " " {
        return false;
    }
    gap.bytes().any(|b| {
        matches!(
            b,
            b',' | b';' | b':' | b'(' | b')' | b'[' | b']' | b'!' | b'?' | b'.'
        )
    }) || gap.contains('\u{2014}')
        || gap.contains('\u{2013}')
        || gap.contains(" - ")
}

struct Trigger {
    start: usize,
    end: usize,
}

/// Scores one sentence's tokens, appending its hits to `out`.
fn score_sentence(
    model: &ToneModel,
    text: &str,
    index: usize,
    tokens: &[Token],
    tagged: bool,
    out: &mut Vec<Evidence>,
) {
    let first_hit = out.len();
    // Whether the sentence is in title case, asked only by a capitalized
    // match inside it (see `in_name`), and then counted once.
    let mut title_case: Option<bool> = None;
    let mut is_title_case = || {
        *title_case.get_or_insert_with(|| {
            let capitals = tokens
                .iter()
                .filter(|t| t.is_capitalized() && t.has_letter())
                .count();
            capitals * 2 > tokens.len()
        })
    };
    // Negation: remaining content words in scope, and its trigger.
    let mut negation: Option<(u8, Trigger)> = None;
    let mut intensity: Option<(u8, f32, Trigger)> = None;
    let mut hedge: Option<Trigger> = None;
    let mut concession: Option<Trigger> = None;
    let mut contrast: Option<Trigger> = None;
    let mut i = 0;
    while i < tokens.len() {
        // A clause break ends the open scopes; with none open (most words)
        // the gap need not be read.
        let open =
            negation.is_some() || intensity.is_some() || hedge.is_some() || concession.is_some();
        // Most words neither match nor start a phrase (tag 0), negate
        // nothing, and have no scope to count them: nothing below would
        // change, so they are passed over here.
        if tagged && !open && tokens[i].tag == 0 && !tokens[i].is_negative_contraction() {
            i += 1;
            continue;
        }
        if i > 0 && open {
            let gap = &text[tokens[i - 1].end as usize..tokens[i].start as usize];
            // (`clause_break` is false for whitespace alone.)
            if clause_break(gap) {
                negation = None;
                intensity = None;
                hedge = None;
                concession = None;
            }
        }
        let tok = tokens[i];
        let found = match model.match_at(text, &tokens[i..], tagged) {
            Some((Payload::Polar(_), len)) if in_name(text, tokens, i, len, &mut is_title_case) => {
                None
            }
            f => f,
        };
        let len = found.map_or(1, |(_, len)| len);
        let trigger = Trigger {
            start: tok.start as usize,
            end: tokens[i + len - 1].end as usize,
        };
        let modifier = match found {
            Some((Payload::Modifier(m), _)) => Some(model.modifier_kind(m)),
            _ if tok.is_negative_contraction() => Some((ModifierKind::Negate, 0.0)),
            _ => None,
        };
        match (modifier, found) {
            (Some((kind, value)), _) => match kind {
                // A second negator restarts the scope ("neither ... nor").
                ModifierKind::Negate => {
                    let scope = if value > 0.0 {
                        value as u8
                    } else {
                        NEGATION_SCOPE
                    };
                    negation = Some((scope, trigger))
                }
                ModifierKind::Intensify => intensity = Some((INTENSIFIER_REACH, value, trigger)),
                ModifierKind::Hedge => hedge = Some(trigger),
                ModifierKind::Concede => concession = Some(trigger),
                ModifierKind::Contrast => {
                    for hit in &mut out[first_hit..] {
                        apply(hit, RuleKind::BeforeContrast, CONTRAST_BEFORE, &trigger);
                    }
                    // What a negator or hedge said before "but" stops there.
                    negation = None;
                    hedge = None;
                    concession = None;
                    contrast = Some(trigger);
                }
            },
            (None, Some((Payload::Polar(e), _))) if model.weights[e as usize] != 0.0 => {
                let weight = model.weights[e as usize];
                // The term and category are the entry's, filled in when the
                // packed tone is unpacked (`PackedTone::unpack`): packing
                // keeps only the entry's index.
                let mut hit = Evidence {
                    term: std::borrow::Cow::Borrowed(""),
                    start: trigger.start,
                    end: trigger.end,
                    sentence: index,
                    weight,
                    base: weight,
                    category: None,
                    negated: false,
                    intensified: false,
                    rules: Vec::new(),
                    entry: e,
                };
                if let Some((_, value, t)) = &intensity {
                    apply(&mut hit, RuleKind::Intensifier, 1.0 + value, t);
                    hit.intensified = true;
                    // The evidence a reader sees is "very warm", not "warm".
                    hit.start = t.start;
                    intensity = None;
                }
                if let Some((_, t)) = &negation {
                    let factor = if hit.weight < 0.0 {
                        NEGATED_NEGATIVE_FACTOR
                    } else {
                        NEGATION_FACTOR
                    };
                    apply(&mut hit, RuleKind::Negation, factor, t);
                    hit.negated = true;
                }
                if let Some(t) = &hedge {
                    apply(&mut hit, RuleKind::Hedge, HEDGE_FACTOR, t);
                }
                if let Some(t) = &concession {
                    apply(&mut hit, RuleKind::Concession, CONCESSION_FACTOR, t);
                }
                if let Some(t) = &contrast {
                    apply(&mut hit, RuleKind::AfterContrast, CONTRAST_AFTER, t);
                }
                out.push(hit);
            }
            // A zero-weight entry ("according to") is a neutral sense that
            // only keeps its words from matching.
            _ => {}
        }
        // Scopes count the content words they pass over.
        let is_trigger = modifier.is_some();
        if !is_trigger && (negation.is_some() || intensity.is_some()) {
            let content = tokens[i..i + len].iter().filter(|t| !t.is_stop()).count() as u8;
            if let Some((left, _)) = &mut negation {
                *left = left.saturating_sub(content);
                if *left == 0 {
                    negation = None;
                }
            }
            if let Some((left, _, _)) = &mut intensity {
                *left = left.saturating_sub(len as u8);
                if *left == 0 {
                    intensity = None;
                }
            }
        }
        i += len;
    }
}

/// Whether the words `i..i + len` are inside a name: capitalized, not the
/// sentence's first word, with a capitalized neighbour ("Environmental
/// Protection Agency", "National Assessment of Educational Progress").
/// Names carry no tone. Not applied to title-case lines, where every word
/// is capitalized (`title_case` says whether the sentence is one).
fn in_name(
    text: &str,
    tokens: &[Token],
    i: usize,
    len: usize,
    title_case: &mut impl FnMut() -> bool,
) -> bool {
    if i == 0 || !tokens[i..i + len].iter().all(Token::is_capitalized) || title_case() {
        return false;
    }
    // Neighbours count only when nothing but spaces separates them.
    let joined = |a: &Token, b: &Token| {
        text[a.end as usize..b.start as usize]
            .bytes()
            .all(|c| c == b' ')
    };
    let before = i > 1 && tokens[i - 1].is_capitalized() && joined(&tokens[i - 1], &tokens[i]);
    let after = tokens
        .get(i + len)
        .is_some_and(|n| n.is_capitalized() && joined(&tokens[i + len - 1], n));
    let of_name = i > 2
        && tokens[i - 1].is_stop()
        && tokens[i - 2].is_capitalized()
        && joined(&tokens[i - 2], &tokens[i - 1])
        && joined(&tokens[i - 1], &tokens[i]);
    before || after || of_name
}

fn apply(hit: &mut Evidence, rule: RuleKind, factor: f32, trigger: &Trigger) {
    // `+ 0.0` turns a cancelled weight's -0 into 0.
    hit.weight = hit.weight * factor + 0.0;
    hit.rules.push(AppliedRule {
        rule,
        factor,
        start: trigger.start,
        end: trigger.end,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Format, Lexicon, Modifiers};
    use crate::{Engine, EngineConfig};

    /// An engine with a small lexicon, so every weight below is hand-checkable.
    fn engine() -> Engine {
        let lexicon = Lexicon::parse(
            "warm\t2\tpraise\nfailure\t-2\tfailure\nfailed meeting\t-2\tfailure\ndeal\t1\tagreement\n\
             progress\t2\tagreement\nsanctions\t-1.5\tsanction\n",
            "test",
            Format::Precis,
        )
        .unwrap();
        Engine::new(EngineConfig {
            lexicon,
            modifiers: Modifiers::english(),
            ..EngineConfig::default()
        })
    }

    /// (matched text, final weight, rules) of every hit.
    fn hits(text: &str) -> Vec<(String, f32, Vec<RuleKind>)> {
        let e = engine();
        let (_, tone) = e.tone(text, &mut e.workspace());
        tone.evidence
            .iter()
            .map(|h| {
                let w = (h.weight * 1000.0).round() / 1000.0;
                (
                    text[h.start..h.end].to_string(),
                    w,
                    h.rules.iter().map(|r| r.rule).collect(),
                )
            })
            .collect()
    }

    fn hit(text: &str, w: f32, rules: &[RuleKind]) -> (String, f32, Vec<RuleKind>) {
        (text.to_string(), w, rules.to_vec())
    }

    #[test]
    fn packed_tones_unpack_to_every_field_and_rule_in_order() {
        let e = engine();
        let model = e.tone_model();
        let evidence = |entry: usize, start, rules: Vec<AppliedRule>| {
            let m = &model.entries[entry];
            Evidence {
                term: m.term.clone(),
                start,
                end: start + 4,
                sentence: start / 10,
                weight: m.weight * 1.5,
                base: m.weight,
                category: m.category.clone(),
                negated: start % 2 == 0,
                intensified: !rules.is_empty(),
                rules,
                entry: entry as u32,
            }
        };
        let rule = |rule, start| AppliedRule {
            rule,
            factor: 0.5,
            start,
            end: start + 3,
        };
        let want = vec![
            evidence(
                0,
                10,
                vec![rule(RuleKind::Negation, 4), rule(RuleKind::Hedge, 6)],
            ),
            evidence(3, 21, Vec::new()),
            evidence(2, 40, vec![rule(RuleKind::AfterContrast, 30)]),
        ];
        let sentences = vec![SentenceTone {
            index: 0,
            score: 0.25,
        }];
        let mut scratch = want.clone();
        let packed = PackedTone::pack(&mut scratch, 0.5, 0.75, 0.25, sentences.clone());
        assert!(scratch.is_empty());
        assert_eq!(packed.evidence_len(), 3);
        assert_eq!(
            packed.unpack(model),
            Tone {
                score: 0.5,
                label: Label::of(0.5),
                warm: 0.75,
                impasse: 0.25,
                sentences,
                evidence: want,
            }
        );
    }

    #[test]
    fn negation_flips_positive_and_cancels_negative() {
        assert_eq!(
            hits("It was not warm."),
            [hit("warm", -1.48, &[RuleKind::Negation])]
        );
        assert_eq!(
            hits("It was not a failure."),
            [hit("failure", 0.0, &[RuleKind::Negation])]
        );
        // Four content words reach "failed": see, Hanoi, summit, failed.
        assert_eq!(
            hits("Moon does not see the Hanoi summit as a failed meeting."),
            [hit("failed meeting", 0.0, &[RuleKind::Negation])]
        );
        // A comma closes the scope.
        assert_eq!(
            hits("Not now, the talks were warm."),
            [hit("warm", 2.0, &[])]
        );
        // "neither ... nor": both negated.
        assert_eq!(
            hits("It is neither warm nor a failure."),
            [
                hit("warm", -1.48, &[RuleKind::Negation]),
                hit("failure", 0.0, &[RuleKind::Negation])
            ]
        );
        // "lack of" reaches its object only.
        assert_eq!(
            hits("The lack of sanctions talk was seen as progress."),
            [
                hit("sanctions", 0.0, &[RuleKind::Negation]),
                hit("progress", 2.0, &[])
            ]
        );
    }

    #[test]
    fn intensifiers_scale_and_their_span_is_part_of_the_evidence() {
        assert_eq!(
            hits("A very warm letter."),
            [hit("very warm", 2.6, &[RuleKind::Intensifier])]
        );
        assert_eq!(
            hits("A slightly warm letter."),
            [hit("slightly warm", 1.4, &[RuleKind::Intensifier])]
        );
    }

    #[test]
    fn contrast_concession_and_hedges() {
        assert_eq!(
            hits("The deal was warm but sanctions remain."),
            [
                hit("deal", 0.5, &[RuleKind::BeforeContrast]),
                hit("warm", 1.0, &[RuleKind::BeforeContrast]),
                hit("sanctions", -2.25, &[RuleKind::AfterContrast]),
            ]
        );
        assert_eq!(
            hits("Although the talks were warm, sanctions remain."),
            [
                hit("warm", 1.0, &[RuleKind::Concession]),
                hit("sanctions", -1.5, &[])
            ]
        );
        assert_eq!(
            hits("The talks may bring a deal."),
            [hit("deal", 0.7, &[RuleKind::Hedge])]
        );
    }

    #[test]
    fn names_carry_no_tone_but_headlines_do() {
        assert_eq!(
            hits("He met leaders of the Warm Progress Party in the capital today."),
            []
        );
        assert_eq!(
            hits("Warm Progress On Deal"),
            [
                hit("Warm", 2.0, &[]),
                hit("Progress", 2.0, &[]),
                hit("Deal", 1.0, &[]),
            ]
        );
    }

    #[test]
    fn article_score_does_not_saturate_or_drift() {
        let e = engine();
        let text = "The talks were warm. Sanctions remain. Talks may bring a deal.";
        let once = e.tone(text, &mut e.workspace()).1.score;
        let twice = e
            .tone(&format!("{text}\n\n{text}"), &mut e.workspace())
            .1
            .score;
        assert!((once - twice).abs() < 0.01, "{once} vs {twice}");
        let neutral = e
            .tone(
                &format!("{text}\n\nThe meeting was held in a hotel on Tuesday."),
                &mut e.workspace(),
            )
            .1;
        assert!((once - neutral.score).abs() < 1e-12);
        // One sentence: S = 2 - 1.5 + 0.7 spread over three sentences;
        // weighted mean of squash(2), squash(-1.5), squash(0.7).
        let (s1, s2, s3) = (squash(2.0), squash(-1.5), squash(0.7));
        let want = (2.0 * s1 + 1.5 * s2 + 0.7 * s3) / (2.0 + 1.5 + 0.7);
        assert!((once - want).abs() < 1e-6, "{once} vs {want}");
        assert_eq!(Label::of(once), Label::Warm);
    }

    #[test]
    fn squash_is_bounded_and_odd() {
        assert_eq!(squash(0.0), 0.0);
        assert!((squash(2.0) + squash(-2.0)).abs() < 1e-12);
        assert!(squash(1e9) <= 1.0 && squash(-1e9) >= -1.0);
        assert!((squash(2.0) - 2.0 / 19f64.sqrt()).abs() < 1e-12);
    }
}
