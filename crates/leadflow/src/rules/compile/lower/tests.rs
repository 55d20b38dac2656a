//! The lowered script tier against the rhai interpreter: the same pack with
//! `lower = true` and `lower = false` must give bit-identical scores,
//! explanations and errors, on hand-picked edge cases and on random scripts.

use crate::model::parse_records;
use crate::rules::exec::program::Step;
use crate::rules::*;
use crate::{Lead, parse_timestamp};
use proptest::prelude::*;

fn now() -> crate::Timestamp {
    parse_timestamp("2026-06-01T00:00:00Z").unwrap()
}

fn pack(script: &str, lower: bool, recognize: bool, max_ops: u64) -> CompiledPack {
    let toml = format!(
        "name = \"t\"\nversion = \"1\"\nrecognize = {recognize}\nlower = {lower}\n\
         script = '''\n{script}\n'''\n[limits]\nmax_operations = {max_ops}\nmax_string_size = 64\n"
    );
    // A generous time budget: these tests compare where the operation limit stops a
    // lead in both tiers, which a debug build's time budget would otherwise preempt.
    let host = crate::sandbox::Limits {
        lead_time_us: 60_000_000,
        max_operations: crate::sandbox::Limits::HARD.max_operations,
        ..crate::sandbox::Limits::default()
    };
    CompiledPack::from_str_with(
        &toml,
        PackFormat::Toml,
        "t.toml",
        &LoadOptions::with_limits(host),
    )
    .unwrap()
}

/// (lowered, all) script steps of the row step list.
fn lowered(p: &CompiledPack) -> (usize, usize) {
    let steps = &p.0.program.fast;
    let all = steps
        .iter()
        .filter(|s| matches!(s, Step::Script(_)))
        .count();
    let low = steps
        .iter()
        .filter(|s| matches!(s, Step::Script(s) if s.lowered.is_some()))
        .count();
    (low, all)
}

/// Everything observable of scoring one lead: the result as JSON (with the
/// explanation) or the error's kind, text and context.
fn outcome(p: &CompiledPack, lead: &Lead) -> String {
    let plain = match p.score(lead, now()) {
        Ok(r) => serde_json::to_string(&r).unwrap(),
        Err(e) => format!("{:?} {e} {:?} {:?}", e.kind(), e.rule(), e.line()),
    };
    let explained = match p.explain(lead, now()) {
        Ok(r) => serde_json::to_string(&r).unwrap(),
        Err(e) => format!("{:?} {e} {:?} {:?}", e.kind(), e.rule(), e.line()),
    };
    format!("{plain}\n{explained}")
}

fn leads(json: &[&str]) -> Vec<Lead> {
    parse_records::<Lead>(&json.join("\n"))
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

fn sample_leads() -> Vec<Lead> {
    leads(&[
        r#"{"id":"a","created_at":"2026-05-01T00:00:00Z","title":"VP Sales","employees":800,"annual_revenue":12000000.0,"industry":"Software","country":"US","email":"jo@gmail.com","source":"referral","page_views":12,"email_opens":30,"email_clicks":2,"demo_requested":true}"#,
        r#"{"id":"b","created_at":"2026-01-01T00:00:00Z","title":"","employees":3,"annual_revenue":10000000.000000002,"industry":"Retail","country":"JP","email":"x@acme.co.jp","source":"paid_search","page_views":0}"#,
        r#"{"id":"c","created_at":"2025-06-01T00:00:00Z","title":"取締役 CTO","employees":9223372036854775807,"country":"DE","page_views":4611686018427387904,"email_opens":-5}"#,
        r#"{"id":"d","created_at":"2026-05-31T00:00:00Z","title":"Intern Student Intern Student Intern Student Intern Student Intern Student Intern","employees":0}"#,
    ])
}

/// Asserts that `script` lowers completely (when `expect_lowered`) and scores
/// every sample lead exactly like the interpreter.
fn same(script: &str, expect_lowered: bool) {
    same_with(script, expect_lowered, 100_000);
}

fn same_with(script: &str, expect_lowered: bool, max_ops: u64) {
    for recognize in [false, true] {
        let fast = pack(script, true, recognize, max_ops);
        let slow = pack(script, false, recognize, max_ops);
        let (low, all) = lowered(&fast);
        if !recognize {
            assert!(all > 0, "no script step in {script}");
            assert_eq!(low == all, expect_lowered, "lowered {low}/{all}: {script}");
        }
        assert_eq!(lowered(&slow).0, 0);
        for lead in sample_leads() {
            assert_eq!(
                outcome(&fast, &lead),
                outcome(&slow, &lead),
                "lead {} script:\n{script}",
                lead.id
            );
        }
    }
}

#[test]
fn the_reference_workload_lowers_completely_and_scores_identically() {
    let script = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/packs/reference-rhai/reference-rules.rhai"
    ))
    .unwrap();
    same(&script, true);
    let fast = pack(&script, true, false, 100_000);
    let slow = pack(&script, false, false, 100_000);
    for lead in crate::synth::reference_leads(300, 7, now()) {
        assert_eq!(outcome(&fast, &lead), outcome(&slow, &lead));
    }
}

