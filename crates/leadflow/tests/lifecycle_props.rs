//! Property tests: random sequences of lifecycle moves never leave a record in a
//! state outside the configured set, and history always agrees with the state.

#![allow(clippy::float_cmp)] // values are copied from config: exact equality is the property

use chrono::TimeDelta;
use leadflow::lifecycle::{Change, Pipeline, TouchOutcome};
use leadflow::model::{Dimension, Lead, Transition};
use leadflow::{ErrorKind, parse_timestamp};
use proptest::prelude::*;

const STAGES: &[&str] = &[
    "subscriber",
    "lead",
    "mql",
    "sal",
    "sql",
    "opportunity",
    "customer",
    "evangelist",
    "other",
    "bogus",
];
const STATUSES: &[&str] = &[
    "new",
    "attempting",
    "connected",
    "qualified",
    "unqualified",
    "nurture",
    "converted",
    "bogus",
];
const OPP_STAGES: &[&str] = &[
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Proposal",
    "Negotiation",
    "Closed Won",
    "Closed Lost",
    "Bogus",
];

#[derive(Debug, Clone)]
enum Op {
    Advance(usize, bool),
    Recycle(usize, bool),
    Status(usize, bool),
    Touch(bool),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..STAGES.len(), any::<bool>()).prop_map(|(i, r)| Op::Advance(i, r)),
        (0..STAGES.len(), any::<bool>()).prop_map(|(i, r)| Op::Recycle(i, r)),
        (0..STATUSES.len(), any::<bool>()).prop_map(|(i, r)| Op::Status(i, r)),
        any::<bool>().prop_map(Op::Touch),
    ]
}

/// Each dimension's history is a chain: every entry starts where the previous ended,
/// and the last entry is the current state.
fn assert_chain(history: &[Transition], dim: Dimension, current: Option<&str>) {
    let mut prev: Option<&str> = None;
    for t in history.iter().filter(|t| t.dimension == dim) {
        assert_eq!(t.from.as_deref(), prev, "history chain broken at {t:?}");
        prev = Some(&t.to);
    }
    assert_eq!(prev, current);
}

proptest! {
    #[test]
    fn lead_moves_stay_in_config_and_history_is_consistent(ops in prop::collection::vec(op(), 0..40)) {
        let p = Pipeline::default();
        let start = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
        let mut lead = Lead::new("L-1", start);
        for (i, op) in ops.iter().enumerate() {
            let mut ch = Change::new(start + TimeDelta::hours(i64::try_from(i).unwrap()));
            let before = lead.clone();
            let result = match op {
                Op::Advance(s, r) | Op::Recycle(s, r) | Op::Status(s, r) if *r => { ch = ch.reason("because"); let _ = s; Ok(()) }
                _ => Ok(()),
            }.and_then(|()| match op {
                Op::Advance(s, _) => p.advance_stage(&mut lead, STAGES[*s], &ch).map(drop),
                Op::Recycle(s, _) => p.recycle_stage(&mut lead, STAGES[*s], &ch).map(drop),
                Op::Status(s, _) => p.set_status(&mut lead, STATUSES[*s], &ch).map(drop),
                Op::Touch(c) => {
                    let outcome = if *c { TouchOutcome::Connected } else { TouchOutcome::Attempt };
                    p.record_touch(&mut lead, outcome, &ch).map(drop)
                }
            });
            if let Err(e) = result {
                prop_assert!(matches!(e.kind(), ErrorKind::InvalidTransition | ErrorKind::NotFound), "{e}");
                prop_assert_eq!(e.record(), Some("L-1"));
                prop_assert_eq!(&lead, &before, "a refused move must change nothing");
            }
            if let Some(stage) = &lead.stage {
                prop_assert!(p.is_stage(stage));
            }
            if let Some(status) = &lead.status {
                prop_assert!(p.config().lead_statuses.states.contains(status));
                prop_assert!(status != "converted");
            }
        }
        assert_chain(&lead.history, Dimension::Stage, lead.stage.as_deref());
        assert_chain(&lead.history, Dimension::Status, lead.status.as_deref());
        for t in &lead.history {
            if matches!(t.kind, leadflow::model::TransitionKind::Recycle) {
                prop_assert!(t.reason.is_some(), "recycles always carry a reason");
            }
        }
    }

    #[test]
    fn opportunity_moves_keep_flags_consistent(moves in prop::collection::vec((0..OPP_STAGES.len(), any::<bool>()), 0..30)) {
        let p = Pipeline::default();
        let start = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
        let mut opp = p.open_opportunity("O-1", "Deal", "A-1", &Change::new(start));
        for (i, (s, reason)) in moves.iter().enumerate() {
            let mut ch = Change::new(start + TimeDelta::hours(i64::try_from(i).unwrap() + 1));
            if *reason {
                ch = ch.reason("why");
            }
            let before = opp.clone();
            if p.move_opportunity(&mut opp, OPP_STAGES[*s], &ch).is_err() {
                prop_assert_eq!(&opp, &before);
            }
            let def = p.opportunity_stage(&opp.stage).expect("stage stays in config");
            prop_assert_eq!(opp.probability, def.probability);
            prop_assert_eq!(opp.forecast_category, def.forecast_category);
            prop_assert_eq!((opp.is_closed, opp.is_won), (def.is_closed, def.is_won));
            prop_assert_eq!(opp.lost_reason.is_some(), opp.is_closed && !opp.is_won);
        }
        assert_chain(&opp.history, Dimension::OpportunityStage, Some(opp.stage.as_str()));
    }
}
