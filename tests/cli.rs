//! End-to-end tests of the `precis` binary on the sample articles.
//!
//! Every expectation below was checked by reading the article text: sentence
//! boundaries, summary picks, tone labels and evidence spans. Behaviour that
//! was found to be wrong was not pinned as-is: it was written as the correct
//! expectation in a test at the end of the file, ignored until fixed.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use unicode_segmentation::UnicodeSegmentation;

const S01: &str = "samples/01_warm_summit.txt";
const S04: &str = "samples/04_talks_stall.txt";
const S07: &str = "samples/07_quotes_abbreviations.txt";
const S08: &str = "samples/08_mixed_signals.txt";

const SAMPLE_IDS: [&str; 8] = [
    "01_warm_summit.txt",
    "02_trade_deal.txt",
    "03_ceasefire_holds.txt",
    "04_talks_stall.txt",
    "05_sanctions_threats.txt",
    "06_central_bank.txt",
    "07_quotes_abbreviations.txt",
    "08_mixed_signals.txt",
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, run from the crate root so that `samples/...` paths work.
fn precis() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_precis"));
    c.current_dir(root());
    c
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/cli/{name}")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).expect("readable sample")
}

/// Runs, requires exit 0, returns stdout.
fn stdout_of(args: &[&str]) -> String {
    let out = precis().args(args).assert().success().get_output().clone();
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The message of a run that must end with a usage error (exit code 2).
fn usage_error(args: &[&str]) -> String {
    let out = precis().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
    String::from_utf8(out.stderr).unwrap()
}

fn json_of(args: &[&str]) -> Value {
    serde_json::from_str(&stdout_of(args)).expect("valid JSON")
}

fn jsonl_of(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

fn u(v: &Value) -> usize {
    v.as_u64().expect("unsigned integer") as usize
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn s(v: &Value) -> &str {
    v.as_str().expect("string")
}

fn span<'t>(text: &'t str, v: &Value) -> &'t str {
    &text[u(&v["start"])..u(&v["end"])]
}

/// Unicode words, as the engine counts them (`unicode_word_indices`).
fn words(text: &str) -> usize {
    text.unicode_words().count()
}

fn indices(rec: &Value) -> Vec<usize> {
    rec["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| u(&x["index"]))
        .collect()
}

/// The sentences of `file` as `precis split --format json` gives them.
fn sentences_of(file: &str) -> Vec<Value> {
    json_of(&["split", file, "--format", "json"])
        .as_array()
        .unwrap()
        .clone()
}

/// Checks what must hold for every record of an article with `text`: every
/// span slices back to its text, sentence indices agree with the splitter,
/// tone has one score per sentence, evidence and rule spans are real text.
fn check_record(rec: &Value, text: &str, sentences: &[Value]) {
    let id = s(&rec["id"]);
    assert_eq!(u(&rec["bytes"]), text.len(), "{id}: bytes");
    assert_eq!(u(&rec["sentences"]), sentences.len(), "{id}: sentences");
    let total: usize = sentences.iter().map(|x| words(s(&x["text"]))).sum();
    assert_eq!(u(&rec["words"]), total, "{id}: words");
    for p in rec["summary"].as_array().unwrap() {
        let i = u(&p["index"]);
        assert_eq!(span(text, p), s(&p["text"]), "{id}: summary slice");
        assert_eq!(p["start"], sentences[i]["start"], "{id}: summary start");
        assert_eq!(p["end"], sentences[i]["end"], "{id}: summary end");
    }
    let idx = indices(rec);
    assert!(idx.windows(2).all(|w| w[0] < w[1]), "{id}: article order");
    let tone = &rec["tone"];
    let per: Vec<usize> = tone["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| u(&x["index"]))
        .collect();
    assert_eq!(per, (0..sentences.len()).collect::<Vec<_>>(), "{id}");
    let score = f(&tone["score"]);
    let label = match score {
        x if x >= 0.1 => "warm",
        x if x <= -0.1 => "impasse",
        _ => "neutral",
    };
    assert_eq!(s(&tone["label"]), label, "{id}: label of {score}");
    for e in tone["evidence"].as_array().unwrap() {
        let hit = span(text, e);
        assert!(!hit.trim().is_empty(), "{id}: empty evidence span");
        let sent = &sentences[u(&e["sentence"])];
        assert!(
            u(&e["start"]) >= u(&sent["start"]) && u(&e["end"]) <= u(&sent["end"]),
            "{id}: {hit:?} outside its sentence"
        );
        assert_eq!(
            e["negated"].as_bool().unwrap(),
            rules_of(e).iter().any(|r| r.0 == "negation"),
            "{id}: negated flag of {hit:?}"
        );
        assert_eq!(
            e["intensified"].as_bool().unwrap(),
            rules_of(e).iter().any(|r| r.0 == "intensifier"),
            "{id}: intensified flag of {hit:?}"
        );
        if let Some(rules) = e.get("rules") {
            for r in rules.as_array().unwrap() {
                assert!(!span(text, r).trim().is_empty(), "{id}: rule span");
            }
        }
    }
}

/// `(rule, start, end)` of an evidence item's rules.
fn rules_of(e: &Value) -> Vec<(String, usize, usize)> {
    e.get("rules")
        .and_then(Value::as_array)
        .map(|rs| {
            rs.iter()
                .map(|r| (s(&r["rule"]).to_string(), u(&r["start"]), u(&r["end"])))
                .collect()
        })
        .unwrap_or_default()
}

/// The evidence item whose span text is `hit` (the first one).
fn evidence<'a>(rec_tone: &'a Value, text: &str, hit: &str) -> &'a Value {
    rec_tone["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| span(text, e) == hit)
        .unwrap_or_else(|| panic!("no evidence spanning {hit:?}"))
}

/// A tiny CSV reader (RFC 4180 quoting) for checking `--format csv`.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && row.is_empty(),
        "CSV ends with a newline"
    );
    rows
}

// ---------------------------------------------------------------- summarize

const SUMMARY_01_TEXT: &str = "\
Leaders of Norland and Vestria hail \"new chapter\" after two-day summit

[1] VALMORE, May 14 (Precis Wire) - The leaders of Norland and Vestria on Tuesday ended a two-day summit with a series of agreements on energy, education and border trade, praising what both sides called a new chapter of friendship between the neighbours.
[2] President Anna K. Lindqvist of Norland and Prime Minister Tomas Varga of Vestria signed six agreements at the Valmore Palace, including a $1.2bn joint investment in a cross-border power line and a scheme to double student exchanges by 2028.
[8] According to a Vestrian spokesman, Mr. Varga's letter invited Ms. Lindqvist to visit the Vestrian capital, Karsk, in the autumn, and she accepted the invitation warmly.

tone +0.721 warm  (warm 0.99, impasse 0.01; 38 hits in 14 sentences)
evidence: warm +2.34, improved +2.25, new chapter +2.00, praising +2.00, new chapter +2.00
";

#[test]
fn summarize_text_prints_title_summary_and_tone() {
    precis()
        .args(["summarize", S01])
        .assert()
        .success()
        .stdout(SUMMARY_01_TEXT)
        .stderr("");
}

