//! Velocity: time spent in each stage, time from stage to stage, and speed-to-lead.
//!
//! Time in stage counts completed visits only (the lead has left the stage by
//! `now`): `latest` is the most recent visit, `cumulative` the sum of all visits
//! (a recycled lead visits a stage more than once). Stage-to-stage time is from the
//! first reaching of `from` to the first reaching of `to`, with reaching implied by
//! a skip (so it can be zero).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::conversion::StagePair;
use super::group::{Merge, merge_map, ratio};
use super::histogram::{DurationHistogram, DurationStats};
use super::ladder::Ladder;
use super::profile::Profile;
use crate::time::Timestamp;

/// Partial velocity of the cohort.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VelocityAcc {
    pub latest: Vec<DurationHistogram>,
    pub cumulative: Vec<DurationHistogram>,
    pub stage_to_stage: Vec<DurationHistogram>,
}

impl VelocityAcc {
    pub(crate) fn new(stages: usize, pairs: usize) -> Self {
        VelocityAcc {
            latest: vec![DurationHistogram::default(); stages],
            cumulative: vec![DurationHistogram::default(); stages],
            stage_to_stage: vec![DurationHistogram::default(); pairs],
        }
    }

    pub(crate) fn add(&mut self, p: &Profile, pairs: &[StagePair]) {
        for (r, secs) in p.latest_secs.iter().enumerate() {
            if let (Some(s), Some(h)) = (secs, self.latest.get_mut(r)) {
                h.record_seconds(*s);
            }
        }
        for (r, secs) in p.cumulative_secs.iter().enumerate() {
            if let (Some(s), Some(h)) = (secs, self.cumulative.get_mut(r)) {
                h.record_seconds(*s);
            }
        }
        for (pair, h) in pairs.iter().zip(&mut self.stage_to_stage) {
            if let (Some(Some(a)), Some(Some(b))) = (
                p.first_reach.get(pair.from_rank),
                p.first_reach.get(pair.to_rank),
            ) {
                h.record(*a, *b);
            }
        }
    }
}

fn merge_vec(a: &mut [DurationHistogram], b: &[DurationHistogram]) {
    for (x, y) in a.iter_mut().zip(b) {
        x.merge(y);
    }
}

impl Merge for VelocityAcc {
    fn merge(&mut self, other: &Self) {
        merge_vec(&mut self.latest, &other.latest);
        merge_vec(&mut self.cumulative, &other.cumulative);
        merge_vec(&mut self.stage_to_stage, &other.stage_to_stage);
    }
}

/// Partial speed-to-lead of a group of leads created in the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpeedAcc {
    pub leads: u64,
    pub touched: DurationHistogram,
    pub met: u64,
    pub missed: u64,
    pub pending: u64,
}

impl SpeedAcc {
    pub(crate) fn add(
        &mut self,
        created: Timestamp,
        first_touch: Option<Timestamp>,
        now: Timestamp,
        sla_secs: i64,
    ) {
        self.leads += 1;
        match first_touch {
            Some(t) => {
                let secs = t.signed_duration_since(created).num_seconds();
                self.touched.record_seconds(secs);
                if secs <= sla_secs {
                    self.met += 1;
                } else {
                    self.missed += 1;
                }
            }
            None if now.signed_duration_since(created).num_seconds() > sla_secs => self.missed += 1,
            None => self.pending += 1,
        }
    }
}

impl Merge for SpeedAcc {
    fn merge(&mut self, other: &Self) {
        self.leads += other.leads;
        self.touched.merge(&other.touched);
        self.met += other.met;
        self.missed += other.missed;
        self.pending += other.pending;
    }
}

/// Time in one stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageTime {
    pub stage: String,
    /// Latest completed visit per lead; `null` when no lead left the stage.
    pub latest: Option<DurationStats>,
    /// All completed visits per lead, summed.
    pub cumulative: Option<DurationStats>,
}

/// Time from first reaching `from` to first reaching `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageToStage {
    pub from: String,
    pub to: String,
    pub stats: Option<DurationStats>,
}

/// Speed-to-lead of a group: minutes from `created_at` to the first touch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpeedToLead {
    pub key: String,
    /// Leads created in the period.
    pub leads: u64,
    /// Leads with a touch by `now`.
    pub touched: u64,
    pub median_minutes: Option<f64>,
    pub p90_minutes: Option<f64>,
    pub mean_minutes: Option<f64>,
    /// Touched within the SLA.
    pub within_sla: u64,
    /// Touched after the SLA, or untouched and older than the SLA.
    pub breached_sla: u64,
    /// Untouched but still inside the SLA window at `now` (not judged yet).
    pub pending: u64,
    /// `within_sla / (within_sla + breached_sla)`.
    pub within_sla_rate: Option<f64>,
    /// Histogram of first-touch times (touched leads only).
    pub buckets: Vec<SpeedBucket>,
}

