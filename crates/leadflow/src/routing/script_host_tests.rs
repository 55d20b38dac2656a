//! The rhai condition host on its own: compile once, sandbox, results, errors.

use serde_json::json;

use super::*;
use crate::model::{Activity, Lead};
use crate::routing::LeadFacts;
use crate::time::parse_timestamp;

fn lead() -> Lead {
    let t = parse_timestamp("2026-03-02T09:00:00Z").unwrap();
    let mut l = Lead::new("L-1", t);
    l.country = Some("DE".into());
    l.employees = Some(1200);
    l.email = Some("jo@acme.de".into());
    l.title = Some("VP Sales".into());
    l.custom.insert("budget".into(), json!(60_000));
    l.custom.insert("tags".into(), json!(["partner", "event"]));
    l.activities.push(Activity::new("webinar", t));
    l
}

fn facts() -> LeadFacts {
    LeadFacts {
        segment: Some("enterprise".into()),
        region: Some("emea".into()),
        territories: vec!["emea".into(), "dach".into()],
        email_domain: Some("acme.de".into()),
    }
}

fn eval(host: &ScriptConditions, src: &str) -> Result<bool> {
    let l = lead();
    host.check(src)?;
    host.eval(src, &LeadView::of(&l, &facts()))
}

#[test]
fn reads_fields_custom_fields_facts_and_helpers() {
    let h = ScriptConditions::new();
    let t = |src: &str| eval(&h, src).unwrap();
    assert!(t(r#"lead.country == "DE" && lead.employees >= 1000"#));
    assert!(t("lead.custom.budget > 50000"));
    assert!(t(r#""partner" in lead.custom.tags"#));
    assert!(t(
        r#"lead.segment == "enterprise" && lead.region == "emea""#
    ));
    assert!(t(r#""dach" in lead.territory"#));
    assert!(t(
        r#"facts.email_domain == "acme.de" && "dach" in facts.territories"#
    ));
    assert!(t(
        r#"email_domain(lead.email) == "acme.de" && !is_free_mail(lead.email)"#
    ));
    assert!(t(
        r#"seniority(lead.title) == "vp" && department(lead.title) == "sales""#
    ));
    assert!(t(r#"employee_band(lead.employees) == "1001-5000""#));
    // Missing fields are `()`; `??` gives a default.
    assert!(t("(lead.annual_revenue ?? 0) == 0"));
    assert!(!t("lead.score != ()"));
    // Statements are allowed; the last value is the result.
    assert!(t(
        "let b = lead.custom.budget; if b > 100000 { false } else { b > 1000 }"
    ));
    // The heavy lists are passed only to scripts that mention them.
    assert!(t(
        r#"lead.activities.len() == 1 && lead.activities[0].type == "webinar""#
    ));
}

#[test]
fn empty_parts_read_as_unit_or_empty_not_as_errors() {
    let h = ScriptConditions::new();
    let l = Lead::new("L-2", parse_timestamp("2026-03-02T09:00:00Z").unwrap());
    let view = LeadView::of(&l, &LeadFacts::default());
    let t = |src: &str| {
        h.check(src).unwrap();
        h.eval(src, &view).unwrap()
    };
    assert!(t("lead.custom.budget == ()"));
    assert!(t(
        r#"!("emea" in lead.territory) && facts.territories.is_empty()"#
    ));
    assert!(t("lead.segment == () && facts.segment == ()"));
    assert!(t("(lead.score?.total ?? 0.0) == 0.0"));
}

#[test]
fn a_lead_score_is_visible_as_pack_scripts_store_it() {
    let h = ScriptConditions::new();
    let mut l = lead();
    l.score = Some(crate::model::ScoreState {
        total: 72.5,
        fit: 40.0,
        engagement: 32.5,
        grade: "A".into(),
        temperature: "hot".into(),
        pack: "p@1".into(),
        scored_at: l.created_at,
    });
    let src = r#"lead.score.total >= 70.0 && lead.score.grade == "A""#;
    h.check(src).unwrap();
    assert!(h.eval(src, &LeadView::of(&l, &facts())).unwrap());
}

#[test]
fn now_is_the_decision_instant_when_there_is_one() {
    let h = ScriptConditions::new();
    let l = lead();
    let src = "now != () && days_between(lead.created_at, now) > 30.0";
    h.check(src).unwrap();
    let view = LeadView::of(&l, &facts());
    assert!(!h.eval(src, &view).unwrap());
    let later = parse_timestamp("2026-04-15T09:00:00Z").unwrap();
    assert!(h.eval(src, &LeadView::of(&l, &facts()).at(later)).unwrap());
    let soon = parse_timestamp("2026-03-05T09:00:00Z").unwrap();
    assert!(!h.eval(src, &LeadView::of(&l, &facts()).at(soon)).unwrap());
}

#[test]
fn each_source_is_compiled_once() {
    let h = ScriptConditions::new();
    let l = lead();
    let view = LeadView::of(&l, &facts());
    h.check("lead.employees > 10").unwrap();
    h.check("lead.employees > 10").unwrap();
    assert_eq!(h.compiles(), 1);
    for _ in 0..100 {
        assert!(h.eval("lead.employees > 10", &view).unwrap());
    }
    assert_eq!(h.compiles(), 1);
    // A source never checked is compiled on first use, then cached too.
    for _ in 0..3 {
        assert!(!h.eval("lead.employees < 10", &view).unwrap());
    }
    assert_eq!(h.compiles(), 2);
}

#[test]
fn a_syntax_error_names_line_and_column() {
    let h = ScriptConditions::new();
    let e = h
        .check("lead.country == \"DE\" &&\n  lead.employees >>> 3")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert!(e.message().contains("syntax error"), "{e}");
    assert_eq!(e.line(), Some(2));
    assert!(e.column().is_some_and(|c| c > 0), "{e:?}");
    assert_eq!(h.compiles(), 0);
    let e = h.check("  ").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}

#[test]
fn the_sandbox_limits_apply() {
    let h = ScriptConditions::new();
    let limit = |src: &str| eval(&h, src).unwrap_err().kind();
    assert_eq!(limit("loop {}"), ErrorKind::LimitExceeded);
    assert_eq!(limit("fn f(x) { f(x + 1) } f(0)"), ErrorKind::LimitExceeded);
    assert_eq!(
        limit(r#"let s = "x"; loop { s += s; }"#),
        ErrorKind::LimitExceeded
    );
    assert_eq!(
        limit("let a = []; loop { a.push(1); }"),
        ErrorKind::LimitExceeded
    );
    // No way to reach the outside world.
    assert!(h.check(r#"import "x" as y; true"#).is_err());
    assert_eq!(
        eval(&h, r#"eval("true")"#).unwrap_err().kind(),
        ErrorKind::Script
    );
    assert_eq!(
        eval(&h, "timestamp() != ()").unwrap_err().kind(),
        ErrorKind::Script
    );
}

#[test]
fn limits_are_configurable() {
    let tight = ScriptConditions::with_limits(&Limits {
        max_operations: 50,
        ..Limits::default()
    })
    .unwrap();
    let src = "let n = 0; for i in 0..100 { n += i; } n > 0";
    assert_eq!(
        eval(&tight, src).unwrap_err().kind(),
        ErrorKind::LimitExceeded
    );
    assert!(eval(&ScriptConditions::new(), src).unwrap());
    let e = ScriptConditions::with_limits(&Limits {
        max_operations: 0,
        ..Limits::default()
    })
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.field(), Some("limits.max_operations"));
}

#[test]
fn a_costly_condition_stops_at_the_time_budget() {
    // Each `split` of a 16 KB string is one operation: the operation limit alone
    // would let this run for seconds.
    let h = ScriptConditions::with_limits(&Limits {
        lead_time_us: 2_000,
        ..Limits::default()
    })
    .unwrap();
    let src = "let s = \"xy\"; while s.len < 16000 { s += s; } loop { let p = s.split(\"y\", 4000); } true";
    let e = eval(&h, src).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
    assert!(e.message().contains("time budget"), "{e}");
}

#[test]
fn the_result_must_be_a_bool() {
    let h = ScriptConditions::new();
    for src in ["lead.employees", r#""yes""#, "()", "[true]"] {
        let e = eval(&h, src).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Script, "{src}");
        assert!(e.message().contains("must return a bool"), "{e}");
    }
}

#[test]
fn runtime_errors_are_script_errors_with_a_position() {
    let h = ScriptConditions::new();
    let e = eval(&h, "true &&\n lead.nothing.len() > 1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert_eq!(e.line(), Some(2), "{e:?}");
    let e = eval(&h, "no_such_helper(lead.email)").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
}

#[test]
fn print_and_debug_go_to_the_log() {
    let h = ScriptConditions::new();
    assert!(eval(&h, r#"print("checking " + lead.id); debug(1); true"#).unwrap());
    let (lines, dropped) = h.take_log();
    assert_eq!(lines[0], "checking L-1");
    assert_eq!(lines.len(), 2);
    assert_eq!(dropped, 0);
}

#[test]
fn the_host_is_shared_across_threads() {
    let h = std::sync::Arc::new(ScriptConditions::new());
    h.check("lead.employees > 1000").unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let h = h.clone();
            std::thread::spawn(move || {
                let l = lead();
                (0..50).all(|_| {
                    h.eval("lead.employees > 1000", &LeadView::of(&l, &facts()))
                        .unwrap()
                })
            })
        })
        .collect();
    for t in handles {
        assert!(t.join().unwrap());
    }
    assert_eq!(h.compiles(), 1);
}

#[test]
#[ignore = "a measurement: cargo test --release -p leadflow --lib op_cost -- --ignored --nocapture"]
fn op_cost() {
    let h = ScriptConditions::with_limits(&Limits {
        lead_time_us: 60_000_000,
        ..Limits::default()
    })
    .unwrap();
    for src in [
        "let n = 0; loop { n += 1; } true",
        "let n = 0; while n < 1000000 { n += 1; } true",
        "let s = \"xy\"; while s.len < 16000 { s += s; } loop { let p = s.split(\"y\", 4000); } true",
        "let a = []; for i in 0..4000 { a.push(`${i}x`); } loop { a.sort(); a.reverse(); } true",
    ] {
        let t = std::time::Instant::now();
        let e = eval(&h, src);
        eprintln!("{:?} in {:?}: {src}", e.map_err(|e| e.kind()), t.elapsed());
    }
}

#[test]
#[ignore = "a measurement: cargo test -p leadflow --lib stack_need -- --ignored --nocapture"]
fn stack_need() {
    let deep_call = "fn f(n) { if n > 0 { f(n - 1) + 1 } else { 0 } } f(62) > 0";
    let deep_expr = format!("{}1{} > 0", "(".repeat(120), ")".repeat(120));
    for (name, src) in [("call", deep_call.to_owned()), ("expr", deep_expr)] {
        // Descending: an overflow aborts the process, the last line printed is the minimum.
        let only = std::env::var("STACK_NEED").unwrap_or_default();
        if !only.is_empty() && only != name {
            continue;
        }
        for kb in [8192usize, 4096, 2048, 1024, 512, 256, 128, 64] {
            let src = src.clone();
            let ok = std::thread::Builder::new()
                .stack_size(kb << 10)
                .spawn(move || {
                    let h = ScriptConditions::with_limits(&Limits {
                        max_call_depth: 64,
                        max_expr_depth: 128,
                        ..Limits::default()
                    })
                    .unwrap();
                    // Without with_stack: what the raw recursion needs.
                    let ast = h.engine.compile(&src).map_err(|e| e.to_string())?;
                    h.engine.eval_ast::<bool>(&ast).map_err(|e| e.to_string())
                })
                .unwrap()
                .join();
            eprintln!("{name} {kb} KB: {:?}", ok.map(|r| r.is_ok()));
        }
    }
}
