//! `-o FILE` is atomic and resumable: records go to `FILE.partial`, flushed
//! chunk by chunk, renamed to `FILE` only when the run is complete. A run
//! killed half-way leaves `FILE` as it was and a partial file of whole lines
//! (plus perhaps one cut short); `--resume` finishes it into exactly the bytes
//! of an uninterrupted run. A closed output pipe is a quiet success.

use std::fs;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use assert_cmd::Command;
use precis::batch::CHUNK_ARTICLES;

const TIMEOUT: Duration = Duration::from_secs(120);

fn precis() -> Command {
    let mut cmd = Command::cargo_bin("precis").unwrap();
    cmd.timeout(TIMEOUT);
    cmd
}

/// A temporary folder, in memory (/dev/shm) where there is one: creating
/// thousands of small files on a disk can take seconds.
fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir_in("/dev/shm")
        .or_else(|_| tempfile::tempdir())
        .unwrap()
}

/// Writes `n` small generated articles (`a00000.txt`, ...) into `dir`.
fn generate(dir: &Path, n: usize, seed: u64) {
    const WORDS: &[&str] = &[
        "leaders",
        "talks",
        "summit",
        "agreed",
        "warm",
        "hostile",
        "sanctions",
        "threat",
        "trade",
        "deal",
        "minister",
        "said",
        "monday",
        "progress",
        "stalled",
        "collapsed",
        "praised",
        "the",
        "of",
        "and",
        "new",
        "border",
        "envoy",
        "ceasefire",
    ];
    fs::create_dir_all(dir).unwrap();
    let mut x = seed;
    let mut next = |m: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % m as u64) as usize
    };
    for i in 0..n {
        let mut text = String::new();
        for _ in 0..2 + next(2) {
            let words: Vec<&str> = (0..4 + next(5)).map(|_| WORDS[next(WORDS.len())]).collect();
            let sentence = words.join(" ");
            let mut chars = sentence.chars();
            let first = chars.next().unwrap().to_uppercase().to_string();
            text.push_str(&first);
            text.push_str(chars.as_str());
            text.push_str(". ");
        }
        text.push('\n');
        fs::write(dir.join(format!("a{i:05}.txt")), text).unwrap();
    }
}

