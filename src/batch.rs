//! Batches: files, folders and JSONL streams in, records out, in input order,
//! on every core, in memory that does not grow with the corpus.
//!
//! Inputs are listed first ([`Inputs::collect`]), then read in chunks: each
//! chunk is decoded, analysed in parallel (longest articles first, so one long
//! article does not leave a core idle at the end) and handed to the sink in
//! input order. Corpus IDF takes a first pass over the same chunks.

use std::io::{BufRead, BufReader, Read, Seek};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::corpus::DocFreqs;
use crate::engine::{Engine, Prepared, StageTimes};
use crate::report::Record;
use crate::spill::{SpillReader, SpillWriter};
use crate::summarize::IdfSource;

/// Default `--max-bytes`: larger articles get an error record.
pub const DEFAULT_MAX_BYTES: u64 = 16 << 20;

/// Articles are read and analysed this many bytes at a time.
pub const CHUNK_BYTES: usize = 8 << 20;

/// At most this many articles per chunk.
pub const CHUNK_ARTICLES: usize = 4096;

/// Where IDF comes from in a batch.
#[derive(Clone, Debug, Default)]
pub enum IdfMode {
    /// Each article's sentences.
    Local,
    /// A first pass over the batch (article = document).
    #[default]
    Corpus,
    /// A saved model.
    Model(std::sync::Arc<DocFreqs>),
}

/// How a batch reads its input.
#[derive(Clone, Debug)]
pub struct BatchConfig {
    /// IDF source.
    pub idf: IdfMode,
    /// Articles larger than this get an error record.
    pub max_bytes: u64,
    /// File name suffixes picked up in folders.
    pub extensions: Vec<String>,
    /// JSONL field holding the id.
    pub id_field: String,
    /// JSONL field holding the text.
    pub text_field: String,
    /// Include every sentence's scores in records.
    pub all_sentences: bool,
}

impl Default for BatchConfig {
    fn default() -> BatchConfig {
        BatchConfig {
            idf: IdfMode::Corpus,
            max_bytes: DEFAULT_MAX_BYTES,
            extensions: vec![".txt".into(), ".md".into()],
            id_field: "id".into(),
            text_field: "text".into(),
            all_sentences: false,
        }
    }
}

/// A text file to read: its path, and, for a file found in a folder, the
/// folder held open and the file's name in it.
///
/// A file found in a folder is measured (`fstatat`, unless it is read in
/// turn: see [`Inputs::estimate`]) and opened (`openat`) by its name
/// relative to the open folder: the kernel then looks up one
/// name instead of every component of the path, twice a file. On BBC's
/// 2,225 files under a six-component path those lookups were 1.5% of a
/// run, half of them for the `stat` and half for the `open`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextFile {
    path: PathBuf,
    at: Option<InFolder>,
}

/// A folder's open handle and a file's name in it.
#[derive(Clone, Debug)]
struct InFolder {
    folder: Arc<std::fs::File>,
    name: std::ffi::CString,
}

impl PartialEq for InFolder {
    fn eq(&self, other: &InFolder) -> bool {
        Arc::ptr_eq(&self.folder, &other.folder) && self.name == other.name
    }
}

impl Eq for InFolder {}

impl TextFile {
    /// A file reached by its path alone.
    pub fn new(path: PathBuf) -> TextFile {
        TextFile { path, at: None }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens it for reading.
    fn open(&self) -> std::io::Result<std::fs::File> {
        match &self.at {
            #[cfg(target_os = "linux")]
            Some(at) => {
                use std::os::fd::{AsRawFd, FromRawFd};
                // SAFETY: the folder's descriptor is open (its `File` is
                // alive) and the name is a C string; on success the kernel
                // returns a new descriptor that nothing else owns.
                let fd = unsafe {
                    libc::openat(
                        at.folder.as_raw_fd(),
                        at.name.as_ptr(),
                        libc::O_RDONLY | libc::O_CLOEXEC,
                    )
                };
                if fd < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // SAFETY: `fd` was just opened and is owned by nothing else.
                Ok(unsafe { std::fs::File::from_raw_fd(fd) })
            }
            _ => std::fs::File::open(&self.path),
        }
    }

    /// Its size in bytes now (a symlink is followed).
    fn len(&self) -> std::io::Result<u64> {
        match &self.at {
            #[cfg(target_os = "linux")]
            Some(at) => {
                use std::os::fd::AsRawFd;
                let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
                // SAFETY: as in `open`; `st` is written by the kernel on
                // success, and read only then.
                let r = unsafe {
                    libc::fstatat(at.folder.as_raw_fd(), at.name.as_ptr(), st.as_mut_ptr(), 0)
                };
                if r != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                // SAFETY: `fstatat` succeeded, so it filled `st`.
                Ok(unsafe { st.assume_init() }.st_size as u64)
            }
            _ => std::fs::metadata(&self.path).map(|m| m.len()),
        }
    }
}

/// Folders held open at once by one listing; files of any folder past this
/// many are reached by their paths, so a deep tree never takes the
/// descriptors its files will need.
const MAX_OPEN_FOLDERS: usize = 64;

/// One input unit: a text file, a JSONL file, or something that could not
/// be listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A text file and its id.
    Text {
        /// The file.
        file: TextFile,
        /// Its id (path relative to the folder it was found in).
        id: String,
        /// Its size when it was listed, if it was measured
        /// ([`Inputs::measure`]): bounds the batch's chunks and sizes the
        /// read buffer before the file is read. A file not measured is read
        /// whole when its chunk is planned, and its chunk is bounded by the
        /// bytes it held ([`Inputs::estimate`]).
        size: Option<u64>,
    },
    /// A JSONL file, one article per line.
    Jsonl {
        /// The file to read.
        path: PathBuf,
        /// The name records give it (`-` for spooled standard input).
        name: String,
    },
    /// A path that cannot be read as an article, and why.
    Broken {
        /// The path.
        path: PathBuf,
        /// Its id, as a readable file there would have had.
        id: String,
        /// Why.
        error: String,
    },
}

/// The listed inputs of a batch, in the order they will be output.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// The units.
    pub units: Vec<Unit>,
    /// Folders held open for their files (see [`TextFile`]).
    open_folders: usize,
    /// Mean size of a sample of the text files, for those not measured.
    sampled_mean: u64,
}

/// Text files [`Inputs::estimate`] measures, evenly spread over the list.
const SAMPLE_FILES: usize = 64;

impl Inputs {
    /// Bytes of text listed: the sizes of the text files and of the JSONL
    /// files (as they are now); a text file not measured counts as the mean
    /// of the sample [`estimate`](Self::estimate) took.
    pub fn listed_bytes(&self) -> u64 {
        self.units
            .iter()
            .map(|u| match u {
                Unit::Text { size, .. } => size.unwrap_or(self.sampled_mean),
                Unit::Jsonl { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
                Unit::Broken { .. } => 0,
            })
            .sum()
    }

    /// Lists `paths`: files as given, folders recursively in sorted order
    /// (only names ending in one of `extensions`; `.jsonl` names are read as
    /// JSONL). Symlinks are followed, loops and dangling links reported;
    /// anything that is not a regular file (a FIFO, a device) is reported and
    /// never opened.
    pub fn collect(paths: &[PathBuf], extensions: &[String]) -> Inputs {
        let mut inputs = Inputs::default();
        for p in paths {
            inputs.add(p, extensions);
        }
        inputs.measure();
        inputs
    }

    /// Records the size of every text file, on all cores (a `stat` each;
    /// on a folder of small files this is most of the listing's time).
    /// Call it once everything is added: sizes bound chunks and size read
    /// buffers (a file that cannot be measured counts as empty, which is
    /// still correct).
    pub fn measure(&mut self) {
        self.units.par_iter_mut().for_each(|u| {
            if let Unit::Text { file, size, .. } = u {
                *size = Some(file.len().unwrap_or(0));
            }
        });
    }

    /// Instead of [`measure`](Self::measure), measures only an even spread
    /// of [`SAMPLE_FILES`] text files, so that [`listed_bytes`](Self::listed_bytes)
    /// can size what depends on the input's size. The files are left
    /// unmeasured, to be read whole as their chunks are planned: on one
    /// thread, which would read them a moment later anyway, this saves the
    /// `stat` of every file (on BBC, 3 to 4 ms of a 100 ms run).
    pub fn estimate(&mut self) {
        let files: Vec<&TextFile> = self
            .units
            .iter()
            .filter_map(|u| match u {
                Unit::Text { file, .. } => Some(file),
                _ => None,
            })
            .collect();
        let step = files.len().div_ceil(SAMPLE_FILES).max(1);
        let sizes: Vec<u64> = files
            .iter()
            .step_by(step)
            .map(|f| f.len().unwrap_or(0))
            .collect();
        self.sampled_mean = sizes.iter().sum::<u64>() / (sizes.len().max(1) as u64);
    }

    /// Adds a JSONL file to read under another name (standard input, spooled).
    pub fn add_jsonl(&mut self, path: &Path, name: &str) {
        self.units.push(Unit::Jsonl {
            path: path.to_path_buf(),
            name: name.to_string(),
        });
    }

    /// Adds a file or folder as [`collect`](Self::collect) does.
    pub fn add(&mut self, path: &Path, extensions: &[String]) {
        match std::fs::metadata(path) {
            Err(e) => self.broken(path, path.display().to_string(), describe_io(&e, path)),
            Ok(m) if m.is_dir() => {
                let mut seen = Vec::new();
                self.walk(path, path, "", extensions, &mut seen);
            }
            Ok(m) if m.is_file() => {
                self.push_file(path.to_path_buf(), path.display().to_string(), None)
            }
            Ok(_) => self.broken(
                path,
                path.display().to_string(),
                "not a regular file (a FIFO, socket or device); skipped".into(),
            ),
        }
    }

    fn push_file(&mut self, path: PathBuf, id: String, at: Option<InFolder>) {
        if path.extension().is_some_and(|e| e == "jsonl") {
            self.add_jsonl(&path, &path.display().to_string());
        } else {
            self.units.push(Unit::Text {
                file: TextFile { path, at },
                id,
                size: None,
            });
        }
    }

    fn broken(&mut self, path: &Path, id: String, error: String) {
        self.units.push(Unit::Broken {
            path: path.to_path_buf(),
            id,
            error,
        });
    }

    /// Lists the folder `dir`, whose id under `root` is `rel` ("" for the
    /// root itself).
    fn walk(
        &mut self,
        root: &Path,
        dir: &Path,
        rel: &str,
        extensions: &[String],
        seen: &mut Vec<PathBuf>,
    ) {
        let canonical = match std::fs::canonicalize(dir) {
            Ok(c) => c,
            Err(e) => return self.broken(dir, id_in(root, dir), describe_io(&e, dir)),
        };
        if seen.contains(&canonical) {
            return self.broken(
                dir,
                id_in(root, dir),
                "symlink loop: this folder is already being read; skipped".into(),
            );
        }
        seen.push(canonical);
        // Entries of one folder sort by name: the order of their paths,
        // which share the folder's, compared once as bytes instead of
        // component by component. The type the folder listing gives saves
        // a `stat` per file; only symlinks are followed with one.
        let mut entries: Vec<(PathBuf, Option<std::fs::FileType>)> = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok())
                .map(|e| (e.path(), e.file_type().ok()))
                .collect(),
            Err(e) => {
                seen.pop();
                return self.broken(dir, id_in(root, dir), describe_io(&e, dir));
            }
        };
        entries.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
        // The folder is held open for its files, up to a limit of folders.
        let folder = (self.open_folders < MAX_OPEN_FOLDERS)
            .then(|| open_folder(dir))
            .flatten();
        self.open_folders += usize::from(folder.is_some());
        for (path, kind) in entries {
            let Some(file_name) = path.file_name() else {
                continue;
            };
            let at = |folder: &Option<Arc<std::fs::File>>| in_folder(folder.as_ref()?, file_name);
            let name = file_name.to_string_lossy();
            let wanted = extensions.iter().any(|e| name.ends_with(e.as_str()));
            // `id_in(root, &path)`, built from the folder's id instead of
            // comparing paths component by component for every file.
            let id = || match rel {
                "" => name.to_string(),
                _ => format!("{rel}/{name}"),
            };
            let kind = match kind {
                Some(k) if !k.is_symlink() => Ok(k),
                _ => std::fs::metadata(&path).map(|m| m.file_type()),
            };
            match kind {
                Ok(k) if k.is_dir() => self.walk(root, &path, &id(), extensions, seen),
                Ok(k) if k.is_file() => {
                    if wanted {
                        let (id, at) = (id(), at(&folder));
                        self.push_file(path, id, at);
                    }
                }
                Ok(_) if wanted => self.broken(
                    &path,
                    id_in(root, &path),
                    "not a regular file (a FIFO, socket or device); skipped".into(),
                ),
                Ok(_) => {}
                Err(e) if wanted || path.is_symlink() => {
                    self.broken(&path, id_in(root, &path), describe_io(&e, &path))
                }
                Err(_) => {}
            }
        }
        seen.pop();
    }
}

