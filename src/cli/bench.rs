//! `precis bench`: throughput per thread count, per-stage time, the
//! word-walk floor measured in the same run, and peak memory.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use precis::batch::{self, Article, BatchConfig, Inputs};
use precis::summarize::{IdfSource, SummaryConfig};
use precis::{Engine, EngineConfig, StageTimes};
use serde::Serialize;
use unicode_segmentation::UnicodeSegmentation;

use super::args::{BenchArgs, OneFormat};

#[derive(Serialize)]
struct Row {
    threads: usize,
    seconds: f64,
    mb_per_s: f64,
    articles_per_s: f64,
    speedup: f64,
    of_floor: f64,
}

#[derive(Serialize)]
struct Report {
    articles: usize,
    bytes: usize,
    runs: usize,
    floor_mb_per_s: f64,
    rows: Vec<Row>,
    stages_single_thread: StageSeconds,
    spill: Option<SpillReport>,
    peak_rss_mib: Option<f64>,
}

/// The temporary file of `precis score` past `--retain-bytes`, measured by
/// spilling every article (`--retain-bytes 0`) on all threads.
#[derive(Serialize)]
struct SpillReport {
    articles: usize,
    bytes: u64,
    bytes_per_text_byte: f64,
    /// The first pass: read, prepare, count, encode and write.
    first_pass_seconds: f64,
    /// Reading back and decoding every chunk.
    read_back_seconds: f64,
}

/// Runs the first pass of `precis score` with nothing kept, so that every
/// article's preparation is written to the temporary file, then reads it
/// all back. `None` when no temporary file could be written.
fn measure_spill(
    engine: &Engine,
    inputs: &Inputs,
    config: &BatchConfig,
    bytes: usize,
) -> Option<SpillReport> {
    let start = Instant::now();
    let pass = batch::corpus_pass(engine, inputs, config, 0, batch::Spill::UpTo(u64::MAX));
    let first_pass = start.elapsed();
    let mut reader = pass.spilled?;
    let start = Instant::now();
    let mut articles = 0;
    while let Some(chunk) = reader.next_chunk(engine.tone_model()).ok()? {
        articles += chunk.len();
    }
    let read_back = start.elapsed();
    (pass.spill_error.is_none() && articles == pass.spilled_articles).then(|| SpillReport {
        articles,
        bytes: pass.spilled_bytes,
        bytes_per_text_byte: pass.spilled_bytes as f64 / bytes as f64,
        first_pass_seconds: first_pass.as_secs_f64(),
        read_back_seconds: read_back.as_secs_f64(),
    })
}

