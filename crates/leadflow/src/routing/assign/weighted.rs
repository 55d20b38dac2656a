//! Smooth weighted round robin (as in nginx): deterministic, and every window of
//! `sum(weights)/gcd` leads splits exactly by weight, interleaved rather than in bursts.
//!
//! Each pick adds every eligible rep's weight to their current value, takes the
//! highest (first in member order on ties) and subtracts the total from it.
//! Ineligible reps keep their current value, so they neither gain nor lose turns
//! while away.

use std::collections::BTreeMap;

use crate::routing::config::{RoutingConfig, Team};
use crate::routing::state::RoutingState;

/// Picks the rep and updates the team's counters.
pub(crate) fn pick(
    config: &RoutingConfig,
    team: &Team,
    eligible: &[&str],
    state: &mut RoutingState,
) -> Option<String> {
    let current = state.weighted.entry(team.name.clone()).or_default();
    // Forget reps that left the team.
    current.retain(|rep, _| team.members.contains(rep));
    let mut total: i64 = 0;
    let mut best: Option<(&str, i64)> = None;
    for m in team
        .members
        .iter()
        .map(String::as_str)
        .filter(|m| eligible.contains(m))
    {
        let weight = i64::from(config.rep(m).map_or(100, |r| r.weight));
        total += weight;
        let cur = current.entry(m.to_owned()).or_insert(0);
        *cur += weight;
        if best.is_none_or(|(_, b)| *cur > b) {
            best = Some((m, *cur));
        }
    }
    let (chosen, _) = best?;
    if let Some(cur) = current.get_mut(chosen) {
        *cur -= total;
    }
    Some(chosen.to_owned())
}

/// Counts per rep of `n` consecutive picks with everyone eligible (for docs and tests).
pub fn simulate(config: &RoutingConfig, team: &Team, n: usize) -> BTreeMap<String, usize> {
    let mut state = RoutingState::default();
    let all: Vec<&str> = team.members.iter().map(String::as_str).collect();
    let mut counts = BTreeMap::new();
    for _ in 0..n {
        if let Some(r) = pick(config, team, &all, &mut state) {
            *counts.entry(r).or_insert(0) += 1;
        }
    }
    counts
}
