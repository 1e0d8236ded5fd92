//! Hostile input for `precis score`: files that are empty, binary, wrongly
//! encoded, huge, unreadable, not files at all, or links that lead nowhere
//! or in circles; bad JSONL lines; bad lexicon files. Every good article gets
//! a record, every bad one a record whose error says what is wrong, nothing
//! panics or hangs, and the exit code tells whether anything failed.

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// No run here may take longer than this; a hang fails the test.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The single huge sentence: 10 MB as the issue asks in release builds,
/// 2 MB in debug builds, where the unoptimised engine is ~10x slower.
const BIG_SENTENCE_BYTES: usize = if cfg!(debug_assertions) {
    2 << 20
} else {
    10 << 20
};

const GOOD_A: &str = "Leaders hail talks\n\n\
    The two leaders held very warm talks in Seoul on Monday. \
    They agreed to meet again next month. Analysts said the mood had changed.\n";

const GOOD_B: &str = "Trade talks stall\n\n\
    Negotiators failed to agree on tariffs after three days of talks. \
    Both sides traded threats of new sanctions. A second round was cancelled.\n";

fn precis() -> Command {
    let mut cmd = Command::cargo_bin("precis").unwrap();
    cmd.timeout(TIMEOUT);
    cmd
}

/// The JSONL records on stdout.
fn records(stdout: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(stdout).expect("stdout is UTF-8");
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSONL line {l:?}: {e}")))
        .collect()
}

fn str_field<'a>(r: &'a Value, field: &str) -> Option<&'a str> {
    r.get(field).and_then(Value::as_str)
}

fn num_field(r: &Value, field: &str) -> Option<u64> {
    r.get(field).and_then(Value::as_u64)
}

/// Bytes from a fixed-seed xorshift generator.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

fn mkfifo(path: &Path) {
    let status = StdCommand::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {} failed", path.display());
}

/// What a file's record must say.
enum Want {
    /// Analysed, with this many bytes of text, and, when given, exactly this
    /// many sentences and words.
    Ok {
        bytes: usize,
        sentences: Option<u64>,
        words: Option<u64>,
    },
    /// An error record containing every one of these substrings.
    Err(Vec<String>),
}

fn ok(bytes: usize, sentences: impl Into<Option<u64>>, words: impl Into<Option<u64>>) -> Want {
    Want::Ok {
        bytes,
        sentences: sentences.into(),
        words: words.into(),
    }
}

fn err(parts: &[&str]) -> Want {
    Want::Err(parts.iter().map(|s| s.to_string()).collect())
}

