//! Smooth weighted round robin (as in nginx): deterministic, and every window of
//! `sum(weights)/gcd` leads splits exactly by weight, interleaved rather than in bursts.
//!
//! Each pick adds every eligible rep's weight to their current value, takes the
//! highest (first in member order on ties) and subtracts the total from it.
//! Ineligible reps keep their current value, so they neither gain nor lose turns
//! while away.

use std::collections::BTreeMap;

use smallvec::SmallVec;

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
    let current = match state.weighted.get_mut(&team.name) {
        Some(current) => current,
        None => state.weighted.entry(team.name.clone()).or_default(),
    };
    // Forget reps that left the team.
    current.retain(|rep, _| team.members.contains(rep));
    // The eligible members' next counters, computed aside and committed only
    // when every step fits (a member listed twice counts twice, as before).
    let mut next: SmallVec<[(&str, i64); 8]> = SmallVec::new();
    let mut total: i64 = 0;
    let mut best: Option<(&str, i64)> = None;
    for m in team
        .members
        .iter()
        .map(String::as_str)
        .filter(|m| eligible.contains(m))
    {
        let weight = i64::from(config.rep(m).map_or(100, |r| r.weight));
        total = total
            .checked_add(weight)
            .ok_or_else(|| overflow(team, m, "the sum of weights"))?;
        let at = if let Some(at) = next.iter().position(|(n, _)| *n == m) {
            at
        } else {
            next.push((m, current.get(m).copied().unwrap_or(0)));
            next.len() - 1
        };
        let cur = &mut next[at].1;
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
    if let Some((_, cur)) = next.iter_mut().find(|(n, _)| *n == chosen) {
        *cur = cur
            .checked_sub(total)
            .ok_or_else(|| overflow(team, chosen, "its counter"))?;
    }
    for (m, value) in next {
        match current.get_mut(m) {
            Some(cur) => *cur = value,
            None => {
                current.insert(m.to_owned(), value);
            }
        }
    }
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

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The implementation before counters were computed aside: on a copy of the map.
    fn reference(
        config: &RoutingConfig,
        team: &Team,
        eligible: &[&str],
        state: &mut RoutingState,
    ) -> Result<Option<String>> {
        let current = state.weighted.entry(team.name.clone()).or_default();
        current.retain(|rep, _| team.members.contains(rep));
        let members: Vec<&str> = team
            .members
            .iter()
            .map(String::as_str)
            .filter(|m| eligible.contains(m))
            .collect();
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

    const NAMES: [&str; 5] = ["a", "b", "c", "d", "e"];

    proptest! {
        #[test]
        fn picks_and_counters_equal_the_reference(
            members in prop::collection::vec(0usize..5, 0..6),
            weights in prop::collection::vec(1u32..=300, 5),
            eligible in prop::collection::vec(any::<bool>(), 5),
            start in prop::collection::vec((0usize..5, prop_oneof![-300i64..300, Just(i64::MAX - 50), Just(i64::MIN + 50)]), 0..5),
            rounds in 1usize..6,
        ) {
            let reps: Vec<_> = NAMES
                .iter()
                .zip(&weights)
                .map(|(n, w)| serde_json::json!({"id": n, "weight": w}))
                .collect();
            let members: Vec<&str> = members.iter().map(|&i| NAMES[i]).collect();
            let config: RoutingConfig = serde_json::from_value(serde_json::json!({
                "fallback_queue": "q",
                "reps": reps,
                "teams": [{"name": "t", "strategy": "weighted", "members": members}],
            }))
            .unwrap();
            let team = &config.teams[0];
            let eligible: Vec<&str> = NAMES
                .iter()
                .zip(&eligible)
                .filter(|(_, e)| **e)
                .map(|(n, _)| *n)
                .collect();
            let mut state = RoutingState::default();
            let counters = state.weighted.entry("t".into()).or_default();
            for (i, v) in start {
                counters.insert(NAMES[i].to_owned(), v);
            }
            let mut expected = state.clone();
            for _ in 0..rounds {
                let got = pick(&config, team, &eligible, &mut state);
                let want = reference(&config, team, &eligible, &mut expected);
                prop_assert_eq!(
                    got.map_err(|e| e.to_string()),
                    want.map_err(|e| e.to_string())
                );
                prop_assert_eq!(&state, &expected);
            }
        }
    }
}
