//! The command-line front end: args -> config -> engine -> renderers.

pub mod args;
mod bench;
mod config;
mod eval;
mod output;
mod progress;
mod render;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use precis::batch::{self, BatchConfig, IdfMode, Inputs};
use precis::report::Record;
use precis::summarize::IdfSource;
use precis::Engine;
use rayon::prelude::*;

use args::{Cli, Command, IdfCommand, OneFormat};

/// Whether an error is a closed output pipe.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        let io = e.downcast_ref::<std::io::Error>().map(std::io::Error::kind);
        // serde_json wraps the I/O error of the writer it was given.
        let json = e
            .downcast_ref::<serde_json::Error>()
            .and_then(serde_json::Error::io_error_kind);
        io.or(json) == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Reports a problem on stderr; a closed stderr must not stop the run.
macro_rules! report {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Summarize(a) => summarize(a),
        Command::Score(a) => score(a),
        Command::Split(a) => split(a),
        Command::Tone(a) => tone(a),
        Command::Bench(a) => bench::run(a),
        Command::Idf(c) => idf(c),
        Command::Eval(c) => eval::run(c),
    }
}

/// Reads one article from a file or `-`, decoded like batch input.
fn read_article(path: &Path) -> Result<(String, String)> {
    let (bytes, name) = if path == Path::new("-") {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .context("cannot read standard input")?;
        (b, "-".to_string())
    } else {
        let b = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        (b, path.display().to_string())
    };
    let text = batch::decode(bytes).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
    Ok((text, name))
}

fn single_idf(arg: &str) -> Result<IdfMode> {
    match config::idf_mode(arg)? {
        IdfMode::Corpus => anyhow::bail!("--idf corpus needs a batch; use local or a model file"),
        m => Ok(m),
    }
}

