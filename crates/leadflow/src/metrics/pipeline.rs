//! Opportunity pipeline: the four Vs (volume, value, velocity, conversion), the
//! weighted pipeline and the forecast, per owner and rolled up the hierarchy.
//!
//! Money is summed in integer cents (each amount rounded to the cent), so sums
//! are exact and any partitioning of the input gives the same totals. Amounts are
//! taken as one currency; convert before calling when deals mix currencies.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::group::{Merge, NONE_KEY, merge_map, ratio, slot};
use super::period::Period;
use crate::error::{Error, Result};
use crate::model::{Dimension, ForecastCategory, Opportunity};
use crate::time::Timestamp;

/// Mergeable pipeline sums of one owner (or of everyone).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineSums {
    pub open: u64,
    pub open_cents: i64,
    pub weighted_cents: i64,
    pub created: u64,
    pub created_cents: i64,
    pub won: u64,
    pub won_cents: i64,
    pub lost: u64,
    /// Seconds from creation to close, summed over won deals with a `created_at`.
    pub won_cycle_secs: i64,
    pub won_with_cycle: u64,
    /// Open deals closing in the period, per forecast category: count and cents.
    pub commit: (u64, i64),
    pub best_case: (u64, i64),
    pub pipeline: (u64, i64),
}

impl Merge for PipelineSums {
    /// Saturating: [`MetricsAccumulator::merge`](super::MetricsAccumulator::merge)
    /// checks [`PipelineAcc::merge_fits`] first, so a sum never wraps or flips sign.
    fn merge(&mut self, o: &Self) {
        self.open += o.open;
        self.open_cents = self.open_cents.saturating_add(o.open_cents);
        self.weighted_cents = self.weighted_cents.saturating_add(o.weighted_cents);
        self.created += o.created;
        self.created_cents = self.created_cents.saturating_add(o.created_cents);
        self.won += o.won;
        self.won_cents = self.won_cents.saturating_add(o.won_cents);
        self.lost += o.lost;
        self.won_cycle_secs = self.won_cycle_secs.saturating_add(o.won_cycle_secs);
        self.won_with_cycle += o.won_with_cycle;
        for (a, b) in [
            (&mut self.commit, o.commit),
            (&mut self.best_case, o.best_case),
            (&mut self.pipeline, o.pipeline),
        ] {
            a.0 += b.0;
            a.1 = a.1.saturating_add(b.1);
        }
    }
}

impl PipelineSums {
    /// Whether every sum of `self` plus `o` fits an i64.
    fn merge_fits(&self, o: &Self) -> bool {
        [
            (self.open_cents, o.open_cents),
            (self.weighted_cents, o.weighted_cents),
            (self.created_cents, o.created_cents),
            (self.won_cents, o.won_cents),
            (self.won_cycle_secs, o.won_cycle_secs),
            (self.commit.1, o.commit.1),
            (self.best_case.1, o.best_case.1),
            (self.pipeline.1, o.pipeline.1),
        ]
        .iter()
        .all(|(a, b)| a.checked_add(*b).is_some())
    }
}

/// An amount in whole cents; `None` when it is not finite or does not fit an
/// i64 (a cast would saturate into a silently wrong sum).
pub(crate) fn cents(amount: f64) -> Option<i64> {
    let c = (amount * 100.0).round();
    // 2^63 is exact in f64; every f64 below it in magnitude fits an i64.
    if !c.is_finite() || c.abs() >= 9_223_372_036_854_775_808.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)] // range checked above
    Some(c as i64)
}

/// When a closed opportunity closed: its latest opportunity-stage history entry at
/// or before `now`, else midnight of `close_date` in the period's offset.
pub(crate) fn closed_at(opp: &Opportunity, period: &Period, now: Timestamp) -> Option<Timestamp> {
    let from_history = opp
        .history
        .iter()
        .filter(|t| t.dimension == Dimension::OpportunityStage && t.at <= now)
        .map(|t| t.at)
        .max();
    from_history.or_else(|| {
        let d = opp.close_date?;
        period
            .from
            .offset()
            .from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .single()
    })
}

use chrono::TimeZone as _;