#[test]
fn integer_arithmetic_errors_are_rhai_errors() {
    // Overflow, division by zero, negative powers: the lowered step deopts and rhai reports.
    same("score += (lead.page_views * 4).to_float();", true);
    same(
        "score += (lead.employees + lead.employees).to_float();",
        true,
    );
    same("score += (100 / lead.page_views).to_float();", true);
    same("score += (100 % lead.page_views).to_float();", true);
    same("score += (2 ** lead.email_opens).to_float();", true);
    same("score += (-lead.employees - 2).to_float();", true);
    same(
        "score += abs(lead.email_opens - 9223372036854775807).to_float();",
        true,
    );
    same(
        "score += (lead.revenue * 1e300 * 1e300).to_int().to_float();",
        true,
    );
}

#[test]
fn float_comparisons_use_rhai_epsilon() {
    same("if lead.revenue > 10000000.0 { score += 8.0; }", true);
    same("if lead.revenue == 10000000.0 { score += 8.0; }", true);
    same(
        "if lead.revenue >= 10000000.0 { score += 1.0; } if lead.revenue <= 1e7 { score += 2.0; } if lead.revenue != 1e7 { score += 4.0; } if lead.revenue < 1e7 { score += 8.0; }",
        true,
    );
    same(
        "if lead.employees > 500.5 { score += 1.0; } if 0.0 == lead.page_views { score += 2.0; }",
        true,
    );
}

#[test]
fn strings_count_characters_and_respect_the_size_limit() {
    same("score += lead.title.len().to_float();", true);
    same(
        "let t = lead.title.to_lower(); if t.contains(\"vp\") { score += 3.0; }",
        true,
    );
    same(
        "let t = lead.title + lead.title; score += t.len().to_float();",
        true,
    );
    same(
        "let t = \"\"; for i in 0..10 { t += lead.country; } score += t.len().to_float();",
        true,
    );
    same(
        "if lead.title.to_upper() == \"VP SALES\" { score += 1.0; } if lead.title < \"M\" { score += 2.0; }",
        true,
    );
    same(
        "if is_free_mail(lead.email) { score -= 8.0; } if email_domain(lead.email).ends_with(\".jp\") { score += 1.0; }",
        true,
    );
}

#[test]
fn helpers_returning_unit_go_to_rhai() {
    same("let d = days_between(lead.email, now); score += d;", true);
    same(
        "let d = days_between(\"2026-01-01T00:00:00Z\", now); score += d / 10.0;",
        true,
    );
}

#[test]
fn loops_count_operations_and_deopt_near_the_limit() {
    same(
        "let n = 0; while n < lead.email_opens { n += 1; score += 0.5; }",
        true,
    );
    same(
        "for i in 0..lead.page_views { score += 1.0; if i > 20 { break; } }",
        true,
    );
    same(
        "for (x, k) in 0..=5 { if k == 2 { continue; } score += x.to_float(); }",
        true,
    );
    same(
        "let k = 0; do { k += 1; if k == 3 { continue; } score += 1.0; } while k < 6;",
        true,
    );
    same(
        "let k = 0; do { k += 2; } until k > lead.email_clicks; score += k.to_float();",
        true,
    );
    same("loop { score += 1.0; }", true);
    same_with(
        "let n = 0; while n < 500 { n += 1; } score += n.to_float();",
        true,
        2_000,
    );
    same_with(
        "let n = 0; while n < 200 { n += 1; } score += n.to_float();",
        true,
        2_000,
    );
}

