//! Shared pieces of the leadflow benchmarks.

pub mod lead_input;