/// `dir` opened as a folder, to reach its files by name.
#[cfg(target_os = "linux")]
fn open_folder(dir: &Path) -> Option<Arc<std::fs::File>> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_DIRECTORY)
        .open(dir)
        .ok()
        .map(Arc::new)
}

#[cfg(not(target_os = "linux"))]
fn open_folder(_: &Path) -> Option<Arc<std::fs::File>> {
    None
}

/// The file `name` of the open `folder`.
#[cfg(target_os = "linux")]
fn in_folder(folder: &Arc<std::fs::File>, name: &std::ffi::OsStr) -> Option<InFolder> {
    use std::os::unix::ffi::OsStrExt;
    Some(InFolder {
        folder: Arc::clone(folder),
        name: std::ffi::CString::new(name.as_bytes()).ok()?,
    })
}

#[cfg(not(target_os = "linux"))]
fn in_folder(_: &Arc<std::fs::File>, _: &std::ffi::OsStr) -> Option<InFolder> {
    None
}

/// The id of `path` found under the folder `root`: its relative path.
fn id_in(root: &Path, path: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

fn describe_io(e: &std::io::Error, path: &Path) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound if path.is_symlink() => {
            "dangling symlink: its target does not exist".into()
        }
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(40) => {
            "symlink loop (too many levels of symbolic links)".into()
        }
        _ => e.to_string(),
    }
}

/// One article as read: its text, or why it could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Article {
    /// Id for the record.
    pub id: String,
    /// File it came from.
    pub path: Option<String>,
    /// Line of a JSONL file.
    pub line: Option<usize>,
    /// The text, or the error.
    pub text: Result<String, String>,
}

impl Article {
    /// Bytes of text (0 for an article that could not be read).
    fn len(&self) -> usize {
        self.text.as_ref().map_or(0, String::len)
    }
}

/// Decodes file bytes: UTF-8 (a BOM is dropped), or UTF-16 with a BOM.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let body = &bytes[2..];
        if body.len() % 2 != 0 {
            return Err("UTF-16 text with an odd number of bytes".into());
        }
        let units = body.chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        return char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| {
                format!(
                    "invalid UTF-16 (unpaired surrogate {:#06x})",
                    e.unpaired_surrogate()
                )
            });
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}

/// Reads a text file within the size limit.
fn read_text(file: &TextFile, size_hint: u64, max_bytes: u64) -> Result<String, String> {
    let path = file.path();
    let open = file.open().map_err(|e| describe_io(&e, path))?;
    read_open(open, path, size_hint, max_bytes, None)
}

/// [`read_text`] of a file already open. With `probe`, the first read asks
/// only for what the page cache holds; when that is not the whole file,
/// `probe` counts a miss (see [`ReadAhead`]) and the file is read as usual.
fn read_open(
    mut file: std::fs::File,
    path: &Path,
    size_hint: u64,
    max_bytes: u64,
    probe: Option<&AtomicUsize>,
) -> Result<String, String> {
    // Sized from the file's listed length plus one byte, the read takes one
    // call: a regular file that gives fewer bytes than asked for is at its
    // end, so no second call is needed to see it. A file that grew since it
    // was listed fills the buffer and is read on, whole, up to the limit.
    let hint = size_hint.min(max_bytes) as usize;
    // Read into capacity never written before: zeroing it first would
    // write every byte of the input once more, in fresh pages.
    let mut bytes = Vec::with_capacity(hint + 1);
    // A read that fills the buffer may not have reached the end.
    let room = bytes.capacity();
    let cached = probe.and_then(|misses| {
        let n = read_cached(&file, &mut bytes).filter(|&n| n >= hint);
        if n.is_none() {
            misses.fetch_add(1, Ordering::Relaxed);
            bytes.clear();
        }
        n
    });
    let first = match cached {
        // The cached read does not move the file's position.
        Some(n) if n == room => {
            file.seek(std::io::SeekFrom::Start(n as u64))
                .map_err(|e| describe_io(&e, path))?;
            n
        }
        Some(n) => n,
        None => loop {
            match read_spare(&mut file, &mut bytes) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other.map_err(|e| describe_io(&e, path))?,
            }
        },
    };
    if first == room {
        // Read one byte past the limit to know whether it was crossed,
        // without ever holding more than that in memory.
        file.take((max_bytes + 1).saturating_sub(first as u64))
            .read_to_end(&mut bytes)
            .map_err(|e| describe_io(&e, path))?;
    }
    if bytes.len() as u64 > max_bytes {
        return Err(too_large(path, &bytes, max_bytes));
    }
    decode(bytes)
}

/// Reads the start of `file` into the spare capacity of the empty `buf`
/// from the page cache only (`RWF_NOWAIT`): the number of bytes it held
/// (now `buf`'s length), or `None` when none were cached or the kernel
/// cannot say.
#[cfg(target_os = "linux")]
fn read_cached(file: &std::fs::File, buf: &mut Vec<u8>) -> Option<usize> {
    use std::os::fd::AsRawFd;
    debug_assert!(buf.is_empty());
    let spare = buf.spare_capacity_mut();
    let iov = libc::iovec {
        iov_base: spare.as_mut_ptr().cast(),
        iov_len: spare.len(),
    };
    // SAFETY: `iov` describes `buf`'s spare capacity, valid for writes of
    // its length for the duration of the call; the descriptor is borrowed
    // from `file`, open throughout.
    let n = unsafe { libc::preadv2(file.as_raw_fd(), &iov, 1, 0, libc::RWF_NOWAIT) };
    let n = usize::try_from(n).ok()?;
    // SAFETY: the kernel wrote the first `n` bytes of the spare capacity.
    unsafe { buf.set_len(n) };
    Some(n)
}

#[cfg(not(target_os = "linux"))]
fn read_cached(_: &std::fs::File, _: &mut Vec<u8>) -> Option<usize> {
    None
}

/// One `read` from `file`'s position into the spare capacity of `buf`,
/// which grows by what was read: the number of bytes, 0 at the end.
#[cfg(unix)]
fn read_spare(file: &mut std::fs::File, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    use std::os::fd::AsRawFd;
    let spare = buf.spare_capacity_mut();
    // SAFETY: `spare` is valid for writes of its length for the duration of
    // the call; the descriptor is borrowed from `file`, open throughout.
    let n = unsafe { libc::read(file.as_raw_fd(), spare.as_mut_ptr().cast(), spare.len()) };
    let n = usize::try_from(n).map_err(|_| std::io::Error::last_os_error())?;
    // SAFETY: the kernel wrote the first `n` bytes of the spare capacity.
    unsafe { buf.set_len(buf.len() + n) };
    Ok(n)
}

#[cfg(not(unix))]
fn read_spare(file: &mut std::fs::File, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let len = buf.len();
    buf.resize(buf.capacity(), 0);
    let n = file.read(&mut buf[len..]);
    buf.truncate(len + *n.as_ref().unwrap_or(&0));
    n
}

/// Bytes a file of unknown size is first read into ([`read_whole`]): a news
/// article fits, and a longer file is read on into a buffer of its own.
const SCRATCH_BYTES: usize = 64 << 10;

/// A short read from the page cache alone ends at a page boundary unless it
/// reached the end of the file (pages are at least this large).
const PAGE_BYTES: usize = 4096;

