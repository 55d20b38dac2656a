//! Script conditions through the default constructors: routing rules, SLA
//! policies and triggers.

use std::sync::Arc;

use serde_json::{Value, json};

use super::*;
use crate::error::ErrorKind;
use crate::model::Lead;
use crate::routing::ScriptConditions;
use crate::time::{Timestamp, parse_timestamp};

fn ts(s: &str) -> Timestamp {
    parse_timestamp(s).unwrap()
}

fn config(rules: &Value) -> RoutingConfig {
    serde_json::from_value(json!({
        "fallback_queue": "unrouted",
        "segmentation": {
            "segments": [{"name": "smb", "max_employees": 199}, {"name": "enterprise", "min_employees": 1000}],
            "regions": {"emea": ["DE", "FR"], "na": ["US"]},
            "territories": [{"name": "emea", "regions": ["emea"]}]
        },
        "reps": [{"id": "ana"}, {"id": "ben"}, {"id": "eva"}],
        "teams": [{"name": "field", "members": ["ana", "ben"]}],
        "rules": rules.clone()
    }))
    .unwrap()
}

fn lead(id: &str, country: &str, employees: u64, budget: Option<i64>) -> Lead {
    let mut l = Lead::new(id, ts("2026-03-02T08:00:00Z"));
    l.country = Some(country.into());
    l.employees = Some(employees);
    l.email = Some(format!("{id}@acme.com"));
    if let Some(b) = budget {
        l.custom.insert("budget".into(), json!(b));
    }
    l
}

#[test]
fn router_new_runs_script_conditions() {
    let r = Router::new(config(&json!([
        {"name": "big-budget", "when": {"script": "(lead.custom.budget ?? 0) >= 50000"}, "assign": {"rep": "eva"}},
        {"name": "emea-ent", "when": {"script": "lead.segment == \"enterprise\" && \"emea\" in lead.territory"}, "assign": {"team": "field"}},
        {"name": "rest", "assign": {"queue": "nurture"}}
    ])))
    .unwrap();
    let now = ts("2026-03-02T09:00:00Z");
    let mut state = RoutingState::default();
    let a = r.assign_mut(&lead("L1", "US", 50, Some(80_000)), &mut state, now);
    assert_eq!(
        (a.rep(), a.rule.as_deref()),
        (Some("eva"), Some("big-budget"))
    );
    let a = r.assign_mut(&lead("L2", "DE", 5000, None), &mut state, now);
    assert_eq!(
        (a.rep(), a.rule.as_deref()),
        (Some("ana"), Some("emea-ent")),
        "{a:?}"
    );
    let a = r.assign_mut(&lead("L3", "US", 5000, Some(10)), &mut state, now);
    assert_eq!(
        (a.queue(), a.rule.as_deref()),
        (Some("nurture"), Some("rest"))
    );
    assert!(a.rule_errors.is_empty());
}

#[test]
fn a_syntax_error_at_load_names_rule_path_line_and_column() {
    let e = Router::new(config(&json!([
        {"name": "ok", "when": {"equals": {"field": "country", "value": "US"}}, "assign": {"rep": "ana"}},
        {"name": "broken", "when": {"all": [
            {"exists": {"field": "email"}},
            {"script": "lead.employees > 10 &&\n   (lead.country == \"DE\""}
        ]}, "assign": {"rep": "ben"}}
    ])))
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert_eq!(e.rule(), Some("broken"));
    assert_eq!(e.field(), Some("rules[1].when[1]"));
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(e.column().is_some(), "{e}");
}

#[test]
fn a_looping_script_sends_the_lead_to_fallback_with_the_reason() {
    let r = Router::new(config(&json!([
        {"name": "spin", "when": {"not": {"script": "if lead.country == \"FR\" { loop {} } true"}}, "assign": {"queue": "hot"}},
        {"name": "catch-all", "assign": {"team": "field"}}
    ])))
    .unwrap();
    let now = ts("2026-03-02T09:00:00Z");
    let (a, state) = r.assign(&lead("L1", "FR", 10, None), &RoutingState::default(), now);
    assert_eq!(a.queue(), Some("unrouted"));
    assert_eq!(a.via, Via::Fallback);
    assert_eq!(a.fallback_reason, Some(FallbackReason::ScriptError));
    assert_eq!(a.rule, None);
    assert_eq!(a.rule_errors.len(), 1);
    let err = &a.rule_errors[0];
    assert_eq!(err.rule, "spin");
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    assert_eq!(err.field.as_deref(), Some("rules[0].when.not"));
    assert!(
        a.reason.contains("spin") && a.reason.contains("unrouted"),
        "{}",
        a.reason
    );
    // Nobody was counted for the lead.
    assert_eq!(state, RoutingState::default());
    // Other leads still route normally.
    let (a, _) = r.assign(&lead("L2", "US", 10, None), &RoutingState::default(), now);
    assert_eq!(a.rep(), Some("ana"));
    let json = serde_json::to_value(r.assign(&lead("L3", "FR", 1, None), &state, now).0).unwrap();
    assert_eq!(json["fallback_reason"], "script_error");
    assert_eq!(json["rule_errors"][0]["kind"], "LimitExceeded");
}