/// Builds the hostile folder; returns what each record (by id) must say.
fn hostile_folder(root: &Path) -> BTreeMap<String, Want> {
    let mut want = BTreeMap::new();
    let write = |name: &str, bytes: &[u8]| {
        let path = root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
    };

    write("a_good.txt", GOOD_A.as_bytes());
    want.insert("a_good.txt".into(), ok(GOOD_A.len(), 4, None));
    write("nested/deeper/z_good.md", GOOD_B.as_bytes());
    want.insert("nested/deeper/z_good.md".into(), ok(GOOD_B.len(), 4, None));

    write("empty.txt", b"");
    want.insert("empty.txt".into(), ok(0, 0, 0));
    let blank = b" \t\r\n\n   \r\n\x0b\x0c";
    write("whitespace.txt", blank);
    want.insert("whitespace.txt".into(), ok(blank.len(), 0, 0));

    let random = random_bytes(0x9E37_79B9_7F4A_7C15, 64 << 10);
    assert!(!random.starts_with(&[0xFF, 0xFE]) && !random.starts_with(&[0xFE, 0xFF]));
    let offset = std::str::from_utf8(&random).unwrap_err().valid_up_to();
    write("random.txt", &random);
    want.insert(
        "random.txt".into(),
        err(&[&format!(
            "not valid UTF-8 (invalid byte at offset {offset})"
        )]),
    );

    write(
        "invalid_utf8.txt",
        b"Leaders met in Seoul.\xC3\x28 They agreed.",
    );
    want.insert(
        "invalid_utf8.txt".into(),
        err(&["not valid UTF-8 (invalid byte at offset 21)"]),
    );

    // The same article in UTF-8 with a BOM and CRLF, and in UTF-16 LE and BE.
    let crlf = GOOD_A.replace('\n', "\r\n");
    write("bom_crlf.txt", &[b"\xEF\xBB\xBF", crlf.as_bytes()].concat());
    want.insert("bom_crlf.txt".into(), ok(crlf.len(), 4, None));
    write("utf16_le.txt", &utf16(GOOD_A, true));
    want.insert("utf16_le.txt".into(), ok(GOOD_A.len(), 4, None));
    write("utf16_be.txt", &utf16(GOOD_A, false));
    want.insert("utf16_be.txt".into(), ok(GOOD_A.len(), 4, None));
    write("utf16_odd.txt", &[&utf16("Hi.", true)[..], b"\0"].concat());
    want.insert(
        "utf16_odd.txt".into(),
        err(&["UTF-16 text with an odd number of bytes"]),
    );
    write(
        "utf16_surrogate.txt",
        &[0xFF, 0xFE, b'H', 0, 0x00, 0xD8, b'i', 0],
    );
    want.insert(
        "utf16_surrogate.txt".into(),
        err(&["invalid UTF-16 (unpaired surrogate 0xd800)"]),
    );

    let nul = "The leaders\0 held warm talks.\0\0 They agreed.\0";
    write("nul_bytes.txt", nul.as_bytes());
    want.insert("nul_bytes.txt".into(), ok(nul.len(), None, 7));

    let mut sentence = "word ".repeat(BIG_SENTENCE_BYTES / 5);
    sentence.truncate(sentence.len() - 1);
    sentence.push('.');
    write("huge_sentence.txt", sentence.as_bytes());
    let words = (BIG_SENTENCE_BYTES / 5) as u64;
    want.insert("huge_sentence.txt".into(), ok(sentence.len(), 1, words));

    write("huge_token.txt", "a".repeat(3 << 20).as_bytes());
    want.insert("huge_token.txt".into(), ok(3 << 20, 1, 1));

    write("million_periods.txt", ".".repeat(1_000_000).as_bytes());
    want.insert("million_periods.txt".into(), ok(1_000_000, None, 0));

    write("short_sentences.txt", "Go. ".repeat(200_000).as_bytes());
    want.insert("short_sentences.txt".into(), ok(800_000, 200_000, 200_000));

    // Over the default 16 MiB limit; sparse, so it costs no disk.
    let over = precis::batch::DEFAULT_MAX_BYTES + 1;
    fs::File::create(root.join("over_limit.txt"))
        .unwrap()
        .set_len(over)
        .unwrap();
    want.insert(
        "over_limit.txt".into(),
        err(&[&format!(
            "{over} bytes exceeds the limit of {} bytes (raise it with --max-bytes)",
            precis::batch::DEFAULT_MAX_BYTES
        )]),
    );

    // Unreadable: only where permissions apply (not as root).
    let locked = root.join("locked.txt");
    fs::write(&locked, GOOD_A).unwrap();
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if fs::File::open(&locked).is_ok() {
        eprintln!(
            "hostile: running with privileges that ignore chmod 000; unreadable-file case skipped"
        );
        fs::remove_file(&locked).unwrap();
    } else {
        want.insert("locked.txt".into(), err(&["permission denied"]));
    }

    std::os::unix::fs::symlink("missing.txt", root.join("dangling.txt")).unwrap();
    want.insert(
        "dangling.txt".into(),
        err(&["dangling symlink: its target does not exist"]),
    );
    std::os::unix::fs::symlink("loop_b.txt", root.join("loop_a.txt")).unwrap();
    std::os::unix::fs::symlink("loop_a.txt", root.join("loop_b.txt")).unwrap();
    for name in ["loop_a.txt", "loop_b.txt"] {
        want.insert(
            name.into(),
            err(&["symlink loop (too many levels of symbolic links)"]),
        );
    }
    // A folder link back to its parent: read once, then reported.
    std::os::unix::fs::symlink("..", root.join("nested/up")).unwrap();
    want.insert(
        "nested/up".into(),
        err(&["symlink loop: this folder is already being read; skipped"]),
    );
    // A link to a good file is read like the file.
    std::os::unix::fs::symlink("a_good.txt", root.join("link_to_good.txt")).unwrap();
    want.insert("link_to_good.txt".into(), ok(GOOD_A.len(), 4, None));

    // A file name that is not UTF-8: read, with a lossy id.
    let name = std::ffi::OsStr::from_bytes(b"zz_caf\xE9.txt");
    fs::write(root.join(name), GOOD_B).unwrap();
    want.insert("zz_caf\u{FFFD}.txt".into(), ok(GOOD_B.len(), 4, None));

    mkfifo(&root.join("pipe.txt"));
    want.insert(
        "pipe.txt".into(),
        err(&["not a regular file (a FIFO, socket or device); skipped"]),
    );
    // Names without a wanted extension are not picked up, whatever they are.
    mkfifo(&root.join("pipe.dat"));
    write("notes.dat", b"\xFF not an article");
    write("nested/empty_folder/.keep", b"");
    want
}