/// Reads a file of unknown size whole, from its start, through `scratch`,
/// and copies the text out at its exact size: no `stat`, one read for a
/// file that fits. Returns the text and whether the page cache lacked some
/// of the file. With `probe`, the first read asks only for what the cache
/// holds ([`read_cached`]): when it stops short of a page boundary it
/// reached the end; when it stops at one (or failed), a blocking read goes
/// on from there, and any bytes it finds were a miss.
fn read_whole(
    mut file: std::fs::File,
    path: &Path,
    max_bytes: u64,
    scratch: &mut Vec<u8>,
    probe: bool,
) -> (Result<String, String>, bool) {
    // One byte past the limit, to know whether it was crossed.
    let want = usize::try_from(max_bytes.saturating_add(1))
        .unwrap_or(usize::MAX)
        .min(SCRATCH_BYTES);
    if scratch.capacity() != want {
        *scratch = Vec::with_capacity(want);
    }
    scratch.clear();
    let mut miss = false;
    if probe {
        match read_cached(&file, scratch) {
            Some(n) if n < want && n % PAGE_BYTES != 0 => {
                return (decode(scratch.to_vec()), false);
            }
            Some(_) => {}
            None => miss = true,
        }
    }
    let cached = scratch.len();
    let result = (|| {
        // The cached read does not move the file's position.
        if cached > 0 {
            file.seek(std::io::SeekFrom::Start(cached as u64))?;
        }
        if cached < want {
            // A regular file that gives fewer bytes than asked for is at
            // its end.
            let n = loop {
                match read_spare(&mut file, scratch) {
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            miss |= probe && n > 0;
            if scratch.len() < want {
                return Ok(scratch.to_vec());
            }
        }
        // Longer than the scratch: read on, to one byte past the limit.
        let mut bytes = Vec::with_capacity(2 * want);
        bytes.extend_from_slice(scratch);
        file.take((max_bytes + 1).saturating_sub(want as u64))
            .read_to_end(&mut bytes)?;
        Ok(bytes)
    })();
    let text = match result {
        Err(e) => Err(describe_io(&e, path)),
        Ok(bytes) if bytes.len() as u64 > max_bytes => Err(too_large(path, &bytes, max_bytes)),
        Ok(bytes) => decode(bytes),
    };
    (text, miss)
}

/// The error for a file found longer than `max_bytes` (`bytes`: what was
/// read of it), giving its size on disk where it can.
fn too_large(path: &Path, bytes: &[u8], max_bytes: u64) -> String {
    let size = std::fs::metadata(path)
        .map(|m| m.len())
        .unwrap_or(bytes.len() as u64);
    format!("{size} bytes exceeds the limit of {max_bytes} bytes (raise it with --max-bytes)")
}

/// Reads the text files not measured ([`Inputs::estimate`]) one after
/// another, on the thread that plans the chunks: each is opened, read
/// whole ([`read_whole`]) and closed. As in [`ReadAhead`], reads ask the
/// page cache first, and after [`COLD_AFTER_MISSES`] files it did not hold
/// whole, the next [`READ_AHEAD`] files are opened and hinted ahead of
/// their turn.
#[derive(Default)]
struct InTurn {
    /// What a file is read into first.
    scratch: Vec<u8>,
    /// Files found outside the page cache so far.
    misses: usize,
    /// Files opened and hinted ahead, by their index in the inputs.
    ahead: std::collections::VecDeque<(usize, std::fs::File)>,
    /// One past the last index hinted.
    hinted: usize,
}

impl InTurn {
    /// Reads `file`, unit `k` of `units`.
    fn read(
        &mut self,
        units: &[Unit],
        k: usize,
        file: &TextFile,
        max_bytes: u64,
    ) -> Result<String, String> {
        let path = file.path();
        let cold = self.misses >= COLD_AFTER_MISSES;
        if cold && cfg!(target_os = "linux") {
            self.hint(units, k);
        }
        while self.ahead.front().is_some_and(|&(j, _)| j < k) {
            self.ahead.pop_front();
        }
        let open = match self.ahead.front() {
            Some(&(j, _)) if j == k => self.ahead.pop_front().map(|(_, f)| f),
            _ => None,
        };
        let open = match open {
            Some(f) => f,
            None => file.open().map_err(|e| describe_io(&e, path))?,
        };
        let (text, miss) = read_whole(open, path, max_bytes, &mut self.scratch, !cold);
        self.misses += usize::from(miss);
        text
    }

    /// Opens and hints the unmeasured files after unit `k` not hinted yet.
    fn hint(&mut self, units: &[Unit], k: usize) {
        let end = (k + 1 + READ_AHEAD).min(units.len());
        for (j, unit) in units
            .iter()
            .enumerate()
            .take(end)
            .skip((k + 1).max(self.hinted))
        {
            // A file that cannot be opened now is left to its reader,
            // which reports the error.
            if let Unit::Text {
                file, size: None, ..
            } = unit
            {
                if let Ok(f) = file.open() {
                    will_need(&f);
                    self.ahead.push_back((j, f));
                }
            }
        }
        self.hinted = self.hinted.max(end);
    }
}

/// Reads one line of at most `max` bytes (not counting its `\n`); longer
/// lines are skipped to their end and reported by their length. Returns the
/// line's length without its `\n`, or `None` at end of input.
fn read_line_bounded(
    reader: &mut impl BufRead,
    max: u64,
    line: &mut Vec<u8>,
) -> std::io::Result<Option<u64>> {
    line.clear();
    let mut total = 0u64;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(if total == 0 { None } else { Some(total) });
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let take = chunk.len();
        if (line.len() as u64) <= max {
            let room = (max + 1 - line.len() as u64).min(take as u64) as usize;
            line.extend_from_slice(&chunk[..room]);
        }
        total += take as u64;
        reader.consume(take);
        if done {
            return Ok(Some(total - 1));
        }
    }
}

/// Parses one JSONL line into an article.
/// The id and text fields of one JSONL object (the last of each, if a key
/// repeats). Other fields are checked for syntax and skipped without being
/// built, and the text is moved out of the parser, not copied: building a
/// map of every field and cloning the text out of it was 6% of a run over
/// JSONL. Errors read as a map's would ("expected a map"): they name no
/// Rust type.
fn json_fields(
    line: &str,
    id_field: &str,
    text_field: &str,
) -> Result<JsonFields, serde_json::Error> {
    use serde::de::DeserializeSeed;
    let mut de = serde_json::Deserializer::from_str(line);
    let fields = FieldsSeed {
        id: id_field,
        text: text_field,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(fields)
}

#[derive(Default)]
struct JsonFields {
    id: Option<serde_json::Value>,
    text: Option<serde_json::Value>,
}

/// The names of the wanted fields.
#[derive(Clone, Copy)]
struct FieldsSeed<'c> {
    id: &'c str,
    text: &'c str,
}

impl<'de> serde::de::DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = JsonFields;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<JsonFields, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FieldsSeed<'_> {
    type Value = JsonFields;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsonFields, A::Error> {
        let mut found = JsonFields::default();
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            match key {
                Key::Neither => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Key::Text => found.text = Some(map.next_value()?),
                Key::Id => found.id = Some(map.next_value()?),
                Key::Both => {
                    let v: serde_json::Value = map.next_value()?;
                    found.id = Some(v.clone());
                    found.text = Some(v);
                }
            }
        }
        Ok(found)
    }
}

/// Which of the wanted fields a key names.
enum Key {
    Id,
    Text,
    Both,
    Neither,
}

/// Compares a key with the wanted names without keeping it.
struct KeySeed<'c>(FieldsSeed<'c>);

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match (key == self.0.id, key == self.0.text) {
            (true, true) => Key::Both,
            (true, false) => Key::Id,
            (false, true) => Key::Text,
            (false, false) => Key::Neither,
        })
    }
}

fn parse_jsonl_line(raw: &[u8], file: &str, line_no: usize, config: &BatchConfig) -> Article {
    let fallback_id = format!("{file}:{line_no}");
    let fail = |id: String, e: String| Article {
        id,
        path: Some(file.to_string()),
        line: Some(line_no),
        text: Err(format!("line {line_no}: {e}")),
    };
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t.trim_end_matches(['\n', '\r']),
        Err(e) => {
            return fail(
                fallback_id,
                format!(
                    "not valid UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
            )
        }
    };
    let fields = match json_fields(text, &config.id_field, &config.text_field) {
        Ok(v) => v,
        Err(e) => return fail(fallback_id, format!("not a JSON object: {e}")),
    };
    let id = match fields.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        None => fallback_id,
        Some(_) => {
            return fail(
                fallback_id,
                format!("field {:?} must be a string or a number", config.id_field),
            )
        }
    };
    match fields.text {
        Some(serde_json::Value::String(s)) => Article {
            id,
            path: Some(file.to_string()),
            line: Some(line_no),
            text: Ok(s),
        },
        Some(_) => fail(
            id,
            format!("field {:?} must be a string", config.text_field),
        ),
        None => fail(id, format!("missing field {:?}", config.text_field)),
    }
}

/// Reads every article of the inputs, in order, in chunks, calling `each`
/// with each chunk. Reading stops early when `each` returns an error.
pub fn for_each_chunk<E>(
    inputs: &Inputs,
    config: &BatchConfig,
    mut each: impl FnMut(Vec<Article>) -> Result<(), E>,
) -> Result<(), E> {
    for_each_chunk_after(inputs, config, 0, &mut each)
}

/// [`for_each_chunk`] without the first `skip` articles, which are passed
/// over unread (the second pass of [`corpus_pass`] after a kept prefix).
pub fn for_each_chunk_after<E>(
    inputs: &Inputs,
    config: &BatchConfig,
    skip: usize,
    mut each: impl FnMut(Vec<Article>) -> Result<(), E>,
) -> Result<(), E> {
    for_each_unread_chunk(inputs, config, skip, |mut chunk, unread| {
        // The chunk's text files are read together, in parallel.
        let texts: Vec<Result<String, String>> = unread
            .par_iter()
            .map(|u| read_text(u.file, u.size, config.max_bytes))
            .collect();
        for (u, text) in unread.iter().zip(texts) {
            chunk[u.index].text = text;
        }
        each(chunk)
    })
}

/// A text file of a chunk not read yet.
struct Unread<'i> {
    /// Its article's index in the chunk.
    index: usize,
    file: &'i TextFile,
    /// Its size when listed.
    size: u64,
}