#[test]
fn a_non_bool_result_is_a_script_error_naming_the_path() {
    let r = Router::new(config(&json!([
        {"name": "budget", "when": {"script": "lead.custom.budget"}, "assign": {"rep": "eva"}}
    ])))
    .unwrap();
    let (a, _) = r.assign(
        &lead("L1", "US", 10, Some(5)),
        &RoutingState::default(),
        ts("2026-03-02T09:00:00Z"),
    );
    assert_eq!(a.fallback_reason, Some(FallbackReason::ScriptError));
    let err = &a.rule_errors[0];
    assert_eq!(err.kind, ErrorKind::Script);
    assert_eq!(err.field.as_deref(), Some("rules[0].when"));
    assert!(
        err.message.contains("must return a bool"),
        "{}",
        err.message
    );
}

#[test]
fn scripts_compile_once_per_router_and_bulk_equals_one_by_one() {
    let host = Arc::new(ScriptConditions::new());
    let r = Router::with_scripts(
        config(&json!([
            {"name": "boom", "when": {"script": "if lead.employees == 13 { lead.x.y.z() } else { false }"}, "assign": {"rep": "eva"}},
            {"name": "big", "when": {"script": "lead.employees >= 1000"}, "assign": {"team": "field"}},
            {"name": "small", "when": {"script": "lead.employees < 1000"}, "assign": {"team": "field"}}
        ])),
        host.clone(),
    )
    .unwrap();
    assert_eq!(host.compiles(), 3);
    let now = ts("2026-03-02T09:00:00Z");
    let leads: Vec<Lead> = (0..60)
        .map(|i| {
            lead(
                &format!("L{i}"),
                "US",
                i * 50 % 2000 + 13 * u64::from(i % 7 == 0),
                None,
            )
        })
        .collect();
    let (bulk, bulk_state) = r.assign_batch(&leads, &RoutingState::default(), now);
    let mut state = RoutingState::default();
    let one_by_one: Vec<Assignment> = leads
        .iter()
        .map(|l| r.assign_mut(l, &mut state, now))
        .collect();
    assert_eq!(bulk, one_by_one);
    assert_eq!(bulk_state, state);
    assert_eq!(bulk.len(), leads.len(), "no lead dropped");
    assert!(
        bulk.iter()
            .any(|a| a.fallback_reason == Some(FallbackReason::ScriptError))
    );
    assert!(bulk.iter().any(|a| a.rep().is_some()));
    assert_eq!(host.compiles(), 3, "eval never compiles");
}

#[test]
fn router_without_scripts_builds_no_engine_and_custom_hosts_still_work() {
    struct Always;
    impl ScriptHost for Always {
        fn check(&self, _: &str) -> crate::Result<()> {
            Ok(())
        }
        fn eval(&self, _: &str, _: &LeadView<'_>) -> crate::Result<bool> {
            Ok(true)
        }
    }
    let cfg = config(
        &json!([{"name": "x", "when": {"script": "not rhai at all"}, "assign": {"rep": "eva"}}]),
    );
    assert_eq!(
        Router::new(cfg.clone()).unwrap_err().kind(),
        ErrorKind::Script
    );
    let r = Router::with_scripts(cfg, Arc::new(Always)).unwrap();
    let (a, _) = r.assign(
        &lead("L1", "US", 1, None),
        &RoutingState::default(),
        ts("2026-03-02T09:00:00Z"),
    );
    assert_eq!(a.rep(), Some("eva"));
    let plain = config(&json!([{"name": "x", "assign": {"rep": "eva"}}]));
    assert!(!plain.has_scripts());
    assert!(format!("{:?}", Router::new(plain).unwrap()).contains("scripts: false"));
}

fn sla(policies: &Value) -> SlaConfig {
    let c: SlaConfig = serde_json::from_value(json!({
        "segmentation": {"segments": [{"name": "enterprise", "min_employees": 1000}]},
        "first_touch": policies.clone()
    }))
    .unwrap();
    c.validate().unwrap();
    c
}

