//! Compact JSON for records, written straight into a byte buffer.
//!
//! `precis score` spends more time serialising than summarizing when it goes
//! through serde's generic machinery: every key is escaped at run time and
//! every value passes through a state machine. This writer knows the shape of
//! a [`Record`] and emits exactly the bytes `serde_json::to_vec` would (the
//! tests compare the two on real and hostile records), so the derive stays the
//! definition of the format and the pretty printers keep using it.

use super::{ArticleReport, Record, SentenceRow, SummarySentence};
use crate::tone::{AppliedRule, Evidence, Label, RuleKind, Tone};

impl Record {
    /// Appends the record as one line of compact JSON, without the newline.
    /// Byte for byte what `serde_json::to_vec(self)` gives.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"id\":");
        string(out, &self.id);
        if let Some(path) = &self.path {
            out.extend_from_slice(b",\"path\":");
            string(out, path);
        }
        if let Some(line) = self.line {
            out.extend_from_slice(b",\"line\":");
            int(out, line);
        }
        if let Some(title) = &self.title {
            out.extend_from_slice(b",\"title\":");
            string(out, title);
        }
        out.extend_from_slice(b",\"bytes\":");
        int(out, self.bytes);
        if let Some(a) = &self.article {
            article(out, a);
        }
        if let Some(error) = &self.error {
            out.extend_from_slice(b",\"error\":");
            string(out, error);
        }
        out.push(b'}');
    }
}

/// The flattened fields of an analysis, each preceded by a comma.
fn article(out: &mut Vec<u8>, a: &ArticleReport) {
    out.extend_from_slice(b",\"sentences\":");
    int(out, a.sentences);
    out.extend_from_slice(b",\"words\":");
    int(out, a.words);
    out.extend_from_slice(b",\"summary\":");
    list(out, &a.summary, summary_sentence);
    out.extend_from_slice(b",\"tone\":");
    tone(out, &a.tone);
    if let Some(rows) = &a.all_sentences {
        out.extend_from_slice(b",\"all_sentences\":");
        list(out, rows, sentence_row);
    }
}

fn summary_sentence(out: &mut Vec<u8>, s: &SummarySentence) {
    sentence_head(out, s.index, s.start, s.end, s.score);
    out.extend_from_slice(b",\"text\":");
    string(out, &s.text);
    out.push(b'}');
}

fn sentence_row(out: &mut Vec<u8>, s: &SentenceRow) {
    sentence_head(out, s.index, s.start, s.end, s.score);
    out.extend_from_slice(b",\"rank\":");
    int(out, s.rank);
    out.extend_from_slice(b",\"picked\":");
    boolean(out, s.picked);
    out.extend_from_slice(b",\"tone\":");
    float(out, s.tone);
    out.extend_from_slice(b",\"text\":");
    string(out, &s.text);
    out.push(b'}');
}

/// The fields both sentence shapes start with, after an opening brace.
fn sentence_head(out: &mut Vec<u8>, index: usize, start: usize, end: usize, score: f64) {
    out.extend_from_slice(b"{\"index\":");
    int(out, index);
    out.extend_from_slice(b",\"start\":");
    int(out, start);
    out.extend_from_slice(b",\"end\":");
    int(out, end);
    out.extend_from_slice(b",\"score\":");
    float(out, score);
}

fn tone(out: &mut Vec<u8>, t: &Tone) {
    out.extend_from_slice(b"{\"score\":");
    float(out, t.score);
    out.extend_from_slice(match t.label {
        Label::Warm => b",\"label\":\"warm\",\"warm\":",
        Label::Neutral => b",\"label\":\"neutral\",\"warm\":",
        Label::Impasse => b",\"label\":\"impasse\",\"warm\":",
    });
    float(out, t.warm);
    out.extend_from_slice(b",\"impasse\":");
    float(out, t.impasse);
    out.extend_from_slice(b",\"sentences\":");
    list(out, &t.sentences, |out, s| {
        out.extend_from_slice(b"{\"index\":");
        int(out, s.index);
        out.extend_from_slice(b",\"score\":");
        float(out, s.score);
        out.push(b'}');
    });
    out.extend_from_slice(b",\"evidence\":");
    list(out, &t.evidence, evidence);
    out.push(b'}');
}

