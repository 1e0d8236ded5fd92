//! Evaluation: ROUGE for summaries, correlation for tone, boundary alignment for the splitter.

pub mod rouge;
