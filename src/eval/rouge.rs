//! ROUGE (placeholder, being written).