#[test]
fn switch_matches_by_type_and_value() {
    same(
        "switch lead.country { \"US\" | \"CA\" => score += 5.0, \"DE\" => { score += 2.0; score *= 2.0; }, _ => score -= 1.0 }",
        true,
    );
    same(
        "switch lead.email_clicks { 2 => score += 5.0, -1 | 0 => score += 1.0 }",
        true,
    );
    same(
        "switch lead.employees { 800 => score += 5.0, _ => () }",
        true,
    );
}

#[test]
fn variables_persist_across_steps_and_keep_scoping() {
    // Native steps (recognize = true) sit between the script steps of one source.
    same(
        "let t = lead.title.to_lower();\nif lead.employees > 10 { score += 1.0; }\nif t.contains(\"vp\") { score += 2.0; }\nscore += lead.page_views.to_float() * 0.0 + t.len().to_float();",
        true,
    );
    same(
        "let x = 1; { let x = 2.5; score += x; } score += x.to_float();",
        true,
    );
    same(
        "let decay = exp(-lead.days_since_activity.to_float() / 30.0);\nscore += min(lead.page_views.to_float() * 0.5 * decay, 15.0);\nlet k = \"a\"; score += k.len().to_float();",
        true,
    );
    same(
        "let score = 0;\nscore += 10;\nif lead.employees > 5 { score += 1; }",
        true,
    );
}

#[test]
fn unsupported_constructs_stay_in_rhai() {
    // A variable changing type, arrays, maps, closures, script functions, custom maps.
    same("let x = 1; x = 2.5; score += x;", false);
    same("let x = 1; x += 0.5; score += x;", false);
    same("let a = [1, 2]; score += a.len().to_float();", false);
    same("fn f(x) { x * 2.0 } score += f(1.0);", false);
    same("let m = #{a: 1}; score += m.a.to_float();", false);
    same("score += `${lead.title}`.len().to_float();", false);
    same(
        "const K = 5.0; score += K; let t = lead.custom; score += 1.0;",
        false,
    );
}

#[test]
fn the_operation_bound_covers_rhai() {
    // The bound lowered code counts is at least what the interpreter counts for the same step.
    let scripts = [
        "let n = 0; while n < 50 { n += 1; score += min(n.to_float() * 0.5, 3.0); }",
        "for i in 0..40 { if lead.title.contains(\"VP\") || i % 3 == 0 { score += abs(i - 20).to_float(); } }",
        "let k = 0; do { k += 1; switch k { 1 | 2 => score += 1.0, _ => score -= 0.5 } } while k < 30;",
        "let s = \"\"; for i in 0..3 { s += lead.country.to_lower(); } score += s.len().to_float();",
        "let k = 0; loop { k += 1; if k > 9 { break; } if k % 2 == 0 { continue; } score += email_domain(lead.email).len().to_float(); }",
        include_str!("../../../../../../examples/packs/reference-rhai/reference-rules.rhai"),
    ];
    for script in scripts {
        let fast = pack(script, true, false, 100_000_000);
        let slow = pack(script, false, false, 100_000_000);
        assert_eq!(lowered(&fast), (1, 1), "{script}");
        for lead in sample_leads() {
            let mut x = fast.scratch(now());
            let fast_ok = fast.score_in(&mut x, &lead, now(), false).is_ok();
            let bound = x.vars().ops;
            let mut y = slow.scratch(now());
            let slow_ok = slow.score_in(&mut y, &lead, now(), false).is_ok();
            let actual = y.rhai_operations();
            assert_eq!(fast_ok, slow_ok);
            // A lead whose lowered step deopted ran in the interpreter: no bound to check.
            let deopted = x.rhai_operations() > 0;
            if slow_ok && !deopted {
                assert!(bound >= actual, "bound {bound} < rhai {actual}: {script}");
            }
        }
    }
}

// ---- random scripts -------------------------------------------------------

