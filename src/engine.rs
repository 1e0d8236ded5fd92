//! The engine: one pass over an article from text to sentences, tokens,
//! summary and tone.

use std::ops::Range;
use std::time::{Duration, Instant};

use crate::corpus::DocFreqs;
use crate::lexicon::{Lexicon, Modifiers};
use crate::segment::{Segmenter, Span};
use crate::summarize::{self, IdfSource, Summary, SummaryConfig, TermNumbering};
use crate::tokenize::{StopWords, TermId, Token, Tokenizer, Vocabulary};
use crate::tone::{self, PackedTone, Tone, ToneModel};

const BOILERPLATE: &str = include_str!("../lexicons/boilerplate.txt");

/// The longest first line, in words, that still counts as a headline.
pub const TITLE_MAX_WORDS: u32 = 30;

/// What the engine is built from. `Default` is the embedded English set.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Polar entries for tone.
    pub lexicon: Lexicon,
    /// Negators, intensifiers, contrast words, hedges.
    pub modifiers: Modifiers,
    /// Stopwords left out of summary vectors.
    pub stopwords: StopWords,
    /// The sentence splitter.
    pub segmenter: Segmenter,
    /// How summaries are made.
    pub summary: SummaryConfig,
}

impl Default for EngineConfig {
    fn default() -> EngineConfig {
        EngineConfig {
            lexicon: Lexicon::english(),
            modifiers: Modifiers::english(),
            stopwords: StopWords::english(),
            segmenter: Segmenter::new(),
            summary: SummaryConfig::default(),
        }
    }
}

/// Everything precis finds in one article.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Sentence spans, in order.
    pub sentences: Vec<Span>,
    /// Index of the headline sentence, when the first line looks like one.
    pub title: Option<usize>,
    /// Sentences recognised as boilerplate ("Also read: ...").
    pub boilerplate: Vec<bool>,
    /// Words (Unicode word tokens) in each sentence.
    pub sentence_words: Vec<u32>,
    /// The summary: every sentence's score and the picks.
    pub summary: Summary,
    /// The tone.
    pub tone: Tone,
}

impl Analysis {
    /// Words in the article.
    pub fn words(&self) -> usize {
        self.sentence_words.iter().map(|&w| w as usize).sum()
    }
}

/// An article after splitting, tokenizing and tone: all that IDF does not
/// change. See [`Engine::prepare`].
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    /// Sentence spans.
    pub sentences: Vec<Span>,
    /// Words in each sentence.
    pub sentence_words: Vec<u32>,
    /// The headline sentence, if any.
    pub title: Option<usize>,
    /// Boilerplate sentences.
    pub boilerplate: Vec<bool>,
    /// Sentences without final punctuation.
    pub fragment: Vec<bool>,
    /// Content stems of every sentence, concatenated, each as its number
    /// in `vocabulary`.
    pub terms: Vec<u32>,
    /// `terms[term_ranges[i]]` are sentence `i`'s.
    pub term_ranges: Vec<Range<u32>>,
    /// The distinct content stems, in order of first occurrence: what
    /// document frequencies count.
    pub vocabulary: Vec<TermId>,
    /// The tone, packed (see [`PackedTone`]).
    pub tone: PackedTone,
}

impl Prepared {
    /// Approximate heap size, for memory budgets.
    pub fn heap_bytes(&self) -> usize {
        self.sentences.len() * (std::mem::size_of::<Span>() + 16)
            + self.terms.len() * 4
            + self.vocabulary.len() * 8
            + self.tone.heap_bytes()
    }
}

/// The scratch lists of a [`Workspace`], left by a dropped one to the next
/// made on its thread. rayon makes a workspace for every piece of work it
/// splits off (about 180 on BBC with two threads): each starting from empty
/// lists would grow them again, in fresh pages.
#[derive(Default)]
struct Lists {
    tokens: Vec<Token>,
    numbering: TermNumbering,
    /// Scratch lists of the current article, copied out at their exact
    /// length into what is kept (see [`Engine::prepare`]).
    spans: Vec<Span>,
    sentence_tokens: Vec<Range<usize>>,
    terms: Vec<u32>,
    vocabulary: Vec<TermId>,
    evidence: Vec<tone::Evidence>,
    /// The stems of the current article's content words.
    content: Vec<TermId>,
}

