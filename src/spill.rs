//! Prepared articles written to a temporary file between the two passes of
//! corpus IDF, so that input beyond what memory keeps is read and tokenized
//! once, not twice.
//!
//! The first pass prepares every article (splitting, tokens, tone) to count
//! document frequencies; the summaries need the finished counts, so they
//! wait for a second pass. Up to [`RETAIN_BYTES`](crate::batch::RETAIN_BYTES)
//! of preparations stay in memory; the rest are encoded here, one chunk at
//! a time, and decoded again by the second pass, in the same order.
//!
//! The encoding is private to one run: counts, indices and positions as
//! varints (positions as differences from the one before, so most take a
//! byte or two), floats by their bits and vocabulary ids as fixed-width
//! little-endian (so decoding gives back exactly what was encoded), strings
//! and lists with their length first. A chunk is its article count, each
//! article's encoded length, then the articles, so that both encoding and
//! decoding run on every core.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use rayon::prelude::*;

use crate::batch::{Article, PreparedArticle};
use crate::engine::Prepared;
use crate::segment::Span;
use crate::tone::{
    AppliedRule, Label, PackedEvidence, PackedTone, RuleKind, SentenceTone, ToneModel,
};

/// The spill file while the first pass writes it. Chunks are encoded on
/// every core and written by a thread of their own, so the workers go on
/// preparing the next chunk meanwhile.
pub struct SpillWriter {
    /// Encoded chunks, with their article counts, on their way to the
    /// writing thread.
    send: Option<SyncSender<(usize, Vec<Vec<u8>>)>>,
    thread: Option<JoinHandle<Written>>,
    /// Bytes handed to the writing thread, and the most it may have.
    bytes: u64,
    max_bytes: u64,
}

/// What the writing thread leaves: the file, holding `articles` in whole
/// chunks and nothing after them, and the error that stopped it early.
struct Written {
    file: File,
    articles: usize,
    length: u64,
    error: Option<io::Error>,
}

/// How far a spill got (see [`SpillWriter::finish`]).
pub struct Spilled {
    /// The chunks written whole, to read back in order (`None` if none).
    pub reader: Option<SpillReader>,
    /// How many articles they hold.
    pub articles: usize,
    /// The size of the file those chunks make.
    pub bytes: u64,
    /// The write error that ended the spill early, if one did: what was
    /// written before it is still in `reader`.
    pub error: Option<io::Error>,
}

impl SpillWriter {
    /// A new spill in the system's temporary folder (`TMPDIR`), removed
    /// when the run ends however it ends, of at most `max_bytes`.
    pub fn new(max_bytes: u64) -> io::Result<SpillWriter> {
        let file = tempfile::tempfile()?;
        // A rendezvous: at most one chunk waits while another is written.
        let (send, receive) = sync_channel::<(usize, Vec<Vec<u8>>)>(0);
        let thread = std::thread::Builder::new()
            .name("precis-spill-writer".into())
            .spawn(move || {
                let mut out = BufWriter::with_capacity(1 << 20, file);
                // The channel closes here, so that after an error the
                // sender learns it at its next chunk instead of waiting.
                let (articles, length, error) = write_chunks(receive, &mut out);
                // Each chunk was flushed whole: what is still buffered
                // belongs to the chunk that failed.
                let (file, _) = out.into_parts();
                if error.is_some() {
                    // Drop the failed chunk's bytes; if even that fails,
                    // nothing in the file can be trusted.
                    if file.set_len(length).is_err() {
                        return Written {
                            file,
                            articles: 0,
                            length: 0,
                            error,
                        };
                    }
                }
                Written {
                    file,
                    articles,
                    length,
                    error,
                }
            })?;
        Ok(SpillWriter {
            send: Some(send),
            thread: Some(thread),
            bytes: 0,
            max_bytes,
        })
    }

