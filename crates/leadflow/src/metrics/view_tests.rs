//! The `LeadView` fast path against the `Lead` path: same report on the sample
//! data, and never accepting a record that `Lead` rejects.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::model::Lead;
use crate::time::parse_timestamp;

fn config() -> MetricsConfig {
    let mut c = MetricsConfig::new(
        Period::parse("2026-Q3", utc()).unwrap(),
        parse_timestamp(sample::SAMPLE_NOW).unwrap(),
    );
    c.options.hierarchy = sample::hierarchy();
    c.options.costs = sample::costs(2_000);
    c.options.stalled_limit = 5;
    c
}

/// Adds every lead line through both paths; returns (via view, via Lead).
fn both(lines: &[String], config: &MetricsConfig) -> (MetricsReport, MetricsReport) {
    let mut fast = MetricsAccumulator::new(config.clone()).unwrap();
    let mut slow = MetricsAccumulator::new(config.clone()).unwrap();
    for line in lines {
        let view: LeadView = serde_json::from_str(line).unwrap();
        fast.add_lead_view(&view);
        slow.add_lead(&serde_json::from_str::<Lead>(line).unwrap());
    }
    (fast.finish(), slow.finish())
}

#[test]
fn view_gives_the_same_report_as_lead_on_the_sample() {
    let mut out = Vec::new();
    sample::write_jsonl(&mut out, 42, 2_000, 10).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<String> = text
        .lines()
        .filter(|l| l.contains(r#""record_type":"lead""#))
        .map(str::to_owned)
        .collect();
    assert_eq!(lines.len(), 2_000);
    let (fast, slow) = both(&lines, &config());
    assert!(fast.funnel.groups.total.cohort_size > 100);
    assert_eq!(
        serde_json::to_value(&fast).unwrap(),
        serde_json::to_value(&slow).unwrap()
    );
    // The segment from a custom field, and a cohort by stage, read alike too.
    let mut c = config();
    c.options.segment_field = "tier".to_owned();
    c.options.cohort_stage = Some("mql".to_owned());
    let tiered: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["custom"]["tier"] = if i % 3 == 0 {
                json!(i)
            } else {
                json!(format!("t{}", i % 4))
            };
            v.to_string()
        })
        .collect();
    let (fast, slow) = both(&tiered, &c);
    assert_eq!(
        serde_json::to_value(&fast).unwrap(),
        serde_json::to_value(&slow).unwrap()
    );
}

const BASE: &str = r#"{"id":"L-1","created_at":"2026-07-01T09:00:00Z","stage":"lead","history":[{"dimension":"stage","to":"lead","at":"2026-07-01T09:00:00Z","kind":"initial"}],"activities":[{"type":"call_attempt","at":"2026-07-01T09:05:00Z"}],"custom":{"segment":"smb"}}"#;

