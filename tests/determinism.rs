//! Output does not depend on the thread count or on the run: `precis score`
//! writes the same bytes for 1, 2 and 8 threads and every time; and with
//! `--idf local` an article scored inside a batch gets exactly the summary
//! and tone `precis summarize` gives it alone.
//!
//! The shared corpus (`../shared`: the seed articles and a BBC subset) is
//! used when it is there; without it those cases are skipped with a message.

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// Thread counts compared, with repeated runs of 1 and 8.
const ALL_RUNS: &[&str] = &["1", "2", "8", "1", "8"];
/// The quick comparison for variants.
const ONE_AND_EIGHT: &[&str] = &["1", "8"];

fn precis() -> Command {
    let mut cmd = Command::cargo_bin("precis").unwrap();
    cmd.timeout(Duration::from_secs(120));
    cmd
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn samples() -> PathBuf {
    manifest_dir().join("samples")
}

/// `../shared`, when it exists.
fn shared() -> Option<PathBuf> {
    let dir = manifest_dir().join("../shared");
    if dir.join("seeds").is_dir() && dir.join("data/bbc-news-summary/articles").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "determinism: {} not found; shared-corpus cases skipped",
            dir.display()
        );
        None
    }
}

/// Every `step`-th BBC article (sorted by name, so the pick is stable),
/// which spreads the subset over all five categories.
fn bbc_subset(shared: &Path, step: usize) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("data/bbc-news-summary/articles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files.into_iter().step_by(step).collect()
}

/// `precis score INPUTS EXTRA --threads N`: stdout, checking the exit code.
fn score(inputs: &[PathBuf], extra: &[&str], threads: &str) -> Vec<u8> {
    let out = precis()
        .arg("score")
        .args(inputs)
        .args(extra)
        .args(["--threads", threads])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!out.stdout.is_empty());
    out.stdout
}

fn lines(bytes: &[u8]) -> Vec<Value> {
    std::str::from_utf8(bytes)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The same bytes for every thread count of `runs` (the first is the
/// reference; a count may repeat).
fn same_for_every_thread_count(inputs: &[PathBuf], extra: &[&str], records: usize, runs: &[&str]) {
    let first = score(inputs, extra, runs[0]);
    assert_eq!(lines(&first).len(), records, "{extra:?}");
    for threads in &runs[1..] {
        let again = score(inputs, extra, threads);
        if again != first {
            let (a, b) = (lines(&first), lines(&again));
            let at = a.iter().zip(&b).position(|(x, y)| x != y);
            panic!(
                "{extra:?}: --threads {threads} differs from --threads {} at record {at:?}:\n{}\n{}",
                runs[0],
                at.map_or(Value::Null, |i| a[i].clone()),
                at.map_or(Value::Null, |i| b[i].clone()),
            );
        }
    }
}

#[test]
fn samples_are_identical_for_any_thread_count() {
    let inputs = [samples()];
    let n = std::fs::read_dir(samples()).unwrap().count();
    same_for_every_thread_count(&inputs, &[], n, ALL_RUNS);
    for extra in [
        &["--idf", "local"][..],
        &["--method", "textrank", "--all-sentences"],
        &["--method", "lexrank", "--diversity", "0.5"],
        &["--method", "centroid", "--ratio", "0.5"],
        &["--words", "40", "--format", "jsonl"],
    ] {
        same_for_every_thread_count(&inputs, extra, n, ONE_AND_EIGHT);
    }
    // Other formats too.
    for format in ["json", "csv", "text"] {
        let one = score(&inputs, &["--format", format], "1");
        let eight = score(&inputs, &["--format", format], "8");
        assert!(
            one == eight,
            "--format {format} differs between 1 and 8 threads"
        );
    }
}

#[test]
fn shared_corpus_is_identical_for_any_thread_count() {
    let Some(shared) = shared() else { return };
    // The seeds folder and every 15th BBC article (149 of 2,225), one batch.
    let mut inputs = vec![shared.join("seeds")];
    let bbc = bbc_subset(&shared, 15);
    assert_eq!(bbc.len(), 149);
    inputs.extend(bbc);
    let seeds = std::fs::read_dir(shared.join("seeds")).unwrap().count();
    same_for_every_thread_count(&inputs, &[], seeds + 149, ALL_RUNS);
    same_for_every_thread_count(
        &inputs,
        &["--method", "textrank"],
        seeds + 149,
        ONE_AND_EIGHT,
    );
}

/// Checks that each article of `files`, scored in one batch with `--idf
/// local`, has the summary and tone `precis summarize --idf local` gives it.
fn batch_equals_alone(files: &[PathBuf]) {
    let batch = lines(&score(files, &["--idf", "local"], "2"));
    assert_eq!(batch.len(), files.len());
    for (file, record) in files.iter().zip(&batch) {
        assert_eq!(record["path"], file.display().to_string());
        assert!(record.get("error").is_none(), "{record}");
        let out = precis()
            .args(["summarize", "--format", "json", "--idf", "local"])
            .arg(file)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", file.display());
        let alone: Value = serde_json::from_slice(&out.stdout).unwrap();
        for field in ["summary", "tone", "title", "sentences", "words", "bytes"] {
            assert_eq!(
                record[field],
                alone[field],
                "{}: {field} differs between the batch and summarize",
                file.display()
            );
        }
        assert!(!record["summary"].as_array().unwrap().is_empty());
    }
}

#[test]
fn local_idf_in_a_batch_equals_summarize_alone() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    batch_equals_alone(&files);
}

#[test]
fn local_idf_in_a_batch_equals_summarize_alone_on_shared_articles() {
    let Some(shared) = shared() else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(shared.join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files.extend(bbc_subset(&shared, 250));
    batch_equals_alone(&files);
}