    /// Encodes one chunk, freeing each article as it is encoded, and hands
    /// it to the writing thread. `false` when the chunk was not taken: it
    /// would make the file larger than its limit, or writing has failed
    /// ([`finish`](Self::finish) says why). The spill then ends: a chunk
    /// after one that was not taken would leave a gap in the order.
    pub fn write_chunk(&mut self, chunk: Vec<PreparedArticle>) -> bool {
        let bodies: Vec<Vec<u8>> = chunk
            .into_par_iter()
            .map(|a| {
                let mut buf = Vec::with_capacity(encoded_size_hint(&a));
                encode(&a, &mut buf);
                buf
            })
            .collect();
        let n = bodies.len();
        let mut head = Vec::with_capacity(8 * (n + 1));
        head.extend_from_slice(&(n as u64).to_le_bytes());
        for e in &bodies {
            head.extend_from_slice(&(e.len() as u64).to_le_bytes());
        }
        let size = (head.len() + bodies.iter().map(Vec::len).sum::<usize>()) as u64;
        if self.bytes.saturating_add(size) > self.max_bytes {
            return false;
        }
        let mut encoded = Vec::with_capacity(n + 1);
        encoded.push(head);
        encoded.extend(bodies);
        let sent = self.send.as_ref().map(|s| s.send((n, encoded)));
        if !matches!(sent, Some(Ok(()))) {
            // The thread stopped at an error.
            self.send = None;
            return false;
        }
        self.bytes += size;
        true
    }

    /// Ends writing: waits for the writing thread and gives back what it
    /// wrote whole, for reading in order.
    pub fn finish(mut self) -> Spilled {
        self.send = None;
        let written = match self.thread.take().map(JoinHandle::join) {
            Some(Ok(written)) => written,
            _ => {
                return Spilled {
                    reader: None,
                    articles: 0,
                    bytes: 0,
                    error: Some(io::Error::other("the spill writer panicked")),
                }
            }
        };
        let Written {
            mut file,
            articles,
            length,
            error,
        } = written;
        if articles == 0 {
            return Spilled {
                reader: None,
                articles: 0,
                bytes: 0,
                error,
            };
        }
        match file
            .seek(SeekFrom::Start(0))
            .and_then(|_| SpillReader::new(file, articles))
        {
            Ok(reader) => Spilled {
                reader: Some(reader),
                articles,
                bytes: length,
                error,
            },
            Err(e) => Spilled {
                reader: None,
                articles: 0,
                bytes: 0,
                error: Some(error.unwrap_or(e)),
            },
        }
    }
}

/// The writing thread's loop: writes each chunk and flushes it, until the
/// channel closes or a write fails. Returns the articles and bytes of the
/// chunks written whole, and the error, if one stopped it.
fn write_chunks(
    chunks: Receiver<(usize, Vec<Vec<u8>>)>,
    out: &mut impl Write,
) -> (usize, u64, Option<io::Error>) {
    let (mut articles, mut length) = (0, 0u64);
    for (n, chunk) in chunks {
        let written = chunk
            .iter()
            .try_for_each(|bytes| out.write_all(bytes))
            .and_then(|()| out.flush());
        if let Err(e) = written {
            return (articles, length, Some(e));
        }
        articles += n;
        length += chunk.iter().map(|b| b.len() as u64).sum::<u64>();
    }
    (articles, length, None)
}

/// A chunk as read from the file: each article's bytes, concatenated, and
/// their lengths.
type RawChunk = (Vec<usize>, Vec<u8>);

/// The spill file while the second pass reads it back. A thread of its own
/// reads the next chunk while the current one is analysed.
pub struct SpillReader {
    chunks: Receiver<io::Result<RawChunk>>,
    /// Articles not handed out yet.
    left: usize,
}