/// Variants of `BASE` with one field replaced or added.
fn variants() -> Vec<String> {
    let base: Value = serde_json::from_str(BASE).unwrap();
    let odd = [
        json!(null),
        json!(5),
        json!(-1),
        json!(2.5),
        json!("x"),
        json!(true),
        json!([]),
        json!({}),
        json!([1]),
        json!({"a": 1}),
        json!("2026-07-01T09:00:00+09:00"),
        json!("2026-07-01 09:00:00Z"),
    ];
    let fields = [
        "id",
        "created_at",
        "first_name",
        "email",
        "employees",
        "annual_revenue",
        "source",
        "owner",
        "custom",
        "activities",
        "stage",
        "status",
        "attempts",
        "score",
        "qualification",
        "history",
        "conversion",
        "provenance",
        "record_type",
        "unknown",
    ];
    let mut out = vec![
        BASE.to_owned(),
        "[]".to_owned(),
        "5".to_owned(),
        "{}".to_owned(),
    ];
    for f in fields {
        for v in &odd {
            let mut x = base.clone();
            x[f] = v.clone();
            out.push(x.to_string());
            if let Some(obj) = x.as_object_mut() {
                obj.remove(f);
                out.push(Value::Object(obj.clone()).to_string());
            }
        }
    }
    for (path, v) in [
        ("/history/0/at", json!(7)),
        ("/history/0/kind", json!("sideways")),
        ("/history/0/from", json!(1)),
        ("/activities/0/meta", json!(3)),
        ("/activities/0/at", json!("soon")),
        ("/activities/0/type", json!(null)),
        ("/custom/segment", json!(["enterprise"])),
    ] {
        let mut x = base.clone();
        if let Some(slot) = x.pointer_mut(path) {
            *slot = v;
        }
        out.push(x.to_string());
    }
    // Arrays where objects are expected, and duplicate fields.
    out.push(BASE.replace(
        r#"{"type":"call_attempt","at":"2026-07-01T09:05:00Z"}"#,
        r#"["call_attempt","2026-07-01T09:05:00Z"]"#,
    ));
    out.push(BASE.replace(
        r#"{"dimension":"stage","to":"lead","at":"2026-07-01T09:00:00Z","kind":"initial"}"#,
        r#"["stage",null,"lead","2026-07-01T09:00:00Z","initial"]"#,
    ));
    out.push(BASE.replace(r#""stage":"lead","#, r#""stage":"lead","stage":"mql","#));
    out.push(BASE.replace(
        r#""custom":{"segment":"smb"}"#,
        r#""custom":{"segment":"smb","segment":"mid"}"#,
    ));
    out
}

#[test]
fn view_never_accepts_what_lead_rejects_and_agrees_when_both_accept() {
    let config = config();
    for text in variants() {
        let view = serde_json::from_str::<LeadView>(&text);
        let lead = serde_json::from_str::<Lead>(&text);
        match (view, lead) {
            (Ok(_), Err(e)) => panic!("the view accepts what Lead rejects ({e}): {text}"),
            (Ok(v), Ok(l)) => {
                let (mut a, mut b) = (
                    MetricsAccumulator::new(config.clone()).unwrap(),
                    MetricsAccumulator::new(config.clone()).unwrap(),
                );
                a.add_lead_view(&v);
                b.add_lead(&l);
                assert_eq!(
                    serde_json::to_value(a.finish()).unwrap(),
                    serde_json::to_value(b.finish()).unwrap(),
                    "{text}"
                );
            }
            (Err(_), _) => {} // Callers fall back to the Lead path.
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    // Any JSON value at any top-level field: the view is never more permissive.
    #[test]
    fn view_is_never_more_permissive(field in "[a-z_]{1,14}", n in any::<i64>(), s in "\\PC{0,12}", pick in 0u8..5) {
        let mut x: Value = serde_json::from_str(BASE).unwrap();
        x[field.as_str()] = match pick { 0 => json!(n), 1 => json!(s), 2 => json!([s]), 3 => json!({"k": s}), _ => Value::Null };
        let text = x.to_string();
        if serde_json::from_str::<LeadView>(&text).is_ok() {
            prop_assert!(serde_json::from_str::<Lead>(&text).is_ok(), "{}", text);
        }
    }
}

#[test]
fn request_pipeline_sets_the_ladder_and_conflicts_are_config_errors() {
    let lead = json!({"id": "L-1", "created_at": "2026-07-01T00:00:00Z", "history": [
        {"dimension": "stage", "to": "lead", "at": "2026-07-01T00:00:00Z", "kind": "initial"},
        {"dimension": "stage", "to": "sql", "at": "2026-07-03T00:00:00Z", "kind": "skip"}]});
    let pipeline = json!({"lead_stages": {"ladder": ["lead", "mql", "sql", "won"],
        "off_ladder": ["other"], "initial": "lead"}});
    let mut req = json!({"leads": [lead], "period": "2026-Q3",
        "now": "2026-10-01T00:00:00Z", "pipeline": pipeline});
    let r = run_request(&req).unwrap();
    assert_eq!(r.funnel.stages, ["lead", "mql", "sql", "won"]);
    let reached: Vec<u64> = r
        .funnel
        .groups
        .total
        .stages
        .iter()
        .map(|s| s.reached)
        .collect();
    assert_eq!(reached, [1, 1, 1, 0]); // the skip implies mql, not won
    // The same ladder in the options is fine; a different one is a conflict.
    req["options"] = json!({"ladder": ["lead", "mql", "sql", "won"]});
    assert!(run_request(&req).is_ok());
    req["options"] = json!({"ladder": ["lead", "mql", "sql"]});
    let e = run_request(&req).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Config);
    assert_eq!(e.field(), Some("options.ladder"));
    req["options"] = json!({});
    req["pipeline"] = json!({"lead_stages": {"ladder": []}});
    let e = run_request(&req).unwrap_err();
    assert!(e.field().is_some_and(|f| f.starts_with("pipeline")), "{e}");
}