impl PipelineSums {
    /// Adds one opportunity, as it stands at `now`, with checked sums. `None`
    /// when a sum would leave the i64 range of cents; `self` may then be partly
    /// updated, so callers add to a copy ([`PipelineAcc::add`]).
    fn add(&mut self, opp: &Opportunity, period: &Period, now: Timestamp) -> Option<()> {
        let amount = cents(opp.amount.unwrap_or(0.0))?;
        if opp.created_at.is_some_and(|c| period.contains(c)) {
            self.created += 1;
            self.created_cents = self.created_cents.checked_add(amount)?;
        }
        if opp.is_closed {
            let Some(at) = closed_at(opp, period, now) else {
                return Some(());
            };
            if !period.contains(at) {
                return Some(());
            }
            if opp.is_won {
                self.won += 1;
                self.won_cents = self.won_cents.checked_add(amount)?;
                if let Some(c) = opp.created_at {
                    let cycle = at.signed_duration_since(c).num_seconds().max(0);
                    self.won_cycle_secs = self.won_cycle_secs.checked_add(cycle)?;
                    self.won_with_cycle += 1;
                }
            } else {
                self.lost += 1;
            }
            return Some(());
        }
        self.open += 1;
        self.open_cents = self.open_cents.checked_add(amount)?;
        let weighted =
            cents(opp.amount.unwrap_or(0.0) * opp.probability.clamp(0.0, 100.0) / 100.0)?;
        self.weighted_cents = self.weighted_cents.checked_add(weighted)?;
        if opp.close_date.is_some_and(|d| period.contains_date(d)) {
            let slot = match opp.forecast_category {
                ForecastCategory::Commit => &mut self.commit,
                ForecastCategory::BestCase => &mut self.best_case,
                ForecastCategory::Pipeline => &mut self.pipeline,
                ForecastCategory::Closed | ForecastCategory::Omitted => return Some(()),
            };
            slot.0 += 1;
            slot.1 = slot.1.checked_add(amount)?;
        }
        Some(())
    }
}

/// Partial pipeline: everyone, and per owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PipelineAcc {
    pub total: PipelineSums,
    pub by_owner: BTreeMap<String, PipelineSums>,
}

impl PipelineAcc {
    /// Adds one opportunity to the total and its owner; `None` (nothing changed)
    /// when a sum would overflow.
    pub(crate) fn add(&mut self, opp: &Opportunity, period: &Period, now: Timestamp) -> Option<()> {
        let key = opp.owner.as_deref().unwrap_or(NONE_KEY);
        let mut total = self.total.clone();
        total.add(opp, period, now)?;
        let mut owner = self.by_owner.get(key).cloned().unwrap_or_default();
        owner.add(opp, period, now)?;
        self.total = total;
        *slot(&mut self.by_owner, key) = owner;
        Some(())
    }
}

impl PipelineAcc {
    /// Whether merging `other` keeps every sum (total and per owner) in range.
    pub(crate) fn merge_fits(&self, other: &Self) -> bool {
        self.total.merge_fits(&other.total)
            && other
                .by_owner
                .iter()
                .all(|(k, o)| self.by_owner.get(k).is_none_or(|s| s.merge_fits(o)))
    }
}

impl Merge for PipelineAcc {
    fn merge(&mut self, other: &Self) {
        self.total.merge(&other.total);
        merge_map(&mut self.by_owner, &other.by_owner);
    }
}

/// Pipeline figures of a group (everyone, an owner, or a manager's whole team).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineFigures {
    pub key: String,
    /// Volume: open opportunities at `now`.
    pub open: u64,
    /// Value: their total amount.
    pub open_amount: f64,
    /// Sum of amount x probability / 100 over open opportunities.
    pub weighted_amount: f64,
    /// Opportunities created in the period and their amount.
    pub created: u64,
    pub created_amount: f64,
    /// Closed in the period.
    pub won: u64,
    pub lost: u64,
    pub won_amount: f64,
    /// Conversion: won / (won + lost), over opportunities closed in the period.
    pub win_rate: Option<f64>,
    /// Average amount of the deals won in the period.
    pub average_deal: Option<f64>,
    /// Average days from creation to close of the deals won in the period.
    pub cycle_days: Option<f64>,
    /// Pipeline velocity: `open x average_deal x win_rate / cycle_days` (money per day).
    pub velocity_per_day: Option<f64>,
    pub forecast: Forecast,
}

