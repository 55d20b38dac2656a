//! Routing state: the value the host persists between calls and passes back.
//!
//! It holds rotation pointers (last rep per round-robin team), smooth weighted
//! round-robin counters, and per-rep lead counts keyed by the start of the
//! period (local day, ISO week starting Monday) they count. Same config + same
//! state + same lead + same `now` always give the same assignment.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::time::Timestamp;

use super::zone::Zone;

/// The count of leads a rep received in one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodCount {
    /// First local date of the period (the day itself, or the Monday of the week).
    pub start: NaiveDate,
    pub count: u32,
}

/// A rep's load in the current day and week (older periods are replaced, not kept).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RepLoad {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub day: Option<PeriodCount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub week: Option<PeriodCount>,
}

/// Persisted routing state; start with `RoutingState::default()` (JSON `{}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingState {
    /// Round-robin and least-loaded teams: the rep that got the last lead.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub last_assigned: BTreeMap<String, String>,
    /// Weighted teams: the current weight of each member (smooth weighted round robin).
    /// Read back only within ±[`MAX_WEIGHTED_COUNTER`].
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "bounded_counters"
    )]
    pub weighted: BTreeMap<String, BTreeMap<String, i64>>,
    /// Leads received per rep in the current periods.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub loads: BTreeMap<String, RepLoad>,
}

/// Largest magnitude of a weighted counter in a state read back: 2^53 - 1, the
/// largest integer JSON readers in JavaScript keep exactly. Real counters stay
/// within a few times the sum of a team's weights; anything beyond is a corrupted
/// or forged state, refused before it can wrap.
pub const MAX_WEIGHTED_COUNTER: i64 = (1 << 53) - 1;

fn bounded_counters<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, BTreeMap<String, i64>>, D::Error> {
    let teams = BTreeMap::<String, BTreeMap<String, i64>>::deserialize(d)?;
    for (team, reps) in &teams {
        for (rep, value) in reps {
            if value.unsigned_abs() > MAX_WEIGHTED_COUNTER.unsigned_abs() {
                return Err(serde::de::Error::custom(format!(
                    "weighted counter of rep {rep:?} in team {team:?} is {value}, \
                     beyond the allowed ±{MAX_WEIGHTED_COUNTER} (a corrupted state)"
                )));
            }
        }
    }
    Ok(teams)
}

impl PeriodCount {
    fn count_in(this: Option<PeriodCount>, start: NaiveDate) -> u32 {
        this.filter(|p| p.start == start).map_or(0, |p| p.count)
    }
}

impl RoutingState {
    /// Makes `rep` the last assigned rep of `team` (the round-robin pointer).
    pub(crate) fn set_last_assigned(&mut self, team: &str, rep: &str) {
        match self.last_assigned.get_mut(team) {
            Some(last) => {
                if last != rep {
                    rep.clone_into(last);
                }
            }
            None => {
                self.last_assigned.insert(team.to_owned(), rep.to_owned());
            }
        }
    }

    /// Leads `rep` received on the local day of `now` (in `zone`).
    pub fn day_count(&self, rep: &str, zone: &Zone, now: Timestamp) -> u32 {
        let load = self.loads.get(rep).copied().unwrap_or_default();
        PeriodCount::count_in(load.day, zone.local_date(now))
    }

    /// Leads `rep` received in the ISO week of `now` (in `zone`).
    pub fn week_count(&self, rep: &str, zone: &Zone, now: Timestamp) -> u32 {
        let load = self.loads.get(rep).copied().unwrap_or_default();
        PeriodCount::count_in(load.week, zone.week_start(now))
    }

    /// Counts one more lead for `rep` in the periods of `now`.
    pub(crate) fn record(&mut self, rep: &str, zone: Zone, now: Timestamp) {
        let day = zone.local_date(now);
        let week = zone.week_start(now);
        let load = match self.loads.get_mut(rep) {
            Some(load) => load,
            None => self.loads.entry(rep.to_owned()).or_default(),
        };
        load.day = Some(bump(load.day, day));
        load.week = Some(bump(load.week, week));
    }
}

fn bump(p: Option<PeriodCount>, start: NaiveDate) -> PeriodCount {
    match p {
        Some(p) if p.start == start => PeriodCount {
            start,
            // Saturating, not wrapping: a count at u32::MAX is at or above every cap.
            count: p.count.saturating_add(1),
        },
        // A later period starts from zero. An earlier `now` than the stored period
        // (hosts replaying old leads) also restarts the count: periods are not merged.
        _ => PeriodCount { start, count: 1 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    #[test]
    fn counts_reset_with_the_local_period() {
        let tokyo: Zone = "Asia/Tokyo".parse().unwrap();
        let mut s = RoutingState::default();
        let t1 = parse_timestamp("2026-03-02T14:00:00Z").unwrap(); // 23:00 Monday in Tokyo
        let t2 = parse_timestamp("2026-03-02T15:30:00Z").unwrap(); // 00:30 Tuesday in Tokyo
        s.record("a", tokyo, t1);
        s.record("a", tokyo, t1);
        assert_eq!(s.day_count("a", &tokyo, t1), 2);
        assert_eq!(s.day_count("a", &tokyo, t2), 0);
        assert_eq!(s.week_count("a", &tokyo, t2), 2);
        s.record("a", tokyo, t2);
        assert_eq!(s.day_count("a", &tokyo, t2), 1);
        assert_eq!(s.week_count("a", &tokyo, t2), 3);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["loads"]["a"]["day"]["start"], "2026-03-03");
        let back: RoutingState = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn absurd_weighted_counters_are_refused_on_read() {
        let state = |v: i64| {
            serde_json::from_value::<RoutingState>(
                serde_json::json!({"weighted": {"sales": {"ana": v, "ben": 0}}}),
            )
        };
        for v in [MAX_WEIGHTED_COUNTER, -MAX_WEIGHTED_COUNTER, 0] {
            assert!(state(v).is_ok(), "{v}");
        }
        for v in [i64::MAX, i64::MIN, MAX_WEIGHTED_COUNTER + 1] {
            let e = crate::Error::from(state(v).unwrap_err());
            assert_eq!(e.kind(), crate::ErrorKind::Validation, "{v}");
            assert!(e.message().contains("\"ana\""), "{e}");
        }
    }
}