/// Like [`for_each_chunk`], but the chunk's text files are left for `each`
/// to read (their articles hold an empty error until then), so that
/// reading can overlap with other work.
fn for_each_unread_chunk<'i, E>(
    inputs: &'i Inputs,
    config: &BatchConfig,
    skip: usize,
    mut each: impl FnMut(Vec<Article>, Vec<Unread<'i>>) -> Result<(), E>,
) -> Result<(), E> {
    // Articles passed over so far, of the first `skip`.
    let mut skipped = 0;
    let mut skipping = || {
        let s = skipped < skip;
        skipped += usize::from(s);
        s
    };
    let mut chunk: Vec<Article> = Vec::new();
    let mut bytes = 0usize;
    let mut pending: Vec<Unread<'i>> = Vec::new();
    // A chunk of files holds at most one article a file: room for them all
    // at once saves the copies and fresh pages of growing the list.
    let room = inputs.units.len().min(CHUNK_ARTICLES);
    let mut push = |a: Article,
                    size: usize,
                    chunk: &mut Vec<Article>,
                    pending: &mut Vec<Unread<'i>>,
                    bytes: &mut usize|
     -> Result<(), E> {
        *bytes += size;
        if chunk.is_empty() {
            chunk.reserve(room);
        }
        chunk.push(a);
        if *bytes >= CHUNK_BYTES || chunk.len() >= CHUNK_ARTICLES {
            *bytes = 0;
            each(std::mem::take(chunk), std::mem::take(pending))?;
        }
        Ok(())
    };
    let mut in_turn = InTurn::default();
    for (k, unit) in inputs.units.iter().enumerate() {
        match unit {
            Unit::Broken { .. } | Unit::Text { .. } if skipping() => {}
            Unit::Broken { path, id, error } => {
                let a = Article {
                    id: id.clone(),
                    path: Some(path.display().to_string()),
                    line: None,
                    text: Err(error.clone()),
                };
                {
                    let size = a.len();
                    push(a, size, &mut chunk, &mut pending, &mut bytes)?;
                }
            }
            Unit::Text { file, id, size } => {
                let mut a = Article {
                    id: id.clone(),
                    // What `display` writes, without the formatter.
                    path: Some(file.path.to_string_lossy().into_owned()),
                    line: None,
                    text: Err(String::new()),
                };
                let size = match *size {
                    // The size on disk bounds the chunk before the file is
                    // read.
                    Some(size) => {
                        pending.push(Unread {
                            index: chunk.len(),
                            file,
                            size,
                        });
                        size.min(config.max_bytes) as usize
                    }
                    // Not measured: read now, and bounded by what it held.
                    None => {
                        a.text = in_turn.read(&inputs.units, k, file, config.max_bytes);
                        a.len()
                    }
                };
                push(a, size, &mut chunk, &mut pending, &mut bytes)?;
            }
            Unit::Jsonl { path, name } => {
                let name = name.clone();
                let file = match std::fs::File::open(path) {
                    Ok(f) => f,
                    Err(_) if skipping() => continue,
                    Err(e) => {
                        let a = Article {
                            id: name.clone(),
                            path: Some(name.clone()),
                            line: None,
                            text: Err(describe_io(&e, path)),
                        };
                        {
                            let size = a.len();
                            push(a, size, &mut chunk, &mut pending, &mut bytes)?;
                        }
                        continue;
                    }
                };
                let mut reader = BufReader::with_capacity(1 << 16, file);
                let mut raw = Vec::new();
                let mut line_no = 0;
                loop {
                    line_no += 1;
                    let len = match read_line_bounded(&mut reader, config.max_bytes, &mut raw) {
                        Ok(Some(len)) => len,
                        Ok(None) => break,
                        Err(_) if skipping() => break,
                        Err(e) => {
                            let a = Article {
                                id: format!("{name}:{line_no}"),
                                path: Some(name.clone()),
                                line: Some(line_no),
                                text: Err(format!("line {line_no}: read error: {e}")),
                            };
                            {
                                let size = a.len();
                                push(a, size, &mut chunk, &mut pending, &mut bytes)?;
                            }
                            break;
                        }
                    };
                    // A UTF-8 BOM opens the file, not the first article.
                    let line: &[u8] = match raw.strip_prefix(b"\xEF\xBB\xBF") {
                        Some(rest) if line_no == 1 => rest,
                        _ => &raw,
                    };
                    if line.iter().all(u8::is_ascii_whitespace) || skipping() {
                        continue;
                    }
                    let a = if len > config.max_bytes {
                        Article {
                            id: format!("{name}:{line_no}"),
                            path: Some(name.clone()),
                            line: Some(line_no),
                            text: Err(format!(
                                "line {line_no}: {len} bytes exceeds the limit of {} bytes (raise it with --max-bytes)",
                                config.max_bytes
                            )),
                        }
                    } else {
                        parse_jsonl_line(line, &name, line_no, config)
                    };
                    {
                        let size = a.len();
                        push(a, size, &mut chunk, &mut pending, &mut bytes)?;
                    }
                }
            }
        }
    }
    if !chunk.is_empty() {
        each(chunk, pending)?;
    }
    Ok(())
}

/// Document frequencies over every readable article of the inputs (the
/// first pass of corpus IDF), computed in parallel chunk by chunk.
pub fn corpus_doc_freqs(engine: &Engine, inputs: &Inputs, config: &BatchConfig) -> DocFreqs {
    corpus_pass(engine, inputs, config, 0, Spill::Off).df
}

/// The first pass of corpus IDF.
pub struct CorpusPass {
    /// Document frequencies over every readable article.
    pub df: DocFreqs,
    /// The first articles, prepared and kept, in chunks, for
    /// [`finish_chunk`].
    pub kept: Vec<Vec<PreparedArticle>>,
    /// How many articles `kept` holds.
    pub kept_articles: usize,
    /// The articles after the kept ones, prepared and written to a
    /// temporary file, for the second pass to read back in order.
    pub spilled: Option<SpillReader>,
    /// How many articles `spilled` holds.
    pub spilled_articles: usize,
    /// The size of its temporary file.
    pub spilled_bytes: u64,
    /// Why spilling failed, if it did: the temporary file could not be
    /// made (nothing is spilled), or a write failed (what was spilled
    /// before it is kept). Either way the second pass reads again
    /// everything after the kept and spilled articles.
    pub spill_error: Option<std::io::Error>,
    /// How many articles the inputs hold.
    pub articles: usize,
    /// Time spent merging document frequencies after the articles were
    /// prepared (counting while reading again, past the spill, is not
    /// separated from preparing).
    pub counting: std::time::Duration,
}

impl CorpusPass {
    /// Whether every article was kept or spilled (no input needs reading
    /// again).
    pub fn complete(&self) -> bool {
        self.prepared_articles() == self.articles
    }

    /// The articles prepared in this pass, kept then spilled: the second
    /// pass reads and analyses the inputs after these.
    pub fn prepared_articles(&self) -> usize {
        self.kept_articles + self.spilled_articles
    }
}

/// Counts document frequencies over the inputs, preparing and keeping the
/// first articles up to `keep_bytes` of text (by listed sizes) so the
/// second pass need not read and tokenize them again. With
/// [`Spill::UpTo`], the rest are prepared too and written to a temporary
/// file ([`crate::spill`]) within its limit; what is not (all of it with
/// [`Spill::Off`], or from where the limit or a write error stopped the
/// spill) is only counted, and the second pass analyses it after skipping
/// the prepared articles ([`for_each_chunk_after`] with
/// [`CorpusPass::prepared_articles`]).
/// With `keep_bytes` at least the input's size everything is kept, and at
/// 0 nothing is.
pub fn corpus_pass(
    engine: &Engine,
    inputs: &Inputs,
    config: &BatchConfig,
    keep_bytes: u64,
    spill: Spill,
) -> CorpusPass {
    let mut pass = CorpusPass {
        df: DocFreqs::new(),
        kept: Vec::new(),
        kept_articles: 0,
        spilled: None,
        spilled_articles: 0,
        spilled_bytes: 0,
        spill_error: None,
        articles: 0,
        counting: std::time::Duration::ZERO,
    };
    let (mut spilling, max_spill) = match spill {
        Spill::Off => (false, 0),
        Spill::UpTo(max) => (true, max),
    };
    // Pieces of at most an eighth of the limit (their encodings are about
    // twice their text), so that a small limit still takes some.
    let piece_bytes = (max_spill / 8).clamp(1, SPILL_CHUNK_BYTES);
    let mut writer: Option<SpillWriter> = None;
    let mut budget = keep_bytes;
    let mut keeping = true;
    let _ = for_each_unread_chunk::<()>(inputs, config, 0, |mut chunk, mut unread| {
        pass.articles += chunk.len();
        // The kept articles are a prefix of the input: the first that does
        // not fit ends the keeping.
        let mut sizes: Vec<u64> = chunk.iter().map(|a| a.len() as u64).collect();
        for u in &unread {
            sizes[u.index] = u.size.min(config.max_bytes);
        }
        let mut keep = 0;
        while keeping && keep < chunk.len() {
            if sizes[keep] > budget {
                keeping = false;
                break;
            }
            budget -= sizes[keep];
            keep += 1;
        }
        let mut rest = chunk.split_off(keep);
        let unread_rest = unread.split_off(unread.partition_point(|u| u.index < keep));
        if !chunk.is_empty() {
            // Each file is read by the worker that prepares it, so reading
            // overlaps with the other workers' preparing.
            let prepared = prepare_and_read(engine, chunk, unread, config, None);
            let counting = std::time::Instant::now();
            count_terms(&mut pass.df, &prepared);
            pass.counting += counting.elapsed();
            pass.kept_articles += prepared.len();
            pass.kept.push(prepared);
        }
        let mut unread_rest: Vec<Unread<'_>> = unread_rest
            .into_iter()
            .map(|u| Unread {
                index: u.index - keep,
                ..u
            })
            .collect();
        if !rest.is_empty() && spilling && writer.is_none() {
            match SpillWriter::new(max_spill) {
                Ok(w) => writer = Some(w),
                Err(e) => {
                    spilling = false;
                    pass.spill_error = Some(e);
                }
            }
        }
        if !spilling {
            if !rest.is_empty() {
                count_unread(engine, &mut pass.df, rest, unread_rest, config);
            }
            return Ok(());
        }
        // Spilled in pieces of about `piece_bytes`, so that memory holds
        // one piece's preparations and encoding at a time.
        let mut sizes = &sizes[keep..];
        while !rest.is_empty() {
            let mut n = 0;
            let mut bytes = 0;
            while n < rest.len() && (n == 0 || bytes < piece_bytes) {
                bytes += sizes[n];
                n += 1;
            }
            let tail = rest.split_off(n);
            let piece = std::mem::replace(&mut rest, tail);
            let unread_tail = unread_rest.split_off(unread_rest.partition_point(|u| u.index < n));
            let unread_piece = std::mem::replace(&mut unread_rest, unread_tail);
            for u in &mut unread_rest {
                u.index -= n;
            }
            sizes = &sizes[n..];
            let Some(w) = writer.as_mut().filter(|_| spilling) else {
                // The spill ended on an earlier piece.
                count_unread(engine, &mut pass.df, piece, unread_piece, config);
                continue;
            };
            let prepared = prepare_and_read(engine, piece, unread_piece, config, None);
            let counting = std::time::Instant::now();
            count_terms(&mut pass.df, &prepared);
            pass.counting += counting.elapsed();
            // A piece not taken (the file would pass its limit, or writing
            // failed) is counted but not kept: the second pass reads it,
            // and everything after it, again.
            spilling = w.write_chunk(prepared);
        }
        Ok(())
    });
    if let Some(w) = writer {
        let spilled = w.finish();
        pass.spilled = spilled.reader;
        pass.spilled_articles = spilled.articles;
        pass.spilled_bytes = spilled.bytes;
        pass.spill_error = spilled.error;
    }
    pass
}