#[derive(Serialize)]
struct StageSeconds {
    read: f64,
    idf_count: f64,
    split: f64,
    tokenize: f64,
    summarize: f64,
    tone: f64,
    serialize: f64,
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Peak resident memory of this process, from /proc (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// One whole batch as `precis score --format jsonl` does it, output thrown away.
fn run_batch(
    engine: &Engine,
    articles: &[Article],
    config: &BatchConfig,
    times: Option<&Mutex<StageTimes>>,
) -> (Duration, Duration, usize) {
    // As `precis score` does for a corpus that fits its budget: prepare every
    // article once, count document frequencies, summarize, serialise.
    let start = Instant::now();
    let prepared = batch::prepare_articles(engine, articles.to_vec(), times);
    let counting = Instant::now();
    let mut df = precis::corpus::DocFreqs::new();
    batch::count_terms(&mut df, &prepared);
    let idf_time = counting.elapsed();
    // Lines are rendered on the workers, runs of consecutive articles into
    // one buffer, by the same code as `precis score`.
    let runs: Vec<super::Lines> = batch::finish_chunk_fold(
        engine,
        prepared,
        &IdfSource::Corpus(&df),
        config,
        times,
        &|text| super::Lines::for_text(Vec::new(), text),
        &super::Lines::push,
    );
    let mut out = std::io::BufWriter::new(std::io::sink());
    for run in &runs {
        out.write_all(&run.bytes).expect("writing to a sink");
    }
    (
        start.elapsed(),
        idf_time,
        runs.iter().map(|r| r.records).sum(),
    )
}

pub fn run(a: BenchArgs) -> Result<ExitCode> {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from("samples")]
    } else {
        a.paths.clone()
    };
    let runs = a.runs.max(1);
    let config = BatchConfig::default();
    let read_start = Instant::now();
    let inputs = Inputs::collect(&paths, &config.extensions);
    let mut articles = Vec::new();
    batch::for_each_chunk::<()>(&inputs, &config, |chunk| {
        articles.extend(chunk);
        Ok(())
    })
    .ok();
    let read_time = read_start.elapsed();
    articles.retain(|x| x.text.is_ok());
    anyhow::ensure!(
        !articles.is_empty(),
        "no readable articles under {:?}",
        paths
    );
    let bytes: usize = articles
        .iter()
        .map(|x| x.text.as_ref().map_or(0, String::len))
        .sum();
    // Every timed run gets a new engine, as every `precis score` process
    // does: its word tables start empty, so the runs pay for stemming the
    // corpus's vocabulary instead of reusing the previous run's tables.
    let new_engine = || {
        Engine::new(EngineConfig {
            summary: SummaryConfig {
                method: a.method,
                ..SummaryConfig::default()
            },
            ..EngineConfig::default()
        })
    };

    // The floor: one plain walk over the Unicode words of the same bytes.
    let floor_walk = || {
        let t = Instant::now();
        let words: usize = articles
            .iter()
            .map(|x| {
                x.text
                    .as_ref()
                    .map_or(0, |t| t.unicode_word_indices().count())
            })
            .sum();
        assert!(words > 0);
        t.elapsed()
    };
    if a.floor_only {
        let times: Vec<Duration> = (0..runs).map(|_| floor_walk()).collect();
        return print_floor(&a, articles.len(), bytes, times);
    }
    let pools = a
        .threads
        .iter()
        .map(|&threads| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads.max(1))
                .build()
                .context("cannot start a thread pool")
        })
        .collect::<Result<Vec<_>>>()?;
    // Runs are interleaved (floor, then each thread count, then again), so
    // a slow spell of a shared machine lands on all of them alike and the
    // ratios stay meaningful; each figure is the median of its runs.
    let mut floor_times = Vec::new();
    let mut times = vec![Vec::new(); pools.len()];
    for _ in 0..runs {
        floor_times.push(floor_walk());
        for (pool, times) in pools.iter().zip(&mut times) {
            let engine = new_engine();
            let (t, _, n) = pool.install(|| run_batch(&engine, &articles, &config, None));
            assert_eq!(n, articles.len());
            times.push(t);
        }
    }
    let floor = median(floor_times);
    let mb = bytes as f64 / 1e6;
    let floor_mbs = mb / floor.as_secs_f64();

    let mut rows = Vec::new();
    let mut single = None;
    for (&threads, times) in a.threads.iter().zip(times) {
        let t = median(times);
        let secs = t.as_secs_f64();
        let base = *single.get_or_insert(secs);
        rows.push(Row {
            threads,
            seconds: secs,
            mb_per_s: mb / secs,
            articles_per_s: articles.len() as f64 / secs,
            speedup: base / secs,
            of_floor: (mb / secs) / floor_mbs,
        });
    }

    // Per-stage times from one single-threaded run with the stopwatch on.
    let stage_times = Mutex::new(StageTimes::default());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build()?;
    let engine = new_engine();
    let (total, idf_time, _) =
        pool.install(|| run_batch(&engine, &articles, &config, Some(&stage_times)));
    let st = *stage_times.lock().expect("stage times");
    let accounted = idf_time + st.split + st.tokenize + st.summarize + st.tone;
    let stages = StageSeconds {
        read: read_time.as_secs_f64(),
        idf_count: idf_time.as_secs_f64(),
        split: st.split.as_secs_f64(),
        tokenize: st.tokenize.as_secs_f64(),
        summarize: st.summarize.as_secs_f64(),
        tone: st.tone.as_secs_f64(),
        serialize: total.saturating_sub(accounted).as_secs_f64(),
    };
    let spill = measure_spill(&new_engine(), &inputs, &config, bytes);
    let report = Report {
        articles: articles.len(),
        bytes,
        runs,
        floor_mb_per_s: floor_mbs,
        rows,
        stages_single_thread: stages,
        spill,
        peak_rss_mib: peak_rss_mib(),
    };
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OneFormat::Text => print_report(&mut out, &report)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `--floor-only`: the floor's median and every run.
#[derive(Serialize)]
struct FloorReport {
    articles: usize,
    bytes: usize,
    runs: usize,
    floor_mb_per_s: f64,
    floor_seconds: Vec<f64>,
}

