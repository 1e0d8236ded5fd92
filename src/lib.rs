//! precis: fast extractive summaries and diplomatic-tone scores for news articles.

#![warn(missing_docs)]

pub mod error;
pub mod eval;
pub mod segment;

pub use error::{Error, Result};