impl SpillReader {
    fn new(mut file: File, articles: usize) -> io::Result<SpillReader> {
        let (send, chunks) = sync_channel(0);
        std::thread::Builder::new()
            .name("precis-spill-reader".into())
            .spawn(move || {
                let mut left = articles;
                while left > 0 {
                    let chunk = read_chunk(&mut file, left);
                    if let Ok((lengths, _)) = &chunk {
                        left -= lengths.len();
                    } else {
                        left = 0;
                    }
                    if send.send(chunk).is_err() {
                        break;
                    }
                }
            })?;
        Ok(SpillReader {
            chunks,
            left: articles,
        })
    }

    /// The next chunk, as written, or `None` after the last. `model` is
    /// the tone model that prepared the articles.
    pub fn next_chunk(&mut self, model: &ToneModel) -> io::Result<Option<Vec<PreparedArticle>>> {
        if self.left == 0 {
            return Ok(None);
        }
        let (lengths, bytes) = self
            .chunks
            .recv()
            .map_err(|_| io::Error::other("the spill reader stopped"))??;
        let mut slices = Vec::with_capacity(lengths.len());
        let mut at = 0;
        for l in lengths {
            slices.push(&bytes[at..at + l]);
            at += l;
        }
        let chunk = slices
            .into_par_iter()
            .map(|bytes| decode(bytes, model))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(corrupt)?;
        self.left -= chunk.len();
        Ok(Some(chunk))
    }
}

/// Reads one chunk of at most `left` articles.
fn read_chunk(file: &mut File, left: usize) -> io::Result<RawChunk> {
    let n = read_u64(file)? as usize;
    if n == 0 || n > left {
        return Err(corrupt());
    }
    let mut lengths = vec![0u8; 8 * n];
    file.read_exact(&mut lengths)?;
    let lengths: Vec<usize> = lengths
        .chunks_exact(8)
        .map(|b| u64::from_le_bytes(b.try_into().unwrap()) as usize)
        .collect();
    let total = lengths
        .iter()
        .try_fold(0usize, |t, &l| t.checked_add(l))
        .ok_or_else(corrupt)?;
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(total).map_err(|_| corrupt())?;
    // Read into the reserved space, without zeroing it first.
    file.take(total as u64).read_to_end(&mut bytes)?;
    if bytes.len() != total {
        return Err(corrupt());
    }
    Ok((lengths, bytes))
}

fn corrupt() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the spill file is corrupt")
}

fn read_u64(r: &mut impl Read) -> io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// Roughly the encoded size of an article, to allocate once.
fn encoded_size_hint(a: &PreparedArticle) -> usize {
    let text = a
        .article
        .text
        .as_ref()
        .map_or_else(String::len, String::len);
    // Per sentence: its span, word count, flags, term range and tone; per
    // term a varint; per vocabulary id eight bytes; per evidence about 14.
    let prepared = a.prepared.as_ref().map_or(0, |p| {
        p.sentences.len() * 20
            + p.terms.len() * 2
            + p.vocabulary.len() * 8
            + p.tone.evidence_len() * 16
    });
    64 + a.article.id.len() + text + prepared
}

/// Encodes one article with its preparation.
pub fn encode(a: &PreparedArticle, out: &mut Vec<u8>) {
    let mut w = Encoder(out);
    let art = &a.article;
    w.str(&art.id);
    w.opt(art.path.as_deref(), |w, p| w.str(p));
    w.opt(art.line, |w, l| w.usize(l));
    match &art.text {
        Ok(t) => {
            w.u8(0);
            w.str(t);
        }
        Err(e) => {
            w.u8(1);
            w.str(e);
        }
    }
    w.opt(a.prepared.as_ref(), |w, p| prepared(w, p));
}