#[test]
fn sla_policies_take_script_conditions_and_skip_failing_ones() {
    let c = sla(&json!([
        {"name": "vip", "when": {"script": "lead.custom.vip == true"}, "within_minutes": 5},
        {"name": "ent", "when": {"script": "lead.segment == \"enterprise\""}, "within_minutes": 15},
        {"name": "default", "within_minutes": 60}
    ]));
    let now = ts("2026-03-02T09:00:00Z");
    let mut l = lead("L1", "US", 5000, None);
    let report = c.evaluate(&l, now);
    assert_eq!(report.slas[0].policy, "ent");
    assert!(report.rule_errors.is_empty(), "{report:?}");
    l.custom.insert("vip".into(), json!(true));
    assert_eq!(c.evaluate(&l, now).slas[0].policy, "vip");

    let c = sla(&json!([
        {"name": "spin", "when": {"script": "loop {}"}, "within_minutes": 5},
        {"name": "default", "within_minutes": 60}
    ]));
    let report = c.evaluate(&l, now);
    assert_eq!(
        report.slas[0].policy, "default",
        "the lead stays on a clock"
    );
    assert_eq!(report.rule_errors[0].rule, "spin");
    assert_eq!(report.rule_errors[0].kind, ErrorKind::LimitExceeded);
    assert_eq!(
        report.rule_errors[0].field.as_deref(),
        Some("first_touch[0].when")
    );

    let bad: SlaConfig = serde_json::from_value(json!({
        "first_touch": [{"name": "p", "when": {"script": "lead.x =="}, "within_minutes": 5}]
    }))
    .unwrap();
    let e = bad.validate().unwrap_err();
    assert_eq!(
        (e.kind(), e.rule(), e.field()),
        (ErrorKind::Script, Some("p"), Some("first_touch[0].when"))
    );
    assert_eq!(e.line(), Some(1));
}

#[test]
fn sla_scripts_compile_once_across_clones() {
    let host = Arc::new(ScriptConditions::new());
    let c: SlaConfig = serde_json::from_value::<SlaConfig>(json!({
        "first_touch": [{"name": "p", "when": {"script": "lead.employees > 10"}, "within_minutes": 5}]
    }))
    .unwrap()
    .with_scripts(host.clone());
    c.validate().unwrap();
    let copy = c.clone();
    let now = ts("2026-03-02T09:00:00Z");
    for i in 0..20 {
        let r = copy.evaluate(&lead(&format!("L{i}"), "US", 100, None), now);
        assert_eq!(r.slas[0].policy, "p");
    }
    assert_eq!(host.compiles(), 1);
    assert_eq!(c, copy);
}

#[test]
fn triggers_take_script_conditions() {
    let engine = TriggerEngine::new(
        serde_json::from_value(json!({"triggers": [{
            "name": "hot-enterprise",
            "on": {"score_crossed": {"threshold": 60}},
            "when": {"script": "(lead.custom.budget ?? 0) > 10000"},
            "actions": [{"notify": {"to": "lead_owner", "template": "hot"}}]
        }]}))
        .unwrap(),
    )
    .unwrap();
    let ev: Event =
        serde_json::from_value(json!({"type": "score_changed", "from": 40, "to": 70})).unwrap();
    let mut st = TriggerState::default();
    let rich = lead("L1", "US", 10, Some(20_000));
    assert_eq!(engine.evaluate(&rich, &ev, &mut st).unwrap().len(), 1);
    let poor = lead("L2", "US", 10, Some(20));
    assert!(engine.evaluate(&poor, &ev, &mut st).unwrap().is_empty());

    let failing = TriggerEngine::new(
        serde_json::from_value(json!({"triggers": [{
            "name": "t", "on": {"score_crossed": {"threshold": 60}},
            "when": {"script": "lead.custom.budget.len() > 1"},
            "actions": [{"set_stage": "mql"}]
        }]}))
        .unwrap(),
    )
    .unwrap();
    let e = failing.evaluate(&rich, &ev, &mut st).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert_eq!(
        (e.rule(), e.record(), e.field()),
        (Some("t"), Some("L1"), Some("triggers[0].when"))
    );

    let e = TriggerEngine::new(
        serde_json::from_value(json!({"triggers": [{
            "name": "t", "on": {"score_crossed": {"threshold": 60}},
            "when": {"any": [{"script": "1 +"}]},
            "actions": [{"set_stage": "mql"}]
        }]}))
        .unwrap(),
    )
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::Script, Some("triggers[0].when[0]"))
    );
}