fn summarize(a: args::SummarizeArgs) -> Result<ExitCode> {
    let engine = config::engine(&a.engine)?;
    let idf = single_idf(&a.idf)?;
    let (text, name) = read_article(&a.file)?;
    let source = match &idf {
        IdfMode::Model(m) => IdfSource::Corpus(m),
        _ => IdfSource::Local,
    };
    let analysis = engine.analyze_with(&text, &source, &mut engine.workspace());
    let record = Record::from_analysis(name.clone(), Some(name), &text, analysis, a.all_sentences);
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &record)?;
            writeln!(out)?;
        }
        OneFormat::Text => render::summary_text(&mut out, &record)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn tone(a: args::ToneArgs) -> Result<ExitCode> {
    let engine = config::engine(&a.engine)?;
    let (text, name) = read_article(&a.file)?;
    let analysis = engine.analyze(&text);
    let mut out = std::io::stdout().lock();
    match a.format {
        OneFormat::Json => {
            let record = Record::from_analysis(name.clone(), Some(name), &text, analysis, false);
            let tone = &record.article.as_ref().expect("analysed").tone;
            serde_json::to_writer_pretty(&mut out, tone)?;
            writeln!(out)?;
        }
        OneFormat::Text => render::tone_table(&mut out, &text, &analysis, a.explain)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn split(a: args::SplitArgs) -> Result<ExitCode> {
    let mut segmenter = precis::segment::Segmenter::new();
    if let Some(p) = &a.abbreviations {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
        segmenter = segmenter.with_extra_abbreviations(&text, &p.display().to_string())?;
    }
    let (text, _) = read_article(&a.file)?;
    let spans = segmenter.split(&text);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match a.format {
        OneFormat::Text => {
            for s in &spans {
                // One sentence per line: inner line breaks become spaces.
                let one_line: String = s
                    .slice(&text)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                writeln!(out, "{one_line}")?;
            }
        }
        OneFormat::Json => {
            #[derive(serde::Serialize)]
            struct Row<'a> {
                index: usize,
                start: usize,
                end: usize,
                text: &'a str,
            }
            let rows: Vec<Row> = spans
                .iter()
                .enumerate()
                .map(|(index, s)| Row {
                    index,
                    start: s.start,
                    end: s.end,
                    text: s.slice(&text),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &rows)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Lists the inputs; `-` is standard input, spooled to a temporary JSONL
/// file so that corpus IDF can take two passes over a stream in flat memory.
fn list_inputs(
    paths: &[PathBuf],
    extensions: &[String],
) -> Result<(Inputs, Option<tempfile::NamedTempFile>)> {
    let mut inputs = Inputs::default();
    let mut spool = None;
    for p in paths {
        if p.as_os_str() != "-" {
            inputs.add(p, extensions);
            continue;
        }
        anyhow::ensure!(spool.is_none(), "- (standard input) can be given only once");
        let mut tmp = tempfile::Builder::new()
            .prefix("precis-stdin-")
            .suffix(".jsonl")
            .tempfile()
            .context("cannot create a temporary file for standard input")?;
        std::io::copy(&mut std::io::stdin().lock(), tmp.as_file_mut())
            .context("cannot spool standard input")?;
        inputs.add_jsonl(tmp.path(), "-");
        spool = Some(tmp);
    }
    // Several threads measure the files in parallel, so that chunks are
    // planned without reading them; one thread reads them as it plans.
    if rayon::current_num_threads() > 1 {
        inputs.measure();
    } else {
        inputs.estimate();
    }
    Ok((inputs, spool))
}

pub(crate) fn extensions(globs: &[String]) -> Result<Vec<String>> {
    if globs.is_empty() {
        return Ok(vec![".txt".into(), ".md".into()]);
    }
    globs
        .iter()
        .map(|g| match g.strip_prefix('*') {
            Some(rest) if !rest.contains(['*', '?', '[']) => Ok(rest.to_string()),
            _ => anyhow::bail!("--glob supports patterns of the form '*.ext', got {g:?}"),
        })
        .collect()
}

fn score(a: args::ScoreArgs) -> Result<ExitCode> {
    let mut timings = Timings::new(a.timings);
    // The main thread is one of the pool's workers: with one thread the
    // whole run allocates from the main heap, which grows in large steps
    // (a worker thread's heap grows a page at a time, one mprotect each).
    let mut pool = rayon::ThreadPoolBuilder::new().use_current_thread();
    if let Some(n) = a.threads {
        anyhow::ensure!(n > 0, "--threads must be at least 1");
        pool = pool.num_threads(n);
    }
    pool.build_global()
        .context("cannot start the thread pool")?;
    let extensions = extensions(&a.glob)?;
    // Folders are listed while the lexicons compile, on another core (not
    // standard input: it is not read before the settings are known good).
    let (engine, listed) = if a.paths.iter().any(|p| p.as_os_str() == "-") {
        (config::engine(&a.engine), None)
    } else {
        let (engine, listed) = rayon::join(
            || config::engine(&a.engine),
            || list_inputs(&a.paths, &extensions),
        );
        (engine, Some(listed))
    };
    timings.lap("thread pool, lexicon and listing");
    let engine = engine?;
    let config = BatchConfig {
        idf: config::idf_mode(&a.idf)?,
        max_bytes: a.max_bytes,
        extensions,
        id_field: a.id_field.clone(),
        text_field: a.text_field.clone(),
        all_sentences: a.all_sentences,
    };
    let (inputs, _spool) = match listed {
        Some(listed) => listed?,
        None => list_inputs(&a.paths, &config.extensions)?,
    };
    engine.vocabulary().expect_text(inputs.listed_bytes());
    let mut sink = output::Sink::open(a.output.as_deref(), a.format, a.resume)?;
    // With corpus IDF, the first --retain-bytes of input are prepared once
    // and kept between the IDF pass and the summaries; anything beyond is
    // prepared and spilled to a temporary file (or, with --no-spill, past
    // --max-spill-bytes or if writing fails, counted, then read and
    // analysed again in a second pass).
    // `second`: the articles the second pass skips, if there is one.
    let (stats, kept, spilled, second) = match &config.idf {
        IdfMode::Corpus => {
            let spill = if a.no_spill {
                batch::Spill::Off
            } else {
                batch::Spill::UpTo(a.max_spill_bytes.unwrap_or(u64::MAX))
            };
            let pass = batch::corpus_pass(engine, &inputs, &config, a.retain_bytes, spill);
            if let Some(e) = &pass.spill_error {
                let kept = match pass.spilled_articles {
                    0 => String::new(),
                    n => format!("the {n} analyses written are kept and "),
                };
                eprintln!(
                    "precis: warning: cannot write analyses to a temporary file in {} ({e}); \
                     {kept}the rest of the input is read again instead (set TMPDIR to use \
                     another folder)",
                    std::env::temp_dir().display()
                );
            }
            let second = (!pass.complete()).then_some(pass.prepared_articles());
            timings.split("first pass", pass.counting, "counting document frequencies");
            (Some(pass.df), pass.kept, pass.spilled, second)
        }
        _ => (None, Vec::new(), None, Some(0)),
    };
    let source = match (&config.idf, &stats) {
        (IdfMode::Model(m), _) => IdfSource::Corpus(m),
        (_, Some(s)) => IdfSource::Corpus(s),
        _ => IdfSource::Local,
    };
    let bar = progress::Bar::new(inputs.units.len(), a.quiet);
    let mut failed = 0usize;
    let spare = Spare::default();
    let window = batch::window_bytes(rayon::current_num_threads());
    let mut out = Emitter {
        sink: &mut sink,
        spare: &spare,
        bar: &bar,
        failed: &mut failed,
        format: a.format,
    };
    let mut finish = |chunk: Vec<batch::PreparedArticle>| {
        let todo: Vec<_> = chunk
            .into_iter()
            .filter(|p| !out.sink.already_done(&p.article.id))
            .collect();
        out.emit_windows(batch::finish_windows(todo, window), |window, format| {
            batch::finish_chunk_fold(
                engine,
                window,
                &source,
                &config,
                None,
                &|text| Rendered::new(format, &spare, text),
                &Rendered::push,
            )
        })
    };
    let mut first = kept.into_iter().try_for_each(&mut finish);
    if let (Ok(()), Some(mut spilled)) = (&first, spilled) {
        first = std::iter::from_fn(|| spilled.next_chunk(engine.tone_model()).transpose())
            .try_for_each(|chunk| {
                finish(chunk.context("cannot read back the temporary file of analyses")?)
            });
    }
    let result = first.and_then(|()| match second {
        None => Ok(()),
        Some(skip) => batch::for_each_chunk_after(&inputs, &config, skip, |chunk| {
            let todo: Vec<_> = chunk
                .into_iter()
                .filter(|art| !out.sink.already_done(&art.id))
                .collect();
            out.emit_windows(batch::article_windows(&todo, window), |window, format| {
                let records = batch::analyze_chunk(engine, window, &source, &config, None);
                Rendered::all(records, format, &spare)
            })
        }),
    });
    bar.finish();
    result?;
    sink.finish()?;
    timings.lap(match config.idf {
        IdfMode::Corpus => "second pass (summaries and output)",
        _ => "analysis and output",
    });
    timings.print();
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The time each phase of `precis score` took (`--timings`), printed to
/// standard error at the end.
struct Timings {
    on: bool,
    start: std::time::Instant,
    last: std::time::Instant,
    phases: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    fn new(on: bool) -> Timings {
        let now = std::time::Instant::now();
        Timings {
            on,
            start: now,
            last: now,
            phases: Vec::new(),
        }
    }

    /// Ends the phase `name`.
    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }

    /// Ends a phase whose last `tail` was another phase, `tail_name`.
    fn split(&mut self, name: &'static str, tail: std::time::Duration, tail_name: &'static str) {
        let now = std::time::Instant::now();
        let whole = now - self.last;
        self.phases.push((name, whole.saturating_sub(tail)));
        self.phases.push((tail_name, tail.min(whole)));
        self.last = now;
    }

    fn print(&self) {
        if !self.on {
            return;
        }
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        // Loading the binary and exiting are outside this count.
        let mut out = String::from("precis: timings (ms): ");
        for (name, d) in &self.phases {
            out.push_str(&format!("{name} {:.1}; ", ms(*d)));
        }
        out.push_str(&format!("in all {:.1}", ms(self.start.elapsed())));
        report!("{out}");
    }
}

/// Writes a chunk's records in order, reports failures, ticks the bar.
struct Emitter<'a> {
    sink: &'a mut output::Sink,
    /// Where written JSONL buffers go back to.
    spare: &'a Spare,
    bar: &'a progress::Bar,
    failed: &'a mut usize,
    format: args::BatchFormat,
}

/// What workers hand the writer for a run of consecutive articles: their
/// JSONL lines, rendered (and the records freed) on the worker, or the
/// records themselves for the other formats.
enum Rendered {
    Lines(Lines),
    Records(Vec<Record>),
}

/// Consecutive records as JSONL text, with what the writer reports of them.
#[derive(Default)]
struct Lines {
    bytes: Vec<u8>,
    /// Room `bytes` gets before its first line.
    room: usize,
    /// Articles in `bytes`.
    records: usize,
    /// How many of them were files (not JSONL lines), for the bar.
    files: usize,
    /// `path: error` of each failed article, in order.
    failures: Vec<String>,
}

impl Lines {
    /// Lines for articles of about `text` bytes in all, in `bytes` (a
    /// spare buffer, or an empty one).
    fn for_text(bytes: Vec<u8>, text: usize) -> Lines {
        Lines {
            bytes,
            room: (text * LINES_PER_TEXT_BYTE).max(LINES_CAPACITY),
            ..Lines::default()
        }
    }

    fn push(&mut self, r: Record) {
        // A spare buffer is kept unless it is much too small (windows
        // differ a little in size, and a run may see less than its share);
        // a new one is a new block, not a reallocation, which would copy
        // the old block's stale bytes.
        if self.bytes.is_empty() && self.bytes.capacity() < self.room / 2 {
            self.bytes = Vec::with_capacity(self.room);
        }
        r.write_json(&mut self.bytes);
        self.bytes.push(b'\n');
        self.records += 1;
        self.files += usize::from(r.line.is_none());
        if let Some(e) = &r.error {
            self.failures.push(failure(&r, e));
        }
    }
}

impl Rendered {
    /// An empty accumulator for articles of about `text` bytes in all.
    fn new(format: args::BatchFormat, spare: &Spare, text: usize) -> Rendered {
        match format {
            args::BatchFormat::Jsonl => Rendered::Lines(Lines::for_text(spare.take(), text)),
            _ => Rendered::Records(Vec::new()),
        }
    }

    fn push(&mut self, r: Record) {
        match self {
            Rendered::Lines(lines) => lines.push(r),
            Rendered::Records(v) => v.push(r),
        }
    }

    /// Renders records in parallel, consecutive ones together.
    fn all(records: Vec<Record>, format: args::BatchFormat, spare: &Spare) -> Vec<Rendered> {
        records
            .into_par_iter()
            .fold(
                || Rendered::new(format, spare, 0),
                |mut acc, r| {
                    acc.push(r);
                    acc
                },
            )
            .collect()
    }
}

/// Smallest first allocation of a run's JSONL text (lines average 5 KB on
/// news).
const LINES_CAPACITY: usize = 64 << 10;

/// JSONL bytes a run's buffer gets per byte of its articles' text: a record
/// with its tone evidence is about 2.2 times its article on BBC. Allocated
/// at its size once, the buffer is not copied from block to doubled block
/// (with 512 KiB windows, rayon folded a window in one or two runs, up to a
/// megabyte of JSONL each: the doublings were 250 of a BBC run's 2,350 page
/// faults). Room never written costs no memory.
const LINES_PER_TEXT_BYTE: usize = 3;

/// JSONL buffers the writer has emptied, for the workers to fill again.
///
/// A run's text grows to hundreds of kilobytes; allocated afresh for every
/// window, each buffer was new memory, faulted in page by page (on BBC,
/// 1,150 of a run's 9,350 page faults). Handed back, the same few buffers
/// serve the whole run.
#[derive(Default)]
struct Spare(std::sync::Mutex<Vec<Vec<u8>>>);

impl Spare {
    /// Buffers kept at most: more than the runs of two windows (the one
    /// being written and the one being analysed).
    const KEEP: usize = 64;

    /// An empty buffer, with room from an earlier run if one is spare.
    fn take(&self) -> Vec<u8> {
        let spare = self.0.lock().ok().and_then(|mut v| v.pop());
        spare.unwrap_or_default()
    }

    fn put(&self, mut bytes: Vec<u8>) {
        bytes.clear();
        if let Ok(mut v) = self.0.lock() {
            if v.len() < Self::KEEP {
                v.push(bytes);
            }
        }
    }
}

fn failure(r: &Record, error: &str) -> String {
    format!("{}: {}", r.path.as_deref().unwrap_or(&r.id), error)
}

impl Emitter<'_> {
    /// Analyses each window with `analyse` and writes what it gives, window
    /// k being written while window k + 1 is analysed. `analyse` renders
    /// the records for the output format on its workers (see [`Rendered`]).
    fn emit_windows<W: Send>(
        &mut self,
        windows: impl Iterator<Item = W>,
        analyse: impl Fn(W, args::BatchFormat) -> Vec<Rendered> + Sync,
    ) -> Result<()> {
        let format = self.format;
        let mut ready: Option<Vec<Rendered>> = None;
        for window in windows {
            let (written, next) = rayon::join(
                || ready.take().map_or(Ok(()), |items| self.emit(items)),
                || analyse(window, format),
            );
            written?;
            ready = Some(next);
        }
        ready.map_or(Ok(()), |items| self.emit(items))
    }

    fn emit(&mut self, items: Vec<Rendered>) -> Result<()> {
        for item in &items {
            match item {
                Rendered::Lines(lines) => {
                    for message in &lines.failures {
                        *self.failed += 1;
                        report!("precis: {message}");
                    }
                    self.bar.tick_many(lines.files);
                    self.sink.write_lines(&lines.bytes, lines.records)?;
                }
                Rendered::Records(records) => {
                    for r in records {
                        if let Some(e) = &r.error {
                            *self.failed += 1;
                            report!("precis: {}", failure(r, e));
                        }
                        self.bar.tick(r.line.is_none());
                        self.sink.write(r)?;
                    }
                }
            }
        }
        // Records (tens of allocations each) are freed on every core
        // instead of on this thread; JSONL buffers are filled again.
        if matches!(items.first(), Some(Rendered::Records(_))) {
            items.into_par_iter().for_each(drop);
        } else {
            for item in items {
                if let Rendered::Lines(lines) = item {
                    self.spare.put(lines.bytes);
                }
            }
        }
        self.sink.checkpoint()
    }
}

fn idf(c: IdfCommand) -> Result<ExitCode> {
    match c {
        IdfCommand::Build {
            paths,
            output,
            text_field,
        } => {
            let engine = Engine::new(precis::EngineConfig::default());
            let config = BatchConfig {
                text_field,
                ..BatchConfig::default()
            };
            let (inputs, _spool) = list_inputs(&paths, &config.extensions)?;
            let mut df = precis::corpus::DocFreqs::with_names();
            let mut failed = 0;
            batch::for_each_chunk::<()>(&inputs, &config, |chunk| {
                use rayon::prelude::*;
                let stems: Vec<Option<Vec<String>>> = chunk
                    .par_iter()
                    .map(|a| a.text.as_ref().ok().map(|t| engine.distinct_stems(t)))
                    .collect();
                for (a, s) in chunk.iter().zip(stems) {
                    match s {
                        Some(s) => df.add_named_document(s.iter().map(String::as_str)),
                        None => {
                            failed += 1;
                            report!(
                                "precis: {}: {}",
                                a.id,
                                a.text.as_ref().err().map_or("", |e| e)
                            );
                        }
                    }
                }
                Ok(())
            })
            .ok();
            output::write_atomically(&output, |w| Ok(df.save(w)?))?;
            report!(
                "precis: {} documents, {} terms -> {}",
                df.doc_count(),
                df.terms(),
                output.display()
            );
            Ok(if failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        IdfCommand::Merge { models, output } => {
            let mut merged = precis::corpus::DocFreqs::with_names();
            for m in &models {
                merged.merge(&precis::corpus::DocFreqs::load(m)?);
            }
            output::write_atomically(&output, |w| Ok(merged.save(w)?))?;
            report!(
                "precis: {} documents, {} terms -> {}",
                merged.doc_count(),
                merged.terms(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
