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

mod reads {
    //! Scripts get only the lead keys they read: the same results and errors
    //! as with the whole lead, on random leads.

    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::*;
    use crate::model::Record;

    fn reads(src: &str) -> Reads {
        let h = ScriptConditions::new();
        h.compiled(src).unwrap().reads.clone()
    }

    #[test]
    fn property_reads_are_keys_anything_else_is_the_whole_lead() {
        let keys = |src: &str| reads(src).lead_keys;
        let some = |k: &[&str]| Some(k.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
        assert_eq!(
            keys(
                r#"lead.source == "partner" && (lead.custom.deal_size ?? 0) >= 5 && lead.source != ()"#
            ),
            some(&["source", "custom"])
        );
        assert_eq!(keys("lead?.x.len() > lead.tags[0]"), some(&["x", "tags"]));
        assert_eq!(keys("let lead = #{a: 1}; lead.a == 1"), some(&["a"]));
        for whole in [
            r#"lead["source"] == "x""#,
            "lead.len() > 3",
            "let l = lead; l.source == ()",
            r#""source" in lead"#,
            "`${lead}`.len() > 0",
            "for k in lead.keys() { if k == \"x\" { return true; } } false",
            "fn f(x) { x > 1 } f(lead.employees)",
            "let g = || lead.source; g.call() == ()",
            "lead.activities.len() > 0",
        ] {
            assert_eq!(keys(whole), None, "{whole}");
        }
        let r = reads("lead.x == () && facts.region == ()");
        assert!(r.facts && !r.now);
        let r = reads("now != ()");
        assert!(!r.facts && r.now);
        assert!(reads("fn f() { true } f()").facts);
    }

    const SCRIPTS: &[&str] = &[
        r#"lead.source == "partner" && (lead.custom.deal_size ?? 0) >= 50000 && lead.segment != "enterprise""#,
        "(lead.employees ?? 0) >= 1000",
        r#"lead.country == "DE" || lead.region == "emea" || "emea" in lead.territory"#,
        "lead.custom.n > 1",
        "lead.annual_revenue == () || lead.annual_revenue > 10.0",
        r#"lead.email_domain == "acme.de" && lead.id != """#,
        "lead.created_at.len() > 3 && type_of(lead.attempts) == \"()\"",
        "lead.custom.tags.len() > 1",
        "lead.segment.len() > 2",
        r#"lead.x == "y""#,
        "is_def_var(\"facts\") && is_def_var(\"now\") && lead.id != ()",
        "facts.segment == lead.segment",
    ];

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            Just(json!(1)),
            Just(json!(60_000)),
            Just(json!(1.5)),
            Just(json!(u64::MAX)),
            Just(json!("y")),
            Just(json!(["a", "b"])),
            Just(json!({"n": 2})),
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        proptest::sample::select(&["n", "deal_size", "tags", "x", "segment", "source", "id"][..])
            .prop_map(str::to_owned)
    }

    prop_compose! {
        fn lead()(
            source in proptest::option::of(proptest::sample::select(&["partner", "web", ""][..])),
            country in proptest::option::of(proptest::sample::select(&["DE", "JP"][..])),
            employees in proptest::option::of(prop_oneof![Just(5u64), Just(1500)]),
            revenue in proptest::option::of(prop_oneof![Just(20.0), Just(f64::NAN), Just(-0.0)]),
            attempts in 0u32..2,
            custom in proptest::collection::vec((key(), value()), 0..4),
            extra in proptest::collection::vec((key(), value()), 0..2),
        ) -> Lead {
            let t = parse_timestamp("2026-03-02T09:00:00+01:00").unwrap();
            let mut l = Lead::new("L-1", t);
            l.source = source.map(str::to_owned);
            l.country = country.map(str::to_owned);
            l.employees = employees;
            l.annual_revenue = revenue;
            l.attempts = attempts;
            l.custom = custom.into_iter().collect();
            l.extra = extra.into_iter().collect();
            l
        }
    }

    fn outcome(r: Result<bool>) -> std::result::Result<bool, (ErrorKind, String)> {
        r.map_err(|e| (e.kind(), e.message().to_owned()))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn the_keys_read_give_what_the_whole_lead_gives(lead in lead(), with_now in any::<bool>()) {
            let h = ScriptConditions::new();
            let now = parse_timestamp("2026-03-02T09:00:00Z").unwrap();
            let f = facts();
            let view = LeadView::of(&lead, &f);
            let view = if with_now { view.at(now) } else { view };
            let json_view = LeadView::new(lead.to_value(), &f);
            for src in SCRIPTS {
                let c = h.compiled(src).unwrap();
                prop_assert!(c.reads.lead_keys.is_some(), "{}", src);
                let whole = outcome(h.eval_reading(&c, &Reads::ALL, &view));
                prop_assert_eq!(&outcome(h.eval(src, &view)), &whole, "{}", src);
                prop_assert_eq!(
                    outcome(h.eval_reading(&c, &c.reads, &json_view)),
                    outcome(h.eval_reading(&c, &Reads::ALL, &json_view)),
                    "{} (JSON view)", src
                );
            }
        }
    }
}