fn prepared(w: &mut Encoder<'_>, p: &Prepared) {
    // Positions as differences from the one before: small numbers, which
    // take a byte or two as varints.
    w.usize(p.sentences.len());
    let mut at = 0;
    for s in &p.sentences {
        w.delta(at, s.start);
        w.delta(s.start, s.end);
        at = s.end;
    }
    w.u32s(&p.sentence_words);
    w.opt(p.title, |w, t| w.usize(t));
    w.bools(&p.boilerplate);
    w.bools(&p.fragment);
    w.u32s(&p.terms);
    w.usize(p.term_ranges.len());
    let mut at = 0;
    for r in &p.term_ranges {
        w.delta(at, r.start as usize);
        w.delta(r.start as usize, r.end as usize);
        at = r.end as usize;
    }
    w.u64s(&p.vocabulary);
    let tone = &p.tone;
    w.f64(tone.score);
    w.u8(match tone.label {
        Label::Warm => 0,
        Label::Neutral => 1,
        Label::Impasse => 2,
    });
    w.f64(tone.warm);
    w.f64(tone.impasse);
    w.list(&tone.sentences, |w, s| {
        w.usize(s.index);
        w.f64(s.score);
    });
    let mut at = 0;
    w.usize(tone.evidence_len());
    for (e, rules) in tone.evidence() {
        // The term, category and base weight are the entry's.
        w.u32(e.entry);
        w.delta(at, e.start as usize);
        w.delta(e.start as usize, e.end as usize);
        at = e.start as usize;
        w.usize(e.sentence as usize);
        w.f32(e.weight);
        w.u8(u8::from(e.negated) | u8::from(e.intensified) << 1);
        w.list(rules, |w, r| {
            w.u8(rule_code(r.rule));
            w.f32(r.factor);
            w.usize(r.start);
            w.usize(r.end);
        });
    }
}

/// Decodes what [`encode`] wrote with `model`'s entries; `None` if the
/// bytes are not such an encoding (or have bytes left over).
pub fn decode(bytes: &[u8], model: &ToneModel) -> Option<PreparedArticle> {
    let mut r = Decoder(bytes);
    let id = r.string()?;
    let path = r.opt(Decoder::string)?;
    let line = r.opt(Decoder::usize)?;
    let text = match r.u8()? {
        0 => Ok(r.string()?),
        1 => Err(r.string()?),
        _ => return None,
    };
    let prepared = r.opt(|r| decode_prepared(r, model))?;
    r.0.is_empty().then_some(PreparedArticle {
        article: Article {
            id,
            path,
            line,
            text,
        },
        prepared,
    })
}

fn decode_prepared(r: &mut Decoder<'_>, model: &ToneModel) -> Option<Prepared> {
    let mut at = 0;
    let sentences = r.list(|r| {
        let start = r.delta(at)?;
        let end = r.delta(start)?;
        at = end;
        Some(Span { start, end })
    })?;
    let sentence_words = r.u32s()?;
    let title = r.opt(Decoder::usize)?;
    let boilerplate = r.bools()?;
    let fragment = r.bools()?;
    let terms = r.u32s()?;
    let mut at = 0;
    let term_ranges = r.list(|r| {
        let start = u32::try_from(r.delta(at)?).ok()?;
        let end = u32::try_from(r.delta(start as usize)?).ok()?;
        at = end as usize;
        Some(start..end)
    })?;
    let vocabulary = r.u64s()?;
    let score = r.f64()?;
    let label = match r.u8()? {
        0 => Label::Warm,
        1 => Label::Neutral,
        2 => Label::Impasse,
        _ => return None,
    };
    let warm = r.f64()?;
    let impasse = r.f64()?;
    let sentence_tones = r.list(|r| {
        Some(SentenceTone {
            index: r.usize()?,
            score: r.f64()?,
        })
    })?;
    let mut at = 0;
    let mut rules = Vec::new();
    let evidence = r.list(|r| {
        let index = r.u32()?;
        model.entries.get(index as usize)?;
        let start = r.delta(at)?;
        let end = r.delta(start)?;
        at = start;
        let sentence = r.usize()?;
        let weight = r.f32()?;
        let flags = r.u8()?;
        if flags > 3 {
            return None;
        }
        let before = rules.len();
        rules.extend(r.list(|r| {
            Some(AppliedRule {
                rule: rule_of(r.u8()?)?,
                factor: r.f32()?,
                start: r.usize()?,
                end: r.usize()?,
            })
        })?);
        Some(PackedEvidence {
            entry: index,
            start: u32::try_from(start).ok()?,
            end: u32::try_from(end).ok()?,
            sentence: u32::try_from(sentence).ok()?,
            weight,
            rules: u16::try_from(rules.len() - before).ok()?,
            negated: flags & 1 != 0,
            intensified: flags & 2 != 0,
        })
    })?;
    Some(Prepared {
        sentences,
        sentence_words,
        title,
        boilerplate,
        fragment,
        terms,
        term_ranges,
        vocabulary,
        tone: PackedTone::from_parts(score, label, warm, impasse, sentence_tones, evidence, rules)?,
    })
}