#[test]
fn summarize_json_record() {
    let text = read(S01);
    let sentences = sentences_of(S01);
    let r = json_of(&["summarize", S01, "--format", "json"]);
    assert_eq!(r["id"], S01);
    assert_eq!(r["path"], S01);
    assert_eq!(
        r["title"],
        "Leaders of Norland and Vestria hail \"new chapter\" after two-day summit"
    );
    assert_eq!(u(&r["bytes"]), 1738);
    assert_eq!(u(&r["sentences"]), 14);
    assert_eq!(u(&r["words"]), 293);
    assert!(r.get("all_sentences").is_none());
    assert!(r.get("error").is_none());
    check_record(&r, &text, &sentences);

    // The lead paragraph, the agreements, and the accepted invitation.
    let picks: Vec<(usize, usize, usize, f64)> = r["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (u(&p["index"]), u(&p["start"]), u(&p["end"]), f(&p["score"])))
        .collect();
    assert_eq!(
        picks,
        [
            (1, 72, 323, 1.0),
            (2, 325, 565, 0.781804),
            (8, 1062, 1230, 0.506754)
        ]
    );
    assert!(s(&r["summary"][2]["text"]).ends_with("she accepted the invitation warmly."));

    let tone = &r["tone"];
    assert_eq!(tone["label"], "warm");
    assert_eq!(f(&tone["score"]), 0.720905);
    assert_eq!(f(&tone["warm"]), 0.985459);
    assert_eq!(f(&tone["impasse"]), 0.014541);
    assert_eq!(tone["evidence"].as_array().unwrap().len(), 38);
    // The short quote "Our people have waited a long time for this day." and
    // the trade figures carry no tone.
    assert_eq!(f(&tone["sentences"][4]["score"]), 0.0);
    assert_eq!(f(&tone["sentences"][10]["score"]), 0.0);

    // "a very warm meeting": the entry "warm", scaled by "very".
    let warm = evidence(tone, &text, "very warm");
    // The span includes its intensifier: "very warm".
    assert_eq!((u(&warm["start"]), u(&warm["end"])), (577, 586));
    assert_eq!(warm["term"], "warm");
    assert_eq!(u(&warm["sentence"]), 3);
    assert_eq!(warm["intensified"], true);
    assert_eq!(warm["negated"], false);
    assert_eq!(rules_of(warm), [("intensifier".to_string(), 577, 581)]);
    assert_eq!(&text[577..586], "very warm");
    // "... cool ... after a dispute over fishing rights, but ... ties had
    // improved": the clause after "but" wins.
    let dispute = evidence(tone, &text, "dispute");
    assert_eq!(
        rules_of(dispute),
        [("beforecontrast".to_string(), 1347, 1350)]
    );
    assert_eq!(&text[1347..1350], "but");
    assert!(f(&dispute["weight"]) < 0.0 && f(&dispute["weight"]) > f(&dispute["base"]));
    let improved = evidence(tone, &text, "improved");
    assert_eq!(
        rules_of(improved),
        [("aftercontrast".to_string(), 1347, 1350)]
    );
    assert!(f(&improved["weight"]) > f(&improved["base"]));
    // Phrases are single hits with the phrase as span.
    let chapter = evidence(tone, &text, "new chapter");
    assert_eq!(chapter["term"], "new chapter");
    assert_eq!(u(&chapter["sentence"]), 0);
    assert_eq!(
        evidence(tone, &text, "work together")["term"],
        "work together"
    );
}

#[test]
fn summarize_sentences_two() {
    let r = json_of(&["summarize", S01, "--sentences", "2", "--format", "json"]);
    assert_eq!(indices(&r), [1, 2]);
    let short = json_of(&["summarize", S01, "-n", "2", "--format", "json"]);
    assert_eq!(r, short);
}

#[test]
fn summarize_ratio_half() {
    // 14 sentences, the title is never picked: half of them is 7.
    let r = json_of(&["summarize", S01, "--ratio", "0.5", "--format", "json"]);
    assert_eq!(indices(&r), [1, 2, 3, 5, 6, 7, 8]);
    check_record(&r, &read(S01), &sentences_of(S01));
}

#[test]
fn summarize_word_budget_is_never_exceeded() {
    let r = json_of(&["summarize", S01, "--words", "40", "--format", "json"]);
    // Sentence 1 has 42 words and cannot fit; sentence 2 has exactly 40.
    assert_eq!(indices(&r), [2]);
    let total: usize = r["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| words(s(&p["text"])))
        .sum();
    assert_eq!(total, 40);

    for budget in [1usize, 5, 10, 25, 40, 41, 60, 100, 200] {
        for file in [S01, S07, S08] {
            let b = budget.to_string();
            let r = json_of(&["summarize", file, "--words", &b, "--format", "json"]);
            let total: usize = r["summary"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| words(s(&p["text"])))
                .sum();
            assert!(total <= budget, "{file}: {total} words > --words {budget}");
        }
    }
    // Exact picks for two more budgets: 42 + 16 = 58 <= 60, and the one
    // 10-word sentence "Trade between them rose 9.4% last year to about $3.8bn."
    let r = json_of(&["summarize", S01, "--words", "60", "--format", "json"]);
    assert_eq!(indices(&r), [1, 7]);
    let r = json_of(&["summarize", S01, "--words", "10", "--format", "json"]);
    assert_eq!(indices(&r), [10]);
    assert_eq!(
        r["summary"][0]["text"],
        "Trade between them rose 9.4% last year to about $3.8bn."
    );
}

#[test]
fn summarize_lead_takes_the_first_sentences_after_the_title() {
    let r = json_of(&["summarize", S01, "--method", "lead", "--format", "json"]);
    assert_eq!(indices(&r), [1, 2, 3]);
    let scores: Vec<f64> = r["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| f(&p["score"]))
        .collect();
    assert_eq!(scores, [1.0, 0.5, 0.333333]);
    assert!(s(&r["summary"][2]["text"]).starts_with("\"It was a very warm meeting"));
    let all = json_of(&[
        "summarize",
        S01,
        "--method",
        "lead",
        "-n",
        "20",
        "--format",
        "json",
    ]);
    assert_eq!(indices(&all), (1..14).collect::<Vec<_>>());
    // 04: the dateline paragraph and the session paragraph.
    // sentence only if it is not the title.
    let r = json_of(&[
        "summarize",
        "samples/04_talks_stall.txt",
        "--method",
        "lead",
        "-n",
        "2",
        "--format",
        "json",
    ]);
    assert_eq!(indices(&r), [1, 2]);
}

#[test]
fn summarize_all_sentences_json() {
    let text = read(S01);
    let r = json_of(&["summarize", S01, "--all-sentences", "--format", "json"]);
    let rows = r["all_sentences"].as_array().unwrap();
    assert_eq!(rows.len(), 14);
    let mut ranks = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(u(&row["index"]), i);
        assert_eq!(span(&text, row), s(&row["text"]));
        assert_eq!(
            row["picked"].as_bool().unwrap(),
            [1, 2, 8].contains(&i),
            "picked flag of sentence {i}"
        );
        assert!((0.0..=1.0).contains(&f(&row["score"])));
        ranks.push(u(&row["rank"]));
    }
    // The picks are the three best ranks; the title is ranked last.
    assert_eq!(
        (
            u(&rows[1]["rank"]),
            u(&rows[2]["rank"]),
            u(&rows[8]["rank"])
        ),
        (1, 2, 3)
    );
    assert_eq!(u(&rows[0]["rank"]), 14);
    assert_eq!(f(&rows[0]["score"]), 0.0);
    ranks.sort();
    assert_eq!(ranks, (1..=14).collect::<Vec<_>>());
    // Summary scores agree with the rows.
    for p in r["summary"].as_array().unwrap() {
        assert_eq!(p["score"], rows[u(&p["index"])]["score"]);
    }
}

#[test]
fn summarize_reads_standard_input() {
    let text = read(S01);
    precis()
        .args(["summarize", "-"])
        .write_stdin(text.clone())
        .assert()
        .success()
        .stdout(SUMMARY_01_TEXT);
    let out = precis()
        .args(["summarize", "-", "--format", "json"])
        .write_stdin(text)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut from_stdin: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(from_stdin["id"], "-");
    assert_eq!(from_stdin["path"], "-");
    let mut from_file = json_of(&["summarize", S01, "--format", "json"]);
    for r in [&mut from_stdin, &mut from_file] {
        r.as_object_mut().unwrap().remove("id");
        r.as_object_mut().unwrap().remove("path");
    }
    assert_eq!(from_stdin, from_file);
}

#[test]
fn summarize_rejects_bad_budgets() {
    precis()
        .args(["summarize", S01, "--ratio", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--ratio must be in (0, 1], got 0"));
    precis()
        .args(["summarize", S01, "--sentences", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--sentences must be at least 1"));
    precis()
        .args(["summarize", "samples/no_such_article.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read samples/no_such_article.txt",
        ));
}

// -------------------------------------------------------------------- score

#[test]
fn score_samples_jsonl() {
    let out = stdout_of(&["score", "samples/"]);
    let records = jsonl_of(&out);
    let ids: Vec<&str> = records.iter().map(|r| s(&r["id"])).collect();
    assert_eq!(ids, SAMPLE_IDS);
    for r in &records {
        let id = s(&r["id"]);
        let path = format!("samples/{id}");
        assert_eq!(r["path"], path.as_str());
        assert!(r.get("error").is_none());
        check_record(r, &read(&path), &sentences_of(&path));
    }
    let by_id = |id: &str| records.iter().find(|r| r["id"] == id).unwrap();
    let label = |id: &str| s(&by_id(id)["tone"]["label"]).to_string();
    assert_eq!(label("01_warm_summit.txt"), "warm");
    assert_eq!(label("02_trade_deal.txt"), "warm");
    assert_eq!(label("03_ceasefire_holds.txt"), "warm");
    assert_eq!(label("04_talks_stall.txt"), "impasse");
    assert_eq!(label("05_sanctions_threats.txt"), "impasse");
    // Mixed, leaning warm (+0.155: constructive talks, no deal).
    assert_eq!(label("08_mixed_signals.txt"), "warm");
    // Sentence counts checked by reading the articles.
    for (id, n) in [
        ("01_warm_summit.txt", 14),
        ("02_trade_deal.txt", 18),
        ("03_ceasefire_holds.txt", 19),
        ("04_talks_stall.txt", 17),
        ("05_sanctions_threats.txt", 15),
        ("06_central_bank.txt", 17),
        ("07_quotes_abbreviations.txt", 28),
        ("08_mixed_signals.txt", 18),
    ] {
        assert_eq!(u(&by_id(id)["sentences"]), n, "{id}");
    }
    // Corpus IDF changes summary scores, not picks, on 01.
    assert_eq!(indices(by_id("01_warm_summit.txt")), [1, 2, 8]);
    // Warm beats impasse by a wide margin.
    let score = |id: &str| f(&by_id(id)["tone"]["score"]);
    assert!(score("01_warm_summit.txt") > 0.5);
    assert!(score("05_sanctions_threats.txt") < -0.5);
    // The same records without the trailing slash.
    assert_eq!(stdout_of(&["score", "samples"]), out);
}

/// Input beyond --retain-bytes waits in a temporary file (within
/// --max-spill-bytes), or is read again with --no-spill, past the limit,
/// or when no temporary file can be made: the records are the same every
/// way.
#[test]
fn score_spills_or_rereads_beyond_the_retained_bytes_with_the_same_records() {
    let all_kept = stdout_of(&["score", "samples/"]);
    assert_eq!(jsonl_of(&all_kept).len(), 8);
    for retain in ["0", "6000"] {
        for extra in [
            &[][..],
            &["--no-spill"],
            &["--max-spill-bytes", "30000"],
            &["--max-spill-bytes", "0"],
        ] {
            let mut args = vec!["score", "samples/", "--retain-bytes", retain];
            args.extend(extra);
            assert_eq!(stdout_of(&args), all_kept, "{args:?}");
        }
    }
    assert!(
        usage_error(&["score", "samples/", "--no-spill", "--max-spill-bytes", "1"])
            .contains("cannot be used with")
    );
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing");
    let out = precis()
        .args(["score", "samples/", "--retain-bytes", "0"])
        .env("TMPDIR", &missing)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), all_kept);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("cannot write analyses to a temporary file in")
            && err.contains(&missing.display().to_string())
            && err.contains("the rest of the input is read again"),
        "{err}"
    );
}

#[test]
fn score_timings_go_to_standard_error_and_change_no_record() {
    let plain = stdout_of(&["score", "samples", "-q"]);
    let timed = |extra: &[&str]| {
        let out = precis()
            .args(["score", "samples", "-q", "--timings"])
            .args(extra)
            .assert()
            .success()
            .get_output()
            .clone();
        let err = String::from_utf8(out.stderr).unwrap();
        let line = err
            .lines()
            .find(|l| l.starts_with("precis: timings (ms): "));
        let line = line.unwrap_or_else(|| panic!("no timings line in {err:?}"));
        // Each phase is its name and a time in ms with one decimal.
        let phases: Vec<String> = line
            .trim_start_matches("precis: timings (ms): ")
            .split("; ")
            .map(|p| {
                let (name, ms) = p.rsplit_once(' ').expect("name and time");
                assert!(ms.parse::<f64>().is_ok_and(|ms| ms >= 0.0), "{p}");
                name.to_string()
            })
            .collect();
        (String::from_utf8(out.stdout).unwrap(), phases)
    };
    let (records, phases) = timed(&[]);
    assert_eq!(records, plain);
    assert_eq!(
        phases,
        [
            "thread pool, lexicon and listing",
            "first pass",
            "counting document frequencies",
            "second pass (summaries and output)",
            "in all",
        ]
    );
    // Without corpus IDF there is one pass.
    let (_, phases) = timed(&["--idf", "local"]);
    assert_eq!(
        phases,
        [
            "thread pool, lexicon and listing",
            "analysis and output",
            "in all"
        ]
    );
}

/// A disk that fills while the temporary file is written (here a file size
/// limit, with its signal ignored so that writes fail with EFBIG as on a
/// full disk): the chunks written before are kept, the rest of the input is
/// read again, and the records are the same.
#[cfg(target_os = "linux")]
#[test]
fn score_keeps_what_was_spilled_when_the_disk_fills_midway() {
    use std::os::unix::process::CommandExt;
    let all_kept = stdout_of(&["score", "samples/"]);
    // Pieces of an eighth of 13,900 bytes of text, an article each (5 to
    // 7 KB encoded): the limit lets two in, and writes fail in the second.
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_precis"));
    cmd.current_dir(root()).args([
        "score",
        "samples/",
        "--retain-bytes",
        "0",
        "--max-spill-bytes",
        "13900",
    ]);
    // SAFETY: between fork and exec the closure only makes two system
    // calls, which allocate nothing and take no lock.
    unsafe {
        cmd.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 9_000,
                rlim_max: 9_000,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8(out.stdout).unwrap(), all_kept);
    let err = String::from_utf8(out.stderr).unwrap();
    let kept: usize = err
        .split("; the ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count of kept analyses in {err:?}"));
    assert!((1..8).contains(&kept), "{err}");
    assert!(
        err.contains("cannot write analyses to a temporary file")
            && err.contains("File too large")
            && err.contains("analyses written are kept and the rest of the input is read again"),
        "{err}"
    );
}

/// `-o` naming a named pipe (as `/dev/null` or `/dev/stdout` name devices)
/// writes into it: the atomic rename that protects regular files would
/// replace the pipe with a file.
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_named_pipe_is_written_in_place() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("records");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only reads it.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let read_all = |path: PathBuf| std::thread::spawn(move || std::fs::read(path).unwrap());
    for (args, expected) in [
        (
            vec!["score", "samples"],
            stdout_of(&["score", "samples"]).into_bytes(),
        ),
        (vec!["idf", "build", "samples"], Vec::new()),
    ] {
        let reader = read_all(fifo.clone());
        let mut full = args.clone();
        full.extend(["-o", fifo.to_str().unwrap()]);
        let out = precis().args(&full).output().unwrap();
        assert!(out.status.success(), "{full:?}: {out:?}");
        // Checked before waiting for the reader, which would wait forever
        // on a pipe that nothing opened.
        let kind = std::fs::metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "{full:?} replaced the pipe");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "{full:?} left {names:?}");
        let got = reader.join().unwrap();
        if expected.is_empty() {
            assert!(!got.is_empty(), "{full:?} wrote nothing");
        } else {
            assert_eq!(got, expected, "{full:?}");
        }
    }
    let fifo = fifo.to_str().unwrap();
    assert!(
        usage_error(&["score", "samples", "--resume", "-o", fifo]).contains("is a device or pipe")
    );
}