fn evidence(out: &mut Vec<u8>, e: &Evidence) {
    out.extend_from_slice(b"{\"term\":");
    string(out, &e.term);
    out.extend_from_slice(b",\"start\":");
    int(out, e.start);
    out.extend_from_slice(b",\"end\":");
    int(out, e.end);
    out.extend_from_slice(b",\"sentence\":");
    int(out, e.sentence);
    out.extend_from_slice(b",\"weight\":");
    float32(out, e.weight);
    out.extend_from_slice(b",\"base\":");
    float32(out, e.base);
    if let Some(category) = &e.category {
        out.extend_from_slice(b",\"category\":");
        string(out, category);
    }
    out.extend_from_slice(b",\"negated\":");
    boolean(out, e.negated);
    out.extend_from_slice(b",\"intensified\":");
    boolean(out, e.intensified);
    if !e.rules.is_empty() {
        out.extend_from_slice(b",\"rules\":");
        list(out, &e.rules, rule);
    }
    out.push(b'}');
}

fn rule(out: &mut Vec<u8>, r: &AppliedRule) {
    out.extend_from_slice(match r.rule {
        RuleKind::Negation => b"{\"rule\":\"negation\",\"factor\":",
        RuleKind::Intensifier => b"{\"rule\":\"intensifier\",\"factor\":",
        RuleKind::BeforeContrast => b"{\"rule\":\"beforecontrast\",\"factor\":",
        RuleKind::AfterContrast => b"{\"rule\":\"aftercontrast\",\"factor\":",
        RuleKind::Concession => b"{\"rule\":\"concession\",\"factor\":",
        RuleKind::Hedge => b"{\"rule\":\"hedge\",\"factor\":",
    });
    float32(out, r.factor);
    out.extend_from_slice(b",\"start\":");
    int(out, r.start);
    out.extend_from_slice(b",\"end\":");
    int(out, r.end);
    out.push(b'}');
}

fn list<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