const RULES: [RuleKind; 6] = [
    RuleKind::Negation,
    RuleKind::Intensifier,
    RuleKind::BeforeContrast,
    RuleKind::AfterContrast,
    RuleKind::Concession,
    RuleKind::Hedge,
];

fn rule_code(rule: RuleKind) -> u8 {
    RULES.iter().position(|&r| r == rule).unwrap_or(0) as u8
}

fn rule_of(code: u8) -> Option<RuleKind> {
    RULES.get(usize::from(code)).copied()
}

/// Appends values: counts, indices and positions as LEB128 varints (seven
/// bits a byte, low first), floats and 64-bit ids as fixed-width
/// little-endian bytes.
struct Encoder<'a>(&'a mut Vec<u8>);

impl Encoder<'_> {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push(v as u8 | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }

    fn u32(&mut self, v: u32) {
        self.varint(v.into());
    }

    fn usize(&mut self, v: usize) {
        self.varint(v as u64);
    }

    /// `to` as its difference from `from`, zigzag-signed (0, -1, 1, -2 ...
    /// as 0, 1, 2, 3 ...), so that positions in order take a byte or two.
    fn delta(&mut self, from: usize, to: usize) {
        let d = (to as i64).wrapping_sub(from as i64);
        self.varint(((d << 1) ^ (d >> 63)) as u64);
    }

    fn f32(&mut self, v: f32) {
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    fn str(&mut self, s: &str) {
        self.usize(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }

    fn bools(&mut self, items: &[bool]) {
        self.usize(items.len());
        self.0.extend(items.iter().map(|&b| u8::from(b)));
    }

    fn u32s(&mut self, items: &[u32]) {
        self.usize(items.len());
        for &v in items {
            self.u32(v);
        }
    }

    /// Fixed-width: vocabulary ids are hashes, as wide as they come.
    fn u64s(&mut self, items: &[u64]) {
        self.usize(items.len());
        for &v in items {
            self.0.extend_from_slice(&v.to_le_bytes());
        }
    }

    fn opt<T>(&mut self, v: Option<T>, each: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                each(self, v);
            }
        }
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.usize(items.len());
        for item in items {
            each(self, item);
        }
    }
}

/// Reads what [`Encoder`] wrote; `None` past the end.
struct Decoder<'a>(&'a [u8]);