#[test]
fn score_csv_has_header_and_eight_rows() {
    let out = stdout_of(&["score", "samples", "--format", "csv"]);
    let rows = parse_csv(&out);
    assert_eq!(
        rows[0],
        "id,path,title,bytes,sentences,words,tone,label,warm,impasse,evidence,summary,error"
            .split(',')
            .collect::<Vec<_>>()
    );
    assert_eq!(rows.len(), 9);
    let jsonl = jsonl_of(&stdout_of(&["score", "samples"]));
    for (row, rec) in rows[1..].iter().zip(&jsonl) {
        assert_eq!(row.len(), 13, "{row:?}");
        assert_eq!(row[0], s(&rec["id"]));
        assert_eq!(row[1], s(&rec["path"]));
        assert_eq!(row[2], s(&rec["title"]));
        assert_eq!(row[3], rec["bytes"].to_string());
        assert_eq!(row[4], rec["sentences"].to_string());
        assert_eq!(row[5], rec["words"].to_string());
        assert_eq!(row[6].parse::<f64>().unwrap(), f(&rec["tone"]["score"]));
        assert_eq!(row[7], s(&rec["tone"]["label"]));
        assert_eq!(row[12], "");
    }
    // Quoting: a title with quotes round-trips.
    assert_eq!(
        rows[1][2],
        "Leaders of Norland and Vestria hail \"new chapter\" after two-day summit"
    );
    assert!(rows[1][10].starts_with("warm +2.34, improved +2.25, new chapter +2.00"));
    assert!(rows[1][11].starts_with("VALMORE, May 14 (Precis Wire) - The leaders"));
}

