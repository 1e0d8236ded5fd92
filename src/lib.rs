//! precis: fast extractive summaries and diplomatic-tone scores for news
//! articles.
//!
//! One pass over an article splits it into sentences (byte spans into the
//! text), tokenizes them into stemmed, interned terms, and feeds both
//! analyses: an extractive summary and a tone score in [-1, 1] with the
//! evidence behind it.
//!
//! ```
//! use precis::{Engine, EngineConfig};
//!
//! let engine = Engine::new(EngineConfig::default());
//! let text = "Leaders hail talks\n\n\
//!     The two leaders held very warm talks in Seoul on Monday. \
//!     They agreed to meet again. Analysts said the mood had changed.";
//! let analysis = engine.analyze(text);
//! assert_eq!(analysis.sentences.len(), 4);
//! assert_eq!(analysis.summary.picked, vec![1, 2, 3]);
//! assert!(analysis.tone.score > 0.3);
//! assert_eq!(&*analysis.tone.evidence[0].term, "hail");
//! ```
//!
//! The library never prints and never exits; the `precis` binary turns
//! command-line arguments into a configuration, calls the library and renders.

#![warn(missing_docs)]

pub mod batch;
pub mod corpus;
pub mod engine;
pub mod error;
pub mod eval;
pub mod lexicon;
pub mod report;
pub mod segment;
pub mod spill;
pub mod summarize;
pub mod tokenize;
pub mod tone;

pub use engine::{Analysis, Engine, EngineConfig, StageTimes, Workspace};
pub use error::{Error, Result};
