use serde_json::json;

use super::*;
use crate::model::{Activity, Dimension, Lead, Transition, TransitionKind};
use crate::time::{Timestamp, parse_timestamp};

fn ts(s: &str) -> Timestamp {
    parse_timestamp(s).unwrap()
}

fn config() -> SlaConfig {
    let c: SlaConfig = serde_json::from_value(json!({
        "segmentation": {"segments": [{"name": "smb", "max_employees": 199}, {"name": "enterprise", "min_employees": 1000}]},
        "first_touch": [
            {"name": "enterprise", "segments": ["enterprise"], "from": "mql", "within_minutes": 5},
            {"name": "default", "within_minutes": 60}
        ],
        "follow_up": {"within_minutes": 1440},
        "max_days_in_status": {"new": 2}
    }))
    .unwrap();
    c.validate().unwrap();
    c
}

fn lead(created: &str) -> Lead {
    let mut l = Lead::new("L1", ts(created));
    l.status = Some("new".into());
    l
}

fn first(c: &SlaConfig, l: &Lead, now: &str) -> SlaStatus {
    c.evaluate(l, ts(now))
        .slas
        .into_iter()
        .find(|s| s.sla == SlaKind::FirstTouch)
        .unwrap()
}

#[test]
fn exactly_at_the_deadline_is_not_breached() {
    let c = config();
    let l = lead("2026-03-02T09:00:00Z");
    let s = first(&c, &l, "2026-03-02T10:00:00Z");
    assert_eq!(
        (s.state, s.breached, s.remaining_seconds),
        (SlaState::Pending, false, Some(0))
    );
    assert_eq!(s.due_at, Some(ts("2026-03-02T10:00:00Z")));
    let s = first(&c, &l, "2026-03-02T10:00:01Z");
    assert_eq!(
        (s.state, s.breached, s.remaining_seconds),
        (SlaState::Breached, true, Some(-1))
    );
    // A touch exactly at the deadline meets it.
    let mut touched = l.clone();
    touched
        .activities
        .push(Activity::new("call_attempt", ts("2026-03-02T10:00:00Z")));
    let s = first(&c, &touched, "2026-03-03T00:00:00Z");
    assert_eq!(
        (s.state, s.met_at),
        (SlaState::Met, Some(ts("2026-03-02T10:00:00Z")))
    );
    let r = c.evaluate(&touched, ts("2026-03-03T00:00:00Z"));
    assert_eq!(r.speed_to_lead_seconds, Some(3600));
}

#[test]
fn offsets_compare_as_instants() {
    let c = config();
    // 18:00+09:00 is 09:00Z: the deadline is 10:00Z = 19:00+09:00.
    let mut l = lead("2026-03-02T18:00:00+09:00");
    let s = first(&c, &l, "2026-03-02T10:00:00Z");
    assert_eq!((s.state, s.remaining_seconds), (SlaState::Pending, Some(0)));
    l.activities
        .push(Activity::new("email_sent", ts("2026-03-02T10:00:01Z")));
    let s = first(&c, &l, "2026-03-02T19:30:00+09:00");
    assert_eq!(
        (s.state, s.breached),
        (SlaState::Breached, true),
        "touched one second late"
    );
    assert_eq!(
        c.evaluate(&l, ts("2026-03-02T19:30:00+09:00"))
            .speed_to_lead_seconds,
        Some(3601)
    );
    // Activities after `now` do not count yet.
    let s = first(&c, &l, "2026-03-02T10:00:00Z");
    assert_eq!(s.state, SlaState::Pending);
}

#[test]
fn enterprise_clock_starts_at_mql() {
    let c = config();
    let mut l = lead("2026-03-02T09:00:00Z");
    l.employees = Some(5000);
    let s = first(&c, &l, "2026-03-03T09:00:00Z");
    assert_eq!(
        (s.policy.as_str(), s.state),
        ("enterprise", SlaState::NotStarted)
    );
    l.history.push(Transition {
        dimension: Dimension::Stage,
        from: Some("lead".into()),
        to: "mql".into(),
        at: ts("2026-03-04T12:00:00Z"),
        kind: TransitionKind::Advance,
        actor: None,
        reason: None,
    });
    let s = first(&c, &l, "2026-03-04T12:04:00Z");
    assert_eq!(
        (s.state, s.remaining_seconds),
        (SlaState::Pending, Some(60))
    );
    l.activities
        .push(Activity::new("call_connected", ts("2026-03-04T12:03:00Z")));
    let r = c.evaluate(&l, ts("2026-03-04T13:00:00Z"));
    assert_eq!(r.slas[0].state, SlaState::Met);
    assert_eq!(r.speed_to_lead_seconds, Some(180));
}

