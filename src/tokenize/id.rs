//! Term ids. Also compiled into `build.rs`, which precomputes the ids of the
//! embedded lexicon, so this file uses `std` and `rustc_hash` only.

/// An interned term: a 64-bit hash of a normalised string.
///
/// Ids are computed, not assigned, so every thread, every article and the
/// compiled lexicon agree on them without sharing a mutable vocabulary, and the
/// output does not depend on the order in which articles were seen.
pub type TermId = u64;

/// Hashes a normalised term to its id (FxHash, stable across runs and builds
/// of this version; saved models store strings, never ids).
pub fn term_id(term: &str) -> TermId {
    use std::hash::{BuildHasher, Hasher};
    let mut h = rustc_hash::FxBuildHasher.build_hasher();
    h.write(term.as_bytes());
    // One more round spreads the short-string hash over all 64 bits.
    h.finish()
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .rotate_left(29)
}