/// Leads whose first touch came `min_minutes <= t < max_minutes` after creation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeedBucket {
    pub label: String,
    pub min_minutes: u64,
    /// `null` for the open-ended last bucket.
    pub max_minutes: Option<u64>,
    pub leads: u64,
}

/// Bucket bounds (minutes) of the speed-to-lead histogram; all are bucket bounds
/// of [`DurationHistogram`], so the counts are exact.
const SPEED_BOUNDS: [(u64, &str); 8] = [
    (5, "< 5 min"),
    (15, "5-15 min"),
    (30, "15-30 min"),
    (60, "30-60 min"),
    (240, "1-4 h"),
    (1_440, "4-24 h"),
    (4_320, "1-3 days"),
    (u64::MAX, "> 3 days"),
];

pub(crate) fn speed_to_lead(key: &str, acc: &SpeedAcc) -> SpeedToLead {
    let h = &acc.touched;
    let mut lower = 0;
    let buckets = SPEED_BOUNDS
        .iter()
        .map(|&(upper, label)| {
            let below = if upper == u64::MAX {
                h.count()
            } else {
                h.count_below(upper)
            };
            let b = SpeedBucket {
                label: label.to_owned(),
                min_minutes: lower,
                max_minutes: (upper != u64::MAX).then_some(upper),
                leads: below - h.count_below(lower),
            };
            lower = upper;
            b
        })
        .collect();
    SpeedToLead {
        key: key.to_owned(),
        leads: acc.leads,
        touched: h.count(),
        median_minutes: h.quantile_minutes(0.5),
        p90_minutes: h.quantile_minutes(0.9),
        mean_minutes: h.mean_minutes(),
        within_sla: acc.met,
        breached_sla: acc.missed,
        pending: acc.pending,
        within_sla_rate: ratio(acc.met, acc.met + acc.missed),
        buckets,
    }
}

/// Partial speed-to-lead in total and per owner and source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SpeedBreakdown {
    pub total: SpeedAcc,
    pub by_owner: BTreeMap<String, SpeedAcc>,
    pub by_source: BTreeMap<String, SpeedAcc>,
}

impl Merge for SpeedBreakdown {
    fn merge(&mut self, other: &Self) {
        self.total.merge(&other.total);
        merge_map(&mut self.by_owner, &other.by_owner);
        merge_map(&mut self.by_source, &other.by_source);
    }
}

/// Velocity of the cohort and speed-to-lead of the leads created in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VelocityReport {
    pub time_in_stage: Vec<StageTime>,
    pub stage_to_stage: Vec<StageToStage>,
    pub sla_minutes: u32,
    pub speed_to_lead: SpeedToLead,
    pub speed_to_lead_by_owner: Vec<SpeedToLead>,
    pub speed_to_lead_by_source: Vec<SpeedToLead>,
}

pub(crate) fn velocity_report(
    acc: &VelocityAcc,
    speed: &SpeedBreakdown,
    ladder: &Ladder,
    pairs: &[StagePair],
    sla_minutes: u32,
) -> VelocityReport {
    VelocityReport {
        time_in_stage: ladder
            .names()
            .iter()
            .enumerate()
            .map(|(r, stage)| StageTime {
                stage: stage.clone(),
                latest: acc.latest.get(r).and_then(DurationHistogram::stats),
                cumulative: acc.cumulative.get(r).and_then(DurationHistogram::stats),
            })
            .collect(),
        stage_to_stage: pairs
            .iter()
            .zip(&acc.stage_to_stage)
            .map(|(p, h)| StageToStage {
                from: p.from.clone(),
                to: p.to.clone(),
                stats: h.stats(),
            })
            .collect(),
        sla_minutes,
        speed_to_lead: speed_to_lead("all", &speed.total),
        speed_to_lead_by_owner: speed
            .by_owner
            .iter()
            .map(|(k, v)| speed_to_lead(k, v))
            .collect(),
        speed_to_lead_by_source: speed
            .by_source
            .iter()
            .map(|(k, v)| speed_to_lead(k, v))
            .collect(),
    }
}
