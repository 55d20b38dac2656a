//! The reference scoring workload: seeded synthetic leads, their flat feature
//! rows, and the hand-written scorer of the 25 reference rules.
//!
//! The same `(n, seed)` gives the same data on every platform and release
//! (`ChaCha8` output, values derived from its raw words). Two views of one sample:
//! - [`reference_rows`]: flat [`FeatureRow`]s, what pandas / JS / other engines read;
//! - [`reference_leads`]: real [`Lead`]s as of an explicit `now`, whose activities
//!   derive ([`features_of`]) to exactly the same rows.
//!
//! Distributions and the derivation rules are documented in `docs/synthetic-data.md`.
//!
//! ```
//! use leadflow::synth;
//! let now = leadflow::parse_timestamp("2026-03-01T12:00:00Z").unwrap();
//! let rows = synth::reference_rows(100, 7);
//! for (lead, row) in synth::reference_leads(100, 7, now).zip(&rows) {
//!     assert_eq!(&synth::features_of(&lead, now), row);
//! }
//! let total: f64 = rows.iter().map(synth::reference_score).sum();
//! assert!(total > 0.0);
//! ```

mod features;
mod history;
mod lead;
mod row;
mod sampler;
mod score;
pub mod vocab;

pub use features::features_of;
pub use row::FeatureRow;
pub use score::reference_score;

use crate::model::Lead;
use crate::time::Timestamp;
use sampler::{Sampler, sample_row};

/// The seed the benchmarks use unless told otherwise.
pub const DEFAULT_SEED: u64 = 42;

/// Iterator over the first `n` reference rows of `seed` (see [`reference_row_iter`]).
#[derive(Debug, Clone)]
pub struct RowIter {
    sampler: Sampler,
    next: u64,
    n: u64,
}

impl Iterator for RowIter {
    type Item = FeatureRow;

    fn next(&mut self) -> Option<FeatureRow> {
        if self.next >= self.n {
            return None;
        }
        let row = sample_row(&mut self.sampler, self.next);
        self.next += 1;
        Some(row)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.n - self.next).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}

impl ExactSizeIterator for RowIter {}

/// The first `n` rows of the workload for `seed`, lazily.
pub fn reference_row_iter(n: usize, seed: u64) -> RowIter {
    RowIter {
        sampler: Sampler::new(seed, 0),
        next: 0,
        n: n as u64,
    }
}

/// The first `n` rows of the workload for `seed`.
pub fn reference_rows(n: usize, seed: u64) -> Vec<FeatureRow> {
    reference_row_iter(n, seed).collect()
}

/// The same `n` samples as [`reference_rows`] as leads as of `now` (ids
/// `lead-0000000`, ...). Exact times, URLs and form names come from a second
/// `ChaCha8` stream, so they never shift the features.
pub fn reference_leads(n: usize, seed: u64, now: Timestamp) -> impl Iterator<Item = Lead> {
    let mut details = Sampler::new(seed, 1);
    reference_row_iter(n, seed)
        .enumerate()
        .map(move |(i, row)| lead::lead_from_row(i as u64, &row, now, &mut details))
}

/// The same `n` samples as [`reference_leads`], each with exactly `activities`
/// activities in the reference leads' mix of kinds (the activities-per-lead
/// curve of the benchmarks). The fields and the latest activity's day come
/// from the row; the counts come from the drawn history, so score these leads
/// through [`features_of`], not through the rows. Drawn from a third
/// `ChaCha8` stream: [`reference_leads`] is unchanged.
pub fn reference_leads_with_activities(
    n: usize,
    seed: u64,
    now: Timestamp,
    activities: usize,
) -> impl Iterator<Item = Lead> {
    let mut drawn = Sampler::new(seed, 2);
    reference_row_iter(n, seed)
        .enumerate()
        .map(move |(i, row)| {
            history::lead_with_history(i as u64, &row, now, activities, &mut drawn)
        })
}

#[cfg(test)]
mod tests;