impl Decoder<'_> {
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }

    fn u8(&mut self) -> Option<u8> {
        self.bytes::<1>().map(|[b]| b)
    }

    /// A varint of at most ten bytes whose bits fit in 64.
    fn varint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            if shift == 63 && b > 1 {
                return None;
            }
            v |= u64::from(b & 0x7F) << shift;
            if b < 0x80 {
                return Some(v);
            }
        }
        None
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.varint()?).ok()
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.varint()?).ok()
    }

    /// What [`Encoder::delta`] wrote after `from`.
    fn delta(&mut self, from: usize) -> Option<usize> {
        let z = self.varint()?;
        let d = (z >> 1) as i64 ^ -((z & 1) as i64);
        usize::try_from((from as i64).checked_add(d)?).ok()
    }

    fn f32(&mut self) -> Option<f32> {
        self.bytes().map(|b| f32::from_bits(u32::from_le_bytes(b)))
    }

    fn f64(&mut self) -> Option<f64> {
        self.bytes().map(|b| f64::from_bits(u64::from_le_bytes(b)))
    }

    /// The next `len` bytes.
    fn take(&mut self, len: usize) -> Option<&[u8]> {
        if len > self.0.len() {
            return None;
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(head)
    }

    fn string(&mut self) -> Option<String> {
        let len = self.usize()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }

    fn bools(&mut self) -> Option<Vec<bool>> {
        let len = self.usize()?;
        let bytes = self.take(len)?;
        bytes
            .iter()
            .all(|&b| b <= 1)
            .then(|| bytes.iter().map(|&b| b == 1).collect())
    }

    fn u32s(&mut self) -> Option<Vec<u32>> {
        self.list(Decoder::u32)
    }

    fn u64s(&mut self) -> Option<Vec<u64>> {
        let len = self.usize()?;
        let bytes = self.take(len.checked_mul(8)?)?;
        Some(
            bytes
                .chunks_exact(8)
                .map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")))
                .collect(),
        )
    }

    fn opt<T>(&mut self, each: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            1 => each(self).map(Some),
            _ => None,
        }
    }

    fn list<T>(&mut self, mut each: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let len = self.usize()?;
        // Every item takes at least one byte: a corrupt length cannot make
        // this allocate more than the bytes left.
        if len > self.0.len() {
            return None;
        }
        let mut items = Vec::with_capacity(len);
        for _ in 0..len {
            items.push(each(self)?);
        }
        Some(items)
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;
    use crate::{Engine, EngineConfig};

    /// The shipped samples, prepared, plus an article that could not be
    /// read and one from a JSONL line.
    fn articles(engine: &Engine) -> Vec<PreparedArticle> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        let mut ws = engine.workspace();
        let mut out: Vec<PreparedArticle> = names
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                PreparedArticle {
                    prepared: Some(engine.prepare(&text, &mut ws)),
                    article: Article {
                        id: p.file_name().unwrap().to_string_lossy().into_owned(),
                        path: Some(p.display().to_string()),
                        line: None,
                        text: Ok(text),
                    },
                }
            })
            .collect();
        out.push(PreparedArticle {
            article: Article {
                id: "gone.txt".into(),
                path: Some("gone.txt".into()),
                line: None,
                text: Err("cannot read: No such file".into()),
            },
            prepared: None,
        });
        let text = "Talks in Hanoi collapsed without a deal. Neither side \
                    would say when they might meet again.";
        out.push(PreparedArticle {
            prepared: Some(engine.prepare(text, &mut ws)),
            article: Article {
                id: "stream.jsonl:7".into(),
                path: Some("stream.jsonl".into()),
                line: Some(7),
                text: Ok(text.into()),
            },
        });
        out
    }

    #[test]
    fn articles_come_back_exactly_as_they_were_encoded() {
        let engine = Engine::new(EngineConfig::default());
        let articles = articles(&engine);
        // The samples carry negated, intensified and hedged evidence: every
        // field of an evidence is exercised.
        let rules: usize = articles
            .iter()
            .filter_map(|a| a.prepared.as_ref())
            .flat_map(|p| p.tone.evidence())
            .map(|(_, rules)| rules.len())
            .sum();
        assert!(rules >= 10, "{rules} rules applied");
        for a in &articles {
            let mut buf = Vec::new();
            encode(a, &mut buf);
            assert_eq!(
                decode(&buf, engine.tone_model()).as_ref(),
                Some(a),
                "{}",
                a.article.id
            );
        }
    }

    #[test]
    fn chunks_are_read_back_in_order_and_then_end() {
        let engine = Engine::new(EngineConfig::default());
        let mut writer = SpillWriter::new(u64::MAX).unwrap();
        assert!(writer.write_chunk(articles(&engine)));
        assert!(writer.write_chunk(articles(&engine).split_off(8)));
        let spilled = writer.finish();
        assert!(spilled.error.is_none());
        assert_eq!(spilled.articles, 12);
        let mut reader = spilled.reader.unwrap();
        assert_eq!(
            reader.next_chunk(engine.tone_model()).unwrap().unwrap(),
            articles(&engine)
        );
        let second = reader.next_chunk(engine.tone_model()).unwrap().unwrap();
        let ids: Vec<&str> = second.iter().map(|a| a.article.id.as_str()).collect();
        assert_eq!(ids, ["gone.txt", "stream.jsonl:7"]);
        assert!(reader.next_chunk(engine.tone_model()).unwrap().is_none());
    }

    /// `articles(engine)[range]`, owned.
    fn part(engine: &Engine, range: Range<usize>) -> Vec<PreparedArticle> {
        let mut all = articles(engine);
        all.truncate(range.end);
        all.split_off(range.start)
    }

    /// The size of a chunk in the file: its count, its lengths, its bodies.
    fn chunk_bytes(chunk: &[PreparedArticle]) -> u64 {
        let bodies: usize = chunk
            .iter()
            .map(|a| {
                let mut buf = Vec::new();
                encode(a, &mut buf);
                buf.len()
            })
            .sum();
        (8 * (chunk.len() + 1) + bodies) as u64
    }

    #[test]
    fn a_chunk_that_would_pass_the_limit_ends_the_spill() {
        let engine = Engine::new(EngineConfig::default());
        let first = chunk_bytes(&articles(&engine)[..4]);
        let second = chunk_bytes(&articles(&engine)[4..8]);
        let third = chunk_bytes(&articles(&engine)[8..]);
        assert!(third < second, "{third} {second}");
        // Room for the first chunk and the third, not the second: the
        // spill stops at the second, and the third is not taken either
        // (the file must hold a prefix).
        let mut writer = SpillWriter::new(first + third).unwrap();
        assert!(writer.write_chunk(part(&engine, 0..4)));
        assert!(!writer.write_chunk(part(&engine, 4..8)));
        let spilled = writer.finish();
        assert!(spilled.error.is_none());
        assert_eq!(spilled.articles, 4);
        assert_eq!(spilled.bytes, first);
        let mut reader = spilled.reader.unwrap();
        let chunk = reader.next_chunk(engine.tone_model()).unwrap().unwrap();
        assert_eq!(chunk, articles(&engine)[..4]);
        assert!(reader.next_chunk(engine.tone_model()).unwrap().is_none());
        // Exactly at the limit is within it.
        let mut writer = SpillWriter::new(first).unwrap();
        assert!(writer.write_chunk(part(&engine, 0..4)));
        assert_eq!(writer.finish().articles, 4);
        // Nothing taken: nothing to read.
        let mut writer = SpillWriter::new(first - 1).unwrap();
        assert!(!writer.write_chunk(part(&engine, 0..4)));
        let spilled = writer.finish();
        assert!(spilled.reader.is_none() && spilled.error.is_none());
        assert_eq!(spilled.articles, 0);
    }

    /// Takes `room` bytes, then fails as a full disk does.
    struct Disk {
        written: Vec<u8>,
        room: usize,
    }

    impl Write for Disk {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let n = buf.len().min(self.room - self.written.len());
            if n == 0 && !buf.is_empty() {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"));
            }
            self.written.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_keeps_the_chunks_written_whole_before_it() {
        let chunks: Vec<(usize, Vec<Vec<u8>>)> = vec![
            (2, vec![b"aaaa".to_vec(), b"bb".to_vec()]),
            (1, vec![b"ccccc".to_vec()]),
            (3, vec![b"ddd".to_vec(), b"e".to_vec()]),
        ];
        let send_all = || {
            let (send, receive) = sync_channel(chunks.len());
            for c in &chunks {
                send.send(c.clone()).unwrap();
            }
            receive
        };
        // Room for all, for the first two chunks and a byte, for less
        // than one chunk.
        for (room, articles, length) in [(15, 6, 15), (12, 3, 11), (6, 2, 6), (5, 0, 0)] {
            let mut disk = BufWriter::with_capacity(
                4,
                Disk {
                    written: Vec::new(),
                    room,
                },
            );
            let (got_articles, got_length, error) = write_chunks(send_all(), &mut disk);
            assert_eq!(
                (got_articles, got_length),
                (articles, length),
                "room {room}"
            );
            assert_eq!(error.is_some(), articles < 6, "room {room}");
            if let Some(e) = error {
                assert_eq!(e.kind(), io::ErrorKind::StorageFull);
            }
            // What reached the disk starts with the whole chunks.
            let written = &disk.get_ref().written;
            assert_eq!(
                &written[..length as usize],
                &b"aaaabbcccccddde"[..length as usize]
            );
        }
    }

    #[test]
    fn varints_and_differences_round_trip_and_stay_short() {
        let values = [0, 1, 127, 128, 16_383, 16_384, u32::MAX as u64, u64::MAX];
        let deltas = [(0, 0), (10, 3), (3, 10), (5, 1 << 40), (1 << 40, 0)];
        let mut buf = Vec::new();
        let mut w = Encoder(&mut buf);
        for &v in &values {
            w.varint(v);
        }
        // 1 + 1 + 1 + 2 + 2 + 3 + 5 + 10 bytes.
        assert_eq!(w.0.len(), 25);
        for &(from, to) in &deltas {
            w.delta(from, to);
        }
        let mut r = Decoder(&buf);
        for &v in &values {
            assert_eq!(r.varint(), Some(v));
        }
        for &(from, to) in &deltas {
            assert_eq!(r.delta(from), Some(to), "{from} -> {to}");
        }
        assert!(r.0.is_empty());
        let mut short = Vec::new();
        Encoder(&mut short).delta(1_000, 1_120);
        assert_eq!(short.len(), 2);
    }

    #[test]
    fn damaged_encodings_are_rejected_not_trusted() {
        let engine = Engine::new(EngineConfig::default());
        let model = engine.tone_model();
        let a = articles(&engine).pop().unwrap();
        let mut buf = Vec::new();
        encode(&a, &mut buf);
        // Every truncation, and a trailing byte, fail to decode.
        for len in 0..buf.len() {
            assert!(
                decode(&buf[..len], model).is_none(),
                "decoded {len} of {} bytes",
                buf.len()
            );
        }
        let mut longer = buf.clone();
        longer.push(0);
        assert!(decode(&longer, model).is_none());
        // A text that is not UTF-8 (the id's first byte, after its length)
        // fails too, and so does a varint longer than ten bytes.
        let mut bad = buf.clone();
        bad[1] = 0xFF;
        assert!(decode(&bad, model).is_none());
        let mut bad = vec![0x80; 10];
        bad.extend_from_slice(&buf[1..]);
        assert!(decode(&bad, model).is_none());
        // An evidence of an entry the model does not have fails too.
        let mut a = a;
        let terms: Vec<String> = a
            .prepared
            .as_ref()
            .unwrap()
            .tone
            .clone()
            .unpack(model)
            .evidence
            .iter()
            .map(|e| e.term.to_string())
            .collect();
        assert_eq!(terms, ["talks", "collapsed", "without a deal"]);
        let entries = model.entries.len() as u32;
        for (entry, decodes) in [(entries, false), (entries - 1, true)] {
            a.prepared.as_mut().unwrap().tone.set_entry(0, entry);
            let mut buf = Vec::new();
            encode(&a, &mut buf);
            assert_eq!(decode(&buf, model).is_some(), decodes, "entry {entry}");
        }
    }
}
