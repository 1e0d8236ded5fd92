//! The compiled tone model: lexicon and modifiers turned into integer maps.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::forms::inflections;
use super::index;
use crate::lexicon::{Entry, Lexicon, Modifier, ModifierKind, Modifiers};
use crate::tokenize::{term_id, Tagger, TermId, Token, Vocabulary};

/// Size of the phrase-start filter (8 KiB).
const PHRASE_FILTER_BITS: usize = 1 << 16;

/// Size of the filter of phrases' first two stems (8 KiB).
const PAIR_FILTER_BITS: usize = 1 << 16;

/// The bit of [`ToneModel::phrase_pairs`] for a phrase that opens with the
/// stems `first` and `second`.
#[inline]
fn pair_bit(first: TermId, second: TermId) -> usize {
    // Stem ids are hashes already: one multiply mixes the two.
    ((first ^ second.rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
}

use index::WORD_FILTER_BITS;

/// Tag bit: the word's stem starts a phrase of the lexicon.
const TAG_PHRASE: u32 = 1 << 30;
/// Tag bit: the word selects an entry; the tag's other bits are its payload.
const TAG_WORD: u32 = 1 << 29;

/// What a match at a position is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Payload {
    /// Index into the polar entries.
    Polar(u32),
    /// Index into the modifiers.
    Modifier(u32),
}

/// Lexicon and modifiers compiled once onto the ids of the tokenizer, so
/// scoring never touches a string.
///
/// Single words match on their surface form first (so "talks" and "talk" may
/// carry different weights), then on a regular inflection that has the same
/// stem. Phrases (two words or more)
/// match on stems through a trie; the longest phrase at a position wins and
/// consumes its words, so "no deal" beats both "no" and "deal".
#[derive(Debug)]
pub struct ToneModel {
    pub(crate) entries: Vec<Entry>,
    /// Each entry's weight, apart: scoring reads only these (20 KiB for
    /// the embedded lexicon, where the entries take 300 KiB), and an
    /// evidence's term and category are taken from the entry only when it
    /// is unpacked.
    pub(crate) weights: Vec<f32>,
    pub(crate) modifiers: Vec<Modifier>,
    /// Single words by surface id (an [`index::open_table`]): compiled into
    /// the binary for the embedded lexicon, built here for any other.
    words: Cow<'static, [(TermId, u32)]>,
    /// A bit per `surface % WORD_FILTER_BITS` of every id in `words`: most
    /// words of a text are in no lexicon, and this filter, small enough to
    /// stay in cache, says so without a probe of the 1 MiB table.
    word_filter: Cow<'static, [u64]>,
    /// A bit per `stem % PHRASE_FILTER_BITS` of every phrase's first word:
    /// most tokens start no phrase, and one bit test says so without a
    /// hash lookup.
    phrase_starts: Vec<u64>,
    /// A bit per [`pair_bit`] of every phrase's first two stems. A phrase
    /// matches two words or more, so a word followed by a word that no
    /// phrase has after it matches none: "a", "in" and "on" open phrases,
    /// and this saves their two trie lookups (about a tenth of all words).
    phrase_pairs: Vec<u64>,
    edges: FxHashMap<(u32, TermId), u32>,
    terminal: Vec<Option<Payload>>,
}

/// The single-word match a tag records, if any.
#[inline]
fn tagged_word(tag: u32) -> Option<(Payload, usize)> {
    (tag & TAG_WORD != 0).then(|| (payload(tag & !(TAG_PHRASE | TAG_WORD)), 1))
}

fn payload(p: u32) -> Payload {
    if p & index::MODIFIER != 0 {
        Payload::Modifier(p & !index::MODIFIER)
    } else {
        Payload::Polar(p)
    }
}

impl ToneModel {
    /// Compiles `lexicon` and `modifiers` with the stemmer of `vocab`.
    pub fn new(lexicon: &Lexicon, modifiers: &Modifiers, vocab: &Vocabulary) -> ToneModel {
        let embedded = is_embedded(lexicon, modifiers);
        ToneModel::compile(lexicon.entries().to_vec(), modifiers, vocab, embedded)
    }

    /// As [`new`](Self::new), taking the lexicon's entries over instead of
    /// copying them.
    pub fn from_lexicon(lexicon: Lexicon, modifiers: &Modifiers, vocab: &Vocabulary) -> ToneModel {
        let embedded = is_embedded(&lexicon, modifiers);
        ToneModel::compile(lexicon.into_entries(), modifiers, vocab, embedded)
    }

    /// `use_embedded`: take the build-time word index (only valid when the
    /// lexicon and modifiers are the embedded ones, term for term).
    fn compile(
        entries: Vec<Entry>,
        modifiers: &Modifiers,
        vocab: &Vocabulary,
        use_embedded: bool,
    ) -> ToneModel {
        let mut model = ToneModel {
            weights: entries.iter().map(|e| e.weight).collect(),
            entries,
            modifiers: modifiers.entries.clone(),
            words: Cow::Borrowed(&[]),
            word_filter: Cow::Borrowed(&[]),
            phrase_starts: vec![0; PHRASE_FILTER_BITS / 64],
            phrase_pairs: vec![0; PAIR_FILTER_BITS / 64],
            edges: FxHashMap::default(),
            terminal: vec![None],
        };
        if use_embedded {
            model.words = Cow::Borrowed(&precomputed::EMBEDDED_WORDS);
            for (p, stems) in precomputed::phrases() {
                model.add_phrase(stems, payload(p));
            }
            model.word_filter = Cow::Borrowed(&precomputed::EMBEDDED_WORD_FILTER);
            return model;
        }
        // Modifiers first: a word that is both ("no") acts as a modifier.
        let mut builder = index::IndexBuilder::default();
        for (i, m) in modifiers.entries.iter().enumerate() {
            add(&mut builder, &m.term, index::MODIFIER | i as u32, vocab);
        }
        for (i, e) in model.entries.iter().enumerate() {
            add(&mut builder, &e.term, i as u32, vocab);
        }
        model.words = Cow::Owned(builder.table());
        for (p, stems) in &builder.phrases {
            model.add_phrase(stems, payload(*p));
        }
        model.word_filter = Cow::Owned(index::word_filter(&model.words));
        model
    }

    fn add_phrase(&mut self, stems: &[TermId], payload: Payload) {
        let bit = (stems[0] % PHRASE_FILTER_BITS as u64) as usize;
        self.phrase_starts[bit / 64] |= 1 << (bit % 64);
        if let [first, second, ..] = stems {
            let bit = pair_bit(*first, *second);
            self.phrase_pairs[bit / 64] |= 1 << (bit % 64);
        }
        let mut node = 0u32;
        for &s in stems {
            let key = (node, s);
            node = match self.edges.get(&key) {
                Some(&next) => next,
                None => {
                    let next = self.terminal.len() as u32;
                    self.terminal.push(None);
                    self.edges.insert(key, next);
                    next
                }
            };
        }
        let slot = &mut self.terminal[node as usize];
        if slot.is_none() {
            *slot = Some(payload);
        }
    }

    /// The default English model: embedded lexicon and modifiers.
    pub fn english(vocab: &Vocabulary) -> ToneModel {
        ToneModel::new(&Lexicon::english(), &Modifiers::english(), vocab)
    }

    /// Number of polar entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the model has no polar entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The polar entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// A tagger for the vocabulary the engine tokenizes with: a word's tag
    /// says whether its stem starts a phrase and which entry, if any, the
    /// word itself selects, so [`match_at`](Self::match_at) with
    /// `tagged` needs no lookup for most words.
    pub fn tagger(&self) -> Tagger {
        let words = self.words.clone();
        let starts: rustc_hash::FxHashSet<TermId> = self
            .edges
            .keys()
            .filter(|(node, _)| *node == 0)
            .map(|&(_, stem)| stem)
            .collect();
        assert!(
            self.entries.len().max(self.modifiers.len()) < TAG_WORD as usize,
            "too many entries to tag"
        );
        // The bit filters answer "no" for most words without touching the
        // hash set or the (much larger) word table.
        let phrase_filter = self.phrase_starts.clone();
        let word_filter = self.word_filter.clone();
        let has = |filter: &[u64], id: TermId, bits: usize| {
            let bit = (id % bits as u64) as usize;
            filter[bit / 64] & (1 << (bit % 64)) != 0
        };
        Box::new(move |surface, stem| {
            let phrase = if has(&phrase_filter, stem, PHRASE_FILTER_BITS) && starts.contains(&stem)
            {
                TAG_PHRASE
            } else {
                0
            };
            let word = if has(&word_filter, surface, WORD_FILTER_BITS) {
                index::lookup(&words, surface).map_or(0, |p| TAG_WORD | p)
            } else {
                0
            };
            phrase | word
        })
    }

    /// The longest match starting at `tokens[0]`: its payload and length.
    /// `tagged`: the tokens carry the tags of this model's
    /// [`tagger`](Self::tagger); if not, a single word is looked up by its
    /// surface form in `text` (what the tokens' positions refer to).
    #[inline]
    pub(crate) fn match_at(
        &self,
        text: &str,
        tokens: &[Token],
        tagged: bool,
    ) -> Option<(Payload, usize)> {
        let first = tokens.first()?;
        // Most words start no phrase: one test of the tag, no call.
        if tagged && first.tag & TAG_PHRASE == 0 {
            return tagged_word(first.tag);
        }
        self.match_phrase_or_word(text, tokens, tagged)
    }

    #[inline]
    fn match_phrase_or_word(
        &self,
        text: &str,
        tokens: &[Token],
        tagged: bool,
    ) -> Option<(Payload, usize)> {
        let first = tokens.first()?;
        let maybe_phrase = if tagged {
            first.tag & TAG_PHRASE != 0
        } else {
            let bit = (first.stem % PHRASE_FILTER_BITS as u64) as usize;
            self.phrase_starts[bit / 64] & (1 << (bit % 64)) != 0
        };
        // A phrase has two words or more (the walk below looks for a
        // terminal from the second word on), so its first two stems must
        // pass the pair filter.
        let maybe_phrase = maybe_phrase
            && tokens.get(1).is_some_and(|second| {
                let bit = pair_bit(first.stem, second.stem);
                self.phrase_pairs[bit / 64] & (1 << (bit % 64)) != 0
            });
        if maybe_phrase {
            if let Some(&next) = self.edges.get(&(0, first.stem)) {
                let mut best = None;
                let mut node = next;
                for (i, t) in tokens.iter().enumerate().skip(1) {
                    match self.edges.get(&(node, t.stem)) {
                        Some(&n) => node = n,
                        None => break,
                    }
                    if let Some(p) = self.terminal[node as usize] {
                        best = Some((p, i + 1));
                    }
                }
                if best.is_some() {
                    return best;
                }
            }
        }
        if tagged {
            return tagged_word(first.tag);
        }
        let surface = first.surface(text);
        let bit = (surface % WORD_FILTER_BITS as u64) as usize;
        if self.word_filter[bit / 64] & (1 << (bit % 64)) == 0 {
            return None;
        }
        index::lookup(&self.words, surface).map(|p| (payload(p), 1))
    }

    pub(crate) fn modifier_kind(&self, i: u32) -> (ModifierKind, f32) {
        let m = &self.modifiers[i as usize];
        (m.kind, m.value)
    }
}

/// Adds one lexicon or modifier term to the index, with its stems and (for a
/// polar single word) the inflections that share its stem; the embedded
/// lexicon's are looked up, others computed.
fn add(builder: &mut index::IndexBuilder, term: &str, p: u32, vocab: &Vocabulary) {
    let normalized = Vocabulary::normalize(term);
    let known = precomputed(&normalized);
    let stems: Vec<u64> = match known {
        Some((stems, _)) => stems.to_vec(),
        None => vocab.stems_of(term).iter().map(|s| term_id(s)).collect(),
    };
    // Polar words also match their regular inflections, but only those the
    // stemmer maps to the same stem: "fail" matches "failed" and "failing",
    // while "positive" never matches "positions" (both stem to "posit").
    let forms: Vec<u64> = match (payload(p), known) {
        (Payload::Modifier(_), _) => Vec::new(),
        _ if stems.len() != 1 => Vec::new(),
        (_, Some((_, forms))) => forms.to_vec(),
        (_, None) => inflections(&normalized)
            .into_iter()
            .filter(|form| term_id(&vocab.stem(form)) == stems[0])
            .map(|form| term_id(&form))
            .collect(),
    };
    builder.add(term_id(&normalized), &stems, &forms, p);
}

/// Whether the lexicon and modifiers are the embedded ones, term for term
/// (weights may differ: the index maps words to entries, not to weights).
fn is_embedded(lexicon: &Lexicon, modifiers: &Modifiers) -> bool {
    let entries = precomputed::entries();
    let mods = precomputed::modifier_terms();
    lexicon.len() == entries.len()
        && modifiers.entries.len() == mods.len()
        && lexicon
            .entries()
            .iter()
            .zip(entries)
            .all(|(e, (term, _, _))| e.term == term)
        && modifiers
            .entries
            .iter()
            .zip(mods)
            .all(|(m, term)| m.term == term)
}

/// The embedded lexicon and modifiers, indexed at build time (`build.rs`).
pub(crate) mod precomputed {
    include!(concat!(env!("OUT_DIR"), "/forms.rs"));

    fn text(at: u32, len: u32) -> &'static str {
        &TEXT[at as usize..(at + len) as usize]
    }

    fn ids(at: u32, len: u32) -> &'static [u64] {
        &IDS[at as usize..(at + len) as usize]
    }

    /// The embedded lexicon's entries in file order: term, weight, category.
    pub fn entries(
    ) -> impl ExactSizeIterator<Item = (&'static str, f32, Option<&'static str>)> + Clone {
        ENTRY_ROWS
            .iter()
            .map(|&(t, tl, weight, c, cl)| (text(t, tl), weight, (cl != NONE).then(|| text(c, cl))))
    }

    /// The embedded modifiers' terms, in file order.
    pub fn modifier_terms() -> impl ExactSizeIterator<Item = &'static str> {
        MODIFIER_ROWS.iter().map(|&(t, tl)| text(t, tl))
    }

    /// Every term of the lexicon and modifiers, sorted, with its stem ids
    /// and inflection ids (tests check them against the run-time rules).
    #[cfg(test)]
    pub fn forms() -> impl ExactSizeIterator<Item = (&'static str, &'static [u64], &'static [u64])>
    {
        FORM_ROWS
            .iter()
            .map(|&(t, tl, s, sl, f, fl)| (text(t, tl), ids(s, sl), ids(f, fl)))
    }

    /// The stems and inflections of `term`, if it is one of [`forms`].
    pub fn form(term: &str) -> Option<(&'static [u64], &'static [u64])> {
        let i = FORM_ROWS
            .binary_search_by(|&(t, tl, ..)| text(t, tl).cmp(term))
            .ok()?;
        let (_, _, s, sl, f, fl) = FORM_ROWS[i];
        Some((ids(s, sl), ids(f, fl)))
    }

    /// The embedded phrases in priority order: payload and stem ids.
    pub fn phrases() -> impl Iterator<Item = (u32, &'static [u64])> {
        PHRASE_ROWS.iter().map(|&(p, s, sl)| (p, ids(s, sl)))
    }
}