fn int(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends the first `len` bytes of `buf` (a fixed-size copy, then a cut).
#[inline]
fn append_prefix<const N: usize>(out: &mut Vec<u8>, buf: &[u8; N], len: usize) {
    debug_assert!(len <= N);
    let at = out.len();
    out.extend_from_slice(buf);
    out.truncate(at + len);
}

fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Shortest round-trip form, as serde_json writes it; `null` when not finite.
fn float(out: &mut Vec<u8>, x: f64) {
    if let Some(n) = on_grid(x, 1e6) {
        // `x` is the double nearest `n / 10^6`: written as that decimal.
        decimal::<6>(out, n);
    } else if x.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

fn float32(out: &mut Vec<u8>, x: f32) {
    // Lexicon weights and most factors have at most four decimals.
    if let Some(n) = on_grid32(x) {
        decimal::<4>(out, n);
    } else if x.is_finite() {
        out.extend_from_slice(zmij::Buffer::new().format_finite(x).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
}

/// `n` when `x` is the double nearest `n / scale` (scale `10^k`), with
/// `10^-3 <= |x| < 10^7`: the records' scores are rounded to millionths,
/// so nearly all are. The shortest decimal that reads back as such an `x`
/// is `n / scale` itself: another decimal as short would be a whole step
/// (`1 / scale`) away, far outside the double's rounding interval. So it
/// can be written directly, without the general shortest-digits search.
/// Zero and smaller values (which serde_json may write with an exponent)
/// take the general path.
#[inline]
fn on_grid(x: f64, scale: f64) -> Option<i64> {
    let a = x.abs();
    if !(1e-3..1e7).contains(&a) {
        return None;
    }
    // Rounded half away from zero; whether it is the right `n` is checked.
    let m = x * scale;
    let n = (m + 0.5f64.copysign(m)) as i64;
    (n as f64 / scale == x).then_some(n)
}

/// [`on_grid`] for an `f32` on the grid of ten-thousandths, `10^-3 <= |x| <
/// 10^3` (so `n` is below 2^24 and exact as an `f32`).
#[inline]
fn on_grid32(x: f32) -> Option<i64> {
    let a = x.abs();
    if !(1e-3..1e3).contains(&a) {
        return None;
    }
    let m = x as f64 * 1e4;
    let n = (m + 0.5f64.copysign(m)) as i64;
    (n as f32 / 1e4f32 == x).then_some(n)
}

/// Writes `n / 10^D` (`D` is 4 or 6) as serde_json writes its nearest
/// float: `-` if negative, the integer part, `.`, and the fraction without
/// its trailing zeros (at least one digit: `1.0`). Built in one stack
/// buffer from two-digit pairs, and appended once.
fn decimal<const D: u32>(out: &mut Vec<u8>, n: i64) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let scale = 10u64.pow(D);
    let m = n.unsigned_abs();
    let (int, mut frac) = (m / scale, m % scale);
    // One digit before the point and one after (lexicon weights, 1.0):
    // written whole.
    let tenth = scale / 10;
    if int < 10 && frac % tenth == 0 {
        let digit = b'0' + int as u8;
        let tenths = b'0' + (frac / tenth) as u8;
        if n < 0 {
            out.extend_from_slice(&[b'-', digit, b'.', tenths]);
        } else {
            out.extend_from_slice(&[digit, b'.', tenths]);
        }
        return;
    }
    // Sign, up to 7 integer digits (|x| < 10^7), point, 6 decimals.
    let mut buf = [0u8; 16];
    let mut len = 0;
    if n < 0 {
        buf[0] = b'-';
        len = 1;
    }
    if int < 10 {
        buf[len] = b'0' + int as u8;
        len += 1;
    } else {
        let mut ib = itoa::Buffer::new();
        let digits = ib.format(int).as_bytes();
        buf[len..len + digits.len()].copy_from_slice(digits);
        len += digits.len();
    }
    buf[len] = b'.';
    len += 1;
    // The fraction's digits, from the last pair to the first.
    let mut at = len + D as usize;
    for _ in 0..D / 2 {
        let pair = (frac % 100) as usize * 2;
        frac /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    len += D as usize;
    // Trailing zeros go, but one digit stays after the point.
    while buf[len - 1] == b'0' && buf[len - 2] != b'.' {
        len -= 1;
    }
    append_prefix(out, &buf, len);
}

/// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`...
/// or `\u00XX`; everything else, UTF-8 included, as is.
fn string(out: &mut Vec<u8>, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    // Most strings of a record are short and plain: lexicon terms and
    // categories, ids.
    if short_plain(out, bytes) {
        return;
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none needs escaping (most text).
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            if !needs_escape(word) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        i += 1;
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        let i = i - 1;
        out.extend_from_slice(&bytes[run..i]);
        run = i + 1;
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(b >> 4) as usize],
                HEX[(b & 0xF) as usize],
            ]),
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// Whether any of the eight bytes in `w` is a control character, `"` or `\\`.
#[inline]
fn needs_escape(w: u64) -> bool {
    escape_bits(w) != 0
}

/// The high bit of each byte of `w` (little-endian) that is a control
/// character, `"` or `\\` (the classic has-zero-byte test on `w`, `w ^ "…"`
/// and `w ^ \\…`). A flagged byte may also flag the bytes above it, never
/// those below: a borrow only moves up.
#[inline]
fn escape_bits(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    // Bytes below 0x20: subtracting 0x20 borrows into the high bit of a byte
    // only if it was below 0x20 or, for bytes >= 0x80, already had it set.
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH;
    below_space | has_zero(w ^ (ONES * b'"' as u64)) | has_zero(w ^ (ONES * b'\\' as u64))
}

/// Writes `bytes`, at most 16 of them, as a JSON string if none needs an
/// escape, and says whether it did. Loads and stores are of fixed size and
/// may overlap (first and last eight bytes, or four, as the tokenizer's word
/// keys are read), so a short string costs no loop and no `memcpy` call.
/// A load of fewer than eight bytes is padded above with `A`s: the test of
/// a byte is only moved by the bytes below it, so the padding changes
/// nothing.
#[inline]
fn short_plain(out: &mut Vec<u8>, bytes: &[u8]) -> bool {
    const PAD4: u64 = 0x4141_4141 << 32;
    const PAD3: u64 = 0x4141_4141_4141 << 24;
    let n = bytes.len();
    let four = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"));
    let eight = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
    let plain = match n {
        8..=16 => escape_bits(eight(0)) | escape_bits(eight(n - 8)) == 0,
        4..=7 => escape_bits(four(0) as u64 | PAD4) | escape_bits(four(n - 4) as u64 | PAD4) == 0,
        1..=3 => {
            let w = bytes[0] as u64 | (bytes[n / 2] as u64) << 8 | (bytes[n - 1] as u64) << 16;
            escape_bits(w | PAD3) == 0
        }
        0 => true,
        _ => false,
    };
    if !plain {
        return false;
    }
    out.reserve(n + 2 + 8);
    out.push(b'"');
    let at = out.len();
    match n {
        8..=16 => {
            out.extend_from_slice(&eight(0).to_le_bytes());
            out.truncate(at + n - 8);
            out.extend_from_slice(&eight(n - 8).to_le_bytes());
        }
        4..=7 => {
            out.extend_from_slice(&four(0).to_le_bytes());
            out.truncate(at + n - 4);
            out.extend_from_slice(&four(n - 4).to_le_bytes());
        }
        _ => bytes.iter().for_each(|&b| out.push(b)),
    }
    out.push(b'"');
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Engine, EngineConfig};

    fn same_as_serde(r: &Record) {
        let mut ours = Vec::new();
        r.write_json(&mut ours);
        let theirs = serde_json::to_vec(r).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&theirs)
        );
    }

    fn ours64(x: f64) -> String {
        let mut out = Vec::new();
        float(&mut out, x);
        String::from_utf8(out).unwrap()
    }

    fn ours32(x: f32) -> String {
        let mut out = Vec::new();
        float32(&mut out, x);
        String::from_utf8(out).unwrap()
    }

    /// Xorshift, for repeatable samples.
    fn next(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn grid_numbers_write_as_serde_json_does() {
        // Every millionth from -2 to 2 (the scores' range), every
        // ten-thousandth from -200 to 200 as f32, and samples beyond,
        // with values off the grid and around the edges of the fast path.
        for n in -2_000_000i64..=2_000_000 {
            let x = n as f64 / 1e6;
            assert_eq!(ours64(x), serde_json::to_string(&x).unwrap(), "{n}");
            let y = n as f32 / 1e4;
            assert_eq!(ours32(y), serde_json::to_string(&y).unwrap(), "{n}");
        }
        let mut seed = 0x2545_F491_4F6C_DD1D_u64;
        for _ in 0..300_000 {
            let r = next(&mut seed);
            let n = (r % 20_000_000_000_000) as i64 - 10_000_000_000_000;
            for x in [
                n as f64 / 1e6,
                f64::from_bits(r),
                (r >> 11) as f64 / (1u64 << 53) as f64,
            ] {
                if x.is_finite() {
                    assert_eq!(ours64(x), serde_json::to_string(&x).unwrap(), "{x:e}");
                }
            }
            let n32 = (r % 20_000_000) as i64 - 10_000_000;
            for y in [
                n32 as f32 / 1e4,
                f32::from_bits(r as u32),
                1.48 * (n32 as f32 / 1e4),
            ] {
                if y.is_finite() {
                    assert_eq!(ours32(y), serde_json::to_string(&y).unwrap(), "{y:e}");
                }
            }
        }
        for x in [
            1e-3,
            9.99999e-4,
            1e-6,
            5e-6,
            1e-5,
            1e7,
            9_999_999.999999,
            0.1 + 0.2,
        ] {
            assert_eq!(ours64(x), serde_json::to_string(&x).unwrap(), "{x:e}");
            assert_eq!(ours64(-x), serde_json::to_string(&-x).unwrap(), "{x:e}");
        }
        for y in [
            1e-3f32,
            9.999e-4,
            1e-4,
            1e3,
            999.9999,
            1677.7216,
            0.74 * 2.0,
            1.4 * 0.5,
        ] {
            assert_eq!(ours32(y), serde_json::to_string(&y).unwrap(), "{y:e}");
        }
        assert_eq!(ours64(0.646509), "0.646509");
        assert_eq!(ours64(-0.128037), "-0.128037");
        assert_eq!(ours64(1.0), "1.0");
        assert_eq!(ours32(-2.5), "-2.5");
        assert_eq!(on_grid(1.0 / 3.0, 1e6), None);
        assert_eq!(on_grid(0.646509, 1e6), Some(646_509));
    }

    #[test]
    fn strings_escape_as_serde_json_does() {
        let all: String = (0u8..0x80).map(char::from).collect();
        for s in [
            "",
            "plain",
            "say \"no\"",
            "back\\slash",
            "tab\tnew\nline\r",
            "\u{0}\u{1f}\u{7f}",
            "Kim’s “deal” — 평화",
            all.as_str(),
        ] {
            let mut ours = Vec::new();
            string(&mut ours, s);
            assert_eq!(ours, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        // An escape at every offset of the eight-byte stride, between
        // ASCII and UTF-8 bytes (which have the high bit set); the short
        // fillers also try every length of the short-string test, whose
        // zero padding must not be mistaken for the string's bytes.
        for c in ['"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '\u{7f}'] {
            let short = (0..=16).flat_map(|n| ["abcdefghijklmnop".get(..n), "éééééééé".get(..n)]);
            for filler in short.flatten() {
                let mut ours = Vec::new();
                string(&mut ours, filler);
                assert_eq!(ours, serde_json::to_vec(filler).unwrap(), "{filler:?}");
                for at in (0..=filler.len()).filter(|&at| filler.is_char_boundary(at)) {
                    let s = format!("{}{c}{}", &filler[..at], &filler[at..]);
                    let mut ours = Vec::new();
                    string(&mut ours, &s);
                    assert_eq!(ours, serde_json::to_vec(&s).unwrap(), "{s:?}");
                }
            }
            for filler in ["abcdefghijklmnopqrstuvwx", "ééééééééééééé"] {
                for at in 0..=filler.len() {
                    if !filler.is_char_boundary(at) {
                        continue;
                    }
                    let s = format!("{}{c}{}", &filler[..at], &filler[at..]);
                    let mut ours = Vec::new();
                    string(&mut ours, &s);
                    assert_eq!(ours, serde_json::to_vec(&s).unwrap(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn numbers_format_as_serde_json_does() {
        for x in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1e-7,
            123456.789,
            -0.361158,
            1e21,
            f64::NAN,
            f64::INFINITY,
        ] {
            let mut ours = Vec::new();
            float(&mut ours, x);
            assert_eq!(ours, serde_json::to_vec(&x).unwrap(), "{x}");
            let mut ours = Vec::new();
            float32(&mut ours, x as f32);
            assert_eq!(ours, serde_json::to_vec(&(x as f32)).unwrap(), "{x}");
        }
        // Every length of the short form, its edges, and the long form.
        for n in [
            0,
            9,
            10,
            99,
            100,
            999,
            1_000,
            9_999,
            10_000,
            99_999,
            100_000,
            usize::MAX,
        ] {
            let mut ours = b"x".to_vec();
            int(&mut ours, n);
            assert_eq!(ours, format!("x{n}").as_bytes());
        }
    }

    #[test]
    fn records_match_serde_json_on_every_sample_and_option() {
        let engine = Engine::new(EngineConfig::default());
        let mut seen_rules = 0;
        let mut seen_categories = 0;
        for entry in std::fs::read_dir("samples").unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for all in [false, true] {
                let a = engine.analyze(&text);
                let mut r = Record::from_analysis(
                    "id \"quoted\"\t".into(),
                    Some(path.display().to_string()),
                    &text,
                    a,
                    all,
                );
                let ev = &r.article.as_ref().unwrap().tone.evidence;
                seen_rules += ev.iter().filter(|e| !e.rules.is_empty()).count();
                seen_categories += ev.iter().filter(|e| e.category.is_some()).count();
                same_as_serde(&r);
                r.line = Some(7);
                r.title = None;
                same_as_serde(&r);
            }
        }
        assert!(seen_rules > 0 && seen_categories > 0);
        same_as_serde(&Record::failed(
            "bad.txt".into(),
            Some("dir/bad.txt".into()),
            "not UTF-8 at byte 3\n".into(),
        ));
    }
}
