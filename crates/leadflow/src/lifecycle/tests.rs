// Probabilities are copied from the config, so exact equality is the property under test.
#![allow(clippy::float_cmp)]

use super::history::{cumulative_time, entered_at, time_in_current, timeline};
use super::*;
use crate::ErrorKind;
use crate::model::{ConversionRef, Dimension, Lead, TransitionKind};
use crate::time::{Timestamp, parse_timestamp};

fn ts(s: &str) -> Timestamp {
    parse_timestamp(s).unwrap()
}

fn lead() -> Lead {
    Lead::new("L-1", ts("2026-01-01T00:00:00Z"))
}

fn at(day: u32) -> Change {
    Change::new(ts(&format!("2026-01-{day:02}T00:00:00Z"))).actor("tester")
}

#[test]
fn built_in_config_is_valid() {
    LifecycleConfig::default().validate().unwrap();
}

#[test]
fn place_then_forward_skip_and_history() {
    let p = Pipeline::default();
    let mut l = lead();
    p.place(&mut l, &at(1)).unwrap();
    assert_eq!(l.stage.as_deref(), Some("lead"));
    assert_eq!(l.status.as_deref(), Some("new"));
    assert_eq!(
        p.advance_stage(&mut l, "mql", &at(2)).unwrap().kind,
        TransitionKind::Advance
    );
    let t = p.advance_stage(&mut l, "sql", &at(3)).unwrap();
    assert_eq!(
        (t.kind, t.from.as_deref()),
        (TransitionKind::Skip, Some("mql"))
    );
    assert_eq!(
        entered_at(&l.history, Dimension::Stage, "mql"),
        Some(ts("2026-01-02T00:00:00Z"))
    );
    assert_eq!(l.history.len(), 4);
}

#[test]
fn backward_move_is_refused_with_both_stages() {
    let p = Pipeline::default();
    let mut l = lead();
    p.advance_stage(&mut l, "sql", &at(2)).unwrap();
    let before = l.clone();
    let e = p.advance_stage(&mut l, "mql", &at(3)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTransition);
    assert_eq!(e.record(), Some("L-1"));
    assert_eq!(e.details().unwrap()["from"], "sql");
    assert_eq!(e.details().unwrap()["to"], "mql");
    assert_eq!(l, before, "a refused move changes nothing");
    // Same stage is not silently accepted either.
    assert_eq!(
        p.advance_stage(&mut l, "sql", &at(3)).unwrap_err().kind(),
        ErrorKind::InvalidTransition
    );
}

#[test]
fn recycle_requires_reason_and_direction() {
    let p = Pipeline::default();
    let mut l = lead();
    p.advance_stage(&mut l, "sal", &at(2)).unwrap();
    assert!(p.recycle_stage(&mut l, "lead", &at(3)).is_err());
    assert!(p.recycle_stage(&mut l, "sql", &at(3).reason("x")).is_err());
    let t = p
        .recycle_stage(&mut l, "lead", &at(3).reason("no_budget"))
        .unwrap();
    assert_eq!(
        (t.kind, t.reason.as_deref()),
        (TransitionKind::Recycle, Some("no_budget"))
    );
}

#[test]
fn recycle_reasons_can_be_restricted() {
    let mut cfg = LifecycleConfig::default();
    cfg.lead_stages.recycle_reasons = Some(vec!["timing".into()]);
    let p = Pipeline::new(cfg).unwrap();
    let mut l = lead();
    p.advance_stage(&mut l, "mql", &at(2)).unwrap();
    assert!(
        p.recycle_stage(&mut l, "lead", &at(3).reason("whatever"))
            .is_err()
    );
    p.recycle_stage(&mut l, "lead", &at(3).reason("timing"))
        .unwrap();
}