thread_local! {
    /// What the last [`Workspace`] dropped on this thread left.
    static LEFT_LISTS: std::cell::Cell<Option<Lists>> = const { std::cell::Cell::new(None) };
}

impl Drop for Workspace<'_> {
    fn drop(&mut self) {
        let lists = std::mem::take(&mut self.lists);
        let _ = LEFT_LISTS.try_with(|l| l.set(Some(lists)));
    }
}

/// Time spent in each stage, summed over the articles a workspace analysed.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize)]
pub struct StageTimes {
    /// Sentence splitting.
    pub split: Duration,
    /// Tokenizing.
    pub tokenize: Duration,
    /// Summarizing.
    pub summarize: Duration,
    /// Tone scoring.
    pub tone: Duration,
}

impl StageTimes {
    /// Adds another set of times.
    pub fn add(&mut self, other: &StageTimes) {
        self.split += other.split;
        self.tokenize += other.tokenize;
        self.summarize += other.summarize;
        self.tone += other.tone;
    }
}

/// Per-thread working memory: the tokenizer's cache and reused buffers.
/// Make one per worker with [`Engine::workspace`].
pub struct Workspace<'e> {
    tokenizer: Tokenizer<'e>,
    lists: Lists,
    summary: summarize::Scratch,
    /// Time per stage, when `timing` is on.
    pub times: StageTimes,
    /// Whether to measure stage times.
    pub timing: bool,
}

/// The analysis engine. Build once, share between threads.
///
/// ```
/// use precis::{Engine, EngineConfig};
///
/// let engine = Engine::new(EngineConfig::default());
/// let text = "Leaders meet\n\nThe two leaders held warm talks. They signed a deal. Rain fell.";
/// let a = engine.analyze(text);
/// assert_eq!(a.sentences.len(), 4);
/// assert_eq!(a.title, Some(0));
/// assert_eq!(a.sentences[1].slice(text), "The two leaders held warm talks.");
/// assert!(a.tone.score > 0.0);
/// ```
pub struct Engine {
    vocab: Vocabulary,
    segmenter: Segmenter,
    tone: ToneModel,
    summary: SummaryConfig,
    /// Lowercased prefixes, each with whether it is ASCII.
    boilerplate: Vec<(String, bool)>,
    /// Bytes (either case) that an ASCII boilerplate prefix starts with; a
    /// sentence starting with any other byte is checked no further. A
    /// non-ASCII prefix sets every byte.
    boilerplate_starts: [bool; 256],
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("lexicon", &self.tone.len())
            .field("summary", &self.summary)
            .finish()
    }
}

