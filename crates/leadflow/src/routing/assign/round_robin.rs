//! Round robin: the next eligible member after the one who got the last lead.
//!
//! The pointer is the last rep's id, not an index, so adding or removing team
//! members does not shift everyone's turn.

use crate::routing::config::Team;
use crate::routing::state::RoutingState;

/// Team members in turn order: starting right after the last assigned rep.
pub(crate) fn turn_order<'a>(
    team: &'a Team,
    state: &RoutingState,
) -> impl Iterator<Item = &'a str> {
    let n = team.members.len();
    let start = state
        .last_assigned
        .get(&team.name)
        .and_then(|last| team.members.iter().position(|m| m == last))
        .map_or(0, |i| i + 1);
    (0..n).map(move |k| team.members[(start + k) % n].as_str())
}

/// Picks the first eligible member in turn order and moves the pointer to them.
pub(crate) fn pick(team: &Team, eligible: &[&str], state: &mut RoutingState) -> Option<String> {
    let chosen = turn_order(team, state)
        .find(|m| eligible.contains(m))?
        .to_owned();
    state.set_last_assigned(&team.name, &chosen);
    Some(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::config::Strategy;

    #[test]
    fn rotates_and_skips_ineligible() {
        let team = Team {
            name: "t".into(),
            strategy: Strategy::RoundRobin,
            members: vec!["a".into(), "b".into(), "c".into()],
        };
        let mut s = RoutingState::default();
        let all = ["a", "b", "c"];
        let got: Vec<_> = (0..4).map(|_| pick(&team, &all, &mut s).unwrap()).collect();
        assert_eq!(got, ["a", "b", "c", "a"]);
        assert_eq!(pick(&team, &["a", "c"], &mut s).unwrap(), "c");
        assert_eq!(pick(&team, &[], &mut s), None);
    }
}