#[test]
fn score_json_is_an_array_of_the_jsonl_records() {
    let array = json_of(&["score", "samples", "--format", "json"]);
    let array = array.as_array().expect("a JSON array");
    assert_eq!(array.len(), 8);
    let jsonl = jsonl_of(&stdout_of(&["score", "samples"]));
    assert_eq!(array, &jsonl);
}

#[test]
fn score_text_blocks() {
    let out = stdout_of(&["score", "samples", "--format", "text"]);
    let heads: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(
        heads,
        SAMPLE_IDS
            .iter()
            .map(|id| format!("== {id}"))
            .collect::<Vec<_>>()
    );
    let first = out.split("\n\n").next().unwrap();
    let expected_first = "\
== 01_warm_summit.txt
[1] VALMORE, May 14 (Precis Wire) - The leaders of Norland and Vestria on Tuesday ended a two-day summit with a series of agreements on energy, education and border trade, praising what both sides called a new chapter of friendship between the neighbours.
[2] President Anna K. Lindqvist of Norland and Prime Minister Tomas Varga of Vestria signed six agreements at the Valmore Palace, including a $1.2bn joint investment in a cross-border power line and a scheme to double student exchanges by 2028.
[8] According to a Vestrian spokesman, Mr. Varga's letter invited Ms. Lindqvist to visit the Vestrian capital, Karsk, in the autumn, and she accepted the invitation warmly.
tone +0.721 warm; evidence: warm +2.34, improved +2.25, new chapter +2.00, praising +2.00, new chapter +2.00";
    assert_eq!(first, expected_first);
    let tones: Vec<&str> = out.lines().filter(|l| l.starts_with("tone ")).collect();
    assert_eq!(tones.len(), 8);
    assert!(tones[3].starts_with("tone -") && tones[3].contains(" impasse; evidence: "));
    assert!(tones[4].starts_with("tone -") && tones[4].contains(" impasse; evidence: "));
}

#[test]
fn score_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    precis()
        .args(["score", "samples", "-o"])
        .arg(&file)
        .assert()
        .success()
        .stdout("");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, stdout_of(&["score", "samples"]));
    assert_eq!(written.lines().count(), 8);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["out.jsonl"], "no .partial left behind");

    let csv = dir.path().join("out.csv");
    precis()
        .args(["score", "samples", "--format", "csv", "--output"])
        .arg(&csv)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        stdout_of(&["score", "samples", "--format", "csv"])
    );
}

// -------------------------------------------------------------------- split

#[test]
fn split_prints_one_sentence_per_line() {
    let expected = [
        "Leaders of Norland and Vestria hail \"new chapter\" after two-day summit",
        "VALMORE, May 14 (Precis Wire) - The leaders of Norland and Vestria on Tuesday ended a two-day summit with a series of agreements on energy, education and border trade, praising what both sides called a new chapter of friendship between the neighbours.",
        "President Anna K. Lindqvist of Norland and Prime Minister Tomas Varga of Vestria signed six agreements at the Valmore Palace, including a $1.2bn joint investment in a cross-border power line and a scheme to double student exchanges by 2028.",
        "\"It was a very warm meeting, and I believe we have built real trust,\" Ms. Lindqvist told reporters after the signing ceremony.",
        "\"Our people have waited a long time for this day.\"",
        "Mr. Varga said the talks had been \"open, friendly and productive\" and thanked his host for her hospitality.",
        "He said the two governments would set up a joint commission to meet every six months to review progress.",
        "The two leaders also exchanged personal letters, a gesture officials described as a sign of goodwill.",
        "According to a Vestrian spokesman, Mr. Varga's letter invited Ms. Lindqvist to visit the Vestrian capital, Karsk, in the autumn, and she accepted the invitation warmly.",
        "Relations between the two countries had been cool for much of the past decade after a dispute over fishing rights, but diplomats on both sides said the summit showed how far ties had improved.",
        "Trade between them rose 9.4% last year to about $3.8bn.",
        "\"We agreed to work together as partners and as friends,\" Mr. Varga said.",
        "\"This is the beginning of a strong and lasting cooperation.\"",
        "Officials said the next round of ministerial talks would be held in Karsk in Sept., ahead of the planned leaders' visit.",
    ];
    let out = stdout_of(&["split", S01]);
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    assert!(out.ends_with(".\n"));
}