/// Counts the terms of articles without keeping anything, reading the
/// `unread` files on the workers.
fn count_unread(
    engine: &Engine,
    df: &mut DocFreqs,
    articles: Vec<Article>,
    unread: Vec<Unread<'_>>,
    config: &BatchConfig,
) {
    let mut files: Vec<Option<(&TextFile, u64)>> = vec![None; articles.len()];
    for u in unread {
        files[u.index] = Some((u.file, u.size));
    }
    // Counted on every core and merged, as in `count_terms`.
    let counted = articles
        .into_par_iter()
        .zip(files)
        .map_init(
            || engine.workspace(),
            |ws, (mut a, file)| {
                if let Some((file, size)) = file {
                    a.text = read_text(file, size, config.max_bytes);
                }
                a.text.as_ref().ok().map(|t| engine.distinct_terms(t, ws))
            },
        )
        .fold(DocFreqs::new, |mut part, terms| {
            if let Some(terms) = terms {
                part.add_document(&terms);
            }
            part
        })
        .reduce(DocFreqs::new, merge_larger);
    df.absorb(counted);
}

/// Input spilled by [`corpus_pass`] is prepared and written this many
/// bytes of text at a time (less under a small [`Spill::UpTo`] limit).
const SPILL_CHUNK_BYTES: u64 = 1 << 20;

/// Whether [`corpus_pass`] writes the preparations of articles beyond the
/// kept ones to a temporary file ([`crate::spill`]) for the second pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spill {
    /// No: the second pass reads and prepares them again.
    Off,
    /// Yes, while the file stays within this many bytes: from the first
    /// piece that would pass it on, articles are read again, as with
    /// [`Spill::Off`].
    UpTo(u64),
}

/// With corpus IDF, `precis score` prepares and keeps this many bytes of
/// input (by listed sizes) between the IDF pass and the summaries, so they
/// are read and tokenized once; anything beyond is spilled to a temporary
/// file (or, without spilling, read and tokenized twice), so that memory
/// stays flat however large the input.
pub const RETAIN_BYTES: u64 = 8 << 20;

/// An article with its preparation (absent when it could not be read).
#[derive(Debug, PartialEq)]
pub struct PreparedArticle {
    /// The article as read.
    pub article: Article,
    /// Splitting, tokens and tone, done once.
    pub prepared: Option<Prepared>,
}

/// The first pass of corpus IDF that keeps all its work: every article is
/// prepared ([`Engine::prepare`]) in parallel, document frequencies are
/// counted from the preparations, and the prepared chunks are returned for
/// [`finish_chunk`]: [`corpus_pass`] keeping everything.
pub fn prepare_corpus(
    engine: &Engine,
    inputs: &Inputs,
    config: &BatchConfig,
) -> (DocFreqs, Vec<Vec<PreparedArticle>>) {
    let pass = corpus_pass(engine, inputs, config, u64::MAX, Spill::Off);
    (pass.df, pass.kept)
}

/// Prepares articles in parallel (see [`Engine::prepare`]), adding stage
/// times to `times` when given.
pub fn prepare_articles(
    engine: &Engine,
    articles: Vec<Article>,
    times: Option<&std::sync::Mutex<StageTimes>>,
) -> Vec<PreparedArticle> {
    prepare_and_read(engine, articles, Vec::new(), &BatchConfig::default(), times)
}

/// [`prepare_articles`], reading the `unread` files first, each on the
/// worker that prepares it.
fn prepare_and_read(
    engine: &Engine,
    articles: Vec<Article>,
    unread: Vec<Unread<'_>>,
    config: &BatchConfig,
    times: Option<&std::sync::Mutex<StageTimes>>,
) -> Vec<PreparedArticle> {
    let mut files: Vec<Option<(&TextFile, u64)>> = vec![None; articles.len()];
    for u in unread {
        files[u.index] = Some((u.file, u.size));
    }
    let ahead = ReadAhead::new(&files);
    articles
        .into_par_iter()
        .enumerate()
        .with_max_len(job_articles())
        .map_init(
            || (timed_workspace(engine, times), 0),
            |(g, hinted), (i, mut article)| {
                if let Some((file, size)) = files[i] {
                    article.text = ahead.read(i, file, size, config.max_bytes, hinted);
                }
                let prepared = article
                    .text
                    .as_ref()
                    .ok()
                    .map(|t| engine.prepare(t, &mut g.ws));
                PreparedArticle { article, prepared }
            },
        )
        .collect()
}

/// Articles a rayon job takes at most. rayon splits a list into a few
/// large jobs unless a job is stolen while it is still splittable: on two
/// threads the first pass over BBC came out as two jobs of 1,112 and 1,113
/// articles, and one core waited 3 to 6 ms for the other at the end. Small
/// jobs let whichever core is free take the rest; a workspace per job is
/// cheap, as it takes over the buffers of the thread's previous one.
const JOB_ARTICLES: usize = 8;

/// [`JOB_ARTICLES`] when there is more than one thread to balance (one
/// thread gains nothing from small jobs, and each job's start costs).
fn job_articles() -> usize {
    if rayon::current_num_threads() > 1 {
        JOB_ARTICLES
    } else {
        usize::MAX
    }
}

/// How many files ahead of the one it reads a worker asks the kernel for.
const READ_AHEAD: usize = 32;

/// Files opened ahead of their turn, with the kernel asked to start reading
/// them (`POSIX_FADV_WILLNEED`): a folder whose files have left the page
/// cache is then read while earlier articles are analysed, instead of one
/// synchronous disk read per file. Each worker hints the next
/// [`READ_AHEAD`] files after the one it takes; the file stays open for
/// whoever reads it, so hinting costs one system call, not another open.
///
/// A folder in the page cache needs none of this, and the hints would cost
/// two system calls a file: until reads find [`COLD_AFTER_MISSES`] files not
/// wholly cached (see [`read_open`]), nothing is hinted.
struct ReadAhead<'p> {
    files: &'p [Option<(&'p TextFile, u64)>],
    slots: Vec<std::sync::Mutex<Ahead>>,
    /// Files found outside the page cache so far.
    misses: AtomicUsize,
}

/// Misses after which a folder counts as cold and is read ahead. More than
/// one: a cached read can fail now and then for reasons of the kernel's own
/// (a page being written back, a read-ahead mark), and one such file used
/// to turn hints on for the rest of a warm run, two system calls a file
/// (2,130 `fadvise64` calls on BBC). A cold folder misses on every file, so
/// it pays blocking reads for only this many.
const COLD_AFTER_MISSES: usize = 4;

enum Ahead {
    /// Not opened yet.
    Pending,
    /// Opened and hinted; not read yet.
    Open(std::fs::File),
    /// Read, or being read, by its worker.
    Taken,
}

impl<'p> ReadAhead<'p> {
    fn new(files: &'p [Option<(&'p TextFile, u64)>]) -> ReadAhead<'p> {
        let slots = if cfg!(target_os = "linux") {
            files
                .iter()
                .map(|_| std::sync::Mutex::new(Ahead::Pending))
                .collect()
        } else {
            Vec::new()
        };
        ReadAhead {
            files,
            slots,
            misses: AtomicUsize::new(0),
        }
    }

    /// Whether enough files were missed to read the rest ahead.
    fn is_cold(&self) -> bool {
        self.misses.load(Ordering::Relaxed) >= COLD_AFTER_MISSES
    }

    /// Reads file `i` (`path`, listed at `size` bytes), first hinting the
    /// files after it if the folder is cold; `hinted` is this worker's
    /// [`hint`](Self::hint) mark.
    fn read(
        &self,
        i: usize,
        file: &TextFile,
        size: u64,
        max_bytes: u64,
        hinted: &mut usize,
    ) -> Result<String, String> {
        let path = file.path();
        let cold = self.is_cold() || self.slots.is_empty();
        if cold {
            self.hint(i, hinted);
        }
        let probe = (!cold).then_some(&self.misses);
        match self.take(i) {
            Some(open) => read_open(open, path, size, max_bytes, probe),
            None => {
                let open = file.open().map_err(|e| describe_io(&e, path))?;
                read_open(open, path, size, max_bytes, probe)
            }
        }
    }

    /// Hints the files after `i` that this worker has not hinted yet
    /// (`hinted`: one past the last it did).
    fn hint(&self, i: usize, hinted: &mut usize) {
        let end = (i + 1 + READ_AHEAD).min(self.slots.len());
        for j in (i + 1).max(*hinted)..end {
            let Some((text_file, _)) = self.files[j] else {
                continue;
            };
            let Ok(mut slot) = self.slots[j].lock() else {
                continue;
            };
            if matches!(*slot, Ahead::Pending) {
                // A file that cannot be opened now is left to its reader,
                // which reports the error.
                if let Ok(file) = text_file.open() {
                    will_need(&file);
                    *slot = Ahead::Open(file);
                }
            }
        }
        *hinted = (*hinted).max(end);
    }

    /// File `i`, if it was opened ahead; from now on it is not hinted.
    fn take(&self, i: usize) -> Option<std::fs::File> {
        let mut slot = self.slots.get(i)?.lock().ok()?;
        match std::mem::replace(&mut *slot, Ahead::Taken) {
            Ahead::Open(file) => Some(file),
            _ => None,
        }
    }
}

