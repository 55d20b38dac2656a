//! Cohort funnel: of the leads in a cohort, how many reached each stage.
//!
//! A lead's funnel position is the highest ladder stage it ever reached (as of
//! `now`): reaching a stage implies all earlier ones, even skipped ones, and a
//! lead recycled back and forward again is still one lead. So a group only needs
//! the number of cohort leads per highest stage — memory per group is one counter
//! per stage, and merging adds counters.

use serde::{Deserialize, Serialize};

use super::group::{Grouped, Merge, ratio};
use super::ladder::Ladder;

/// Partial funnel of one group: cohort size and leads per highest stage reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelCounts {
    pub cohort: u64,
    /// `by_max_rank[r]`: cohort leads whose highest stage reached has rank `r`.
    pub by_max_rank: Vec<u64>,
}

impl FunnelCounts {
    /// Counts one cohort lead with its highest rank reached (`None`: no stage yet).
    pub fn add(&mut self, max_rank: Option<usize>) {
        self.cohort += 1;
        if let Some(r) = max_rank {
            if self.by_max_rank.len() <= r {
                self.by_max_rank.resize(r + 1, 0);
            }
            self.by_max_rank[r] += 1;
        }
    }

    /// Cohort leads that reached the stage of rank `rank` or a later one.
    pub fn reached(&self, rank: usize) -> u64 {
        self.by_max_rank.iter().skip(rank).sum()
    }
}

impl Merge for FunnelCounts {
    fn merge(&mut self, other: &Self) {
        self.cohort += other.cohort;
        if self.by_max_rank.len() < other.by_max_rank.len() {
            self.by_max_rank.resize(other.by_max_rank.len(), 0);
        }
        for (a, b) in self.by_max_rank.iter_mut().zip(&other.by_max_rank) {
            *a += b;
        }
    }
}

/// The funnel of the cohort, in total and per source, campaign, owner and segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelReport {
    /// `null`: cohort of leads created in the period; else the stage whose first
    /// reaching in the period defines the cohort.
    pub cohort_stage: Option<String>,
    /// The ladder, earliest first.
    pub stages: Vec<String>,
    #[serde(flatten)]
    pub groups: Grouped<FunnelGroup>,
}

/// One group's funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelGroup {
    pub key: String,
    pub cohort_size: u64,
    pub stages: Vec<FunnelStage>,
}

/// How many cohort leads reached a stage (or a later one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelStage {
    pub stage: String,
    pub reached: u64,
    /// `reached / cohort_size`; `null` for an empty cohort.
    pub rate: Option<f64>,
}

pub(crate) fn funnel_group(key: &str, counts: &FunnelCounts, ladder: &Ladder) -> FunnelGroup {
    FunnelGroup {
        key: key.to_owned(),
        cohort_size: counts.cohort,
        stages: ladder
            .names()
            .iter()
            .enumerate()
            .map(|(r, stage)| {
                let reached = counts.reached(r);
                FunnelStage {
                    stage: stage.clone(),
                    reached,
                    rate: ratio(reached, counts.cohort),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reached_is_cumulative_from_the_top() {
        let mut c = FunnelCounts::default();
        for r in [Some(1), Some(2), Some(4), None] {
            c.add(r);
        }
        assert_eq!(
            (
                c.cohort,
                c.reached(0),
                c.reached(2),
                c.reached(4),
                c.reached(5)
            ),
            (4, 3, 2, 1, 0)
        );
        let g = funnel_group("all", &FunnelCounts::default(), &Ladder::default());
        assert!(g.stages.iter().all(|s| s.rate.is_none() && s.reached == 0));
    }
}
