//! Attribution: what each source and campaign brought in the period.
//!
//! Counts are events in the period: `leads` were created in it, `mqls` / `sqls`
//! first reached the MQL / SQL stage (or a later one) in it, and `won_*` are
//! opportunities won in it, attributed by the opportunity's own `source` and
//! `campaign` (copied from the lead at conversion), so no join is needed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::group::{Merge, merge_map, slot};
use super::options::Cost;

/// Mergeable attribution counts of one source or campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributionSums {
    pub leads: u64,
    pub mqls: u64,
    pub sqls: u64,
    pub won_deals: u64,
    pub won_cents: i64,
}

impl Merge for AttributionSums {
    fn merge(&mut self, o: &Self) {
        self.leads += o.leads;
        self.mqls += o.mqls;
        self.sqls += o.sqls;
        self.won_deals += o.won_deals;
        // Saturating: accumulator merges check `AttributionAcc::merge_fits` first.
        self.won_cents = self.won_cents.saturating_add(o.won_cents);
    }
}

/// Partial attribution per source and per campaign.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AttributionAcc {
    pub by_source: BTreeMap<String, AttributionSums>,
    pub by_campaign: BTreeMap<String, AttributionSums>,
}

impl AttributionAcc {
    pub(crate) fn add(&mut self, source: &str, campaign: &str, f: impl Fn(&mut AttributionSums)) {
        f(slot(&mut self.by_source, source));
        f(slot(&mut self.by_campaign, campaign));
    }

    /// Whether a won deal of `cents` fits the revenue sums of its source and campaign.
    pub(crate) fn won_fits(&self, source: &str, campaign: &str, cents: i64) -> bool {
        let fits = |m: &BTreeMap<String, AttributionSums>, k: &str| {
            m.get(k)
                .map_or(0, |s| s.won_cents)
                .checked_add(cents)
                .is_some()
        };
        fits(&self.by_source, source) && fits(&self.by_campaign, campaign)
    }

    /// Counts a won deal of `cents` for its source and campaign (check
    /// [`won_fits`](Self::won_fits) first; an overflow would saturate).
    pub(crate) fn add_won(&mut self, source: &str, campaign: &str, cents: i64) {
        self.add(source, campaign, |s| {
            s.won_deals += 1;
            s.won_cents = s.won_cents.saturating_add(cents);
        });
    }
}

impl AttributionAcc {
    /// Whether merging `other` keeps every revenue sum in range.
    pub(crate) fn merge_fits(&self, other: &Self) -> bool {
        let fits = |mine: &BTreeMap<String, AttributionSums>,
                    theirs: &BTreeMap<String, AttributionSums>| {
            theirs.iter().all(|(k, o)| {
                mine.get(k)
                    .is_none_or(|s| s.won_cents.checked_add(o.won_cents).is_some())
            })
        };
        fits(&self.by_source, &other.by_source) && fits(&self.by_campaign, &other.by_campaign)
    }
}

impl Merge for AttributionAcc {
    fn merge(&mut self, other: &Self) {
        merge_map(&mut self.by_source, &other.by_source);
        merge_map(&mut self.by_campaign, &other.by_campaign);
    }
}

/// What one source or campaign brought, and what it cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionRow {
    pub key: String,
    pub leads: u64,
    pub mqls: u64,
    pub sqls: u64,
    pub won_deals: u64,
    pub won_revenue: f64,
    /// Spend supplied for this key (`null` when none was).
    pub cost: Option<f64>,
    pub cost_per_lead: Option<f64>,
    /// Cost per qualified lead (MQL).
    pub cost_per_mql: Option<f64>,
    pub cost_per_sql: Option<f64>,
    /// `won_revenue / cost`.
    pub return_on_spend: Option<f64>,
}

/// Attribution by source and by campaign (sorted by key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributionReport {
    pub by_source: Vec<AttributionRow>,
    pub by_campaign: Vec<AttributionRow>,
}

fn rows(
    map: &BTreeMap<String, AttributionSums>,
    costs: &BTreeMap<String, i64>,
) -> Vec<AttributionRow> {
    let mut map = map.clone();
    // A key with spend but no results still gets a row: that is the point of showing cost.
    for k in costs.keys() {
        slot(&mut map, k);
    }
    map.iter()
        .map(|(k, s)| {
            let cost = costs.get(k).map(|c| *c as f64 / 100.0);
            let per = |n: u64| cost.filter(|_| n > 0).map(|c| c / n as f64);
            let won_revenue = s.won_cents as f64 / 100.0;
            AttributionRow {
                key: k.clone(),
                leads: s.leads,
                mqls: s.mqls,
                sqls: s.sqls,
                won_deals: s.won_deals,
                won_revenue,
                cost,
                cost_per_lead: per(s.leads),
                cost_per_mql: per(s.mqls),
                cost_per_sql: per(s.sqls),
                return_on_spend: cost.filter(|c| *c > 0.0).map(|c| won_revenue / c),
            }
        })
        .collect()
}

pub(crate) fn attribution_report(acc: &AttributionAcc, costs: &[Cost]) -> AttributionReport {
    let mut by_source: BTreeMap<String, i64> = BTreeMap::new();
    let mut by_campaign: BTreeMap<String, i64> = BTreeMap::new();
    for c in costs {
        #[allow(clippy::cast_possible_truncation)]
        // costs and their total are range-checked by `MetricsAccumulator::new`
        let cents = (c.cost * 100.0).round() as i64;
        // A cost naming both a source and a campaign counts for both views.
        if let Some(s) = &c.source {
            *by_source.entry(s.clone()).or_insert(0) += cents;
        }
        if let Some(k) = &c.campaign {
            *by_campaign.entry(k.clone()).or_insert(0) += cents;
        }
    }
    AttributionReport {
        by_source: rows(&acc.by_source, &by_source),
        by_campaign: rows(&acc.by_campaign, &by_campaign),
    }
}
