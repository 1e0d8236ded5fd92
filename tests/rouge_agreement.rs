//! Agreement of `precis::eval::rouge` (and its Porter stemmer) with Google's
//! `rouge-score` 0.1.2 / NLTK 3.10.4, `use_stemmer=True`.
//!
//! - `tests/fixtures/rouge/pairs.jsonl` holds invented news-like pairs with the edge
//!   cases; `expected.jsonl` is what `scripts/rouge_reference.py fixture` wrote from them.
//! - When `../shared/data/bbc-news-summary` exists, the mean F1 over 200 real BBC
//!   articles and the stems of the whole BBC vocabulary are checked against figures that
//!   `scripts/rouge_reference.py bbc|stems` printed. Only those figures are committed,
//!   never the texts.
//!
//! Release-mode timing over all 2,225 BBC documents:
//! `cargo test --release --test rouge_agreement -- --ignored --nocapture bbc_speed`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use precis::eval::porter;
use precis::eval::rouge::{Prf, RougeAggregate, RougeScorer, RougeScores};
use rayon::prelude::*;
use serde_json::Value;

/// The brief's tolerance: 0.1 points on the x100 scale.
const TOLERANCE: f64 = 0.001;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rouge")
}

fn read_jsonl(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("valid JSON line"))
        .collect()
}

/// The 12 figures of a pair, in the order rouge1, rouge2, rougeL, rougeLsum x P, R, F.
fn figures(s: &RougeScores) -> [(&'static str, f64); 12] {
    let prf = |p: &Prf| [p.precision, p.recall, p.f1];
    let [a, b, c] = prf(&s.rouge1);
    let [d, e, f] = prf(&s.rouge2);
    let [g, h, i] = prf(&s.rouge_l);
    let [j, k, l] = prf(&s.rouge_lsum);
    [
        ("rouge1.precision", a),
        ("rouge1.recall", b),
        ("rouge1.fmeasure", c),
        ("rouge2.precision", d),
        ("rouge2.recall", e),
        ("rouge2.fmeasure", f),
        ("rougeL.precision", g),
        ("rougeL.recall", h),
        ("rougeL.fmeasure", i),
        ("rougeLsum.precision", j),
        ("rougeLsum.recall", k),
        ("rougeLsum.fmeasure", l),
    ]
}

fn expected_figure(row: &Value, name: &str) -> f64 {
    let (kind, measure) = name.split_once('.').expect("kind.measure");
    row[kind][measure]
        .as_f64()
        .unwrap_or_else(|| panic!("{}: no {name}", row["id"]))
}

#[test]
fn fixture_agrees_with_rouge_score() {
    let pairs = read_jsonl(&fixture_dir().join("pairs.jsonl"));
    let expected = read_jsonl(&fixture_dir().join("expected.jsonl"));
    assert!(
        (20..=30).contains(&pairs.len()),
        "{} pairs in the fixture",
        pairs.len()
    );
    assert_eq!(
        pairs.len(),
        expected.len(),
        "pairs and expected rows differ in number"
    );

    let scorer = RougeScorer::new();
    let mut worst = (0.0f64, String::new());
    for (pair, want) in pairs.iter().zip(&expected) {
        assert_eq!(pair["id"], want["id"], "fixture files out of step");
        let reference = pair["reference"].as_str().expect("reference text");
        let candidate = pair["candidate"].as_str().expect("candidate text");
        let got = scorer.score(reference, candidate);
        for (name, value) in figures(&got) {
            let diff = (value - expected_figure(want, name)).abs();
            if diff > worst.0 || worst.1.is_empty() {
                worst = (diff, format!("{} {name}", pair["id"]));
            }
            assert!(
                diff <= TOLERANCE,
                "{} {name}: ours {value}, rouge-score {}",
                pair["id"],
                expected_figure(want, name)
            );
        }
    }
    eprintln!(
        "largest difference from rouge-score over {} pairs: {:e} ({})",
        pairs.len(),
        worst.0,
        worst.1
    );
    // Same operations in the same order as rouge-score, so the same bits; serde_json's
    // default float parsing may be off by an ulp, hence not exact equality.
    assert!(worst.0 <= 1e-12, "not the same to 1e-12 at {}", worst.1);
}

#[test]
fn fixture_covers_the_edge_cases() {
    let pairs = read_jsonl(&fixture_dir().join("pairs.jsonl"));
    let texts = |pick: fn(&Value) -> bool| pairs.iter().filter(|p| pick(p)).count();
    assert!(texts(|p| p["candidate"] == "") >= 1, "an empty candidate");
    assert!(
        texts(|p| p["reference"] == p["candidate"]) >= 1,
        "identical texts"
    );
    assert!(
        texts(|p| p["reference"].as_str().unwrap().contains('\n')
            && p["candidate"].as_str().unwrap().contains('\n'))
            >= 3,
        "multi-sentence pairs for ROUGE-Lsum"
    );
    assert!(
        texts(|p| !p["reference"].as_str().unwrap().is_ascii()) >= 2,
        "non-ASCII letters"
    );
}

fn bbc_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/bbc-news-summary");
    dir.is_dir().then_some(dir)
}