#[test]
fn split_json_spans_slice_back_to_text() {
    // The abbreviations sample: initials, titles, U.S./U.N., e.g./i.e.,
    // a.m., ellipses, quotes inside quotes, a URL, boilerplate lines.
    let expected = [
        "U.S. and S. Korea weigh next steps after envoy's \"very positive\" letter",
        "WASHINGTON, Jan. 9 (Precis Wire) - Mr. J. R. Smith of the U.S. State Dept. said on Tuesday that talks with N. Korea could resume \"within weeks,\" but officials in Seoul and Washington cautioned that key differences remain unresolved.",
        "Mr. Smith, speaking at 10.30 a.m. in a briefing room at the department, said his team had received \"what I would call a very positive letter\" from Pyongyang.",
        "\"We read it line by line... and we think there is an opening here.",
        "I won't say more than that,\" he said.",
        "Asked whether the letter signalled a real change, a senior diplomat was more guarded.",
        "\"What we got was, in his words, a \"very positive\" letter,\" he said.",
        "\"But we have had positive letters before.\"",
        "In Seoul, Gen. Park Min-jae, the deputy chief of the Joint Chiefs of Staff, said the military would stay on alert.",
        "\"Words are welcome.",
        "Actions matter more,\" Gen. Park told lawmakers.",
        "(He declined to say whether joint drills planned for March would be scaled back.)",
        "Some analysts were sceptical.",
        "Dr. Sarah E. Novak of the Pacific Policy Institute said previous openings - e.g. in 2018 and 2019 - had ended in disappointment.",
        "\"Is this the end?\" she asked, referring to the long freeze in contacts.",
        "\"Probably not.",
        "It's the start of another cycle, and cycles tend to repeat.\"",
        "Others struck a warmer note.",
        "Sen. Mark T. Ellis, a member of the Senate Foreign Relations Committee, called the development \"encouraging\" and urged the administration not to waste the chance.",
        "\"Diplomacy is slow, frustrating — and still better than the alternative,\" he said.",
        "A U.N. spokesman said the organisation stood ready to help \"in any way the parties find useful,\" adding that humanitarian access remained a priority.",
        "Officials said the agenda, if talks resume, would include sanctions, missile testing and family reunions, i.e. the same issues that stalled the last round.",
        "Mr. Smith would not give a date.",
        "\"Let's not get ahead of ourselves,\" he said.",
        "\"We'll know more in a few weeks… maybe sooner.\"",
        "A full transcript of the briefing is available at https://example.org/talks.html.",
        "Also read: Five things to know about the stalled Korea talks",
        "Please enter your comment!",
    ];
    let text = read(S07);
    let rows = sentences_of(S07);
    let texts: Vec<&str> = rows.iter().map(|r| s(&r["text"])).collect();
    assert_eq!(texts, expected);
    let mut last_end = 0;
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(u(&r["index"]), i);
        assert_eq!(span(&text, r), s(&r["text"]));
        assert!(
            u(&r["start"]) >= last_end,
            "spans in order, not overlapping"
        );
        assert!(
            text[last_end..u(&r["start"])].trim().is_empty(),
            "nothing lost"
        );
        last_end = u(&r["end"]);
    }
    assert!(text[last_end..].trim().is_empty());
    // Text format: the same sentences, one per line.
    assert_eq!(
        stdout_of(&["split", S07]).lines().collect::<Vec<_>>(),
        expected
    );
}

// --------------------------------------------------------------------- tone

#[test]
fn tone_table_lists_sentences_and_strongest_hits() {
    let out = stdout_of(&["tone", S01]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "tone +0.721 warm  (warm 0.99, impasse 0.01; 38 hits)"
    );
    assert_eq!(lines[1], "");
    assert_eq!(lines[2], "   #   score  sentence");
    assert_eq!(
        lines[3],
        "   0  +0.637  Leaders of Norland and Vestria hail \"new chapter\" after two-day summit  (title)"
    );
    assert_eq!(lines[4], "              new chapter +2.00, hail +1.20");
    // Long sentences are cut at 97 characters without --explain.
    assert_eq!(
        lines[5],
        "   1  +0.896  VALMORE, May 14 (Precis Wire) - The leaders of Norland and Vestria on Tuesday ended a two-day sum..."
    );
    let rows: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.len() > 6 && l.as_bytes()[4] == b' ' && l[..4].trim().parse::<usize>().is_ok()
        })
        .collect();
    assert_eq!(rows.len(), 14);
    assert_eq!(
        rows[4],
        "   4  +0.000  \"Our people have waited a long time for this day.\""
    );
    assert!(!out.contains(" @"), "no spans without --explain");

    // JSON is the record's tone object.
    let tone = json_of(&["tone", S01, "--format", "json"]);
    let record = json_of(&["summarize", S01, "--format", "json"]);
    assert_eq!(tone, record["tone"]);
}

#[test]
fn tone_explain_shows_spans_entries_and_rules() {
    let out = stdout_of(&["tone", S01, "--explain"]);
    for line in [
        "              \"very warm\" @577..586 = entry \"warm\" (cooperation) base +1.80 -> +2.34",
        "                  x1.30 scaled by \"very\" @577..581",
        "              \"dispute\" @1318..1325 = entry \"dispute\" (impasse) base -1.40 -> -0.70",
        "                  x0.50 before contrast \"but\" @1347..1350",
        "              \"improved\" @1415..1423 = entry \"improved\" (agreement) base +1.50 -> +2.25",
        "                  x1.50 after contrast \"but\" @1347..1350",
        "              \"accepted\" @1199..1207 = entry \"accept\" (general) base +1.40 -> +1.40",
        // Sentences are printed whole with --explain.
        "   1  +0.896  VALMORE, May 14 (Precis Wire) - The leaders of Norland and Vestria on Tuesday ended a two-day summit with a series of agreements on energy, education and border trade, praising what both sides called a new chapter of friendship between the neighbours.",
    ] {
        assert!(out.lines().any(|l| l == line), "missing line {line:?} in\n{out}");
    }

    let out = stdout_of(&["tone", S08, "--explain"]);
    for line in [
        "              \"peace agreement\" @192..207 = entry \"peace agreement\" (agreement) base +2.60 -> -0.96",
        "                  x-0.74 negated by \"without\" @182..189",
        "                  x0.50 before contrast \"but\" @209..212",
        "              \"resolved\" @572..580 = entry \"resolved\" (agreement) base +1.50 -> -1.11",
        "                  x-0.74 negated by \"not\" @568..571",
        "              \"no deal\" @329..336 = entry \"no deal\" (impasse) base -2.00 -> -1.00",
        "                  x0.50 conceded by \"Although\" @320..328",
        "              \"peaceful solution\" @1299..1316 = entry \"peaceful solution\" (peace) base +2.40 -> +3.60",
    ] {
        assert!(out.lines().any(|l| l == line), "missing line {line:?} in\n{out}");
    }
    // More warm evidence than impasse, narrowly: "tone +0.155 warm".
    assert!(out.starts_with("tone ") && out.lines().next().unwrap().contains(" warm "));

    let out = stdout_of(&["tone", S04, "--explain"]);
    for line in [
        "              \"negotiate\" @599..608 = entry \"negotiate\" (dialogue) base +1.20 -> -0.89",
        "                  x-0.74 negated by \"refuses to\" @588..598",
        "              \"talks collapsed\" @430..445 = entry \"talks collapsed\" (impasse) base -2.40 -> -2.40",
    ] {
        assert!(out.lines().any(|l| l == line), "missing line {line:?} in\n{out}");
    }
    assert!(out.lines().next().unwrap().contains(" impasse "));
}

