use serde_json::json;

use super::*;
use crate::ErrorKind;
use crate::model::{ForecastCategory, Lead, Opportunity};
use crate::time::parse_timestamp;

fn engine(v: serde_json::Value) -> TriggerEngine {
    TriggerEngine::new(serde_json::from_value(v).unwrap()).unwrap()
}

fn lead() -> Lead {
    let mut l = Lead::new("L1", parse_timestamp("2026-03-02T09:00:00Z").unwrap());
    l.stage = Some("lead".into());
    l.status = Some("new".into());
    l.owner = Some("ana".into());
    l
}

fn kinds(out: &[PlannedAction]) -> Vec<String> {
    out.iter()
        .map(|p| {
            let v = serde_json::to_value(&p.action).unwrap();
            format!(
                "{}:{}",
                p.trigger,
                v.as_object().unwrap().keys().next().unwrap()
            )
        })
        .collect()
}

#[test]
fn score_crossing_cascades_in_causal_order() {
    let e = engine(json!({"triggers": [
        {"name": "hot", "on": {"score_crossed": {"threshold": 60}}, "actions": [{"set_stage": "mql"}, {"notify": {"to": "lead_owner", "template": "hot_lead"}}]},
        {"name": "mql-route", "on": {"stage_changed": {"to": "mql"}}, "actions": [{"route": {}}]}
    ]}));
    let mut state = TriggerState::default();
    let up = Event::ScoreChanged {
        from: Some(55.0),
        to: 60.0,
    };
    let out = e.evaluate(&lead(), &up, &mut state).unwrap();
    assert_eq!(
        kinds(&out),
        ["hot:set_stage", "mql-route:route", "hot:notify"]
    );
    assert_eq!(out[1].chain, ["hot", "mql-route"]);
    let Action::Notify(n) = &out[2].action else {
        panic!()
    };
    assert_eq!(n.recipient.as_deref(), Some("ana"));
    assert_eq!(
        n.context["lead"]["stage"], "mql",
        "context shows the planned state"
    );
    // Not a crossing: already above.
    let out = e
        .evaluate(
            &lead(),
            &Event::ScoreChanged {
                from: Some(61.0),
                to: 70.0,
            },
            &mut state,
        )
        .unwrap();
    assert!(out.is_empty());
}

#[test]
fn a_trigger_firing_on_its_own_output_is_a_loop() {
    let e = engine(json!({"triggers": [
        {"name": "a", "on": {"status_changed": {}}, "actions": [{"set_stage": "mql"}]},
        {"name": "b", "on": {"stage_changed": {}}, "actions": [{"set_status": {"status": "attempting"}}]}
    ]}));
    let mut state = TriggerState::default();
    let err = e
        .evaluate(
            &lead(),
            &Event::StatusChanged {
                from: None,
                to: "new".into(),
            },
            &mut state,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TriggerLoop);
    assert_eq!(err.rule(), Some("a"));
    assert_eq!(err.record(), Some("L1"));
    assert!(err.message().contains("a -> b -> a"), "{err}");
    assert_eq!(err.details().unwrap()["chain"], json!(["a", "b", "a"]));
    // Listening to any stage change while setting the stage is a loop, even when
    // the second firing would change nothing: the config is wrong, say so.
    let e = engine(json!({"triggers": [
        {"name": "once", "one_shot": true, "on": {"stage_changed": {}}, "actions": [{"notify": {"to": {"user": "ops"}, "template": "t"}}]},
        {"name": "idem", "on": {"stage_changed": {}}, "actions": [{"set_stage": "mql"}]}
    ]}));
    let err = e
        .evaluate(
            &lead(),
            &Event::StageChanged {
                from: None,
                to: "lead".into(),
            },
            &mut state,
        )
        .unwrap_err();
    assert!(err.message().contains("idem -> idem"), "{err}");
    assert_eq!(
        state,
        TriggerState::default(),
        "one-shots are not recorded when evaluation fails"
    );
    // Filtering on the target stage makes it terminate.
    let e = engine(json!({"triggers": [
        {"name": "idem", "on": {"stage_changed": {"to": "lead"}}, "actions": [{"set_stage": "mql"}]}
    ]}));
    let out = e
        .evaluate(
            &lead(),
            &Event::StageChanged {
                from: None,
                to: "lead".into(),
            },
            &mut state,
        )
        .unwrap();
    assert_eq!(out.len(), 1);
}

