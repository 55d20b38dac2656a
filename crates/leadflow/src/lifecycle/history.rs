//! Questions answered from history: when a record became X, how long it has been
//! in its current state, how long it spent in each state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{Dimension, Transition};
use crate::time::{Timestamp, days_between};

/// The first time the record entered `state` in `dimension`.
pub fn entered_at(history: &[Transition], dimension: Dimension, state: &str) -> Option<Timestamp> {
    entries(history, dimension)
        .find(|t| t.to == state)
        .map(|t| t.at)
}

/// The most recent time the record entered `state` in `dimension`.
pub fn last_entered_at(
    history: &[Transition],
    dimension: Dimension,
    state: &str,
) -> Option<Timestamp> {
    entries(history, dimension)
        .filter(|t| t.to == state)
        .map(|t| t.at)
        .last()
}

/// Days since the latest transition of `dimension`, as of `now`.
pub fn time_in_current(
    history: &[Transition],
    dimension: Dimension,
    now: Timestamp,
) -> Option<f64> {
    entries(history, dimension)
        .last()
        .map(|t| days_between(t.at, now).max(0.0))
}

/// Days spent in each state of `dimension` up to `now`, summed over every visit.
/// Entries after `now` are ignored.
pub fn cumulative_time(
    history: &[Transition],
    dimension: Dimension,
    now: Timestamp,
) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let mut current: Option<(&str, Timestamp)> = None;
    for t in entries(history, dimension).filter(|t| t.at <= now) {
        if let Some((state, since)) = current {
            *out.entry(state.to_owned()).or_insert(0.0) += days_between(since, t.at).max(0.0);
        }
        current = Some((t.to.as_str(), t.at));
    }
    if let Some((state, since)) = current {
        *out.entry(state.to_owned()).or_insert(0.0) += days_between(since, now).max(0.0);
    }
    out
}

/// One row of a stage timeline: a state, when it was first and last entered, and
/// the total days spent in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateTime {
    pub state: String,
    pub first_entered_at: Timestamp,
    pub last_entered_at: Timestamp,
    pub days: f64,
}

/// Every state the record visited in `dimension`, in order of first entry.
pub fn timeline(history: &[Transition], dimension: Dimension, now: Timestamp) -> Vec<StateTime> {
    let totals = cumulative_time(history, dimension, now);
    let mut out: Vec<StateTime> = Vec::new();
    for t in entries(history, dimension).filter(|t| t.at <= now) {
        match out.iter_mut().find(|r| r.state == t.to) {
            Some(row) => row.last_entered_at = t.at,
            None => out.push(StateTime {
                state: t.to.clone(),
                first_entered_at: t.at,
                last_entered_at: t.at,
                days: totals.get(&t.to).copied().unwrap_or(0.0),
            }),
        }
    }
    out
}

fn entries(history: &[Transition], dimension: Dimension) -> impl Iterator<Item = &Transition> {
    history.iter().filter(move |t| t.dimension == dimension)
}
