//! Smooth weighted round robin (as in nginx): deterministic, and every window of
//! `sum(weights)/gcd` leads splits exactly by weight, interleaved rather than in bursts.
//!
//! Each pick adds every eligible rep's weight to their current value, takes the
//! highest (first in member order on ties) and subtracts the total from it.
//! Ineligible reps keep their current value, so they neither gain nor lose turns
//! while away.

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::routing::config::{RoutingConfig, Team};
use crate::routing::state::RoutingState;

/// Picks the rep and updates the team's counters. A counter that would leave the
/// i64 range (a state built in memory past [`MAX_WEIGHTED_COUNTER`]) is a
/// `ValidationError` and leaves the counters as they were: never a wrap.
///
/// [`MAX_WEIGHTED_COUNTER`]: crate::routing::state::MAX_WEIGHTED_COUNTER
pub(crate) fn pick(
    config: &RoutingConfig,
    team: &Team,
    eligible: &[&str],
    state: &mut RoutingState,
) -> Result<Option<String>> {
    let current = state.weighted.entry(team.name.clone()).or_default();
    // Forget reps that left the team.
    current.retain(|rep, _| team.members.contains(rep));
    let members: Vec<&str> = team
        .members
        .iter()
        .map(String::as_str)
        .filter(|m| eligible.contains(m))
        .collect();
    // Computed on a copy, committed only when every step fits.
    let mut next = current.clone();
    let mut total: i64 = 0;
    let mut best: Option<(&str, i64)> = None;
    for m in members {
        let weight = i64::from(config.rep(m).map_or(100, |r| r.weight));
        total = total
            .checked_add(weight)
            .ok_or_else(|| overflow(team, m, "the sum of weights"))?;
        let cur = next.entry(m.to_owned()).or_insert(0);
        *cur = cur
            .checked_add(weight)
            .ok_or_else(|| overflow(team, m, "its counter"))?;
        if best.is_none_or(|(_, b)| *cur > b) {
            best = Some((m, *cur));
        }
    }
    let Some((chosen, _)) = best else {
        return Ok(None);
    };
    if let Some(cur) = next.get_mut(chosen) {
        *cur = cur
            .checked_sub(total)
            .ok_or_else(|| overflow(team, chosen, "its counter"))?;
    }
    *current = next;
    Ok(Some(chosen.to_owned()))
}

fn overflow(team: &Team, rep: &str, what: &str) -> Error {
    Error::validation(format!(
        "routing state: {what} of rep {rep:?} in weighted team {:?} overflows (a corrupted state)",
        team.name
    ))
    .with_field(format!("state.weighted.{}.{rep}", team.name))
}

/// Counts per rep of `n` consecutive picks with everyone eligible (for docs and tests).
pub fn simulate(config: &RoutingConfig, team: &Team, n: usize) -> BTreeMap<String, usize> {
    let mut state = RoutingState::default();
    let all: Vec<&str> = team.members.iter().map(String::as_str).collect();
    let mut counts = BTreeMap::new();
    for _ in 0..n {
        if let Ok(Some(r)) = pick(config, team, &all, &mut state) {
            *counts.entry(r).or_insert(0) += 1;
        }
    }
    counts
}