// ---------------------------------------------------------------------- idf

#[test]
fn idf_build_merge_and_score_with_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("m.idf");
    let mm = dir.path().join("mm.idf");
    precis()
        .args(["idf", "build", "samples", "-o"])
        .arg(&m)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::starts_with("precis: 8 documents, "));
    let model = std::fs::read_to_string(&m).unwrap();
    let lines: Vec<&str> = model.lines().collect();
    assert_eq!(lines[0], "precis-idf 1");
    assert_eq!(lines[1], "documents\t8");
    // "summit": 01 and 08; "talk" (talks/talking): 01, 02, 03, 04, 07, 08.
    assert!(lines.contains(&"summit\t2"), "{model}");
    assert!(lines.contains(&"talk\t6"), "{model}");

    precis()
        .args(["idf", "merge"])
        .arg(&m)
        .arg(&m)
        .arg("-o")
        .arg(&mm)
        .assert()
        .success()
        .stderr(predicate::str::starts_with("precis: 16 documents, "));
    let merged = std::fs::read_to_string(&mm).unwrap();
    let mlines: Vec<&str> = merged.lines().collect();
    assert_eq!(mlines[0], "precis-idf 1");
    assert_eq!(mlines[1], "documents\t16");
    assert_eq!(mlines.len(), lines.len(), "same terms");
    for (a, b) in lines[2..].iter().zip(&mlines[2..]) {
        let (ta, ca) = a.split_once('\t').unwrap();
        let (tb, cb) = b.split_once('\t').unwrap();
        assert_eq!(ta, tb);
        assert_eq!(
            2 * ca.parse::<u64>().unwrap(),
            cb.parse::<u64>().unwrap(),
            "{ta}"
        );
    }

    let m_arg = m.to_str().unwrap();
    let records = jsonl_of(&stdout_of(&["score", "samples", "--idf", m_arg]));
    assert_eq!(records.len(), 8);
    let corpus = jsonl_of(&stdout_of(&["score", "samples"]));
    for (r, c) in records.iter().zip(&corpus) {
        assert_eq!(r["id"], c["id"]);
        // A model of the same corpus gives the same picks and the same tone.
        assert_eq!(indices(r), indices(c), "{}", r["id"]);
        assert_eq!(r["tone"], c["tone"]);
    }
    // The doubled model has the same document shares: the same picks and
    // the same tone (summary scores may differ by IDF smoothing).
    let doubled = jsonl_of(&stdout_of(&[
        "score",
        "samples",
        "--idf",
        mm.to_str().unwrap(),
    ]));
    for (d, r) in doubled.iter().zip(&records) {
        assert_eq!(indices(d), indices(r), "{}", r["id"]);
        assert_eq!(d["tone"], r["tone"]);
    }
    // summarize accepts a model too.
    let r = json_of(&["summarize", S01, "--idf", m_arg, "--format", "json"]);
    assert_eq!(indices(&r), [1, 2, 8]);
}

#[test]
fn malformed_idf_model_names_file_and_line() {
    let bad = fixture("bad_model.idf");
    let msg = format!("precis: {bad}:4: expected <stem><TAB><count>\n");
    precis()
        .args(["score", "samples", "--idf", &bad])
        .assert()
        .code(2)
        .stdout("")
        .stderr(msg.clone());
    precis()
        .args(["summarize", S01, "--idf", &bad])
        .assert()
        .code(2)
        .stderr(msg.clone());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.idf");
    precis()
        .args(["idf", "merge", &bad, &bad, "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(msg);
    assert!(!out.exists());

    // A wrong header and a bad count, written on the fly.
    let header = dir.path().join("header.idf");
    std::fs::write(&header, "hello\n").unwrap();
    precis()
        .args(["score", "samples", "--idf"])
        .arg(&header)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "header.idf:1: expected \"precis-idf 1\", found \"hello\"",
        ));
    let count = dir.path().join("count.idf");
    std::fs::write(&count, "precis-idf 1\ndocuments\t8\nsummit\tx\n").unwrap();
    precis()
        .args(["score", "samples", "--idf"])
        .arg(&count)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "count.idf:3: count \"x\" is not a whole number",
        ));
}

// ----------------------------------------------------------------- lexicons

