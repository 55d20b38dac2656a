//! Script variables across segment boundaries: a script mixing fit and
//! engagement statements is cut into segments, and the interpreter records
//! `score` at each boundary. Recording must not disturb the variables the
//! parser resolved (a `let` after a boundary, a variable read across one), in
//! the interpreter and in the compiled script tier alike.

use leadflow::rules::{CompiledPack, PackFormat};
use leadflow::{Lead, parse_timestamp};

fn pack(script: &str, recognize: bool, lower: bool) -> CompiledPack {
    let toml = format!(
        "name = \"t\"\nversion = \"1\"\nrecognize = {recognize}\nlower = {lower}\nscript = '''\n{script}\n'''\n"
    );
    CompiledPack::from_str(&toml, PackFormat::Toml, "t.toml").unwrap()
}

fn lead() -> Lead {
    serde_json::from_str(r#"{"id":"a","created_at":"2026-05-01T00:00:00Z","employees":800,"page_views":12,"title":"VP Sales"}"#).unwrap()
}

/// Asserts (total, fit, engagement) of the sample lead in every tier mix:
/// interpreted or compiled, with or without native steps in between.
fn expect(script: &str, want: (f64, f64, f64)) {
    let now = parse_timestamp("2026-06-01T00:00:00Z").unwrap();
    for recognize in [false, true] {
        for lower in [false, true] {
            let r = pack(script, recognize, lower).score(&lead(), now);
            let got = r.map(|r| (r.total, r.fit, r.engagement));
            assert_eq!(
                got.ok(),
                Some(want),
                "recognize = {recognize}, lower = {lower}"
            );
        }
    }
}

#[test]
fn lets_after_a_segment_boundary_keep_their_values() {
    // fit | engagement | fit: two boundaries, a `let` after each.
    let script = "let a = 2.0;\n\
        if lead.employees > 5 { score += a; }\n\
        score += lead.page_views.to_float() * a;\n\
        let b = 3.0;\n\
        if lead.employees > 5 { score += b + a; }\n\
        let c = lead.title.len().to_float();\n\
        score += lead.page_views.to_float() * 0.0 + c;";
    expect(script, (2.0 + 24.0 + 5.0 + 8.0, 7.0, 32.0));
}

#[test]
fn shadowing_across_boundaries_resolves_like_rhai() {
    let script = "let x = 1.0;\n\
        if lead.employees > 5 { score += x; }\n\
        let x = 10.0;\n\
        score += lead.page_views.to_float() * 0.0 + x;\n\
        { let x = 50.0; if lead.employees > 5 { score += x; } }\n\
        if lead.employees > 5 { score += x; }";
    expect(script, (71.0, 61.0, 10.0));
}

#[test]
fn variables_survive_native_steps_in_between() {
    // With `recognize = true` the `if` statements run natively between the
    // script statements that read `t`.
    let script = "let t = lead.title.to_lower();\n\
        if lead.employees > 10 { score += 1.0; }\n\
        if t.contains(\"vp\") { score += 2.0; }\n\
        score += lead.page_views.to_float() * 0.0 + t.len().to_float();";
    expect(script, (11.0, 3.0, 8.0));
    let script = "let q = lead.title.len();\n\
        if lead.employees > 5 { score += q.to_float(); }\n\
        score += lead.page_views.to_float();\n\
        let z = q * 2;\n\
        if lead.employees > 5 { score += z.to_float(); }";
    expect(script, (36.0, 24.0, 12.0));
}