/// A random integer expression.
fn int_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("lead.employees".to_owned()),
        Just("lead.page_views".to_owned()),
        Just("lead.email_opens".to_owned()),
        Just("lead.email_clicks".to_owned()),
        Just("lead.days_since_activity".to_owned()),
        Just("lead.title.len()".to_owned()),
        (-3i64..40).prop_map(|i| format!("({i})")),
        Just("9223372036854775807".to_owned()),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "%"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("min({a}, {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("max({a}, {b})")),
            inner.clone().prop_map(|a| format!("abs({a})")),
            inner.prop_map(|a| format!("(-({a}))")),
        ]
    })
}

/// A random float expression.
fn float_expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("lead.revenue".to_owned()),
        Just("score".to_owned()),
        int_expr().prop_map(|i| format!("{i}.to_float()")),
        (-50.0f64..50.0).prop_map(|f| format!("({f:?})")),
        Just("1e7".to_owned()),
    ];
    leaf.prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("({a} {op} {b})")),
            (inner.clone(), int_expr()).prop_map(|(a, b)| format!("({a} * {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("min({a}, {b})")),
            inner.clone().prop_map(|a| format!("exp(-abs({a}) / 30.0)")),
            inner.clone().prop_map(|a| format!("floor({a})")),
            inner.prop_map(|a| format!("sqrt(abs({a}))")),
        ]
    })
}

fn str_expr() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("lead.title".to_owned()),
        Just("lead.country".to_owned()),
        Just("lead.email".to_owned()),
        Just("lead.title.to_lower()".to_owned()),
        Just("email_domain(lead.email)".to_owned()),
        Just("(lead.country + lead.industry)".to_owned()),
        prop::sample::select(vec![
            "\"VP\"",
            "\"US\"",
            "\"\"",
            "\"gmail.com\"",
            "\"取締役\""
        ])
        .prop_map(str::to_owned),
    ]
}

fn bool_expr() -> impl Strategy<Value = String> {
    let cmp = prop::sample::select(vec!["<", "<=", ">", ">=", "==", "!="]);
    let leaf = prop_oneof![
        (int_expr(), cmp.clone(), int_expr()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
        (float_expr(), cmp.clone(), float_expr()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
        (float_expr(), cmp.clone(), int_expr()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
        (str_expr(), cmp, str_expr()).prop_map(|(a, o, b)| format!("{a} {o} {b}")),
        (
            str_expr(),
            prop::sample::select(vec!["contains", "starts_with", "ends_with"]),
            str_expr()
        )
            .prop_map(|(a, f, b)| format!("{a}.{f}({b})")),
        Just("lead.demo_requested".to_owned()),
    ];
    leaf.prop_recursive(2, 8, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} && {b})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a} || {b})")),
            inner.prop_map(|a| format!("!({a})")),
        ]
    })
}

fn statement() -> impl Strategy<Value = String> {
    prop_oneof![
        (bool_expr(), float_expr()).prop_map(|(c, f)| format!("if {c} {{ score += {f}; }}")),
        (bool_expr(), float_expr(), float_expr())
            .prop_map(|(c, a, b)| format!("if {c} {{ score += {a}; }} else {{ score -= {b}; }}")),
        float_expr().prop_map(|f| format!("score += {f};")),
        int_expr().prop_map(|i| format!("let n = {i}; score += n.to_float();")),
        (int_expr(), float_expr())
            .prop_map(|(i, f)| format!("for k in 0..min({i}, 30) {{ score += {f} / 10.0; }}")),
        int_expr().prop_map(|i| format!(
            "let k = 0; while k < min({i}, 25) {{ k += 1; if k % 7 == 0 {{ break; }} }} score += k.to_float();"
        )),
        str_expr().prop_map(|s| format!(
            "switch {s} {{ \"US\" | \"VP Sales\" => score += 3.0, \"\" => score -= 1.0, _ => () }}"
        )),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Random scripts of typed statements: every one lowers, and scores and
    /// errors (overflow, division by zero, limits) equal the interpreter's.
    #[test]
    fn random_scripts_score_like_rhai(stmts in prop::collection::vec(statement(), 1..6)) {
        let script = format!("let score = 0.0;\n{}\nscore", stmts.join("\n"));
        same_with(&script, true, 3_000);
    }
}