#[test]
fn chains_are_bounded_by_max_depth() {
    let e = engine(json!({"max_depth": 2, "triggers": [
        {"name": "one", "on": {"stage_changed": {"to": "lead"}}, "actions": [{"set_stage": "mql"}]},
        {"name": "two", "on": {"stage_changed": {"to": "mql"}}, "actions": [{"set_stage": "sal"}]},
        {"name": "three", "on": {"stage_changed": {"to": "sal"}}, "actions": [{"set_stage": "sql"}]}
    ]}));
    let mut l = lead();
    l.stage = Some("subscriber".into());
    let err = e
        .evaluate(
            &l,
            &Event::StageChanged {
                from: Some("subscriber".into()),
                to: "lead".into(),
            },
            &mut TriggerState::default(),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TriggerLoop);
    assert!(
        err.message().contains("max_depth 2: one -> two -> three"),
        "{err}"
    );
}

#[test]
fn one_shot_fires_once_per_lead() {
    let e = engine(json!({"triggers": [
        {"name": "welcome", "one_shot": true, "on": {"account_matched": {"customer": true}},
         "actions": [{"notify": {"to": "account_owner", "template": "customer_is_back"}}]}
    ]}));
    let ev = Event::AccountMatched {
        account_id: "A1".into(),
        owner: Some("ben".into()),
        is_customer: true,
    };
    let mut state = TriggerState::default();
    let out = e.evaluate(&lead(), &ev, &mut state).unwrap();
    let Action::Notify(n) = &out[0].action else {
        panic!()
    };
    assert_eq!(n.recipient.as_deref(), Some("ben"));
    assert!(e.evaluate(&lead(), &ev, &mut state).unwrap().is_empty());
    let mut other = lead();
    other.id = "L2".into();
    assert_eq!(e.evaluate(&other, &ev, &mut state).unwrap().len(), 1);
    let json = serde_json::to_value(&state).unwrap();
    assert_eq!(
        json,
        json!({"fired": {"L1": ["welcome"], "L2": ["welcome"]}})
    );
    let prospect = Event::AccountMatched {
        account_id: "A2".into(),
        owner: None,
        is_customer: false,
    };
    let mut fresh = TriggerState::default();
    assert!(
        e.evaluate(&lead(), &prospect, &mut fresh)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn closed_lost_recycles_and_notifies_the_opportunity_owner() {
    let e = engine(json!({"triggers": [
        {"name": "lost", "on": {"opportunity_closed": {"won": false}},
         "actions": [{"recycle": {"reason": "closed_lost", "stage": "lead"}}, {"notify": {"to": "opportunity_owner", "template": "opportunity_lost"}}]},
        {"name": "won", "on": {"opportunity_closed": {"won": true}}, "actions": [{"set_stage": "customer"}]}
    ]}));
    let opp = Opportunity {
        id: "O1".into(),
        name: "Acme deal".into(),
        account_id: "A1".into(),
        primary_contact_id: Some("C1".into()),
        amount: Some(5000.0),
        currency: None,
        close_date: None,
        stage: "Closed Lost".into(),
        probability: 0.0,
        forecast_category: ForecastCategory::Omitted,
        is_closed: true,
        is_won: false,
        lost_reason: Some("price".into()),
        owner: Some("carl".into()),
        source_lead_id: Some("L1".into()),
        source: None,
        campaign: None,
        created_at: None,
        history: Vec::new(),
        activities: Vec::new(),
        custom: serde_json::Map::new(),
        extra: serde_json::Map::new(),
    };
    let mut l = lead();
    l.stage = Some("opportunity".into());
    l.status = Some("converted".into());
    let out = e
        .evaluate(
            &l,
            &Event::OpportunityClosed {
                opportunity: Box::new(opp),
            },
            &mut TriggerState::default(),
        )
        .unwrap();
    assert_eq!(kinds(&out), ["lost:recycle", "lost:notify"]);
    assert_eq!(
        serde_json::to_value(&out[0].action).unwrap(),
        json!({"recycle": {"reason": "closed_lost", "status": "nurture", "stage": "lead", "contact_id": "C1"}})
    );
    let Action::Notify(n) = &out[1].action else {
        panic!()
    };
    assert_eq!(n.recipient.as_deref(), Some("carl"));
    assert_eq!(n.context["event"]["opportunity"]["lost_reason"], "price");
}

#[test]
fn bad_triggers_are_config_errors() {
    let bad = |v| TriggerEngine::new(serde_json::from_value(v).unwrap()).unwrap_err();
    let e = bad(json!({"triggers": [{"name": "x", "on": {"sla_breached": {}}, "actions": []}]}));
    assert_eq!((e.kind(), e.rule()), (ErrorKind::Config, Some("x")));
    let e = TriggerConfig::from_str(
        r#"{"triggers": [{"name": "x", "on": {"sla_breach": {}}, "actions": [{"route": {}}]}]}"#,
        crate::routing::ConfigFormat::Json,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert!(e.message().contains("sla_breach"), "{e}");
}
