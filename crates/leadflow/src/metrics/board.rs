//! Status board: per owner, the open leads they hold by working status, how long
//! they have been in it, and the stalled ones.
//!
//! The board is a view "as of `now`" over every lead created by `now` (not only
//! the period's cohort): a lead's status is its latest status history entry at or
//! before `now`. Leads in a closed status (converted, unqualified, nurture by
//! default) are not on the board. A lead is stalled when it has been in its status
//! for more than `stall_days`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::group::{Merge, merge_map, slot};
use super::histogram::DurationHistogram;
use crate::time::Timestamp;

/// A stalled lead on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StalledLead {
    pub id: String,
    pub status: String,
    /// Since when the lead has been in `status`.
    pub since: Timestamp,
    pub days_in_status: f64,
}

/// Partial board of one owner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnerBoardAcc {
    pub statuses: BTreeMap<String, DurationHistogram>,
    pub stalled_count: u64,
    /// The longest-stalled leads (at most `stalled_limit`), longest first.
    pub stalled: Vec<StalledLead>,
    #[serde(skip)]
    limit: usize,
}

impl OwnerBoardAcc {
    pub(crate) fn add(
        &mut self,
        id: &str,
        status: &str,
        since: Timestamp,
        now: Timestamp,
        stall_days: f64,
        limit: usize,
    ) {
        let secs = now.signed_duration_since(since).num_seconds();
        slot(&mut self.statuses, status).record_seconds(secs);
        let days = secs as f64 / 86_400.0;
        if days > stall_days {
            self.stalled_count += 1;
            self.limit = limit;
            self.stalled.push(StalledLead {
                id: id.to_owned(),
                status: status.to_owned(),
                since,
                days_in_status: days,
            });
            // Trim in batches: sorting once per `limit` insertions keeps adds O(log n) amortised.
            if self.stalled.len() >= limit.saturating_mul(2).max(64) {
                trim(&mut self.stalled, limit);
            }
        }
    }

    pub(crate) fn finish(&mut self, limit: usize) {
        trim(&mut self.stalled, limit);
    }
}

/// Keeps the `limit` longest-stalled leads (ties by id, so the result is unique).
fn trim(list: &mut Vec<StalledLead>, limit: usize) {
    list.sort_by(|a, b| a.since.cmp(&b.since).then_with(|| a.id.cmp(&b.id)));
    list.truncate(limit);
}

impl Merge for OwnerBoardAcc {
    fn merge(&mut self, other: &Self) {
        for (k, h) in &other.statuses {
            slot(&mut self.statuses, k).merge(h);
        }
        self.stalled_count += other.stalled_count;
        self.stalled.extend(other.stalled.iter().cloned());
        self.limit = self.limit.max(other.limit);
        if self.limit > 0 && self.stalled.len() > self.limit {
            trim(&mut self.stalled, self.limit);
        }
    }
}

/// Partial board: owner -> their leads.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardAcc {
    pub owners: BTreeMap<String, OwnerBoardAcc>,
}

impl Merge for BoardAcc {
    fn merge(&mut self, other: &Self) {
        merge_map(&mut self.owners, &other.owners);
    }
}

/// The finished board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardReport {
    pub stall_days: f64,
    /// Every status that appears, in order of first appearance across owners sorted by name.
    pub statuses: Vec<String>,
    pub owners: Vec<OwnerBoard>,
}

/// One owner's row of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerBoard {
    pub owner: String,
    pub open_leads: u64,
    pub statuses: Vec<StatusCell>,
    pub stalled_count: u64,
    pub stalled: Vec<StalledLead>,
}

/// Leads an owner holds in one status and their days in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusCell {
    pub status: String,
    pub leads: u64,
    pub median_days: f64,
    pub max_days: f64,
}

pub(crate) fn board_report(
    acc: &BoardAcc,
    stall_days: f64,
    limit: usize,
    status_order: &[String],
) -> BoardReport {
    let mut statuses: Vec<String> = Vec::new();
    let owners = acc
        .owners
        .iter()
        .map(|(owner, o)| {
            let mut o = o.clone();
            o.finish(limit);
            let cells: Vec<StatusCell> = o
                .statuses
                .iter()
                .filter_map(|(status, h)| {
                    let s = h.stats()?;
                    Some(StatusCell {
                        status: status.clone(),
                        leads: s.count,
                        median_days: s.median_days,
                        max_days: s.max_days,
                    })
                })
                .collect();
            for c in &cells {
                if !statuses.contains(&c.status) {
                    statuses.push(c.status.clone());
                }
            }
            OwnerBoard {
                owner: owner.clone(),
                open_leads: cells.iter().map(|c| c.leads).sum(),
                statuses: cells,
                stalled_count: o.stalled_count,
                stalled: o.stalled,
            }
        })
        .collect();
    // Known statuses in their configured order, then any others by name.
    statuses.sort_by_key(|s| {
        (
            status_order
                .iter()
                .position(|k| k == s)
                .unwrap_or(usize::MAX),
            s.clone(),
        )
    });
    BoardReport {
        stall_days,
        statuses,
        owners,
    }
}
