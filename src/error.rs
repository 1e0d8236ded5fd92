//! The one error type of the library.

use std::path::PathBuf;

/// Everything that can go wrong inside the engine.
///
/// Messages are lowercase and name the offending value: the file, the line,
/// the limit that was crossed. The binary adds context on top.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A lexicon, stopword or abbreviation file has a bad line.
    #[error("{path}:{line}: {message}")]
    Lexicon {
        /// The file (or a name such as `<embedded tone.tsv>`).
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
    /// A file could not be read.
    #[error("{path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        error: std::io::Error,
    },
    /// A file or record is not valid UTF-8 (and not UTF-16 with a BOM).
    #[error("{path}: not valid UTF-8 (invalid byte at offset {offset})")]
    Utf8 {
        /// The file or record.
        path: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// An article is larger than the configured limit.
    #[error(
        "{path}: {bytes} bytes exceeds the limit of {limit} bytes (raise it with --max-bytes)"
    )]
    TooLarge {
        /// The file or record.
        path: String,
        /// Its size.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A saved IDF model or other input has the wrong shape.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