fn terms_and_spans(tone: &Value, text: &str) -> Vec<(String, String)> {
    tone["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (s(&e["term"]).to_string(), span(text, e).to_string()))
        .collect()
}

#[test]
fn lexicon_replaces_the_default() {
    let text = read(S01);
    let tone = json_of(&[
        "tone",
        S01,
        "--lexicon",
        &fixture("tiny.tsv"),
        "--format",
        "json",
    ]);
    assert_eq!(
        terms_and_spans(&tone, &text),
        [
            ("friendship".to_string(), "friendship".to_string()),
            ("fishing rights".to_string(), "fishing rights".to_string())
        ]
    );
    let fishing = &tone["evidence"][1];
    assert_eq!(fishing["category"], "impasse");
    assert_eq!(f(&fishing["base"]), -1.0);
    assert_eq!(f(&fishing["weight"]), -0.5, "before \"but\"");
    assert_eq!(f(&tone["evidence"][0]["weight"]), 2.5);
    assert_eq!(tone["label"], "warm");
    // Only sentences 1 and 9 have evidence.
    let nonzero: Vec<usize> = tone["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| f(&x["score"]) != 0.0)
        .map(|x| u(&x["index"]))
        .collect();
    assert_eq!(nonzero, [1, 9]);
    // The summary does not depend on the lexicon.
    let r = json_of(&[
        "summarize",
        S01,
        "--lexicon",
        &fixture("tiny.tsv"),
        "--format",
        "json",
    ]);
    assert_eq!(indices(&r), [1, 2, 8]);
    assert_eq!(r["tone"], tone);
}

#[test]
fn extra_lexicons_in_vader_and_afinn_formats_override_entries() {
    let text = read(S01);
    let get = |tone: &Value, hit: &str| f(&evidence(tone, &text, hit)["weight"]);
    let default = json_of(&["tone", S01, "--format", "json"]);
    assert_eq!(get(&default, "goodwill"), 2.0);
    assert_eq!(get(&default, "friendship"), 2.0);

    // VADER: token, mean, sd, ratings; the mean is the weight.
    let vader = format!("vader:{}", fixture("extra_vader.txt"));
    let tone = json_of(&["tone", S01, "--extra-lexicon", &vader, "--format", "json"]);
    assert_eq!(get(&tone, "goodwill"), -3.1);
    assert!(evidence(&tone, &text, "goodwill").get("category").is_none());
    assert_eq!(get(&tone, "friendship"), 2.0, "default entries stay");
    assert_eq!(
        tone["evidence"].as_array().unwrap().len(),
        default["evidence"].as_array().unwrap().len()
    );
    assert!(f(&tone["score"]) < f(&default["score"]));

    // AFINN: integers in -5..5 scaled to -4..4.
    let afinn = format!("afinn:{}", fixture("extra_afinn.txt"));
    let tone = json_of(&["tone", S01, "--extra-lexicon", &afinn, "--format", "json"]);
    assert_eq!(get(&tone, "friendship"), -4.0);
    assert_eq!(get(&tone, "goodwill"), 3.2);

    // The same through --lexicon-format, and both files at once.
    let tone2 = json_of(&[
        "tone",
        S01,
        "--extra-lexicon",
        &fixture("extra_afinn.txt"),
        "--lexicon-format",
        "afinn",
        "--format",
        "json",
    ]);
    assert_eq!(tone2, tone);
    let both = json_of(&[
        "tone",
        S01,
        "--extra-lexicon",
        &vader,
        "--extra-lexicon",
        &afinn,
        "--format",
        "json",
    ]);
    assert_eq!(get(&both, "goodwill"), 3.2, "the later file wins");
    assert_eq!(get(&both, "friendship"), -4.0);
}

#[test]
fn malformed_lexicons_name_file_and_line() {
    let bad = fixture("bad_lexicon.tsv");
    for cmd in [
        vec!["tone", S01, "--lexicon", &bad],
        vec!["summarize", S01, "--extra-lexicon", &bad],
        vec!["score", "samples", "--lexicon", &bad],
    ] {
        precis()
            .args(&cmd)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "precis: {bad}:3: \"bad line here\" has no weight (expected term<TAB>weight)\n"
            ));
    }
    // A VADER file read as AFINN: the mean is not an integer.
    let vader = fixture("extra_vader.txt");
    precis()
        .args(["tone", S01, "--extra-lexicon", &format!("afinn:{vader}")])
        .assert()
        .code(2)
        .stderr(format!(
            "precis: {vader}:1: AFINN weight \"-3.1\" is not an integer\n"
        ));
    // An AFINN -5 read as VADER is off the -4..4 scale.
    let afinn = fixture("extra_afinn.txt");
    precis()
        .args(["tone", S01, "--lexicon", &format!("vader:{afinn}")])
        .assert()
        .code(2)
        .stderr(format!("precis: {afinn}:1: weight -5 is outside [-4, 4]\n"));
}

// -------------------------------------------------------------------- bench

#[test]
fn bench_prints_floor_and_one_row_per_thread_count() {
    let out = stdout_of(&["bench", "samples", "--threads", "1,2", "--runs", "1"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("8 articles, 0.02 MB, median of 1 runs "),
        "{out}"
    );
    assert!(
        lines[1].starts_with("floor (unicode word walk, 1 thread): ")
            && lines[1].ends_with(" MB/s"),
        "{out}"
    );
    let header = lines
        .iter()
        .position(|l| *l == "threads  seconds    MB/s  articles/s  speedup  of floor")
        .expect("table header");
    let row = |i: usize| -> Vec<&str> { lines[header + i].split_whitespace().collect() };
    assert_eq!(row(1)[0], "1");
    assert_eq!(row(1)[4], "1.00x", "speedup of the first row");
    assert_eq!(row(2)[0], "2");
    assert_eq!(row(1).len(), 6);
    assert_eq!(row(2).len(), 6);
    assert_eq!(lines[header + 3], "");
    assert_eq!(lines[header + 4], "stages, 1 thread (seconds):");
    assert!(lines[header + 5].starts_with("  read "));
    assert!(
        lines[header + 6].starts_with(
            "spill (`precis score --retain-bytes 0`, all threads): 8 articles, 0.03 MB in the \
             temporary file, 2.13 bytes per byte of text"
        ),
        "{out}"
    );

    let json = json_of(&[
        "bench",
        "samples",
        "--threads",
        "1,2",
        "--runs",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(u(&json["articles"]), 8);
    let total: usize = SAMPLE_IDS
        .iter()
        .map(|id| read(&format!("samples/{id}")).len())
        .sum();
    assert_eq!(u(&json["bytes"]), total);
    let threads: Vec<usize> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| u(&r["threads"]))
        .collect();
    assert_eq!(threads, [1, 2]);
    // The samples' analyses, encoded as `spill.rs` does: the exact size,
    // so that a change to the encoding is seen.
    assert_eq!(u(&json["spill"]["articles"]), 8);
    assert_eq!(u(&json["spill"]["bytes"]), SPILL_BYTES_OF_SAMPLES);
}

/// The temporary file of the eight samples' analyses (see `spill.rs`).
const SPILL_BYTES_OF_SAMPLES: usize = 33_010;

#[test]
fn bench_floor_only_measures_the_walk_alone() {
    let json = json_of(&[
        "bench",
        "samples",
        "--floor-only",
        "--runs",
        "3",
        "--format",
        "json",
    ]);
    assert_eq!(u(&json["articles"]), 8);
    assert_eq!(u(&json["runs"]), 3);
    let each = json["floor_seconds"].as_array().unwrap();
    assert_eq!(each.len(), 3);
    assert!(each.iter().all(|s| f(s) > 0.0));
    assert!(f(&json["floor_mb_per_s"]) > 0.0);
    // Only the floor: no table of thread counts.
    assert!(json.get("rows").is_none());
    let text = stdout_of(&["bench", "samples", "--floor-only", "--runs", "1"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[0], "8 articles, 0.02 MB, median of 1 runs");
    assert!(lines[1].starts_with("floor (unicode word walk, 1 thread): "));
}

// -------------------------------------------------------- shared seed files

fn seeds() -> Option<PathBuf> {
    let dir = root().join("../shared/seeds");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} does not exist", dir.display());
        None
    }
}

#[test]
fn seed_articles_warm_letter_and_hanoi_summit() {
    let Some(dir) = seeds() else { return };
    let d = dir.to_str().unwrap();
    let records = jsonl_of(&stdout_of(&["score", d]));
    let get = |prefix: &str| {
        records
            .iter()
            .find(|r| s(&r["id"]).starts_with(prefix))
            .unwrap_or_else(|| panic!("no record {prefix}"))
    };
    let r004 = get("004_0bc84c6f6d8a8037.txt");
    let r000 = get("000_4e6aedb7a2cd7210.txt");
    let t004 = std::fs::read_to_string(dir.join("004_0bc84c6f6d8a8037.txt")).unwrap();
    let t000 = std::fs::read_to_string(dir.join("000_4e6aedb7a2cd7210.txt")).unwrap();

    assert_eq!(r004["tone"]["label"], "warm");
    // "It was a very warm, very positive letter": the evidence is either a
    // span reading "very warm" / "very positive", or the entry scaled by an
    // intensifier whose span reads "very" right before it.
    let intensified_by_very = |e: &Value, phrase: &str| {
        e["intensified"] == true
            && rules_of(e).iter().any(|(rule, start, _)| {
                rule == "intensifier"
                    && t004[*start..u(&e["start"])].trim_end() == "very"
                    && t004[*start..u(&e["end"])].starts_with(phrase)
            })
    };
    let has = |phrase: &str| {
        r004["tone"]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| span(&t004, e).starts_with(phrase) || intensified_by_very(e, phrase))
    };
    assert!(has("very warm"), "no \"very warm\" evidence in 004");
    assert!(has("very positive"), "no \"very positive\" evidence in 004");
    for e in r004["tone"]["evidence"].as_array().unwrap() {
        assert!(!span(&t004, e).is_empty());
    }

    // 000 (a failed summit, talks to arrange another) is cooler than 004.
    assert!(
        f(&r000["tone"]["score"]) < f(&r004["tone"]["score"]),
        "000 {} >= 004 {}",
        r000["tone"]["score"],
        r004["tone"]["score"]
    );

    // "Moon said he does not see the Hanoi summit as a failed meeting": the
    // failure is denied, so it must not count as plain failure.
    let sentences = sentences_of(&format!("{d}/000_4e6aedb7a2cd7210.txt"));
    let moon = sentences
        .iter()
        .position(|x| {
            s(&x["text"]).contains("Moon said he does not see the Hanoi summit as a failed meeting")
        })
        .expect("the Moon sentence");
    for e in r000["tone"]["evidence"].as_array().unwrap() {
        if u(&e["sentence"]) == moon {
            assert!(
                !(f(&e["weight"]) < 0.0 && s(&e["term"]).contains("fail") && e["negated"] == false),
                "plain failure evidence {:?} in the Moon sentence",
                span(&t000, e)
            );
        }
    }
    for (r, t) in [(r000, &t000), (r004, &t004)] {
        let path = s(&r["path"]);
        check_record(r, t, &sentences_of(path));
    }
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let mut args = vec!["score", "samples"];
    let seeds = seeds();
    if let Some(d) = &seeds {
        args.push(d.to_str().unwrap());
    }
    let one = stdout_of(&[&args[..], &["--threads", "1"]].concat());
    let four = stdout_of(&[&args[..], &["--threads", "4"]].concat());
    assert_eq!(one, four);
    assert_eq!(one.lines().count(), if seeds.is_some() { 10 } else { 8 });
    let csv1 = stdout_of(&[&args[..], &["--threads", "1", "--format", "csv"]].concat());
    let csv4 = stdout_of(&[&args[..], &["-j", "4", "--format", "csv"]].concat());
    assert_eq!(csv1, csv4);
}