fn bbc_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir.join("articles"))
        .expect("articles folder")
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .filter_map(|name| name.strip_suffix(".txt").map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Candidate rule shared with `scripts/rouge_reference.py bbc`: the first three
/// non-empty lines after the title (line 1), joined by '\n'.
fn lead_candidate(article: &str) -> String {
    let lines: Vec<&str> = article
        .split('\n')
        .skip(1)
        .filter(|line| !line.is_empty())
        .take(3)
        .collect();
    lines.join("\n")
}

fn read(path: PathBuf) -> String {
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn bbc_mean_f1_agrees_with_rouge_score() {
    let Some(dir) = bbc_dir() else {
        eprintln!("../shared/data/bbc-news-summary absent: BBC agreement not checked");
        return;
    };
    // `python3 scripts/rouge_reference.py bbc ../shared/data/bbc-news-summary`
    const EXPECTED_MEAN_F1: [(&str, f64); 4] = [
        ("rouge1", 0.6292892673675702),
        ("rouge2", 0.5528136897911803),
        ("rougeL", 0.4107433170174246),
        ("rougeLsum", 0.5086217324973011),
    ];
    let ids = bbc_ids(&dir);
    assert_eq!(ids[199], "business_200");
    let scorer = RougeScorer::new();
    let mut total = RougeAggregate::default();
    for id in &ids[..200] {
        let article = read(dir.join("articles").join(format!("{id}.txt")));
        let reference = read(dir.join("summaries_spaced").join(format!("{id}.txt")));
        total.add(&scorer.score(&reference, &lead_candidate(&article)));
    }
    assert_eq!(total.documents, 200);
    let mean = total.mean();
    let ours = [
        mean.rouge1.f1,
        mean.rouge2.f1,
        mean.rouge_l.f1,
        mean.rouge_lsum.f1,
    ];
    for ((name, want), got) in EXPECTED_MEAN_F1.iter().zip(ours) {
        eprintln!(
            "{name} mean F1: ours {got:.6}, rouge-score {want:.6}, diff {:e}",
            (got - want).abs()
        );
        assert!(
            (got - want).abs() <= TOLERANCE,
            "{name}: ours {got}, rouge-score {want}"
        );
        assert!((got - want).abs() <= 1e-12, "{name}: not the same to 1e-12");
    }
}

fn fnv1a64(bytes: &[u8], mut hash: u64) -> u64 {
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[test]
fn porter_agrees_with_nltk_on_bbc_vocabulary() {
    let Some(dir) = bbc_dir() else {
        eprintln!("../shared/data/bbc-news-summary absent: BBC vocabulary not checked");
        return;
    };
    let mut words = std::collections::BTreeSet::new();
    for id in bbc_ids(&dir) {
        let text = read(dir.join("articles").join(format!("{id}.txt"))).to_lowercase();
        words.extend(
            text.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
    }
    let mut digest = 0xcbf2_9ce4_8422_2325;
    let mut changed = 0;
    let mut stems = std::collections::HashSet::new();
    for word in &words {
        let stem = porter::stem(word);
        changed += usize::from(stem != word.as_str());
        digest = fnv1a64(format!("{word}\t{stem}\n").as_bytes(), digest);
        stems.insert(stem.into_owned());
    }
    // `python3 scripts/rouge_reference.py stems ../shared/data/bbc-news-summary`
    // (on a mismatch, write the TSV and run `porter_matches_tsv` to see the words).
    assert_eq!(words.len(), 29_457, "distinct words");
    assert_eq!(changed, 16_130, "words changed by stemming");
    assert_eq!(stems.len(), 20_635, "distinct stems");
    assert_eq!(digest, 0x5aa2_5128_ddaa_b28b, "digest of word\\tstem lines");
}

/// `PRECIS_PORTER_TSV=/tmp/stems.tsv cargo test --test rouge_agreement -- --ignored
/// porter_matches_tsv`, the TSV written by `rouge_reference.py stems DIR /tmp/stems.tsv`
/// (or any `word\tnltk_stem` list): names every word we stem differently.
#[test]
#[ignore = "needs PRECIS_PORTER_TSV=<word\\tstem file>"]
fn porter_matches_tsv() {
    let path = std::env::var("PRECIS_PORTER_TSV").expect("PRECIS_PORTER_TSV is set");
    let text = read(PathBuf::from(path));
    let mut differing = Vec::new();
    let mut total = 0;
    for line in text.lines() {
        let (word, expected) = line.split_once('\t').expect("word<TAB>stem");
        total += 1;
        let ours = porter::stem(word);
        if ours != expected {
            differing.push(format!("{word}: nltk {expected}, ours {ours}"));
        }
    }
    eprintln!("{} of {total} words stemmed differently", differing.len());
    assert!(total > 0, "empty word list");
    assert!(differing.is_empty(), "{}", differing.join("\n"));
}

#[test]
#[ignore = "timing; run in release"]
fn bbc_speed() {
    let dir = bbc_dir().expect("../shared/data/bbc-news-summary");
    let docs: Vec<(String, String)> = bbc_ids(&dir)
        .iter()
        .map(|id| {
            let article = read(dir.join("articles").join(format!("{id}.txt")));
            let reference = read(dir.join("summaries_spaced").join(format!("{id}.txt")));
            (reference, article)
        })
        .collect();
    assert_eq!(docs.len(), 2225);
    for (label, whole) in [
        ("lead-3 candidate", false),
        ("whole article as candidate", true),
    ] {
        let candidate = |article: &str| {
            if whole {
                article.to_owned()
            } else {
                lead_candidate(article)
            }
        };
        let start = Instant::now();
        let scorer = RougeScorer::new();
        let mut one = RougeAggregate::default();
        for (reference, article) in &docs {
            one.add(&scorer.score(reference, &candidate(article)));
        }
        let serial = start.elapsed();

        let start = Instant::now();
        let scorer = RougeScorer::new();
        let many = docs
            .par_iter()
            .map(|(reference, article)| {
                let mut part = RougeAggregate::default();
                part.add(&scorer.score(reference, &candidate(article)));
                part
            })
            .reduce(RougeAggregate::default, |mut a, b| {
                a.merge(&b);
                a
            });
        let parallel = start.elapsed();
        assert_eq!(many.documents, 2225);
        assert!((many.mean().rouge_lsum.f1 - one.mean().rouge_lsum.f1).abs() < 1e-12);
        eprintln!(
            "{label}: 2225 documents in {serial:.2?} on one thread, {parallel:.2?} with rayon; mean F1 R1 {:.4} R2 {:.4} RL {:.4} RLsum {:.4}",
            one.mean().rouge1.f1,
            one.mean().rouge2.f1,
            one.mean().rouge_l.f1,
            one.mean().rouge_lsum.f1
        );
    }
}