#[test]
fn unknown_stage_is_not_found() {
    let p = Pipeline::default();
    let e = p.advance_stage(&mut lead(), "won", &at(2)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
}

#[test]
fn off_ladder_other_reachable_both_ways() {
    let p = Pipeline::default();
    let mut l = lead();
    p.advance_stage(&mut l, "sql", &at(2)).unwrap();
    p.advance_stage(&mut l, "other", &at(3)).unwrap();
    p.advance_stage(&mut l, "lead", &at(4)).unwrap();
}

#[test]
fn touches_drive_status_and_attempts() {
    let p = Pipeline::default();
    let mut l = lead();
    let moved = p
        .record_touch(&mut l, TouchOutcome::Attempt, &at(2))
        .unwrap();
    assert_eq!(moved.unwrap().to, "attempting");
    assert!(
        p.record_touch(&mut l, TouchOutcome::Attempt, &at(3))
            .unwrap()
            .is_none()
    );
    assert_eq!(l.attempts, 2);
    p.record_touch(&mut l, TouchOutcome::Connected, &at(4))
        .unwrap();
    assert_eq!((l.status.as_deref(), l.attempts), (Some("connected"), 0));
    // A follow-up attempt after a connect keeps the lead connected.
    assert!(
        p.record_touch(&mut l, TouchOutcome::Attempt, &at(5))
            .unwrap()
            .is_none()
    );
    assert_eq!(l.status.as_deref(), Some("connected"));
}

#[test]
fn nurture_needs_reason_and_converted_only_via_conversion() {
    let p = Pipeline::default();
    let mut l = lead();
    assert!(p.set_status(&mut l, "nurture", &at(2)).is_err());
    let t = p
        .set_status(&mut l, "nurture", &at(2).reason("no_connect"))
        .unwrap();
    assert_eq!(t.kind, TransitionKind::Recycle);
    assert_eq!(
        p.set_status(&mut l, "attempting", &at(3)).unwrap().kind,
        TransitionKind::Reopen
    );
    assert_eq!(
        p.set_status(&mut l, "converted", &at(4))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidTransition
    );
    assert_eq!(
        p.set_status(&mut l, "nope", &at(4)).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn converted_lead_is_read_only() {
    let p = Pipeline::default();
    let mut l = lead();
    p.advance_stage(&mut l, "sql", &at(2)).unwrap();
    let conv = ConversionRef {
        converted_at: ts("2026-01-05T00:00:00Z"),
        account_id: "A-1".into(),
        contact_id: "C-1".into(),
        opportunity_id: Some("O-1".into()),
    };
    let moves = p.mark_converted(&mut l, conv, &at(5)).unwrap();
    assert_eq!(moves.len(), 2);
    assert_eq!(
        (l.stage.as_deref(), l.status.as_deref()),
        (Some("opportunity"), Some("converted"))
    );
    for e in [
        p.advance_stage(&mut l, "customer", &at(6)).unwrap_err(),
        p.set_status(&mut l, "nurture", &at(6).reason("x"))
            .unwrap_err(),
        p.record_touch(&mut l, TouchOutcome::Attempt, &at(6))
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::InvalidTransition);
    }
}

#[test]
fn opportunity_copies_stage_values_and_requires_lost_reason() {
    let p = Pipeline::default();
    let mut o = p.open_opportunity("O-1", "Acme", "A-1", &at(1));
    assert_eq!((o.stage.as_str(), o.probability), ("Prospecting", 10.0));
    p.move_opportunity(&mut o, "Proposal", &at(2)).unwrap();
    assert_eq!(o.probability, 65.0);
    assert!(p.move_opportunity(&mut o, "Closed Lost", &at(3)).is_err());
    assert!(
        p.move_opportunity(&mut o, "Qualification", &at(3)).is_err(),
        "backward needs a reason"
    );
    p.move_opportunity(&mut o, "Closed Lost", &at(3).reason("price"))
        .unwrap();
    assert!(o.is_closed && !o.is_won);
    assert_eq!(o.lost_reason.as_deref(), Some("price"));
    assert!(
        p.move_opportunity(&mut o, "Negotiation", &at(4)).is_err(),
        "re-open needs a reason"
    );
    let t = p
        .move_opportunity(&mut o, "Negotiation", &at(4).reason("budget found"))
        .unwrap();
    assert_eq!(t.kind, TransitionKind::Reopen);
    assert!(o.lost_reason.is_none() && !o.is_closed);
    p.move_opportunity(&mut o, "Closed Won", &at(5)).unwrap();
    assert!(o.is_won && o.is_closed && o.probability == 100.0);
}

#[test]
fn time_queries() {
    let p = Pipeline::default();
    let mut l = lead();
    p.place(&mut l, &at(1)).unwrap();
    p.advance_stage(&mut l, "mql", &at(3)).unwrap();
    p.recycle_stage(&mut l, "lead", &at(4).reason("timing"))
        .unwrap();
    p.advance_stage(&mut l, "mql", &at(10)).unwrap();
    let now = ts("2026-01-11T12:00:00Z");
    let cum = cumulative_time(&l.history, Dimension::Stage, now);
    assert!((cum["lead"] - 8.0).abs() < 1e-9);
    assert!((cum["mql"] - 2.5).abs() < 1e-9);
    assert!((time_in_current(&l.history, Dimension::Stage, now).unwrap() - 1.5).abs() < 1e-9);
    let tl = timeline(&l.history, Dimension::Stage, now);
    assert_eq!(
        tl.iter().map(|r| r.state.as_str()).collect::<Vec<_>>(),
        ["lead", "mql"]
    );
    assert_eq!(tl[1].last_entered_at, ts("2026-01-10T00:00:00Z"));
}

#[test]
fn config_validation_errors() {
    let bad = [
        (
            r#"{"lead_stages": {"ladder": ["a", "a"], "initial": "a"}}"#,
            "duplicate",
        ),
        (
            r#"{"lead_stages": {"ladder": ["a"], "initial": "b"}}"#,
            "unknown",
        ),
        (
            r#"{"lead_statuses": {"states": ["n", "d"], "initial": "n", "transitions": {"n": ["x"]}, "terminal": ["d"]}}"#,
            "unknown",
        ),
        (
            r#"{"lead_statuses": {"states": ["n"], "initial": "n", "transitions": {}, "terminal": []}}"#,
            "terminal",
        ),
        (
            r#"{"opportunity_stages": {"stages": [{"name": "P", "probability": 10, "forecast_category": "pipeline"}], "initial": "P"}}"#,
            "closed",
        ),
        (
            r#"{"lead_stages": {"ladder": ["a"], "initial": "a", "colour": "red"}}"#,
            "unknown field",
        ),
    ];
    for (text, needle) in bad {
        let e = Pipeline::from_str(text, ConfigFormat::Json).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{text}");
        assert!(
            e.to_string().contains(needle),
            "{e} should mention {needle}"
        );
    }
}

#[test]
fn yaml_and_toml_configs_with_positions() {
    let yaml = "lead_stages:\n  ladder: [new, hot, won]\n  initial: new\n";
    let p = Pipeline::from_str(yaml, ConfigFormat::Yaml).unwrap();
    assert_eq!(p.stage_ladder(), ["new", "hot", "won"]);
    let toml = "[lead_stages]\nladder = [\"a\", \"b\"]\ninitial = \"a\"\nbogus = 1\n";
    let e = Pipeline::from_str(toml, ConfigFormat::Toml).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.line(), Some(4));
}

#[test]
fn a_move_dated_before_the_previous_entry_is_refused_with_both_dates() {
    let p = Pipeline::default();
    let mut l = lead();
    p.advance_stage(&mut l, "mql", &at(5)).unwrap();
    p.set_status(&mut l, "attempting", &at(5)).unwrap();
    let before = l.clone();
    for e in [
        p.advance_stage(&mut l, "sql", &at(4)).unwrap_err(),
        p.recycle_stage(&mut l, "lead", &at(4).reason("no budget"))
            .unwrap_err(),
        p.set_status(&mut l, "connected", &at(3)).unwrap_err(),
        p.record_touch(&mut l, TouchOutcome::Connected, &at(3))
            .unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::InvalidTransition, "{e}");
        assert_eq!(e.record(), Some("L-1"));
        let d = e.details().unwrap();
        assert_eq!(d["previous_at"], "2026-01-05T00:00:00Z", "{e}");
        assert!(e.message().contains("2026-01-05T00:00:00+00:00"), "{e}");
    }
    assert_eq!(l, before, "a refused move changes nothing");
    // Equal times stay allowed; the other dimension has its own order.
    p.advance_stage(&mut l, "sql", &at(5)).unwrap();
    let e = p
        .mark_converted(
            &mut l,
            ConversionRef {
                converted_at: ts("2026-01-02T00:00:00Z"),
                account_id: "A-1".into(),
                contact_id: "C-1".into(),
                opportunity_id: Some("O-1".into()),
            },
            &at(2),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTransition);
    assert!(l.conversion.is_none());
}

#[test]
fn an_opportunity_move_before_its_last_stage_change_is_refused() {
    let p = Pipeline::default();
    let mut o = p.open_opportunity("O-1", "Deal", "A-1", &at(10));
    let stages: Vec<String> = p
        .config()
        .opportunity_stages
        .stages
        .iter()
        .map(|d| d.name.clone())
        .collect();
    let e = p.move_opportunity(&mut o, &stages[1], &at(9)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidTransition);
    assert_eq!(e.details().unwrap()["at"], "2026-01-09T00:00:00Z");
    assert_eq!(e.details().unwrap()["previous_at"], "2026-01-10T00:00:00Z");
    assert_eq!(o.history.len(), 1);
    p.move_opportunity(&mut o, &stages[1], &at(10)).unwrap();
}