impl Engine {
    /// Compiles the lexicons; takes a few milliseconds.
    pub fn new(config: EngineConfig) -> Engine {
        let mut vocab = Vocabulary::new(config.stopwords);
        let tone = ToneModel::from_lexicon(config.lexicon, &config.modifiers, &vocab);
        // Every word is tagged with its lexicon entry once, in the
        // tokenizer's table, instead of looked up again at every occurrence.
        vocab.set_tagger(tone.tagger());
        let boilerplate = BOILERPLATE
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                let p = l.to_lowercase();
                let ascii = p.is_ascii();
                (p, ascii)
            })
            .collect::<Vec<(String, bool)>>();
        let mut boilerplate_starts = [false; 256];
        for (p, _) in &boilerplate {
            match p.as_bytes().first() {
                Some(&b) if p.is_ascii() => {
                    boilerplate_starts[b.to_ascii_lowercase() as usize] = true;
                    boilerplate_starts[b.to_ascii_uppercase() as usize] = true;
                }
                _ => boilerplate_starts = [true; 256],
            }
        }
        Engine {
            vocab,
            segmenter: config.segmenter,
            tone,
            summary: config.summary,
            boilerplate,
            boilerplate_starts,
        }
    }

    /// The summary settings.
    pub fn summary_config(&self) -> &SummaryConfig {
        &self.summary
    }

    /// Replaces the summary settings.
    pub fn set_summary_config(&mut self, summary: SummaryConfig) {
        self.summary = summary;
    }

    /// The compiled tone model.
    pub fn tone_model(&self) -> &ToneModel {
        &self.tone
    }

    /// The tokenizer vocabulary (stemmer and stopwords).
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// The sentence splitter.
    pub fn segmenter(&self) -> &Segmenter {
        &self.segmenter
    }

    /// Fresh working memory for one thread.
    pub fn workspace(&self) -> Workspace<'_> {
        let lists = LEFT_LISTS
            .try_with(|l| l.take())
            .ok()
            .flatten()
            .unwrap_or_default();
        Workspace {
            tokenizer: Tokenizer::new(&self.vocab),
            lists,
            summary: summarize::Scratch::default(),
            times: StageTimes::default(),
            timing: false,
        }
    }

    /// Analyses one article on its own (IDF over its sentences).
    pub fn analyze(&self, text: &str) -> Analysis {
        self.analyze_with(text, &IdfSource::Local, &mut self.workspace())
    }

    /// Analyses one article with the given IDF source and workspace.
    pub fn analyze_with(
        &self,
        text: &str,
        idf: &IdfSource<'_>,
        ws: &mut Workspace<'_>,
    ) -> Analysis {
        self.analyze_with_summary(text, idf, ws, &self.summary)
    }

    /// Tone alone: split, tokenize and score, without a summary. Returns the
    /// sentence spans and the tone (what `precis tone` and `eval tone` need).
    pub fn tone(&self, text: &str, ws: &mut Workspace<'_>) -> (Vec<Span>, Tone) {
        let p = self.prepare(text, ws);
        (p.sentences, p.tone.unpack(&self.tone))
    }

    /// Everything about an article that does not depend on IDF: sentences,
    /// tokens (kept as the content stems the summarizer needs), the title,
    /// boilerplate and the tone. A batch prepares each article once, counts
    /// document frequencies from the preparations, then summarizes them.
    pub fn prepare(&self, text: &str, ws: &mut Workspace<'_>) -> Prepared {
        let clock = Clock::start(ws.timing);
        // Lists that are kept with the article are built in the workspace's
        // scratch lists and copied out at their exact length: one block of
        // fresh memory each, where growing or shrinking a list in place
        // moves it to new blocks (mimalloc reallocates to shrink) and
        // leaves the old ones behind.
        ws.lists.spans.clear();
        self.segmenter.split_into(text, &mut ws.lists.spans);
        let sentences = ws.lists.spans.clone();
        let t_split = clock.lap();

        ws.lists.tokens.clear();
        ws.lists.sentence_tokens.clear();
        let mut sentence_words = Vec::with_capacity(sentences.len());
        ws.tokenizer.begin(text);
        for s in &sentences {
            let first = ws.lists.tokens.len();
            ws.tokenizer
                .tokenize_span(text, s.start..s.end, &mut ws.lists.tokens);
            ws.lists.sentence_tokens.push(first..ws.lists.tokens.len());
            sentence_words.push((ws.lists.tokens.len() - first) as u32);
        }
        let title = find_title(text, &sentences, &sentence_words);
        let boilerplate: Vec<bool> = sentences
            .iter()
            .map(|s| self.is_boilerplate(s.slice(text)))
            .collect();
        let fragment: Vec<bool> = sentences
            .iter()
            .map(|s| !ends_sentence(s.slice(text)))
            .collect();
        // Kept until the corpus is counted: copied out at their length, not
        // sized for every token.
        ws.lists.terms.clear();
        let mut term_ranges = Vec::with_capacity(sentences.len());
        ws.lists.vocabulary.clear();
        ws.lists.numbering.begin(ws.lists.tokens.len());
        // The content words' stems are gathered first, without a branch on
        // whether a word is content (as likely as not, so a branch on it
        // was mispredicted every other word), then numbered.
        let lists = &mut ws.lists;
        lists.content.clear();
        lists.content.resize(lists.tokens.len() + 1, 0);
        let mut n = 0;
        for r in &lists.sentence_tokens {
            let first = n;
            for t in &lists.tokens[r.clone()] {
                lists.content[n] = t.stem;
                n += usize::from(t.is_content());
            }
            let from = lists.terms.len() as u32;
            for &stem in &lists.content[first..n] {
                lists
                    .terms
                    .push(lists.numbering.number(stem, &mut lists.vocabulary));
            }
            term_ranges.push(from..lists.terms.len() as u32);
        }
        let terms = ws.lists.terms.clone();
        let vocabulary = ws.lists.vocabulary.clone();
        let t_tokenize = clock.lap();

        let tone = tone::score(
            &self.tone,
            text,
            &sentences,
            &ws.lists.sentence_tokens,
            &ws.lists.tokens,
            title,
            &boilerplate,
            true,
            &mut ws.lists.evidence,
        );
        let t_tone = clock.lap();
        if ws.timing {
            ws.times.add(&StageTimes {
                split: t_split,
                tokenize: t_tokenize,
                tone: t_tone,
                ..StageTimes::default()
            });
        }
        Prepared {
            sentences,
            sentence_words,
            title,
            boilerplate,
            fragment,
            terms,
            term_ranges,
            vocabulary,
            tone,
        }
    }

    /// Summarizes a prepared article with the given IDF and settings.
    pub fn finish(
        &self,
        p: Prepared,
        idf: &IdfSource<'_>,
        ws: &mut Workspace<'_>,
        summary: &SummaryConfig,
    ) -> Analysis {
        let clock = Clock::start(ws.timing);
        let excluded: Vec<bool> = (0..p.sentences.len())
            .map(|i| p.boilerplate[i] || Some(i) == p.title)
            .collect();
        let input = summarize::Input {
            terms: &p.terms,
            vocabulary: &p.vocabulary,
            sentence_terms: &p.term_ranges,
            sentence_words: &p.sentence_words,
            title: p.title,
            excluded: &excluded,
            fragment: &p.fragment,
        };
        let summary = summarize::summarize(&input, idf, summary, &mut ws.summary);
        if ws.timing {
            ws.times.summarize += clock.lap();
        }
        Analysis {
            sentences: p.sentences,
            title: p.title,
            boilerplate: p.boilerplate,
            sentence_words: p.sentence_words,
            summary,
            tone: p.tone.unpack(&self.tone),
        }
    }

    /// Like [`analyze_with`](Self::analyze_with) with other summary settings
    /// (a per-article budget, say).
    pub fn analyze_with_summary(
        &self,
        text: &str,
        idf: &IdfSource<'_>,
        ws: &mut Workspace<'_>,
        summary: &SummaryConfig,
    ) -> Analysis {
        let prepared = self.prepare(text, ws);
        self.finish(prepared, idf, ws, summary)
    }

    /// The distinct content stems of an article, in order of first
    /// occurrence, for corpus statistics. Uses the same splitter and
    /// tokenizer as [`analyze_with`](Self::analyze_with), so the statistics
    /// count exactly the terms the summarizer sees.
    pub fn distinct_terms(&self, text: &str, ws: &mut Workspace<'_>) -> Vec<TermId> {
        ws.lists.tokens.clear();
        ws.tokenizer.begin(text);
        for s in self.segmenter.split(text) {
            ws.tokenizer
                .tokenize_span(text, s.start..s.end, &mut ws.lists.tokens);
        }
        let mut vocabulary = Vec::new();
        ws.lists.numbering.begin(ws.lists.tokens.len());
        for t in ws.lists.tokens.iter().filter(|t| t.is_content()) {
            ws.lists.numbering.number(t.stem, &mut vocabulary);
        }
        vocabulary
    }

    /// The distinct content stems of an article as strings, for saved models.
    pub fn distinct_stems(&self, text: &str) -> Vec<String> {
        use unicode_segmentation::UnicodeSegmentation;
        let sentences = self.segmenter.split(text);
        let mut stems: Vec<String> = sentences
            .iter()
            .flat_map(|s| s.slice(text).unicode_words())
            .filter_map(|w| {
                let n = Vocabulary::normalize(w);
                let content = !self.vocab.is_stopword(&n) && n.chars().any(char::is_alphabetic);
                content.then(|| self.vocab.stem(&n).into_owned())
            })
            .collect();
        stems.sort_unstable();
        stems.dedup();
        stems
    }

    fn is_boilerplate(&self, sentence: &str) -> bool {
        let first = match sentence.as_bytes().first() {
            Some(&b) if self.boilerplate_starts[b as usize] => b.to_ascii_lowercase(),
            _ => return false,
        };
        // Prefixes are lowercased when loaded; an ASCII prefix (all of the
        // shipped ones) is compared byte by byte, ignoring ASCII case, with
        // no allocation, from its first byte. Others fall back to full
        // Unicode lowercasing.
        self.boilerplate.iter().any(|(p, ascii)| {
            if *ascii {
                p.as_bytes()[0] == first
                    && sentence
                        .as_bytes()
                        .get(..p.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(p.as_bytes()))
            } else {
                let head: String = sentence
                    .chars()
                    .take(p.chars().count())
                    .flat_map(char::to_lowercase)
                    .collect();
                head.starts_with(p.as_str())
            }
        })
    }
}