#[test]
fn closed_leads_are_waived_and_other_slas_apply() {
    let c = config();
    let mut l = lead("2026-03-02T09:00:00Z");
    let r = c.evaluate(&l, ts("2026-03-05T09:00:00Z"));
    let tis = r
        .slas
        .iter()
        .find(|s| s.sla == SlaKind::TimeInStatus)
        .unwrap();
    assert_eq!(
        (tis.state, tis.due_at),
        (SlaState::Breached, Some(ts("2026-03-04T09:00:00Z")))
    );
    assert_eq!(
        c.breaches(std::slice::from_ref(&l), ts("2026-03-05T09:00:00Z"))
            .len(),
        2
    );
    l.status = Some("unqualified".into());
    assert_eq!(
        first(&c, &l, "2026-03-05T09:00:00Z").state,
        SlaState::Waived
    );
    l.status = Some("attempting".into());
    l.activities
        .push(Activity::new("call_attempt", ts("2026-03-02T09:30:00Z")));
    let r = c.evaluate(&l, ts("2026-03-03T09:30:00Z"));
    let fu = r.slas.iter().find(|s| s.sla == SlaKind::FollowUp).unwrap();
    assert_eq!(
        (fu.state, fu.remaining_seconds),
        (SlaState::Pending, Some(0))
    );
}

#[test]
fn business_hours_stretch_the_deadline() {
    let mut c = config();
    c.business_hours = Some(
        serde_json::from_value(
            json!({"time_zone": "America/New_York", "start": "09:00", "end": "17:00"}),
        )
        .unwrap(),
    );
    // Friday 16:30 New York + 60 business minutes = Monday 09:30.
    let l = lead("2026-03-06T16:30:00-05:00");
    let s = first(&c, &l, "2026-03-07T12:00:00Z");
    assert_eq!(
        s.due_at,
        Some(ts("2026-03-09T09:30:00-04:00")),
        "DST starts on 8 March"
    );
    assert_eq!(s.state, SlaState::Pending);
}

#[test]
fn bad_policies_name_the_rule() {
    let c: SlaConfig =
        serde_json::from_value(json!({"first_touch": [{"name": "x", "within_minutes": 0}]}))
            .unwrap();
    let e = c.validate().unwrap_err();
    assert_eq!(
        (e.rule(), e.field()),
        (Some("x"), Some("first_touch[0].within_minutes"))
    );
    let e = SlaConfig::from_str(
        "first_touch:\n  - name: y\n    within: 5\n",
        crate::routing::ConfigFormat::Yaml,
    )
    .unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Config);
}

fn config_with(extra: &serde_json::Value) -> SlaConfig {
    let mut v = json!({"first_touch": [{"name": "default", "within_minutes": 60}]});
    if let (Some(base), Some(more)) = (v.as_object_mut(), extra.as_object()) {
        base.extend(more.clone());
    }
    serde_json::from_value(v).unwrap()
}

#[test]
fn out_of_range_durations_are_config_errors_naming_the_key() {
    for (extra, field) in [
        (
            json!({"first_touch": [{"name": "x", "within_minutes": i64::MAX}]}),
            "first_touch[0].within_minutes",
        ),
        (
            json!({"first_touch": [{"name": "x", "within_minutes": 1_000_000_000_000_i64}]}),
            "first_touch[0].within_minutes",
        ),
        (
            json!({"follow_up": {"within_minutes": MAX_WITHIN_MINUTES + 1}}),
            "follow_up.within_minutes",
        ),
        (
            json!({"max_days_in_status": {"new": 1e300}}),
            "max_days_in_status.new",
        ),
        (
            json!({"max_days_in_status": {"new": MAX_DAYS_IN_STATUS + 1.0}}),
            "max_days_in_status.new",
        ),
    ] {
        let e = config_with(&extra).validate().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config, "{extra}");
        assert_eq!(e.field(), Some(field), "{extra}");
    }
    // The edges themselves are fine.
    config_with(&json!({
        "first_touch": [{"name": "x", "within_minutes": MAX_WITHIN_MINUTES}],
        "max_days_in_status": {"new": MAX_DAYS_IN_STATUS}
    }))
    .validate()
    .unwrap();
}

#[test]
fn unvalidated_huge_durations_are_reported_not_a_panic() {
    let c = config_with(&json!({
        "first_touch": [{"name": "x", "within_minutes": i64::MAX}],
        "follow_up": {"within_minutes": i64::MAX, "statuses": ["new"]},
        "max_days_in_status": {"new": 1e300},
        "business_hours": {"start": "09:00", "end": "17:00"}
    }));
    let mut l = lead("2026-03-02T09:00:00Z");
    l.activities
        .push(Activity::new("call_attempt", ts("2026-03-02T09:30:00Z")));
    let r = c.evaluate(&l, ts("2026-03-03T00:00:00Z"));
    assert!(r.slas.is_empty());
    let fields: Vec<_> = r.rule_errors.iter().map(|e| e.field.as_deref()).collect();
    assert_eq!(
        fields,
        [
            Some("first_touch[0].within_minutes"),
            Some("follow_up.within_minutes"),
            Some("max_days_in_status.new")
        ]
    );
    assert!(
        r.rule_errors
            .iter()
            .all(|e| e.kind == crate::ErrorKind::Config)
    );
}