#[test]
fn hostile_folder_gets_one_clear_record_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let want = hostile_folder(root);

    let started = Instant::now();
    let out = precis().arg("score").arg(root).output().unwrap();
    let elapsed = started.elapsed();
    eprintln!("hostile folder scored in {elapsed:.1?}");
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "stderr: {stderr}");

    let recs = records(&out.stdout);
    let ids: Vec<&str> = recs.iter().map(|r| str_field(r, "id").unwrap()).collect();
    let want_ids: Vec<&str> = want.keys().map(String::as_str).collect();
    let mut sorted_ids = ids.clone();
    sorted_ids.sort();
    assert_eq!(sorted_ids, want_ids, "one record per wanted file");

    // Records come in sorted path order (path by path component).
    let paths: Vec<PathBuf> = recs
        .iter()
        .map(|r| PathBuf::from(str_field(r, "path").unwrap()))
        .collect();
    let mut sorted_paths = paths.clone();
    sorted_paths.sort();
    assert_eq!(paths, sorted_paths);
    for (r, p) in recs.iter().zip(&paths) {
        assert_eq!(p, &root.join(str_field(r, "id").unwrap()), "{r}");
    }

    let mut failed = 0;
    for r in &recs {
        let id = str_field(r, "id").unwrap();
        match &want[id] {
            Want::Ok {
                bytes,
                sentences,
                words,
            } => {
                assert_eq!(r.get("error"), None, "{id}: {r}");
                assert_eq!(num_field(r, "bytes"), Some(*bytes as u64), "{id} bytes");
                if let Some(n) = sentences {
                    assert_eq!(num_field(r, "sentences"), Some(*n), "{id} sentences");
                }
                if let Some(n) = words {
                    assert_eq!(num_field(r, "words"), Some(*n), "{id} words");
                }
                let picks = r["summary"].as_array().unwrap();
                assert!(picks.len() <= 3, "{id}: {} picks", picks.len());
                let score = r["tone"]["score"].as_f64().unwrap();
                assert!((-1.0..=1.0).contains(&score), "{id}: tone {score}");
            }
            Want::Err(parts) => {
                failed += 1;
                let error = str_field(r, "error").unwrap_or_else(|| panic!("{id}: no error: {r}"));
                for part in parts {
                    assert!(
                        error.contains(part.as_str()),
                        "{id}: {error:?} lacks {part:?}"
                    );
                }
                // Each failure is also reported on stderr with its path.
                let line = format!("precis: {}: {error}", root.join(id).display());
                assert!(
                    stderr.lines().any(|l| l == line),
                    "{line:?} not in\n{stderr}"
                );
                assert!(r.get("summary").is_none() && r.get("tone").is_none(), "{r}");
            }
        }
    }
    assert_eq!(stderr.lines().count(), failed, "{stderr}");

    // Empty and whitespace-only files are articles without sentences.
    let by_id = |id: &str| {
        recs.iter()
            .find(|r| str_field(r, "id") == Some(id))
            .unwrap()
    };
    for id in ["empty.txt", "whitespace.txt"] {
        let r = by_id(id);
        assert_eq!(r["summary"], serde_json::json!([]), "{id}");
        assert_eq!(r["tone"]["score"], 0.0, "{id}");
        assert_eq!(r["tone"]["label"], "neutral", "{id}");
    }
    // BOM + CRLF and UTF-16 decode to the same article as plain UTF-8: same
    // title, summary sentences and tone (the BOM is not part of the text).
    let plain = by_id("a_good.txt");
    assert_eq!(plain["title"], "Leaders hail talks");
    for id in ["utf16_le.txt", "utf16_be.txt", "link_to_good.txt"] {
        let r = by_id(id);
        assert_eq!(r["title"], plain["title"], "{id}");
        assert_eq!(r["summary"], plain["summary"], "{id}");
        assert_eq!(r["tone"], plain["tone"], "{id}");
    }
    let bom = by_id("bom_crlf.txt");
    assert_eq!(bom["title"], "Leaders hail talks");
    // Offsets differ by the CRs; the scores do not.
    for field in ["score", "label", "sentences"] {
        assert_eq!(bom["tone"][field], plain["tone"][field], "{field}");
    }
    let texts = |r: &Value| -> Vec<String> {
        r["summary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(texts(bom), texts(plain));
    // NUL bytes stay in the text and do not end it.
    let nul = by_id("nul_bytes.txt");
    assert!(texts(nul).concat().contains('\0'), "{nul}");
}

/// A file whose first sentence is wrapped over two lines, as plain-text news
/// often is.
#[test]
fn hard_wrapped_first_sentence_is_scored() {
    let dir = tempfile::tempdir().unwrap();
    let text = "The two leaders held\nwarm talks on Monday. They agreed to meet again.\n";
    fs::write(dir.path().join("wrapped.txt"), text).unwrap();
    let out = precis().arg("score").arg(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    let recs = records(&out.stdout);
    assert_eq!(recs.len(), 1);
    assert_eq!(recs[0]["sentences"], 2, "{}", recs[0]);
    assert_eq!(recs[0].get("title"), None, "{}", recs[0]);
}

#[test]
fn max_bytes_limit_makes_an_error_record_naming_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let small = "Leaders met. They agreed.\n";
    let large = GOOD_A.repeat(20);
    assert!(large.len() > 1000);
    fs::write(dir.path().join("a_small.txt"), small).unwrap();
    fs::write(dir.path().join("b_large.txt"), &large).unwrap();
    // The limit is inclusive: 1000 bytes pass, 1001 do not.
    fs::write(dir.path().join("c_exact.txt"), "a".repeat(1000)).unwrap();
    fs::write(dir.path().join("d_one_over.txt"), "a".repeat(1001)).unwrap();
    let out = precis()
        .args(["score", "--max-bytes", "1000"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out.stdout);
    let got: Vec<(&str, Option<&str>)> = recs
        .iter()
        .map(|r| (str_field(r, "id").unwrap(), str_field(r, "error")))
        .collect();
    let large_error = format!(
        "{} bytes exceeds the limit of 1000 bytes (raise it with --max-bytes)",
        large.len()
    );
    assert_eq!(
        got,
        [
            ("a_small.txt", None),
            ("b_large.txt", Some(large_error.as_str())),
            ("c_exact.txt", None),
            (
                "d_one_over.txt",
                Some("1001 bytes exceeds the limit of 1000 bytes (raise it with --max-bytes)")
            ),
        ]
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(&format!(
        "{}: {large_error}",
        dir.path().join("b_large.txt").display()
    )));
}

/// A compact JSONL line `{"id":ID,"text":TEXT}` exactly `len` bytes long.
fn line_of_len(id: &str, len: usize) -> String {
    let empty = serde_json::json!({"id": id, "text": ""}).to_string();
    let line = serde_json::json!({"id": id, "text": "a".repeat(len - empty.len())}).to_string();
    assert_eq!(line.len(), len);
    line
}

/// The bad JSONL stream: every kind of bad line between good ones; the
/// long line is `max_bytes + 1` bytes, one more than the limit.
fn bad_jsonl(max_bytes: usize) -> Vec<u8> {
    let long = line_of_len("long", max_bytes + 1);
    let exact = line_of_len("exact", max_bytes);
    let lines: Vec<Vec<u8>> = vec![
        br#"{"id": "first", "text": "Leaders met in Seoul. They agreed to meet again."}"#.to_vec(),
        b"this is not json".to_vec(),
        br#"{"id": "no-text"}"#.to_vec(),
        br#"{"id": "number", "text": 42}"#.to_vec(),
        br#"{"id": ["list"], "text": "Hi."}"#.to_vec(),
        b"".to_vec(),
        b"   \t".to_vec(),
        long.into_bytes(),
        br#"{"id": "middle", "text": "Talks collapsed. Both sides traded threats."}"#.to_vec(),
        b"{\"id\": \"bad-utf8\", \"text\": \"caf\xE9\"}".to_vec(),
        br#"[1, 2, 3]"#.to_vec(),
        br#"{"id": "truncated", "text": "Leaders"#.to_vec(),
        exact.into_bytes(),
        br#"{"id": 17, "text": "Numeric ids are fine.\r"}"#.to_vec(),
        br#"{"text": "No id at all."}"#.to_vec(),
    ];
    let mut out = lines.join(&b"\n"[..]);
    out.push(b'\n');
    out
}

/// (id, line, error substring or None) expected from `bad_jsonl`, with
/// `name` the stream's name (the file, or `-`).
fn bad_jsonl_want(name: &str, max_bytes: usize) -> Vec<(String, usize, Option<String>)> {
    let e = |s: &str| Some(s.to_string());
    vec![
        ("first".into(), 1, None),
        (
            format!("{name}:2"),
            2,
            e("line 2: not a JSON object: expected ident at line 1 column 2"),
        ),
        ("no-text".into(), 3, e("line 3: missing field \"text\"")),
        ("number".into(), 4, e("line 4: field \"text\" must be a string")),
        (
            format!("{name}:5"),
            5,
            e("line 5: field \"id\" must be a string or a number"),
        ),
        // Lines 6 and 7 are blank: skipped, but they still count.
        (
            format!("{name}:8"),
            8,
            Some(format!(
                "line 8: {} bytes exceeds the limit of {max_bytes} bytes (raise it with --max-bytes)",
                max_bytes + 1
            )),
        ),
        ("middle".into(), 9, None),
        (
            format!("{name}:10"),
            10,
            e("line 10: not valid UTF-8 (invalid byte at offset 31)"),
        ),
        (
            format!("{name}:11"),
            11,
            e("line 11: not a JSON object: invalid type: sequence, expected a map"),
        ),
        (
            format!("{name}:12"),
            12,
            e("line 12: not a JSON object: EOF while parsing"),
        ),
        ("exact".into(), 13, None),
        ("17".into(), 14, None),
        (format!("{name}:15"), 15, None),
    ]
}

fn check_jsonl_records(stdout: &[u8], name: &str, max_bytes: usize) {
    let recs = records(stdout);
    let got: Vec<(String, usize, Option<String>)> = recs
        .iter()
        .map(|r| {
            (
                str_field(r, "id").unwrap().to_string(),
                num_field(r, "line").unwrap() as usize,
                str_field(r, "error").map(str::to_string),
            )
        })
        .collect();
    let want = bad_jsonl_want(name, max_bytes);
    assert_eq!(got.len(), want.len(), "{got:#?}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((&g.0, g.1), (&w.0, w.1));
        match (&g.2, &w.2) {
            (None, None) => {}
            (Some(got), Some(want)) => {
                assert!(got.starts_with(want.as_str()), "{got:?} vs {want:?}")
            }
            _ => panic!("line {}: got error {:?}, want {:?}", g.1, g.2, w.2),
        }
    }
    for r in &recs {
        assert_eq!(str_field(r, "path"), Some(name), "{r}");
    }
    // The good lines were analysed.
    let first = &recs[0];
    assert_eq!(first["sentences"], 2);
    assert_eq!(first["bytes"], 48);
}

#[test]
fn bad_jsonl_lines_are_reported_by_line_and_the_stream_goes_on() {
    const MAX: usize = 2000;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("in.jsonl");
    let bytes = bad_jsonl(MAX);
    fs::write(&file, &bytes).unwrap();
    let name = file.display().to_string();

    let out = precis()
        .args(["score", "--max-bytes", &MAX.to_string()])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    check_jsonl_records(&out.stdout, &name, MAX);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 8, "{stderr}");
    assert!(stderr.contains(&format!(
        "precis: {name}: line 4: field \"text\" must be a string"
    )));

    // The same stream on standard input.
    let out = precis()
        .args(["score", "-", "--max-bytes", &MAX.to_string()])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    check_jsonl_records(&out.stdout, "-", MAX);
}

#[test]
fn jsonl_line_limit_is_the_same_with_or_without_a_final_newline() {
    // The limit counts the line without its "\n" (a "\r" is part of it).
    let line = |len: usize| line_of_len("x", len);
    for (text, want_error) in [
        (line(100), false),
        (line(100) + "\n", false),
        (line(100) + "\r\n", true),
        (line(101), true),
        (line(101) + "\n", true),
    ] {
        let out = precis()
            .args(["score", "-", "--max-bytes", "100"])
            .write_stdin(text.clone())
            .output()
            .unwrap();
        let recs = records(&out.stdout);
        assert_eq!(recs.len(), 1, "{text:?}");
        let error = str_field(&recs[0], "error");
        assert_eq!(error.is_some(), want_error, "{text:?}: {:?}", recs[0]);
        assert_eq!(out.status.code(), Some(want_error as i32), "{text:?}");
        if want_error {
            assert!(
                error
                    .unwrap()
                    .starts_with("line 1: 101 bytes exceeds the limit of 100 bytes"),
                "{error:?}"
            );
        }
    }
}

/// A JSONL file written by a tool that starts files with a BOM and ends
/// lines with CRLF.
#[test]
fn jsonl_with_a_bom_and_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bom.jsonl");
    fs::write(
        &file,
        b"\xEF\xBB\xBF{\"id\": \"a\", \"text\": \"Leaders met.\"}\r\n{\"id\": \"b\", \"text\": \"They agreed.\"}\r\n",
    )
    .unwrap();
    let out = precis().arg("score").arg(&file).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let recs = records(&out.stdout);
    let got: Vec<(&str, u64, u64)> = recs
        .iter()
        .map(|r| {
            (
                str_field(r, "id").unwrap(),
                num_field(r, "line").unwrap(),
                num_field(r, "bytes").unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("a", 1, 12), ("b", 2, 12)]);
}

/// Runs `precis score - --extra-lexicon LEXICON` with standard input left
/// open: the run must fail on the lexicon without waiting for any article.
fn rejected_before_reading(lexicon: &Path, out_file: &Path) -> (Option<i32>, String, String) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_precis"))
        .args(["score", "-", "-o"])
        .arg(out_file)
        .arg("--extra-lexicon")
        .arg(lexicon)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Hold standard input open: an article read would block forever.
    let stdin = child.stdin.take().unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("{}: still running: it waited for input", lexicon.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    (
        status.code(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn bad_lexicon_is_rejected_with_file_and_line_before_any_article() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 6] = [
        (
            "bad_weight.tsv",
            b"# mine\nwarm\t1.8\nthaw\tvery\n",
            ":3: weight \"very\" is not a number",
        ),
        (
            "out_of_range.tsv",
            b"thaw\t9\n",
            ":1: weight 9 is outside [-4, 4]",
        ),
        ("empty_term.tsv", b"warm\t1.8\n\t2\n", ":2: empty term"),
        (
            "duplicate.tsv",
            b"warm\t1.8\nsummit\t1\nwarm\t2\n",
            ":3: \"warm\" is listed again with weight 2 (line 1 gave 1.8)",
        ),
        (
            "invalid_utf8.tsv",
            b"warm\t1.8\ncold\t-1\ncaf\xE9\t1\n",
            ":3: not valid UTF-8",
        ),
        (
            "no_weight.tsv",
            b"warm\n",
            ":1: \"warm\" has no weight (expected term<TAB>weight)",
        ),
    ];
    for (name, content, message) in cases {
        let lexicon = dir.path().join(name);
        fs::write(&lexicon, content).unwrap();
        let out_file = dir.path().join("out.jsonl");
        let (code, stdout, stderr) = rejected_before_reading(&lexicon, &out_file);
        assert_eq!(code, Some(2), "{name}: {stderr}");
        assert_eq!(stdout, "", "{name}");
        let want = format!("precis: {}{message}\n", lexicon.display());
        assert_eq!(stderr, want, "{name}");
        assert!(!out_file.exists() && !dir.path().join("out.jsonl.partial").exists());
    }

    // The same through the folder path: exit 2, nothing on stdout.
    let articles = dir.path().join("articles");
    fs::create_dir(&articles).unwrap();
    fs::write(articles.join("a.txt"), GOOD_A).unwrap();
    precis()
        .arg("score")
        .arg(&articles)
        .arg("--extra-lexicon")
        .arg(dir.path().join("duplicate.tsv"))
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("duplicate.tsv:3: "));
}

#[test]
fn missing_lexicon_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere.tsv");
    let out = precis()
        .args(["score", "-", "--extra-lexicon"])
        .arg(&missing)
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, b"");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "precis: {}: No such file or directory (os error 2)\n",
            missing.display()
        )
    );
}

/// A folder given twice, and a file given directly, keep their ids; a FIFO
/// given directly is reported without being opened (it would block).
#[test]
fn paths_given_directly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("a.txt"), GOOD_A).unwrap();
    mkfifo(&root.join("fifo"));
    let missing = root.join("missing.txt");
    let out = precis()
        .arg("score")
        .arg(root.join("a.txt"))
        .arg(root.join("fifo"))
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&out.stdout);
    let got: Vec<(String, Option<&str>)> = recs
        .iter()
        .map(|r| {
            (
                str_field(r, "id").unwrap().to_string(),
                str_field(r, "error"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (root.join("a.txt").display().to_string(), None),
            (
                root.join("fifo").display().to_string(),
                Some("not a regular file (a FIFO, socket or device); skipped")
            ),
            (
                missing.display().to_string(),
                Some("no such file or folder")
            ),
        ]
    );
    // `-` may be given only once.
    precis()
        .args(["score", "-", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stdout("")
        .stderr("precis: - (standard input) can be given only once\n");
}