fn partial_of(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Runs `precis score ARGS -o out` to completion (exit code 0, nothing on
/// stdout or stderr); returns the output bytes.
fn complete_run(args: &[&str], out: &Path) -> Vec<u8> {
    precis()
        .arg("score")
        .args(args)
        .arg("-o")
        .arg(out)
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    finished(out)
}

/// The output of a finished run; checks there is no partial file left.
fn finished(out: &Path) -> Vec<u8> {
    assert!(
        !partial_of(out).exists(),
        "a complete run leaves no .partial"
    );
    fs::read(out).unwrap()
}

/// Runs `precis score DIR -o out --threads 1` under a file-size limit of
/// `limit` bytes, so that the kernel kills it (SIGXFSZ, no handler, no core
/// file) at its first write past the limit: a kill at an exact point of the
/// output, whatever the speed of the machine. (An earlier version watched
/// for a first line and sent SIGKILL; on a busy machine the run sometimes
/// finished in between.)
fn run_and_kill(dir: &Path, out: &Path, limit: usize) {
    use std::os::unix::process::CommandExt;
    let mut cmd = StdCommand::new(env!("CARGO_BIN_EXE_precis"));
    cmd.arg("score")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(["--threads", "1"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let fsize = libc::rlimit {
        rlim_cur: limit as libc::rlim_t,
        rlim_max: limit as libc::rlim_t,
    };
    let core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: the closure runs in the forked child before exec and only
    // makes two setrlimit system calls, which are async-signal-safe.
    unsafe {
        cmd.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_FSIZE, &fsize) != 0
                || libc::setrlimit(libc::RLIMIT_CORE, &core) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let status = cmd.status().unwrap();
    assert_eq!(
        status.signal(),
        Some(libc::SIGXFSZ),
        "the run must have been killed mid-way, not finished: {status}"
    );
}

/// A killed run's partial file: a byte prefix of the complete output made of
/// whole lines plus perhaps one cut short, never the whole output. Returns
/// the number of whole lines.
fn check_partial(partial: &[u8], complete: &[u8]) -> usize {
    assert!(
        partial.len() < complete.len(),
        "the partial file holds everything ({} bytes)",
        partial.len()
    );
    assert!(
        complete.starts_with(partial),
        "the partial file is not a prefix of the complete output"
    );
    let whole = partial.iter().rposition(|&b| b == b'\n').unwrap() + 1;
    let lines = partial[..whole]
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty());
    let mut count = 0;
    for line in lines {
        let v: serde_json::Value = serde_json::from_slice(line).expect("whole lines are JSON");
        assert!(v["id"].is_string());
        count += 1;
    }
    let cut = &partial[whole..];
    assert!(
        serde_json::from_slice::<serde_json::Value>(cut).is_err() || cut.is_empty(),
        "the cut line parses"
    );
    count
}

#[test]
fn killed_run_leaves_the_old_file_and_resumes_to_identical_output() {
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    // One and a half chunks: the kills below fall in the first chunk and
    // in the second.
    let n = CHUNK_ARTICLES + CHUNK_ARTICLES / 2;
    generate(&corpus, n, 0x5EED);
    // An error record, last in path order.
    fs::write(corpus.join("broken.txt"), b"Bad \xFF byte.").unwrap();
    let broken_error = format!(
        "precis: {}: not valid UTF-8 (invalid byte at offset 4)\n",
        corpus.join("broken.txt").display()
    );

    let reference_path = tmp.path().join("reference.jsonl");
    precis()
        .arg("score")
        .arg(&corpus)
        .args(["--threads", "1", "-o"])
        .arg(&reference_path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(broken_error.clone());
    let reference = finished(&reference_path);
    assert_eq!(reference.iter().filter(|&&b| b == b'\n').count(), n + 1);
    let out = tmp.path().join("out.jsonl");
    let partial = partial_of(&out);

    // 1. No old file: a kill leaves none, only the partial one, of exactly
    // the bytes written before the kill.
    run_and_kill(&corpus, &out, reference.len() / 2);
    assert!(
        !out.exists(),
        "a killed run must not create the output file"
    );
    let cut = fs::read(&partial).unwrap();
    assert_eq!(cut.len(), reference.len() / 2);
    let kept = check_partial(&cut, &reference);
    assert!(kept < CHUNK_ARTICLES, "killed in the first chunk: {kept}");
    // Only the articles missing from the partial file are scored: the broken
    // one among them, reported once.
    precis()
        .arg("score")
        .arg(&corpus)
        .arg("-o")
        .arg(&out)
        .arg("--resume")
        .assert()
        .code(1)
        .stdout("")
        .stderr(broken_error.clone());
    assert!(!partial.exists());
    assert!(
        fs::read(&out).unwrap() == reference,
        "resumed output differs"
    );

    // 2. An old complete file (of other articles): a kill leaves it
    // untouched, and --resume takes the partial file, not the old one.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let old = complete_run(&[samples.to_str().unwrap()], &out);
    run_and_kill(&corpus, &out, reference.len() / 6 * 5);
    assert!(
        fs::read(&out).unwrap() == old,
        "a killed run changed the old file"
    );
    let cut = fs::read(&partial).unwrap();
    assert_eq!(cut.len(), reference.len() / 6 * 5);
    let kept = check_partial(&cut, &reference);
    assert!(
        (CHUNK_ARTICLES..n).contains(&kept),
        "killed in the second chunk, before the broken file: {kept}"
    );
    precis()
        .arg("score")
        .arg(&corpus)
        .arg("-o")
        .arg(&out)
        .args(["--resume", "--threads", "2"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(broken_error);
    assert!(!partial.exists());
    assert!(
        fs::read(&out).unwrap() == reference,
        "resumed output differs"
    );
}

/// Articles that share an id (the same relative path under two folders, or
/// repeated JSONL ids) are each kept and each skipped once on resume.
#[test]
fn resume_keeps_every_record_of_a_shared_id() {
    let tmp = tempdir();
    for (dir, seed) in [("one", 1), ("two", 2)] {
        generate(&tmp.path().join(dir), 4, seed);
    }
    let one = tmp.path().join("one");
    let two = tmp.path().join("two");
    let args = [one.to_str().unwrap(), two.to_str().unwrap()];
    let reference = complete_run(&args, &tmp.path().join("reference.jsonl"));
    let lines: Vec<&[u8]> = reference.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(lines.len(), 8);
    let ids: Vec<String> = lines
        .iter()
        .map(|l| serde_json::from_slice::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids[0..4], ids[4..8], "the same ids under both folders");

    let out = tmp.path().join("out.jsonl");
    // Every cut: after k whole lines, plus half of the next line.
    for k in 0..lines.len() {
        let mut partial = lines[..k].concat();
        partial.extend_from_slice(&lines[k][..lines[k].len() / 2]);
        fs::write(partial_of(&out), &partial).unwrap();
        let _ = fs::remove_file(&out);
        precis()
            .arg("score")
            .args(args)
            .arg("-o")
            .arg(&out)
            .arg("--resume")
            .assert()
            .code(0);
        assert!(
            fs::read(&out).unwrap() == reference,
            "resumed after {k} lines:\n{}",
            String::from_utf8_lossy(&fs::read(&out).unwrap())
        );
    }
    // Resuming a complete file scores nothing and changes nothing.
    precis()
        .arg("score")
        .args(args)
        .arg("-o")
        .arg(&out)
        .arg("--resume")
        .assert()
        .code(0)
        .stdout("")
        .stderr("");
    assert!(fs::read(&out).unwrap() == reference);

    // A JSONL stream on standard input with repeated ids.
    let stream: String = (0..6)
        .map(|i| {
            format!("{{\"id\": \"same\", \"text\": \"Leaders met {i} times. They agreed.\"}}\n")
        })
        .collect();
    let reference = tmp.path().join("stream.jsonl");
    precis()
        .args(["score", "-", "-o"])
        .arg(&reference)
        .write_stdin(stream.clone())
        .assert()
        .code(0);
    let reference = fs::read(&reference).unwrap();
    let lines: Vec<&[u8]> = reference.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(lines.len(), 6);
    fs::write(partial_of(&out), lines[..4].concat()).unwrap();
    precis()
        .args(["score", "-", "-o"])
        .arg(&out)
        .arg("--resume")
        .write_stdin(stream)
        .assert()
        .code(0);
    assert!(fs::read(&out).unwrap() == reference);
}

#[test]
fn output_file_formats_are_written_whole() {
    let tmp = tempdir();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let samples = samples.to_str().unwrap();
    let jsonl = complete_run(&[samples], &tmp.path().join("out.jsonl"));
    let stdout = precis()
        .args(["score", samples])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(jsonl == stdout, "-o writes what stdout gets");
    let count = fs::read_dir(samples).unwrap().count();
    assert_eq!(jsonl.iter().filter(|&&b| b == b'\n').count(), count);

    let json = complete_run(&[samples, "--format", "json"], &tmp.path().join("out.json"));
    let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(parsed.as_array().unwrap().len(), count);
    let csv = complete_run(&[samples, "--format", "csv"], &tmp.path().join("out.csv"));
    assert_eq!(csv.iter().filter(|&&b| b == b'\n').count(), count + 1);

    precis()
        .args(["score", samples, "--format", "csv", "--resume", "-o"])
        .arg(tmp.path().join("x.csv"))
        .assert()
        .code(2)
        .stderr("precis: --resume works with --format jsonl only\n");
    let nowhere = tmp.path().join("no/such/folder/out.jsonl");
    precis()
        .args(["score", samples, "-o"])
        .arg(&nowhere)
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(format!(
            "cannot write {}",
            partial_of(&nowhere).display()
        )));
}

/// `precis score DIR | head -1`: the reader goes away after one line.
fn closed_pipe(dir: &Path, format: &str) {
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_precis"))
        .arg("score")
        .arg(dir)
        .args(["--format", format])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(!first.is_empty(), "{format}: no first line");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(stderr, "", "{format}");
    assert_eq!(status.code(), Some(0), "{format}");
}

/// `precis split|summarize FILE --format json | head -1`, on an article long
/// enough that the output does not fit in the pipe.
#[test]
fn broken_pipe_of_single_article_json_is_a_quiet_success() {
    let tmp = tempdir();
    let article = tmp.path().join("long.txt");
    fs::write(&article, "Leaders met in Seoul on Monday. ".repeat(5_000)).unwrap();
    for args in [
        &["split", "--format", "json"][..],
        &["summarize", "--format", "json", "--all-sentences"],
    ] {
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_precis"))
            .args(args)
            .arg(&article)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(first == "[\n" || first == "{\n", "{args:?}: {first:?}");
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!((status.code(), stderr.as_str()), (Some(0), ""), "{args:?}");
    }
}

#[test]
fn broken_pipe_is_a_quiet_success() {
    let tmp = tempdir();
    // Far more output than a pipe and the output buffer hold.
    generate(tmp.path(), 600, 7);
    for format in ["jsonl", "json", "csv", "text"] {
        closed_pipe(tmp.path(), format);
    }
}

/// `precis score DIR -o FILE 2>&1 | head -1`: whoever reads the error
/// messages goes away after the first. The run still completes: the file is
/// written whole and the exit code says that some articles failed.
#[test]
fn closed_stderr_does_not_abort_the_run() {
    let tmp = tempdir();
    let corpus = tmp.path().join("corpus");
    // Two chunks, a failure in each: the second is reported long after the
    // reader of the first has gone.
    generate(&corpus, CHUNK_ARTICLES, 11);
    fs::write(corpus.join("0_bad.txt"), b"bad \xFF").unwrap();
    fs::write(corpus.join("z_bad.txt"), b"bad \xFF").unwrap();
    let out = tmp.path().join("out.jsonl");
    let mut child = StdCommand::new(env!("CARGO_BIN_EXE_precis"))
        .arg("score")
        .arg(&corpus)
        .args(["--idf", "local", "-o"])
        .arg(&out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert_eq!(
        first,
        format!(
            "precis: {}: not valid UTF-8 (invalid byte at offset 4)\n",
            corpus.join("0_bad.txt").display()
        )
    );
    drop(stderr);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "{status}");
    let written = finished(&out);
    assert_eq!(
        written.iter().filter(|&&b| b == b'\n').count(),
        CHUNK_ARTICLES + 2
    );
}