fn print_floor(
    a: &BenchArgs,
    articles: usize,
    bytes: usize,
    times: Vec<Duration>,
) -> Result<ExitCode> {
    let report = FloorReport {
        articles,
        bytes,
        runs: times.len(),
        floor_mb_per_s: bytes as f64 / 1e6 / median(times.clone()).as_secs_f64(),
        floor_seconds: times.iter().map(Duration::as_secs_f64).collect(),
    };
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OneFormat::Text => writeln!(
            out,
            "{articles} articles, {:.2} MB, median of {} runs\nfloor (unicode word walk, 1 thread): {:.1} MB/s",
            bytes as f64 / 1e6,
            report.runs,
            report.floor_mb_per_s
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_report(out: &mut impl Write, r: &Report) -> std::io::Result<()> {
    writeln!(
        out,
        "{} articles, {:.2} MB, median of {} runs (whole pipeline as `precis score`: split, tokenize, tone, corpus IDF, summarize, JSONL)",
        r.articles,
        r.bytes as f64 / 1e6,
        r.runs
    )?;
    writeln!(
        out,
        "floor (unicode word walk, 1 thread): {:.1} MB/s\n",
        r.floor_mb_per_s
    )?;
    writeln!(
        out,
        "threads  seconds    MB/s  articles/s  speedup  of floor"
    )?;
    for row in &r.rows {
        writeln!(
            out,
            "{:>7}  {:>7.3}  {:>6.1}  {:>10.0}  {:>6.2}x  {:>7.2}",
            row.threads, row.seconds, row.mb_per_s, row.articles_per_s, row.speedup, row.of_floor
        )?;
    }
    let s = &r.stages_single_thread;
    writeln!(out, "\nstages, 1 thread (seconds):")?;
    writeln!(
        out,
        "  read {:.3}  split {:.3}  tokenize {:.3}  tone {:.3}  idf count {:.3}  summarize {:.3}  serialize+other {:.3}",
        s.read, s.split, s.tokenize, s.tone, s.idf_count, s.summarize, s.serialize
    )?;
    if let Some(sp) = &r.spill {
        writeln!(
            out,
            "spill (`precis score --retain-bytes 0`, all threads): {} articles, {:.2} MB in the \
             temporary file, {:.2} bytes per byte of text; first pass {:.3} s, read back {:.3} s",
            sp.articles,
            sp.bytes as f64 / 1e6,
            sp.bytes_per_text_byte,
            sp.first_pass_seconds,
            sp.read_back_seconds
        )?;
    }
    if let Some(m) = r.peak_rss_mib {
        writeln!(
            out,
            "peak RSS of this bench: {m:.1} MiB (it holds every article, prepared article, \
             record and line at once, with a word table per pool thread; \
             `/usr/bin/time -f %M precis score DIR` gives a scoring run's)"
        )?;
    }
    Ok(())
}
