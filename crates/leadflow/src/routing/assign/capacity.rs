//! Least loaded: the eligible member with the fewest leads today relative to
//! their weight (`count * 100 / weight`); ties go to the next in round-robin turn.

use crate::routing::config::{RoutingConfig, Team};
use crate::routing::state::RoutingState;
use crate::time::Timestamp;

use super::round_robin::turn_order;

/// Picks the rep and moves the team's round-robin pointer to them.
pub(crate) fn pick(
    config: &RoutingConfig,
    team: &Team,
    eligible: &[&str],
    state: &mut RoutingState,
    now: Timestamp,
) -> Option<String> {
    // (count, weight) compared by cross-multiplication: exact, no division.
    let load = |m: &str| {
        config.rep(m).map_or((0u64, 100u64), |r| {
            (
                u64::from(state.day_count(m, &r.time_zone, now)),
                u64::from(r.weight),
            )
        })
    };
    let mut best: Option<(&str, (u64, u64))> = None;
    for m in turn_order(team, state).filter(|m| eligible.contains(m)) {
        let l = load(m);
        if best.is_none_or(|(_, b)| l.0 * b.1 < b.0 * l.1) {
            best = Some((m, l));
        }
    }
    let chosen = best?.0.to_owned();
    state.set_last_assigned(&team.name, &chosen);
    Some(chosen)
}