#[test]
fn a_broken_file_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    for id in ["01_warm_summit.txt", "04_talks_stall.txt"] {
        std::fs::copy(root().join("samples").join(id), dir.path().join(id)).unwrap();
    }
    let broken = dir.path().join("02_broken.txt");
    std::fs::write(&broken, b"Bad file\n\nThis has \xff\xfe bytes.\n").unwrap();
    let assert = precis().arg("score").arg(dir.path()).assert().code(1);
    let out = assert.get_output();
    let records = jsonl_of(std::str::from_utf8(&out.stdout).unwrap());
    let ids: Vec<&str> = records.iter().map(|r| s(&r["id"])).collect();
    assert_eq!(
        ids,
        ["01_warm_summit.txt", "02_broken.txt", "04_talks_stall.txt"]
    );
    assert_eq!(records[0]["tone"]["label"], "warm");
    assert_eq!(records[2]["tone"]["label"], "impasse");
    assert_eq!(
        records[1]["error"],
        "not valid UTF-8 (invalid byte at offset 19)"
    );
    assert!(records[1].get("tone").is_none() && records[1].get("summary").is_none());
    assert_eq!(
        std::str::from_utf8(&out.stderr).unwrap(),
        format!(
            "precis: {}: not valid UTF-8 (invalid byte at offset 19)\n",
            broken.display()
        )
    );
    // The good records are exactly those of a run without the broken file.
    std::fs::remove_file(&broken).unwrap();
    let clean = jsonl_of(&stdout_of(&["score", dir.path().to_str().unwrap()]));
    assert_eq!(clean, [records[0].clone(), records[2].clone()]);
    // A single broken article is an error of the command.
    std::fs::write(&broken, b"Bad file\n\nThis has \xff\xfe bytes.\n").unwrap();
    precis()
        .arg("summarize")
        .arg(&broken)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not valid UTF-8"));
}

// --------------------------------------------------------------------- help

#[test]
fn help_of_every_command_has_an_example() {
    for cmd in [
        &["summarize"][..],
        &["score"],
        &["split"],
        &["tone"],
        &["bench"],
        &["idf", "build"],
        &["idf", "merge"],
        &["eval", "rouge"],
        &["eval", "tone"],
        &["eval", "split"],
    ] {
        precis()
            .args(cmd)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
}

// ------------------------------------------------ known bugs (ignored tests)

#[test]
fn help_of_command_groups_has_an_example() {
    for cmd in ["idf", "eval"] {
        precis()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Example"));
    }
}

#[test]
fn split_month_abbreviation_at_sentence_end() {
    let out = stdout_of(&["split", S04]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 17);
    assert!(lines[13].ends_with("had grown by 18% since Jan."));
    assert!(lines[14].starts_with("The agency has repeatedly complained"));
}

#[test]
fn split_keeps_middle_initial() {
    let out = stdout_of(&["split", "samples/06_central_bank.txt"]);
    assert_eq!(out.lines().count(), 17);
    assert!(out.contains(
        "\"The data point to a gradual approach,\" said Ms. Laura P. Chen, chief economist at Halden Securities.\n"
    ));
}

#[test]
fn summarize_all_sentences_text_lists_every_sentence() {
    let plain = stdout_of(&["summarize", S01]);
    let all = stdout_of(&["summarize", S01, "--all-sentences"]);
    assert_ne!(plain, all);
    assert!(all.contains("Trade between them rose 9.4% last year"));
}

#[test]
fn missing_idf_model_error_is_said_once() {
    precis()
        .args(["score", "samples", "--idf", "no_such_model.idf"])
        .assert()
        .code(2)
        .stderr("precis: no_such_model.idf: No such file or directory (os error 2)\n");
}

#[test]
fn goods_is_not_good() {
    let text = read("samples/02_trade_deal.txt");
    let tone = json_of(&["tone", "samples/02_trade_deal.txt", "--format", "json"]);
    let spans: Vec<(String, String)> = terms_and_spans(&tone, &text);
    assert!(!spans.iter().any(|(_, hit)| hit == "goods"), "{spans:?}");
}

#[test]
fn neither_nor_negates_both() {
    let text = read(S08);
    let tone = json_of(&["tone", S08, "--format", "json"]);
    assert_eq!(evidence(&tone, &text, "breakthrough")["negated"], true);
    assert_eq!(evidence(&tone, &text, "breakdown")["negated"], true);
}

#[test]
fn absence_of_does_not_reach_past_its_object() {
    let text = read(S08);
    let tone = json_of(&["tone", S08, "--format", "json"]);
    assert_eq!(evidence(&tone, &text, "angry")["negated"], true);
    let hopeful = evidence(&tone, &text, "hopeful");
    assert_eq!(hopeful["negated"], false);
    assert!(f(&hopeful["weight"]) > 0.0);
}

#[test]
fn dateline_does_not_make_the_first_word_a_name() {
    let text = read(S04);
    let tone = json_of(&["tone", S04, "--format", "json"]);
    let talks = evidence(&tone, &text, "Talks");
    assert_eq!(u(&talks["sentence"]), 1);
    assert_eq!(talks["term"], "talks");
}
