//! Where records go: stdout or a file written atomically, in any format,
//! with `--resume`.
//!
//! `-o FILE` writes to `FILE.partial` in the same folder, flushed after every
//! chunk, and renames it to `FILE` only when the run is complete: an
//! interrupted run leaves the old `FILE` (or none) untouched, never a
//! truncated one. `--resume` keeps the complete records of `FILE.partial`
//! (or of `FILE`) and adds only the articles missing from it. A `FILE` that
//! exists and is not a regular file (`/dev/null`, a named pipe, a terminal)
//! is written directly: renaming over it would replace the device or pipe
//! with a regular file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use precis::report::Record;

use super::args::BatchFormat;
use super::render;

enum Target {
    Stdout(BufWriter<std::io::Stdout>),
    /// A device or pipe named by `-o`, written in place.
    Stream(BufWriter<File>),
    File {
        final_path: PathBuf,
        partial_path: PathBuf,
        file: BufWriter<File>,
    },
}

pub struct Sink {
    target: Target,
    format: BatchFormat,
    /// With `--resume`: how many kept records carry each id, not yet matched
    /// to an article of this run.
    done: HashMap<String, usize>,
    records: usize,
}

pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Whether `path` exists and is neither a regular file nor a folder: a
/// device, a named pipe or a socket (after symlinks: `/dev/stdout` is one).
/// Such a target is written in place, never replaced by a rename.
fn is_stream(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Opens a device or named pipe for writing.
fn open_stream(path: &Path) -> Result<File> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Writes `path` through a temporary file in the same folder and a rename
/// (a device or named pipe is written in place).
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<()>,
) -> Result<()> {
    if is_stream(path) {
        let mut w = BufWriter::new(open_stream(path)?);
        write(&mut w)?;
        w.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    let mut w = BufWriter::new(tmp.reopen()?);
    write(&mut w)?;
    w.flush()?;
    w.get_ref().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

impl Sink {
    pub fn open(output: Option<&Path>, format: BatchFormat, resume: bool) -> Result<Sink> {
        let mut done = HashMap::new();
        let mut records = 0;
        let target = match output {
            None => Target::Stdout(BufWriter::with_capacity(1 << 16, std::io::stdout())),
            Some(path) if is_stream(path) => {
                if resume {
                    bail!(
                        "--resume needs a regular file to read back; {} is a device or pipe",
                        path.display()
                    );
                }
                Target::Stream(BufWriter::with_capacity(1 << 16, open_stream(path)?))
            }
            Some(path) => {
                if resume && format != BatchFormat::Jsonl {
                    bail!("--resume works with --format jsonl only");
                }
                let partial = partial_path(path);
                let file = if resume {
                    let source = if partial.exists() {
                        Some(partial.clone())
                    } else if path.exists() {
                        Some(path.to_path_buf())
                    } else {
                        None
                    };
                    let mut keep = Vec::new();
                    if let Some(src) = &source {
                        let reader = BufReader::new(
                            File::open(src)
                                .with_context(|| format!("cannot read {}", src.display()))?,
                        );
                        for line in reader.split(b'\n') {
                            let line = line?;
                            // A line cut short by a kill does not parse and is dropped.
                            let Ok(v) = serde_json::from_slice::<serde_json::Value>(&line) else {
                                continue;
                            };
                            let Some(id) = v.get("id").and_then(|i| i.as_str()) else {
                                continue;
                            };
                            // Articles may share an id (two folders, a JSONL
                            // stream): every record is kept and counted.
                            *done.entry(id.to_string()).or_insert(0) += 1;
                            records += 1;
                            keep.extend_from_slice(&line);
                            keep.push(b'\n');
                        }
                    }
                    let mut f = File::create(&partial)
                        .with_context(|| format!("cannot write {}", partial.display()))?;
                    f.write_all(&keep)?;
                    f.seek(std::io::SeekFrom::End(0))?;
                    f
                } else {
                    File::create(&partial)
                        .with_context(|| format!("cannot write {}", partial.display()))?
                };
                Target::File {
                    final_path: path.to_path_buf(),
                    partial_path: partial,
                    file: BufWriter::with_capacity(1 << 16, file),
                }
            }
        };
        let mut sink = Sink {
            target,
            format,
            done,
            records,
        };
        match format {
            BatchFormat::Json => sink.out().write_all(b"[")?,
            BatchFormat::Csv => render::csv_header(sink.out())?,
            _ => {}
        }
        Ok(sink)
    }

    fn out(&mut self) -> &mut dyn Write {
        match &mut self.target {
            Target::Stdout(w) => w,
            Target::Stream(w) => w,
            Target::File { file, .. } => file,
        }
    }

    /// Whether a resumed run already holds this article. Call it once per
    /// article, in input order: the n-th article with an id is done when the
    /// kept records hold that id at least n times.
    pub fn already_done(&mut self, id: &str) -> bool {
        match self.done.get_mut(id) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Writes `records` records already serialised as JSONL lines (how
    /// `score` writes JSONL: lines are serialised in parallel, then written
    /// in order).
    pub fn write_lines(&mut self, lines: &[u8], records: usize) -> Result<()> {
        debug_assert_eq!(self.format, BatchFormat::Jsonl);
        self.records += records;
        self.out().write_all(lines)?;
        Ok(())
    }

    pub fn write(&mut self, r: &Record) -> Result<()> {
        let first = self.records == 0;
        self.records += 1;
        let format = self.format;
        let out = self.out();
        // serde_json errors are turned back into io::Errors: a serde_json::Error
        // does not expose the io::Error inside as its source, so a closed pipe
        // would not be recognised as one (and `| head -1` would fail).
        match format {
            BatchFormat::Jsonl => {
                let mut line = Vec::with_capacity(2 * r.bytes + 1024);
                r.write_json(&mut line);
                line.push(b'\n');
                out.write_all(&line)?;
            }
            BatchFormat::Json => {
                out.write_all(if first { b"\n" } else { b",\n" })?;
                serde_json::to_writer(&mut *out, r).map_err(std::io::Error::from)?;
            }
            BatchFormat::Csv => render::csv_row(out, r)?,
            BatchFormat::Text => render::record_text(out, r)?,
        }
        Ok(())
    }

    /// Pushes what was written to the file (after every chunk).
    pub fn checkpoint(&mut self) -> Result<()> {
        self.out().flush()?;
        Ok(())
    }

    pub fn finish(mut self) -> Result<()> {
        if self.format == BatchFormat::Json {
            self.out().write_all(b"\n]\n")?;
        }
        match self.target {
            Target::Stdout(mut w) => w.flush()?,
            Target::Stream(mut w) => w.flush()?,
            Target::File {
                final_path,
                partial_path,
                mut file,
            } => {
                file.flush()?;
                file.get_ref().sync_all()?;
                drop(file);
                std::fs::rename(&partial_path, &final_path).with_context(|| {
                    format!(
                        "cannot rename {} to {}",
                        partial_path.display(),
                        final_path.display()
                    )
                })?;
            }
        }
        Ok(())
    }
}