/// Asks the kernel to start reading `file` into the page cache.
#[cfg(target_os = "linux")]
fn will_need(file: &std::fs::File) {
    use std::os::fd::AsRawFd;
    // SAFETY: the descriptor is open for the duration of the call (borrowed
    // from `file`), and the call only reads its arguments. Failure is
    // harmless: the file is then read when its turn comes, as without it.
    unsafe {
        libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
    }
}

#[cfg(not(target_os = "linux"))]
fn will_need(_: &std::fs::File) {}

/// Adds the distinct terms of every prepared article to `df`.
pub fn count_terms(df: &mut DocFreqs, prepared: &[PreparedArticle]) {
    // Counted on every core and merged: counts are sums, so the result is
    // the same in any order. One run of articles per thread: each merge
    // costs a hash lookup per term of the smaller count, so more runs than
    // threads would only add merges (one thread merges nothing).
    let per_thread = prepared.len().div_ceil(rayon::current_num_threads()).max(1);
    let counted = prepared
        .par_chunks(per_thread)
        .map(|articles| {
            // Sized for the terms it may see (the sum of the articles'
            // vocabularies, at most what a large corpus has), so that it
            // does not grow its way there.
            let at_most: usize = articles
                .iter()
                .filter_map(|a| a.prepared.as_ref())
                .map(|p| p.vocabulary.len())
                .sum();
            let mut part = DocFreqs::with_capacity(at_most.min(PRESIZED_TERMS));
            for p in articles.iter().filter_map(|a| a.prepared.as_ref()) {
                part.add_document(&p.vocabulary);
            }
            part
        })
        .reduce(DocFreqs::new, merge_larger);
    df.absorb(counted);
}

/// The most distinct terms a count of document frequencies is sized for
/// before it starts (BBC's 2,225 articles have about 30,000 stems): 64k
/// slots, 1 MiB.
const PRESIZED_TERMS: usize = 48_000;

/// Merges the smaller of two counts into the larger (counts are sums, so
/// the result is the same either way).
fn merge_larger(a: DocFreqs, b: DocFreqs) -> DocFreqs {
    let (mut big, small) = if a.terms() >= b.terms() {
        (a, b)
    } else {
        (b, a)
    };
    big.merge(&small);
    big
}

fn timed_workspace<'e, 't>(
    engine: &'e Engine,
    times: Option<&'t std::sync::Mutex<StageTimes>>,
) -> Guard<'e, 't> {
    let mut ws = engine.workspace();
    ws.timing = times.is_some();
    Guard { ws, times }
}

/// Bytes of input text a window of [`finish_windows`] holds at most (or one
/// article, when it is longer), with more than one thread: the window is
/// shared among the workers, and each window's last article leaves the
/// other cores idle while it finishes (64 KiB windows took 1.07 times as
/// long on two threads).
pub const WINDOW_BYTES: usize = 512 << 10;

/// [`WINDOW_BYTES`] with one thread. Nothing is shared, so a window only
/// has to be long enough for a `write` to be worth its call. A small one
/// keeps the window's records and JSONL text (about 140 KB) in the core's
/// second-level cache until they are written, and the JSONL buffers small:
/// on BBC 1,895 page faults instead of 2,288, and 0.973 of the wall time
/// (paired, 30 rounds of `scripts/ab.py`).
pub const ONE_THREAD_WINDOW_BYTES: usize = 64 << 10;

/// The window for a pool of `threads` threads.
pub fn window_bytes(threads: usize) -> usize {
    if threads > 1 {
        WINDOW_BYTES
    } else {
        ONE_THREAD_WINDOW_BYTES
    }
}

/// Splits prepared articles into consecutive windows of about
/// `window_bytes` of text (see [`window_bytes`]), in order. Summarizing and
/// writing a window at a time bounds the records and lines held at once,
/// and the memory a window frees is reused by the next instead of new pages
/// being faulted in.
pub fn finish_windows(
    chunk: Vec<PreparedArticle>,
    window_bytes: usize,
) -> impl Iterator<Item = Vec<PreparedArticle>> {
    // Each window's length is known before it is filled, so it is
    // allocated once at its size instead of doubling its way there (a
    // prepared article is a few hundred bytes: the doublings' copies and
    // fresh pages cost about 100 page faults on BBC).
    let mut lengths = Vec::new();
    let mut n = 0;
    let mut bytes = 0;
    for p in &chunk {
        if n > 0 && bytes >= window_bytes {
            lengths.push(n);
            (n, bytes) = (0, 0);
        }
        n += 1;
        bytes += p.article.len();
    }
    if n > 0 {
        lengths.push(n);
    }
    let mut rest = chunk.into_iter();
    lengths
        .into_iter()
        .map(move |n| rest.by_ref().take(n).collect())
}

/// Splits a chunk of articles into consecutive windows of about
/// `window_bytes` of text, as [`finish_windows`] does for prepared ones.
pub fn article_windows(chunk: &[Article], window_bytes: usize) -> impl Iterator<Item = &[Article]> {
    let mut rest = chunk;
    std::iter::from_fn(move || {
        let mut bytes = 0;
        let mut n = 0;
        while n < rest.len() && (n == 0 || bytes < window_bytes) {
            bytes += rest[n].len();
            n += 1;
        }
        let (window, tail) = rest.split_at(n);
        rest = tail;
        (!window.is_empty()).then_some(window)
    })
}

/// Summarizes prepared articles in parallel; records in input order.
pub fn finish_chunk(
    engine: &Engine,
    chunk: Vec<PreparedArticle>,
    idf: &IdfSource<'_>,
    config: &BatchConfig,
    times: Option<&std::sync::Mutex<StageTimes>>,
) -> Vec<Record> {
    finish_chunk_fold(
        engine,
        chunk,
        idf,
        config,
        times,
        &|_| Vec::new(),
        &|v, r| v.push(r),
    )
    .into_iter()
    .flatten()
    .collect()
}

/// [`finish_chunk`], with the records of consecutive articles folded by
/// `fold` into accumulators made by `init` (JSONL text, say) on the worker
/// that made them; the accumulators come back in input order. `init` is
/// told how many bytes of text an accumulator will see, about (the chunk's
/// share per rayon job), so it can be allocated at its size once instead of
/// doubling its way there. A record is
/// rendered while it is hot in that core's cache and freed on the thread
/// that allocated it, and the caller gets a few large buffers instead of
/// one allocation per article (freeing those on the writing thread made
/// the allocator's per-thread arenas contend).
pub fn finish_chunk_fold<A: Send>(
    engine: &Engine,
    chunk: Vec<PreparedArticle>,
    idf: &IdfSource<'_>,
    config: &BatchConfig,
    times: Option<&std::sync::Mutex<StageTimes>>,
    init: &(dyn Fn(usize) -> A + Sync),
    fold: &(dyn Fn(&mut A, Record) + Sync),
) -> Vec<A> {
    let text: usize = chunk.iter().map(|p| p.article.len()).sum();
    let share = text / chunk.len().div_ceil(job_articles()).max(1);
    chunk
        .into_par_iter()
        .with_max_len(job_articles())
        .map_init(
            || timed_workspace(engine, times),
            |g,
             PreparedArticle {
                 article: a,
                 prepared,
             }| {
                let ws = &mut g.ws;
                let mut record = match &a.text {
                    Ok(text) => {
                        let p = match prepared {
                            Some(p) => p,
                            None => engine.prepare(text, ws),
                        };
                        let analysis = engine.finish(p, idf, ws, engine.summary_config());
                        Record::from_analysis(a.id, a.path, text, analysis, config.all_sentences)
                    }
                    Err(e) => Record::failed(a.id, a.path, e.clone()),
                };
                record.line = a.line;
                record
            },
        )
        .fold(
            || init(share),
            |mut acc, record| {
                fold(&mut acc, record);
                acc
            },
        )
        .collect()
}

/// Analyses one chunk in parallel; records come back in input order.
pub fn analyze_chunk(
    engine: &Engine,
    chunk: &[Article],
    idf: &IdfSource<'_>,
    config: &BatchConfig,
    times: Option<&std::sync::Mutex<StageTimes>>,
) -> Vec<Record> {
    // Longest first: a long article starts early instead of finishing last.
    let mut order: Vec<usize> = (0..chunk.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(chunk[i].len()));
    let mut out: Vec<(usize, Record)> = order
        .par_iter()
        .map_init(
            || {
                let mut ws = engine.workspace();
                ws.timing = times.is_some();
                Guard { ws, times }
            },
            |g, &i| {
                let a = &chunk[i];
                let mut record = match &a.text {
                    Ok(text) => {
                        let analysis = engine.analyze_with(text, idf, &mut g.ws);
                        Record::from_analysis(
                            a.id.clone(),
                            a.path.clone(),
                            text,
                            analysis,
                            config.all_sentences,
                        )
                    }
                    Err(e) => Record::failed(a.id.clone(), a.path.clone(), e.clone()),
                };
                record.line = a.line;
                (i, record)
            },
        )
        .collect();
    out.sort_unstable_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, r)| r).collect()
}

/// Adds a worker's stage times to the shared total when it is dropped.
struct Guard<'e, 't> {
    ws: crate::engine::Workspace<'e>,
    times: Option<&'t std::sync::Mutex<StageTimes>>,
}

