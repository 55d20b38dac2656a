//! Conversion rates between two stages, with their counts.
//!
//! For a pair `from -> to` (`to` later on the ladder), the denominator is the
//! number of cohort leads that reached `from` (or later) and the numerator the
//! number that reached `to` (or later); both come from the funnel counts.

use serde::{Deserialize, Serialize};

use super::funnel::FunnelCounts;
use super::group::ratio;

/// Conversion from one stage to a later one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionRate {
    pub from: String,
    pub to: String,
    /// Cohort leads that reached `to`.
    pub numerator: u64,
    /// Cohort leads that reached `from`.
    pub denominator: u64,
    /// `numerator / denominator`; `null` when nobody reached `from`.
    pub rate: Option<f64>,
}

/// Conversion rates of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionGroup {
    pub key: String,
    pub cohort_size: u64,
    pub rates: Vec<ConversionRate>,
}

/// A validated stage pair: names and ranks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StagePair {
    pub from: String,
    pub to: String,
    pub from_rank: usize,
    pub to_rank: usize,
}

pub(crate) fn conversion_group(
    key: &str,
    counts: &FunnelCounts,
    pairs: &[StagePair],
) -> ConversionGroup {
    ConversionGroup {
        key: key.to_owned(),
        cohort_size: counts.cohort,
        rates: pairs
            .iter()
            .map(|p| {
                let denominator = counts.reached(p.from_rank);
                let numerator = counts.reached(p.to_rank);
                ConversionRate {
                    from: p.from.clone(),
                    to: p.to.clone(),
                    numerator,
                    denominator,
                    rate: ratio(numerator, denominator),
                }
            })
            .collect(),
    }
}
