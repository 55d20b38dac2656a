//! Shared pieces of the leadflow benchmarks.