/// Forecast of the period: won so far plus open deals closing in the period by
/// category (omitted excluded). `commit_total` = closed + commit; `best_case_total`
/// = closed + commit + best case; `pipeline_total` = all of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub closed: f64,
    pub commit: f64,
    pub best_case: f64,
    pub pipeline: f64,
    pub commit_count: u64,
    pub best_case_count: u64,
    pub pipeline_count: u64,
    pub commit_total: f64,
    pub best_case_total: f64,
    pub pipeline_total: f64,
}

fn money(c: i64) -> f64 {
    c as f64 / 100.0
}

/// The money of a sum of cents, added in i128: each part fits an i64, their sum may not.
fn money_sum(parts: &[i64]) -> f64 {
    let cents: i128 = parts.iter().map(|c| i128::from(*c)).sum();
    cents as f64 / 100.0
}

pub(crate) fn figures(key: &str, s: &PipelineSums) -> PipelineFigures {
    let win_rate = ratio(s.won, s.won + s.lost);
    let average_deal = (s.won > 0).then(|| money(s.won_cents) / s.won as f64);
    let cycle_days = (s.won_with_cycle > 0)
        .then(|| s.won_cycle_secs as f64 / s.won_with_cycle as f64 / 86_400.0);
    let velocity_per_day = match (average_deal, win_rate, cycle_days) {
        (Some(d), Some(w), Some(c)) if c > 0.0 => Some(s.open as f64 * d * w / c),
        _ => None,
    };
    let closed = money(s.won_cents);
    PipelineFigures {
        key: key.to_owned(),
        open: s.open,
        open_amount: money(s.open_cents),
        weighted_amount: money(s.weighted_cents),
        created: s.created,
        created_amount: money(s.created_cents),
        won: s.won,
        lost: s.lost,
        won_amount: closed,
        win_rate,
        average_deal,
        cycle_days,
        velocity_per_day,
        forecast: Forecast {
            closed,
            commit: money(s.commit.1),
            best_case: money(s.best_case.1),
            pipeline: money(s.pipeline.1),
            commit_count: s.commit.0,
            best_case_count: s.best_case.0,
            pipeline_count: s.pipeline.0,
            commit_total: money_sum(&[s.won_cents, s.commit.1]),
            best_case_total: money_sum(&[s.won_cents, s.commit.1, s.best_case.1]),
            pipeline_total: money_sum(&[s.won_cents, s.commit.1, s.best_case.1, s.pipeline.1]),
        },
    }
}

/// Pipeline in total, per owner, and per manager (each manager's own deals plus
/// those of everyone below them in the hierarchy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineReport {
    pub total: PipelineFigures,
    pub by_owner: Vec<PipelineFigures>,
    pub by_manager: Vec<PipelineFigures>,
}

/// Checks that following `rep -> manager` always ends (no cycles).
pub(crate) fn check_hierarchy(h: &BTreeMap<String, String>) -> Result<()> {
    for start in h.keys() {
        let mut cur = start;
        for _ in 0..=h.len() {
            match h.get(cur) {
                Some(next) if next == start => {
                    return Err(Error::config(format!(
                        "the hierarchy has a cycle through {start:?}"
                    ))
                    .with_field(format!("hierarchy.{start}")));
                }
                Some(next) => cur = next,
                None => break,
            }
        }
    }
    Ok(())
}

pub(crate) fn pipeline_report(
    acc: &PipelineAcc,
    hierarchy: &BTreeMap<String, String>,
) -> PipelineReport {
    let managers: BTreeSet<&String> = hierarchy.values().collect();
    let mut rollup: BTreeMap<String, PipelineSums> = managers
        .iter()
        .map(|m| ((*m).clone(), PipelineSums::default()))
        .collect();
    for (owner, sums) in &acc.by_owner {
        let mut cur = Some(owner);
        // A checked hierarchy is acyclic, so the chain ends within len + 1 steps.
        for _ in 0..=hierarchy.len() {
            let Some(o) = cur else { break };
            if let Some(r) = rollup.get_mut(o) {
                r.merge(sums);
            }
            cur = hierarchy.get(o);
        }
    }
    PipelineReport {
        total: figures("all", &acc.total),
        by_owner: acc.by_owner.iter().map(|(k, v)| figures(k, v)).collect(),
        by_manager: rollup.iter().map(|(k, v)| figures(k, v)).collect(),
    }
}
