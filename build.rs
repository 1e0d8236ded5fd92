//! Compiles the embedded tone lexicon ahead of time, so start-up neither
//! parses `lexicons/tone.tsv` nor stems and hashes tens of thousands of
//! candidate forms.
//!
//! Output: `$OUT_DIR/forms.rs` with
//! - `EMBEDDED_ENTRIES`: (term, weight, category) in file order, as
//!   `Lexicon::parse` reads them (a unit test checks both agree);
//! - `PRECOMPUTED_FORMS`, sorted by term: each term's stem ids and, for
//!   one-word entries, the ids of the regular inflections that share its
//!   Snowball stem (the rules `ToneModel` applies at run time to terms it does
//!   not find here; a unit test checks both agree).

#[path = "src/tone/forms.rs"]
#[allow(dead_code)]
mod forms;

#[path = "src/tokenize/id.rs"]
#[allow(dead_code)]
mod id;

#[path = "src/tone/index.rs"]
#[allow(dead_code)]
mod index;

use std::collections::HashSet;
use std::fmt::Write as _;

fn normalize(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{FF07}' => '\''.to_string(),
            c => c.to_lowercase().collect(),
        })
        .collect()
}

/// The length that marks a missing category in the generated tables.
const NONE: u32 = u32::MAX;

fn main() {
    let path = "lexicons/tone.tsv";
    println!("cargo::rerun-if-changed={path}");
    println!("cargo::rerun-if-changed=src/tone/forms.rs");
    println!("cargo::rerun-if-changed=src/tokenize/id.rs");
    println!("cargo::rerun-if-changed=src/tone/index.rs");
    println!("cargo::rerun-if-changed=lexicons/modifiers.tsv");
    let source = std::fs::read_to_string(path).expect("lexicons/tone.tsv is readable");
    let stemmer = rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English);
    let mut entries: Vec<(String, f32, Option<String>)> = Vec::new();
    let mut seen = HashSet::new();
    let mut rows: Vec<(String, Vec<u64>, Vec<u64>)> = Vec::new();
    for line in source.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let raw = fields.next().unwrap_or("").trim();
        let term = normalize(&raw.split_whitespace().collect::<Vec<_>>().join(" "));
        // Malformed lines are left to `Lexicon::parse`, which reports them
        // with file and line (a test parses the embedded file).
        let Some(weight) = fields.next().and_then(|w| w.trim().parse::<f32>().ok()) else {
            continue;
        };
        let category = fields
            .next()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        if term.is_empty() || !seen.insert(term.clone()) {
            continue;
        }
        entries.push((term.clone(), weight, category));
        // The same tokenization and stemming as `Vocabulary::stems_of`.
        let stems: Vec<String> =
            unicode_segmentation::UnicodeSegmentation::unicode_words(term.as_str())
                .map(|w| stemmer.stem(&normalize(w)).into_owned())
                .collect();
        let kept: Vec<u64> = if stems.len() == 1 {
            forms::inflections(&term)
                .into_iter()
                .filter(|f| stemmer.stem(f) == stems[0].as_str())
                .map(|f| id::term_id(&f))
                .collect()
        } else {
            Vec::new()
        };
        rows.push((term, stems.iter().map(|s| id::term_id(s)).collect(), kept));
    }
    // The word index, built by the same rules as `ToneModel::new` at run
    // time: modifiers first, then the lexicon in file order.
    let modifiers_source = std::fs::read_to_string("lexicons/modifiers.tsv")
        .expect("lexicons/modifiers.tsv is readable");
    let modifier_terms: Vec<String> = modifiers_source
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap_or("").trim().to_string())
        .collect();
    let stems_of = |term: &str| -> Vec<u64> {
        unicode_segmentation::UnicodeSegmentation::unicode_words(term)
            .map(|w| id::term_id(&stemmer.stem(&normalize(w))))
            .collect()
    };
    let mut builder = index::IndexBuilder::default();
    for (i, term) in modifier_terms.iter().enumerate() {
        let surface = id::term_id(&normalize(term));
        builder.add(surface, &stems_of(term), &[], index::MODIFIER | i as u32);
    }
    for (i, (term, stems, kept)) in rows.iter().enumerate() {
        builder.add(id::term_id(&normalize(term)), stems, kept, i as u32);
    }
    let words = builder.table();
    rows.sort();
    // The tables hold numbers only: strings are ranges of one `TEXT` and id
    // lists ranges of one `IDS`. A table of `&str` and `&[u64]` would be
    // 26,000 pointers for the dynamic loader to relocate in every process
    // before `main` (143 pages written, 0.7 ms of each run); ranges are
    // read-only data, paged in only where used.
    let mut text = String::new();
    let mut ids: Vec<u64> = Vec::new();
    let mut put_str = |s: &str| -> (u32, u32) {
        let at = text.len() as u32;
        text.push_str(s);
        (at, s.len() as u32)
    };
    let entry_rows: Vec<String> = entries
        .iter()
        .map(|(term, weight, category)| {
            let (t, tl) = put_str(term);
            let (c, cl) = match category {
                Some(c) => put_str(c),
                None => (0, NONE),
            };
            format!("({t}, {tl}, {weight:?}, {c}, {cl})")
        })
        .collect();
    let modifier_rows: Vec<String> = modifier_terms
        .iter()
        .map(|term| {
            let (t, tl) = put_str(term);
            format!("({t}, {tl})")
        })
        .collect();
    let form_rows: Vec<String> = rows
        .iter()
        .map(|(term, stems, kept)| {
            let (t, tl) = put_str(term);
            let s = ids.len();
            ids.extend(stems);
            let k = ids.len();
            ids.extend(kept);
            format!("({t}, {tl}, {s}, {}, {k}, {})", stems.len(), kept.len())
        })
        .collect();
    let phrase_rows: Vec<String> = builder
        .phrases
        .iter()
        .map(|(payload, stems)| {
            let s = ids.len();
            ids.extend(stems);
            format!("({payload}, {s}, {})", stems.len())
        })
        .collect();
    let mut out = String::from("// Generated by build.rs from lexicons/ (see there).\n\n");
    let _ = writeln!(out, "/// Every string of the tables below, end to end.");
    let _ = writeln!(out, "pub static TEXT: &str = {text:?};\n");
    let _ = writeln!(out, "/// Every id list of the tables below, end to end.");
    let _ = writeln!(out, "pub static IDS: [u64; {}] = {ids:?};\n", ids.len());
    let mut table = |doc: &str, name: &str, ty: &str, rows: &[String]| {
        let _ = writeln!(out, "/// {doc}");
        let _ = writeln!(out, "pub static {name}: [{ty}; {}] = [", rows.len());
        for r in rows {
            let _ = writeln!(out, "    {r},");
        }
        out.push_str("];\n\n");
    };
    table(
        "The embedded lexicon's entries in file order: term (start, length in `TEXT`), weight, category (start, length; `NONE` for none).",
        "ENTRY_ROWS",
        "(u32, u32, f32, u32, u32)",
        &entry_rows,
    );
    table(
        "Terms sorted: term (start, length in `TEXT`), stem ids and inflection ids (start, length in `IDS`).",
        "FORM_ROWS",
        "(u32, u32, u32, u32, u32, u32)",
        &form_rows,
    );
    table(
        "The embedded modifiers' terms, in file order (start, length in `TEXT`).",
        "MODIFIER_ROWS",
        "(u32, u32)",
        &modifier_rows,
    );
    table(
        "The embedded phrases in priority order: payload, stem ids (start, length in `IDS`).",
        "PHRASE_ROWS",
        "(u32, u32, u32)",
        &phrase_rows,
    );
    let _ = writeln!(out, "/// The length that marks a missing category.");
    let _ = writeln!(out, "pub const NONE: u32 = {NONE};\n");
    out.push_str("/// The word index of the embedded lexicon and modifiers (see `index`).\n");
    let _ = writeln!(
        out,
        "pub static EMBEDDED_WORDS: [(u64, u32); {}] = [",
        words.len()
    );
    for (id, payload) in &words {
        let _ = writeln!(out, "    ({id}, {payload}),");
    }
    out.push_str("];\n\n/// The filter of `EMBEDDED_WORDS` (see `index::word_filter`).\n");
    let filter = index::word_filter(&words);
    let _ = writeln!(
        out,
        "pub static EMBEDDED_WORD_FILTER: [u64; {}] = {filter:?};",
        filter.len()
    );
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR is set")).join("forms.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