/// Builds corpus statistics from articles (see [`Engine::distinct_terms`]).
pub fn doc_freqs_of<'a>(engine: &Engine, texts: impl IntoIterator<Item = &'a str>) -> DocFreqs {
    let mut ws = engine.workspace();
    let mut df = DocFreqs::new();
    for t in texts {
        df.add_document(&engine.distinct_terms(t, &mut ws));
    }
    df
}

/// Whether a sentence ends with final punctuation (possibly inside quotes
/// or brackets).
fn ends_sentence(s: &str) -> bool {
    let trimmed = s.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»', '*']);
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？', ':'])
}

/// The first sentence is a title when it is the whole first line, has no
/// final punctuation, is short, and more text follows.
fn find_title(text: &str, sentences: &[Span], words: &[u32]) -> Option<usize> {
    let first = sentences.first()?;
    if sentences.len() < 2 || words[0] == 0 || words[0] > TITLE_MAX_WORDS {
        return None;
    }
    let line_end = text[first.start..]
        .find('\n')
        .map_or(text.len(), |p| first.start + p);
    // A first sentence that runs over a line break (hard-wrapped prose) is
    // not a headline.
    let whole_line = line_end >= first.end
        && text[..first.start].trim().is_empty()
        && text[first.end..line_end].trim().is_empty();
    (whole_line && !ends_sentence(first.slice(text))).then_some(0)
}

/// A stopwatch that costs nothing when off.
struct Clock {
    last: std::cell::Cell<Option<Instant>>,
}

impl Clock {
    fn start(on: bool) -> Clock {
        Clock {
            last: std::cell::Cell::new(on.then(Instant::now)),
        }
    }

    /// Time since the previous lap (or the start).
    fn lap(&self) -> Duration {
        match self.last.get() {
            Some(t) => {
                let now = Instant::now();
                self.last.set(Some(now));
                now - t
            }
            None => Duration::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boilerplate_prefixes_ignore_case_and_need_the_whole_prefix() {
        let engine = Engine::new(EngineConfig::default());
        let flags = |text: &str| {
            let mut ws = engine.workspace();
            engine.prepare(text, &mut ws).boilerplate
        };
        assert_eq!(
            flags(
                "Talks resumed on Monday.\nALSO READ: Five things to know.\nRelated: more talks."
            ),
            [false, true, true]
        );
        // "Also, read" is reporting, and a sentence shorter than a prefix
        // cannot match it.
        assert_eq!(flags("Also, read the statement.\nSee also"), [false, false]);
    }
}