/// The stems and inflections of a normalised term of the embedded lexicon,
/// computed at build time.
fn precomputed(term: &str) -> Option<(&'static [u64], &'static [u64])> {
    precomputed::form(term)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Format;

    fn model(src: &str) -> (ToneModel, Vocabulary) {
        let vocab = Vocabulary::english();
        let lex = Lexicon::parse(src, "t", Format::Precis).unwrap();
        (ToneModel::new(&lex, &Modifiers::default(), &vocab), vocab)
    }

    fn matched(m: &ToneModel, vocab: &Vocabulary, text: &str) -> Vec<(String, usize)> {
        let mut t = crate::tokenize::Tokenizer::new(vocab);
        let mut toks = Vec::new();
        t.tokenize(text, 0, &mut toks);
        let mut out = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            match m.match_at(text, &toks[i..], false) {
                Some((Payload::Polar(e), len)) => {
                    out.push((m.entries[e as usize].term.to_string(), len));
                    i += len;
                }
                _ => i += 1,
            }
        }
        out
    }

    #[test]
    fn inflections_match_only_with_the_same_stem() {
        let (m, v) = model("fail\t-2\npositive\t2\nstalled talks\t-2\n");
        assert_eq!(
            matched(
                &m,
                &v,
                "It failed, failing the positive test; positions held; talks stalled"
            ),
            [
                ("fail".to_string(), 1),
                ("fail".to_string(), 1),
                ("positive".to_string(), 1)
            ]
        );
        assert_eq!(
            matched(&m, &v, "the stalled talks"),
            [("stalled talks".to_string(), 2)]
        );
    }

    #[test]
    fn exact_surface_beats_inflection() {
        let (m, v) = model("talk\t0.5\ntalks\t1\n");
        assert_eq!(
            matched(&m, &v, "talks talk talking"),
            [
                ("talks".to_string(), 1),
                ("talk".to_string(), 1),
                ("talk".to_string(), 1),
            ]
        );
    }

    #[test]
    fn build_time_table_agrees_with_run_time_rules() {
        let vocab = Vocabulary::english();
        for (term, stems, forms) in precomputed::forms() {
            let want: Vec<u64> = vocab.stems_of(term).iter().map(|s| term_id(s)).collect();
            assert_eq!(want, *stems, "{term}");
            if stems.len() == 1 {
                let stem = &vocab.stems_of(term)[0];
                let want: Vec<u64> = inflections(term)
                    .into_iter()
                    .filter(|f| vocab.stem(f) == stem.as_str())
                    .map(|f| term_id(&f))
                    .collect();
                assert_eq!(want, *forms, "{term}");
            }
        }
        assert!(precomputed::forms().len() > 4000);
    }

    #[test]
    fn compiled_index_equals_the_one_built_at_run_time() {
        let vocab = Vocabulary::english();
        let (lex, mods) = (Lexicon::english(), Modifiers::english());
        assert!(is_embedded(&lex, &mods));
        let compiled = ToneModel::compile(lex.entries().to_vec(), &mods, &vocab, true);
        let built = ToneModel::compile(lex.entries().to_vec(), &mods, &vocab, false);
        assert!(matches!(compiled.words, Cow::Borrowed(_)));
        assert!(matches!(built.words, Cow::Owned(_)));
        assert_eq!(compiled.words, built.words);
        assert_eq!(compiled.edges, built.edges);
        assert_eq!(compiled.terminal, built.terminal);
        assert_eq!(compiled.phrase_starts, built.phrase_starts);
        assert_eq!(compiled.phrase_pairs, built.phrase_pairs);
        assert_eq!(compiled.word_filter, built.word_filter);
        // Any other term list is indexed at run time.
        let mut other = lex.clone();
        other.extend(Lexicon::parse("breakthrough-ish\t1\n", "t", Format::Precis).unwrap());
        assert!(!is_embedded(&other, &mods));
        assert!(!is_embedded(&lex, &Modifiers::default()));
    }

    #[test]
    fn tags_give_the_same_matches_as_lookups() {
        // Every position of every sample, with the English model: the tagged
        // fast path and the lookups agree, and some words of each kind occur.
        let plain = Vocabulary::english();
        let model = ToneModel::english(&plain);
        let mut tagged_vocab = Vocabulary::english();
        tagged_vocab.set_tagger(model.tagger());
        let (mut phrases, mut words, mut checked) = (0, 0, 0);
        // Positions whose word opens a phrase, and those of them whose next
        // word passes the pair filter (the only ones walked in the trie).
        let (mut opening, mut walked) = (0, 0);
        let mut paths: Vec<_> = std::fs::read_dir("samples")
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let (mut a, mut b) = (Vec::new(), Vec::new());
            crate::tokenize::Tokenizer::new(&plain).tokenize(&text, 0, &mut a);
            crate::tokenize::Tokenizer::new(&tagged_vocab).tokenize(&text, 0, &mut b);
            assert_eq!(a.len(), b.len());
            for i in 0..a.len() {
                if b[i].tag & TAG_PHRASE != 0 {
                    opening += 1;
                    walked += usize::from(b.get(i + 1).is_some_and(|next| {
                        let bit = pair_bit(b[i].stem, next.stem);
                        model.phrase_pairs[bit / 64] & (1 << (bit % 64)) != 0
                    }));
                }
                let want = model.match_at(&text, &a[i..], false);
                assert_eq!(model.match_at(&text, &b[i..], true), want, "{path:?} {i}");
                match want {
                    Some((_, len)) if len > 1 => phrases += 1,
                    Some(_) => words += 1,
                    None => {}
                }
                checked += 1;
            }
            assert!(b
                .iter()
                .all(|t| t.tag & !(TAG_PHRASE | TAG_WORD | index::MODIFIER) < 1 << 20));
        }
        // The samples' words, and the matches among them (these counts move
        // when the samples or the lexicon change).
        assert_eq!((checked, phrases, words), (2578, 45, 381));
        assert_eq!((opening, walked), (641, 93));
    }

    #[test]
    fn longest_phrase_wins() {
        let (m, v) = model("deal\t1\nno deal\t-2\nno deal yet reached\t-2.5\n");
        assert_eq!(
            matched(&m, &v, "no deal was reached"),
            [("no deal".to_string(), 2)]
        );
        assert_eq!(matched(&m, &v, "a deal"), [("deal".to_string(), 1)]);
    }
}
