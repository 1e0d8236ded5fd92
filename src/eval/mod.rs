//! Evaluation: ROUGE for summaries, correlation for tone, boundary alignment for the splitter.

pub mod boundaries;
pub mod porter;
pub mod rouge;
pub mod stats;
pub mod tone;