impl Drop for Guard<'_, '_> {
    fn drop(&mut self) {
        if let Some(t) = self.times {
            if let Ok(mut t) = t.lock() {
                t.add(&self.ws.times);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files `00.txt`, `01.txt`... in `dir`, each holding "Article N.".
    fn numbered_files(dir: &Path, count: usize) -> Vec<PathBuf> {
        (0..count)
            .map(|n| {
                let p = dir.join(format!("{n:02}.txt"));
                std::fs::write(&p, format!("Article {n}.")).unwrap();
                p
            })
            .collect()
    }

    /// The text files of `dir` as a listing gives them: reached through
    /// the open folder where the platform allows.
    fn listed(dir: &Path) -> Vec<TextFile> {
        Inputs::collect(&[dir.to_path_buf()], &[".txt".to_string()])
            .units
            .into_iter()
            .map(|u| match u {
                Unit::Text { file, .. } => file,
                other => panic!("not a text file: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn listed_files_are_measured_and_opened_through_their_folder() {
        let dir = tempfile::tempdir().unwrap();
        let paths = numbered_files(dir.path(), 3);
        let files = listed(dir.path());
        assert_eq!(files.iter().map(TextFile::path).collect::<Vec<_>>(), paths);
        assert_eq!(
            files.iter().all(|f| f.at.is_some()),
            cfg!(target_os = "linux")
        );
        assert_eq!(files[1].len().unwrap(), 10);
        assert_eq!(read_text(&files[1], 10, 100).as_deref(), Ok("Article 1."));
        // A file gone after listing is reported by its path, as before.
        std::fs::remove_file(&paths[2]).unwrap();
        assert_eq!(
            read_text(&files[2], 10, 100),
            Err("no such file or folder".to_string())
        );
        assert!(files[2].len().is_err());
    }

    #[test]
    fn read_ahead_opens_each_file_once_for_its_reader() {
        let dir = tempfile::tempdir().unwrap();
        numbered_files(dir.path(), 40);
        let texts = listed(dir.path());
        let mut files: Vec<Option<(&TextFile, u64)>> =
            texts.iter().map(|f| Some((f, 11))).collect();
        // A slot without a file (an article already in memory) is skipped.
        files[3] = None;
        let ahead = ReadAhead::new(&files);
        let mut hinted = 0;
        ahead.hint(0, &mut hinted);
        assert_eq!(hinted, 1 + READ_AHEAD);
        let open = |i: usize| matches!(*ahead.slots[i].lock().unwrap(), Ahead::Open(_));
        let opened: Vec<usize> = (0..40).filter(|&i| open(i)).collect();
        let want: Vec<usize> = (1..=READ_AHEAD).filter(|&i| i != 3).collect();
        assert_eq!(opened, want);
        // Its reader takes the open file, once; a file never hinted is
        // left to its reader to open.
        let mut text = String::new();
        ahead.take(5).unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "Article 5.");
        assert!(ahead.take(5).is_none());
        assert!(ahead.take(0).is_none());
        assert!(ahead.take(39).is_none());
        // Taken files are not opened again by a later hint; the hint goes
        // on from where this worker stopped.
        ahead.hint(6, &mut hinted);
        assert!(!open(5) && open(38) && !open(39));
        assert_eq!(hinted, 7 + READ_AHEAD);
    }

    #[test]
    fn reads_through_the_cache_probe_whatever_the_listed_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Talks resumed.").unwrap();
        let open = || std::fs::File::open(&path).unwrap();
        // A file just written is in the page cache; a kernel or file system
        // that cannot say so makes every probe a miss, which is also safe.
        let probes = read_cached(&open(), &mut Vec::with_capacity(64)) == Some(14);
        for (listed, max, want, miss) in [
            (14, 100, Ok("Talks resumed."), false),
            // Grew since listing: the probe fills the buffer, the rest is
            // read from where it stopped.
            (5, 100, Ok("Talks resumed."), false),
            (0, 100, Ok("Talks resumed."), false),
            // Shrank since listing: fewer bytes than listed count as a miss
            // and the file is read again as usual.
            (40, 100, Ok("Talks resumed."), true),
            (5, 10, Err("14 bytes exceeds the limit of 10 bytes"), false),
        ] {
            let misses = AtomicUsize::new(0);
            let got = read_open(open(), &path, listed, max, Some(&misses));
            match want {
                Ok(text) => assert_eq!(got.as_deref(), Ok(text), "listed {listed}"),
                Err(start) => assert!(got.unwrap_err().starts_with(start), "listed {listed}"),
            }
            assert_eq!(
                misses.into_inner(),
                usize::from(miss || !probes),
                "listed {listed}"
            );
        }
    }

    #[test]
    fn a_cached_folder_is_not_hinted_and_repeated_misses_turn_hints_on() {
        let dir = tempfile::tempdir().unwrap();
        let paths = numbered_files(dir.path(), 10);
        let texts = listed(dir.path());
        let files: Vec<Option<(&TextFile, u64)>> = texts.iter().map(|f| Some((f, 10))).collect();
        let ahead = ReadAhead::new(&files);
        let open = |i: usize| matches!(*ahead.slots[i].lock().unwrap(), Ahead::Open(_));
        let misses = || ahead.misses.load(Ordering::Relaxed);
        // Files just written are in the page cache; where the kernel cannot
        // say so, every read is a miss and only the counts below differ.
        let probes = read_cached(
            &std::fs::File::open(&paths[0]).unwrap(),
            &mut Vec::with_capacity(16),
        )
        .is_some();
        let mut hinted = 0;
        assert_eq!(
            ahead.read(0, &texts[0], 10, 100, &mut hinted).unwrap(),
            "Article 0."
        );
        assert_eq!(misses(), usize::from(!probes));
        // A file shorter than listed is a miss too. Fewer misses than
        // COLD_AFTER_MISSES hint nothing.
        for (i, file) in texts.iter().enumerate().take(COLD_AFTER_MISSES).skip(1) {
            let text = ahead.read(i, file, 40, 100, &mut hinted).unwrap();
            assert_eq!(text, format!("Article {i}."));
        }
        if probes {
            assert_eq!(misses(), COLD_AFTER_MISSES - 1);
            assert!(!ahead.is_cold());
            assert!((COLD_AFTER_MISSES..10).all(|i| !open(i)));
        }
        let last = COLD_AFTER_MISSES;
        ahead
            .read(last, &texts[last], 40, 100, &mut hinted)
            .unwrap();
        assert!(ahead.is_cold());
        // From the next read on, the files after it are opened and hinted.
        assert!((last + 1..10).all(|i| !open(i)));
        ahead
            .read(last + 1, &texts[last + 1], 10, 100, &mut hinted)
            .unwrap();
        assert!((last + 2..10).all(open));
    }

    #[test]
    fn files_of_unknown_size_are_read_whole_at_every_boundary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let mut scratch = Vec::new();
        let s = SCRATCH_BYTES;
        for len in [0, 1, 4095, 4096, 4097, 8192, s - 1, s, s + 1, 3 * s + 5] {
            // Text that differs at every offset mod 26, so a byte read
            // twice or skipped shows.
            let text: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            std::fs::write(&path, &text).unwrap();
            let probes = read_cached(
                &std::fs::File::open(&path).unwrap(),
                &mut Vec::with_capacity(len + 1),
            ) == Some(len);
            for probe in [true, false] {
                let open = std::fs::File::open(&path).unwrap();
                let (got, miss) = read_whole(open, &path, 1 << 20, &mut scratch, probe);
                assert_eq!(got.as_deref(), Ok(text.as_str()), "{len} bytes");
                // Just written, so in the page cache: no miss, where the
                // kernel can say so.
                if probes || !probe {
                    assert!(!miss, "{len} bytes, probe {probe}");
                }
            }
            // At the limit, and one byte past it.
            if len > 0 {
                let open = std::fs::File::open(&path).unwrap();
                let (got, _) = read_whole(open, &path, len as u64, &mut scratch, true);
                assert_eq!(got.map(|t| t.len()), Ok(len));
                let open = std::fs::File::open(&path).unwrap();
                let (got, _) = read_whole(open, &path, len as u64 - 1, &mut scratch, true);
                assert_eq!(
                    got,
                    Err(format!(
                        "{len} bytes exceeds the limit of {} bytes (raise it with --max-bytes)",
                        len - 1
                    ))
                );
            }
        }
        // Decoded as a measured file is: a BOM dropped, bad UTF-8 named.
        std::fs::write(&path, b"\xEF\xBB\xBFTalks.").unwrap();
        let open = std::fs::File::open(&path).unwrap();
        assert_eq!(
            read_whole(open, &path, 100, &mut scratch, true)
                .0
                .as_deref(),
            Ok("Talks.")
        );
        std::fs::write(&path, b"Talks\xFF.").unwrap();
        let open = std::fs::File::open(&path).unwrap();
        assert_eq!(
            read_whole(open, &path, 100, &mut scratch, true).0,
            Err("not valid UTF-8 (invalid byte at offset 5)".to_string())
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_the_cache_holds_in_part_is_read_on_and_counted_a_miss() {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::FileExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        let text: String = (0..3 * PAGE_BYTES + 100)
            .map(|i| (b'a' + (i % 26) as u8) as char)
            .collect();
        std::fs::write(&path, &text).unwrap();
        let f = std::fs::File::open(&path).unwrap();
        f.sync_all().unwrap();
        // The kernel may still bring the rest of the file in between the
        // check that it holds one page and the read (about one run in 300
        // here), so a hit is tried again; a read that never counts the
        // miss fails.
        let mut one_page = 0;
        for _ in 0..10 {
            // Out of the cache, then its first page alone back in (no
            // read-ahead on a descriptor advised of random reads).
            // SAFETY: `f` is open for both calls, which only read their
            // arguments.
            unsafe {
                libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED);
                libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_RANDOM);
            }
            f.read_exact_at(&mut [0], 0).unwrap();
            // Checked through `f` too: a fresh descriptor's read would start
            // read-ahead of the rest.
            let cached = read_cached(&f, &mut Vec::with_capacity(SCRATCH_BYTES));
            if cached != Some(PAGE_BYTES) {
                eprintln!("the page cache holds {cached:?} bytes, not one page");
                continue;
            }
            one_page += 1;
            let open = std::fs::File::open(&path).unwrap();
            let (got, miss) = read_whole(open, &path, 1 << 20, &mut Vec::new(), true);
            assert_eq!(got.as_deref(), Ok(text.as_str()));
            if miss {
                return;
            }
        }
        if one_page == 0 {
            eprintln!("skipped: the page cache never held just the first page");
            return;
        }
        panic!("{one_page} reads of a file cached in part counted no miss");
    }

    #[test]
    fn an_estimate_samples_sizes_and_leaves_files_to_be_read_in_turn() {
        let dir = tempfile::tempdir().unwrap();
        numbered_files(dir.path(), 10);
        std::fs::write(dir.path().join("10.txt"), "A longer article, thirty bytes.").unwrap();
        let mut inputs = Inputs::default();
        inputs.add(dir.path(), &[".txt".to_string()]);
        inputs.estimate();
        assert!(inputs
            .units
            .iter()
            .all(|u| matches!(u, Unit::Text { size: None, .. })));
        // All eleven files are in the sample: ten of 10 bytes, one of 31.
        assert_eq!(inputs.sampled_mean, 131 / 11);
        assert_eq!(inputs.listed_bytes(), 11 * (131 / 11));
        let mut measured = inputs.clone();
        measured.measure();
        assert_eq!(measured.listed_bytes(), 131);
        // Read in turn or measured and read in parallel, the articles are
        // the same.
        let read = |inputs: &Inputs| {
            let mut all = Vec::new();
            for_each_chunk::<()>(inputs, &BatchConfig::default(), |chunk| {
                all.extend(chunk);
                Ok(())
            })
            .unwrap();
            all
        };
        let articles = read(&inputs);
        assert_eq!(articles, read(&measured));
        assert_eq!(articles.len(), 11);
        assert_eq!(articles[3].text.as_deref(), Ok("Article 3."));
        assert_eq!(articles[3].id, "03.txt");
    }

    #[test]
    fn chunks_of_files_read_in_turn_are_bounded_by_what_they_held() {
        let dir = tempfile::tempdir().unwrap();
        // Four files of 3 MiB: the third passes CHUNK_BYTES and closes the
        // first chunk, measured or not.
        let text = "Talks resumed. ".repeat((3 << 20) / 15);
        for n in 0..4 {
            std::fs::write(dir.path().join(format!("{n}.txt")), &text).unwrap();
        }
        let mut inputs = Inputs::default();
        inputs.add(dir.path(), &[".txt".to_string()]);
        let mut measured = inputs.clone();
        measured.measure();
        inputs.estimate();
        for inputs in [&inputs, &measured] {
            let mut chunks = Vec::new();
            for_each_chunk::<()>(inputs, &BatchConfig::default(), |chunk| {
                assert!(chunk.iter().all(|a| a.text.as_deref() == Ok(text.as_str())));
                chunks.push(chunk.len());
                Ok(())
            })
            .unwrap();
            assert_eq!(chunks, [3, 1]);
        }
    }

    #[test]
    fn files_read_in_turn_are_hinted_ahead_once_the_cache_misses() {
        let dir = tempfile::tempdir().unwrap();
        let paths = numbered_files(dir.path(), 40);
        let mut inputs = Inputs::default();
        inputs.add(dir.path(), &[".txt".to_string()]);
        inputs.estimate();
        let file = |k: usize| match &inputs.units[k] {
            Unit::Text { file, .. } => file,
            other => panic!("not a text file: {other:?}"),
        };
        let mut turn = InTurn::default();
        // Files just written are in the page cache: nothing is hinted.
        assert_eq!(
            turn.read(&inputs.units, 0, file(0), 100).as_deref(),
            Ok("Article 0.")
        );
        if turn.misses > 0 {
            eprintln!("skipped: this kernel or file system cannot read from the page cache alone");
            return;
        }
        assert!(turn.ahead.is_empty());
        // Files the cache lost count as misses, then turn hints on.
        turn.misses = COLD_AFTER_MISSES;
        turn.read(&inputs.units, 1, file(1), 100).unwrap();
        if cfg!(target_os = "linux") {
            let ahead: Vec<usize> = turn.ahead.iter().map(|&(j, _)| j).collect();
            assert_eq!(ahead, (2..2 + READ_AHEAD).collect::<Vec<_>>());
            // A hinted file is read from its open handle, even if its name
            // is gone; one passed over is dropped.
            std::fs::remove_file(&paths[3]).unwrap();
            assert_eq!(
                turn.read(&inputs.units, 3, file(3), 100).as_deref(),
                Ok("Article 3.")
            );
            assert_eq!(turn.ahead.front().map(|&(j, _)| j), Some(4));
            assert_eq!(turn.hinted, 4 + READ_AHEAD);
        }
        // A file gone before its turn and never hinted is reported.
        std::fs::remove_file(&paths[39]).unwrap();
        assert_eq!(
            turn.read(&inputs.units, 39, file(39), 100),
            Err("no such file or folder".to_string())
        );
    }

    #[test]
    fn files_gone_after_listing_are_reported_and_the_rest_read() {
        for measured in [true, false] {
            gone_after_listing(measured);
        }
    }

    /// Lists 100 files (measured or not), removes three, and reads the rest.
    fn gone_after_listing(measured: bool) {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        for n in 0..100 {
            let text = format!("Talks resumed on day {n}. Both sides welcomed the progress.");
            std::fs::write(dir.join(format!("{n:03}.txt")), text).unwrap();
        }
        let mut inputs = Inputs::default();
        inputs.add(dir, &["txt".to_string()]);
        if measured {
            inputs.measure();
        } else {
            inputs.estimate();
        }
        // Gone after listing: one early (read before any hint reaches it)
        // and two inside the read-ahead window of the first worker.
        for n in [0, 20, 21] {
            std::fs::remove_file(dir.join(format!("{n:03}.txt"))).unwrap();
        }
        let engine = Engine::new(crate::EngineConfig::default());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let pass = pool.install(|| {
            corpus_pass(
                &engine,
                &inputs,
                &BatchConfig::default(),
                u64::MAX,
                Spill::Off,
            )
        });
        let kept: Vec<&PreparedArticle> = pass.kept.iter().flatten().collect();
        assert_eq!(kept.len(), 100);
        let mut gone = Vec::new();
        for p in &kept {
            let n: usize = p.article.id[..3].parse().unwrap();
            match &p.article.text {
                Ok(text) => {
                    assert_eq!(
                        text,
                        &format!("Talks resumed on day {n}. Both sides welcomed the progress.")
                    );
                    assert!(p.prepared.is_some());
                }
                Err(e) => {
                    assert_eq!(e, "no such file or folder");
                    gone.push(n);
                }
            }
        }
        gone.sort_unstable();
        assert_eq!(gone, [0, 20, 21]);
    }

    #[test]
    fn windows_keep_order_and_bound_their_bytes() {
        let article = |n: usize, len: usize| PreparedArticle {
            article: Article {
                id: n.to_string(),
                path: None,
                line: None,
                text: if len == 0 {
                    Err("unreadable".into())
                } else {
                    Ok("x".repeat(len))
                },
            },
            prepared: None,
        };
        // 300 KB, 300 KB, an error, 1.5 MB alone, then 100 KB pieces.
        let mut lens = vec![300 << 10, 300 << 10, 0, 1536 << 10];
        lens.extend(std::iter::repeat_n(100 << 10, 12));
        let chunk = || -> Vec<_> {
            lens.iter()
                .enumerate()
                .map(|(n, &l)| article(n, l))
                .collect()
        };
        let plain: Vec<Article> = chunk().into_iter().map(|p| p.article).collect();
        let want: Vec<String> = (0..lens.len()).map(|n| n.to_string()).collect();
        // A window closes once it holds its bytes or more: 512 KiB with
        // more threads; 64 KiB with one, less than any article here but
        // the error, which holds no text and shares its window.
        let mut one = vec![1, 1, 2];
        one.extend([1; 12]);
        for (threads, want_sizes) in [(2, vec![2, 2, 6, 6]), (1, one)] {
            let bytes = window_bytes(threads);
            let slices: Vec<Vec<String>> = article_windows(&plain, bytes)
                .map(|w| w.iter().map(|a| a.id.clone()).collect())
                .collect();
            let windows: Vec<Vec<String>> = finish_windows(chunk(), bytes)
                .map(|w| w.into_iter().map(|p| p.article.id).collect())
                .collect();
            assert_eq!(slices, windows);
            assert_eq!(article_windows(&[], bytes).count(), 0);
            let sizes: Vec<usize> = windows.iter().map(Vec::len).collect();
            assert_eq!(sizes, want_sizes, "{threads} threads");
            assert_eq!(windows.concat(), want);
            assert_eq!(finish_windows(Vec::new(), bytes).count(), 0);
        }
        // Articles shorter than a one-thread window share it: 40 KiB each
        // close a window at the second (80 KiB >= 64 KiB).
        let small: Vec<Article> = (0..5).map(|n| article(n, 40 << 10).article).collect();
        let sizes: Vec<usize> = article_windows(&small, window_bytes(1))
            .map(<[Article]>::len)
            .collect();
        assert_eq!(sizes, [2, 2, 1]);
    }

    #[test]
    fn decode_variants() {
        assert_eq!(decode(b"\xEF\xBB\xBFhi".to_vec()).unwrap(), "hi");
        assert_eq!(decode(vec![0xFF, 0xFE, b'h', 0, b'i', 0]).unwrap(), "hi");
        assert_eq!(decode(vec![0xFE, 0xFF, 0, b'h', 0, b'i']).unwrap(), "hi");
        assert_eq!(
            decode(b"ok\xFF".to_vec()).unwrap_err(),
            "not valid UTF-8 (invalid byte at offset 2)"
        );
    }

    #[test]
    fn bounded_lines() {
        let mut r = std::io::Cursor::new(b"short\nmuch longer line\nend".to_vec());
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, 8, &mut buf).unwrap(), Some(5));
        assert_eq!(buf, b"short\n");
        assert_eq!(read_line_bounded(&mut r, 8, &mut buf).unwrap(), Some(16));
        assert_eq!(buf.len(), 9);
        assert_eq!(read_line_bounded(&mut r, 8, &mut buf).unwrap(), Some(3));
        assert_eq!(buf, b"end");
        assert_eq!(read_line_bounded(&mut r, 8, &mut buf).unwrap(), None);
    }

    #[test]
    fn jsonl_errors_carry_the_line() {
        let c = BatchConfig::default();
        let cases: [(&[u8], &str); 4] = [
            (
                b"not json",
                "line 7: not a JSON object: expected ident at line 1 column 2",
            ),
            (b"{\"id\": \"a\"}", "line 7: missing field \"text\""),
            (
                b"{\"id\": \"a\", \"text\": 5}",
                "line 7: field \"text\" must be a string",
            ),
            (
                b"{\"id\": [1], \"text\": \"x\"}",
                "line 7: field \"id\" must be a string or a number",
            ),
        ];
        for (raw, want) in cases {
            let a = parse_jsonl_line(raw, "in.jsonl", 7, &c);
            assert_eq!(a.text.unwrap_err(), want);
        }
        let ok = parse_jsonl_line(b"{\"id\": 3, \"text\": \"Hi.\"}", "in.jsonl", 1, &c);
        assert_eq!((ok.id.as_str(), ok.text.unwrap().as_str()), ("3", "Hi."));
    }
}
