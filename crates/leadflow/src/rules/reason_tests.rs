//! Reasons of every rule shape (declarative, recognised rhai, opaque rhai),
//! the `// rule:` comment convention, and `switch` recognition (the native
//! and the rhai tier give identical scores).

use super::*;
use crate::rules::ScoreOptions;
use crate::rules::compile::render;
use crate::{Activity, Lead, parse_timestamp};

fn now() -> crate::Timestamp {
    parse_timestamp("2026-06-01T00:00:00Z").unwrap()
}

fn rhai(script: &str) -> CompiledPack {
    CompiledPack::from_str(script, PackFormat::Rhai, "t.rhai").unwrap()
}

/// The same script with recognition off: every statement runs in rhai.
fn opaque(script: &str) -> CompiledPack {
    let toml =
        format!("name = \"o\"\nversion = \"1\"\nrecognize = false\nscript = '''\n{script}\n'''\n");
    CompiledPack::from_str(&toml, PackFormat::Toml, "o.toml").unwrap()
}

fn toml(text: &str) -> CompiledPack {
    CompiledPack::from_str(text, PackFormat::Toml, "p.toml").unwrap()
}

/// (name, tier, reason) of each rule.
fn reasons(p: &CompiledPack) -> Vec<(String, Tier, String)> {
    p.rules()
        .iter()
        .filter(|r| r.kind == RuleKind::Rule)
        .map(|r| (r.name.clone(), r.tier, r.reason.clone()))
        .collect()
}

/// The reason of the only rule of a one-statement script, asserting it is native.
fn native_reason(statement: &str) -> String {
    let p = rhai(&format!(
        "let decay = exp(-lead.days_since_activity.to_float() / 30.0);\n{statement}\n"
    ));
    let rs = reasons(&p);
    assert_eq!(rs.len(), 1, "{rs:?}");
    assert_eq!(rs[0].1, Tier::Native, "{statement}");
    rs[0].2.clone()
}

#[test]
fn recognised_conditions_read_like_declarative_ones() {
    let cases = [
        (
            r#"if lead.title.contains("VP") || lead.title.contains("Vice President") { score += 10.0; }"#,
            r#"title contains "VP" or "Vice President""#,
        ),
        (
            "if lead.employees > 500 { score += 10.0; }",
            "employees > 500",
        ),
        (
            "if 500 < lead.employees { score += 10.0; }",
            "employees > 500",
        ),
        (
            "if lead.revenue >= 1e7 { score += 8.0; }",
            "revenue >= 10000000",
        ),
        (
            r#"if lead.industry == "Software" { score += 6.0; }"#,
            r#"industry is "Software""#,
        ),
        (
            r#"if lead.source != "event" { score += 1.0; }"#,
            r#"source is not "event""#,
        ),
        (
            r#"if lead.email.ends_with("@gmail.com") || lead.email.ends_with("@yahoo.com") { score -= 8.0; }"#,
            r#"email ends with "@gmail.com" or "@yahoo.com""#,
        ),
        (
            r#"if lead.website.starts_with("https") { score += 1.0; }"#,
            r#"website starts with "https""#,
        ),
        (
            "if lead.demo_requested { score += 25.0; }",
            "demo_requested",
        ),
        (
            "if !lead.demo_requested { score -= 1.0; }",
            "not demo_requested",
        ),
        (
            r#"if lead.employees > 10 && (lead.industry == "A" || lead.industry == "B") { score += 2.0; }"#,
            r#"employees > 10 and (industry is "A" or "B")"#,
        ),
        (
            "if !(lead.employees > 10 && lead.free_mail) { score += 2.0; }",
            "not (employees > 10 and free_mail)",
        ),
        // Negative points: the condition is the reason, the points say -10.
        (
            r#"if lead.title.contains("Intern") { score -= 10.0; }"#,
            r#"title contains "Intern""#,
        ),
    ];
    for (statement, want) in cases {
        assert_eq!(native_reason(statement), want, "{statement}");
    }
}

#[test]
fn recognised_points_say_how_they_are_computed() {
    let d = "decay exp(-days_since_activity / 30)";
    let cases = [
        ("score += 3.0;".to_owned(), "always".to_owned()),
        ("score -= 2;".to_owned(), "always".to_owned()),
        (
            "score += min(lead.page_views.to_float() * 0.5 * decay, 15.0);".to_owned(),
            format!("0.5 per page_views, {d}, max 15"),
        ),
        (
            "score += min(lead.email_opens, 10).to_float() * 0.5 * decay;".to_owned(),
            format!("0.5 per email_opens (at most 10), {d}"),
        ),
        (
            "score += lead.email_clicks.to_float() * 2.0 * decay;".to_owned(),
            format!("2 per email_clicks, {d}"),
        ),
        (
            "score += max(lead.page_views.to_float() * -1.0, -5.0);".to_owned(),
            "-1 per page_views, min -5".to_owned(),
        ),
        (
            "if lead.form_fills > 0 { score += 10.0 * decay; }".to_owned(),
            format!("form_fills > 0: {d}"),
        ),
        ("score += 10.0 * decay;".to_owned(), format!("always, {d}")),
        (
            "if lead.employees > 100 { score += lead.page_views.to_float() * 0.25; }".to_owned(),
            "employees > 100: 0.25 per page_views".to_owned(),
        ),
        (
            "score += lead.page_views.to_float() * lead.email_clicks.to_float();".to_owned(),
            "page_views * email_clicks".to_owned(),
        ),
    ];
    for (statement, want) in cases {
        assert_eq!(native_reason(&statement), want, "{statement}");
    }
}

#[test]
fn a_named_decay_local_is_shown_with_its_name() {
    let p = rhai(
        "let recency = 0.5 ** (lead.days_since_activity.to_float() / 14.0);\nscore += lead.page_views.to_float() * recency;\n",
    );
    assert_eq!(
        reasons(&p)[0].2,
        "1 per page_views, decay recency = 0.5 ** (days_since_activity / 14)"
    );
}

#[test]
fn rule_comments_name_rules_and_give_reasons() {
    let p = rhai(
        "// rule: title_vp fit \u{2014} Senior title\nif lead.title.contains(\"VP\") { score += 10.0; }\n\
         // rule: big - Large company\nif lead.employees > 500 { score += 5.0; }\n\
         // rule: named_only engagement\n// a free comment line between\nif lead.page_views > 3 { score += 1.0; }\n\
         // rule: loop_rule -- Counts channels\n{ let n = 0; for i in 0..3 { n += 1; } score += n.to_float(); }\n",
    );
    let rs = reasons(&p);
    let want = [
        ("title_vp", Tier::Native, "Senior title"),
        ("big", Tier::Native, "Large company"),
        ("named_only", Tier::Native, "page_views > 3"),
        ("loop_rule", Tier::Script, "Counts channels"),
    ];
    let got: Vec<(&str, Tier, &str)> = rs
        .iter()
        .map(|(n, t, r)| (n.as_str(), *t, r.as_str()))
        .collect();
    assert_eq!(got, want);
    let axes: Vec<Axis> = p.rules().iter().map(|r| r.axis).collect();
    assert_eq!(axes[0], Axis::Fit);
    assert_eq!(axes[2], Axis::Engagement);
}

#[test]
fn rule_comment_names_are_unique() {
    for script in [
        "// rule: a\nscore += 1.0;\n// rule: a\nscore += 2.0;\n",
        "// rule: a\n{ let x = 1; score += x.to_float(); }\n// rule: a - again\nif lead.employees > 1 { score += 2.0; }\n",
    ] {
        let e = CompiledPack::from_str(script, PackFormat::Rhai, "t.rhai").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Config, "{e}");
        assert_eq!((e.rule(), e.line()), (Some("a"), Some(4)), "{e}");
    }
    let toml = "name = \"x\"\nversion = \"1\"\nscript = \"// rule: a\\nscore += 1.0;\\n\"\n[[rules]]\nname = \"a\"\npoints = 1\n";
    let e = CompiledPack::from_str(toml, PackFormat::Toml, "p.toml").unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::Config, "{e}");
}

#[test]
fn opaque_rules_keep_a_short_single_line_excerpt() {
    let p = rhai(
        "let score = 0.0;\n\
         {\n    let channels = 0;\n    // count them\n    if lead.page_views > 0 { channels += 1; }\n    if channels >= 1 { score += 5.0; }\n}\n\
         let k = 0; while k < 2 { k += 1; score += 1.0; } // trailing note\n\
         if lead.title.len() > 3 { score += 1.0 + lead.title.len().to_float() * 0.0001 + lead.employees.to_float() * 0.0; }\n",
    );
    let rs = reasons(&p);
    assert!(rs.iter().all(|r| r.1 == Tier::Script), "{rs:?}");
    let texts: Vec<&str> = rs.iter().map(|r| r.2.as_str()).collect();
    assert_eq!(
        texts[0],
        "{ let channels = 0; if lead.page_views > 0 { channels += 1; } if channels >= 1…"
    );
    assert_eq!(texts[1], "while k < 2 { k += 1; score += 1.0; }");
    assert!(
        texts[2].ends_with('…') && texts[2].chars().count() == 80,
        "{}",
        texts[2]
    );
    assert!(texts.iter().all(|t| !t.contains('\n') && *t != "{"));
}

#[test]
fn declarative_reasons_cover_every_shape() {
    let p = toml(
        r#"
name = "x"
version = "1"
[decay.recent]
half_life_days = 14
[decay.slow]
time_constant_days = 30
[decay.steps]
linear = { per_days = 30, rate = 0.25 }
[[rules]]
name = "always_on"
points = 1
[[rules]]
name = "decayed_const"
points = 5
decay = "recent"
[[rules]]
name = "views"
value = { field = "page_views", min = 1, max = 30 }
per = 0.5
decay = "slow"
min = 1
max = 15
[[rules]]
name = "clicks"
value = "email_clicks"
decay = "steps"
[[rules]]
name = "countries"
when = { field = "country", in = ["US", "CA"] }
points = 5
[[rules]]
name = "not_bands"
when = { field = "employees", not_in = [1, 2] }
points = -1
[[rules]]
name = "demo_recent"
when = { field = "demo_requested", is = true }
points = 30
decay = "recent"
[[rules]]
name = "written"
when = { field = "title", contains = ["VP"] }
points = 2
reason = "Senior title"
"#,
    );
    let got: Vec<(String, String)> = reasons(&p).into_iter().map(|r| (r.0, r.2)).collect();
    let want = [
        ("always_on", "always"),
        ("decayed_const", "always, decay recent (half-life 14 days)"),
        (
            "views",
            "0.5 per page_views (between 1 and 30), decay slow (time constant 30 days), min 1, max 15",
        ),
        (
            "clicks",
            "1 per email_clicks, decay steps (-0.25 every 30 days)",
        ),
        ("countries", r#"country in ["US", "CA"]"#),
        ("not_bands", "employees not in [1, 2]"),
        (
            "demo_recent",
            "demo_requested: decay recent (half-life 14 days)",
        ),
        ("written", "Senior title"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn script_rule_entries_use_their_written_reason() {
    let p = toml(
        "name = \"x\"\nversion = \"1\"\n[[rules]]\nname = \"s\"\nscript = \"if lead.employees > 5 { score += 1.0; }\"\nreason = \"Big enough\"\n",
    );
    assert_eq!(reasons(&p)[0].2, "Big enough");
}

const SWITCHES: &[(&str, &str)] = &[
    (
        r#"switch lead.country { "US" | "CA" | "GB" | "DE" => score += 5.0, _ => () }"#,
        r#"country in ["US", "CA", "GB", "DE"]"#,
    ),
    (
        r#"switch lead.country { "US" => score += 5.0 }"#,
        r#"country is "US""#,
    ),
    (
        r#"switch lead.country { "US" | "CA" => score += 5.0, "FR" => { score -= 2.0; } _ => score += 1 }"#,
        r#"country: "US" or "CA" +5, "FR" -2, otherwise +1"#,
    ),
    (
        r#"switch lead.country { "US" => score += 5.0, "JP" => score += 5.0, "FR" => (), _ => {} }"#,
        r#"country in ["US", "JP"]"#,
    ),
    (
        r#"switch lead.industry { "Software" => score += 6.0, "Finance" | "Healthcare" => score += 4.0, }"#,
        r#"industry: "Software" +6, "Finance" or "Healthcare" +4"#,
    ),
    (
        "switch lead.employees { 0 => score -= 5.0, 800 | 1000 => score += 3 }",
        "employees: 0 -5, 800 or 1000 +3",
    ),
    (
        "switch lead.country { _ => score += 2.0 }",
        "country: otherwise +2",
    ),
    (
        "switch lead.country {\n  // served\n  \"US\" => score += 1.0, // main\n  \"a|b=>\" => score += 2.0,\n}",
        r#"country: "US" +1, "a|b=>" +2"#,
    ),
];

#[test]
fn simple_switches_are_native_with_readable_reasons() {
    for (statement, want) in SWITCHES {
        let p = rhai(statement);
        let rs = reasons(&p);
        assert_eq!(rs.len(), 1, "{statement}");
        assert_eq!(
            (rs[0].1, rs[0].2.as_str()),
            (Tier::Native, *want),
            "{statement}"
        );
    }
}

#[test]
fn other_switches_stay_in_rhai() {
    for statement in [
        // A guard, a range, a non-constant body, a float scrutinee, mixed types.
        r#"switch lead.country { "US" if lead.employees > 5 => score += 5.0, _ => () }"#,
        "switch lead.employees { 0..10 => score += 5.0, _ => () }",
        r#"switch lead.country { "US" => score += lead.employees.to_float(), _ => () }"#,
        "switch lead.revenue { 1 => score += 5.0 }",
        r#"switch lead.country { 1 => score += 5.0, "US" => score += 1.0 }"#,
        r#"switch lead.country { "US" => { score += 1.0; score += 1.0; } }"#,
    ] {
        let rs = reasons(&rhai(statement));
        assert_eq!(rs[0].1, Tier::Script, "{statement}");
    }
}

fn leads() -> Vec<Lead> {
    let created = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
    let mut out = Vec::new();
    let countries = [
        None,
        Some("US"),
        Some("CA"),
        Some("FR"),
        Some("JP"),
        Some("a|b=>"),
        Some(""),
    ];
    let industries = [
        None,
        Some("Software"),
        Some("Finance"),
        Some("Healthcare"),
        Some("Retail"),
    ];
    let employees = [None, Some(0), Some(800), Some(1000), Some(5)];
    for (i, c) in countries.iter().enumerate() {
        for (j, ind) in industries.iter().enumerate() {
            let mut l = Lead::new(format!("L-{i}-{j}"), created);
            l.country = c.map(str::to_owned);
            l.industry = ind.map(str::to_owned);
            l.employees = employees[(i + j) % employees.len()];
            if i % 2 == 0 {
                l.activities.push(Activity::new("page_view", created));
            }
            out.push(l);
        }
    }
    out
}

#[test]
fn switch_tiers_give_identical_scores() {
    for (statement, _) in SWITCHES {
        let script = format!("let score = 0.0;\n{statement}\nscore += 50.0;\nscore\n");
        let (native, rhai_tier) = (rhai(&script), opaque(&script));
        assert!(rhai_tier.rules().iter().all(|r| r.tier == Tier::Script));
        for l in leads() {
            let a = native.explain(&l, now()).unwrap();
            let b = rhai_tier.score(&l, now()).unwrap();
            assert_eq!(
                (a.total, a.fit, a.engagement),
                (b.total, b.fit, b.engagement),
                "{statement} on {:?}/{:?}/{:?}",
                l.country,
                l.industry,
                l.employees
            );
            // A native switch rule is listed when (and only when) it adds points.
            let fired = a.explanation.unwrap().rules;
            assert!(
                fired.iter().all(|r| r.points != 0.0),
                "{statement}: {fired:?}"
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    /// Recognised switches score exactly like rhai on arbitrary values.
    #[test]
    fn switch_tiers_agree_on_random_values(
        country in proptest::prop_oneof!["US|CA|FR|JP|a\\|b=>|", "\\PC{0,6}"],
        industry in "Software|Finance|Healthcare|Retail|\\PC{0,4}",
        employees in proptest::option::of(proptest::prop_oneof![0u64..3, 795u64..1005]),
    ) {
        let created = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
        let mut l = Lead::new("L-p", created);
        l.country = Some(country);
        l.industry = Some(industry);
        l.employees = employees;
        let script: Vec<&str> = SWITCHES.iter().map(|(s, _)| *s).collect();
        let script = script.join("\n") + "\n";
        let script = format!("let score = 0.0;\n{script}score += 50.0;\nscore\n");
        let (a, b) = (rhai(&script), opaque(&script));
        let native = a.rules().iter().filter(|r| r.tier == Tier::Native).count();
        proptest::prop_assert_eq!(native, SWITCHES.len() + 1);
        let (x, y) = (a.score(&l, now()).unwrap(), b.score(&l, now()).unwrap());
        proptest::prop_assert_eq!((x.total, x.fit), (y.total, y.fit));
    }
}

#[test]
fn grade_and_temperature_reasons_round_without_crossing_thresholds() {
    assert_eq!(render::rounded(22.063_713, &[40.0, 70.0]), "22.06");
    assert_eq!(render::rounded(39.999, &[40.0, 70.0]), "39.999");
    assert_eq!(render::rounded(70.004, &[40.0, 70.0]), "70");
    assert_eq!(render::rounded(-0.001, &[0.0]), "-0.001");
    assert_eq!(render::rounded(-0.001, &[-5.0]), "0");
    let p = rhai("score += 39.999;\n");
    let ex = p
        .explain(&Lead::new("L", now()), now())
        .unwrap()
        .explanation
        .unwrap();
    assert_eq!(ex.temperature_reason, "total 39.999 < warm threshold 40");
    assert_eq!(ex.grade_reason, "fit 39.999 >= 30 for grade B");
}

#[test]
fn declarative_combinations_parenthesise_only_compound_parts() {
    let p = toml(
        r#"
name = "x"
version = "1"
[[rules]]
name = "tiny"
when = { all = [{ field = "employees", gt = 0 }, { field = "employees", lt = 10 }] }
points = -10
[[rules]]
name = "mixed"
when = { any = [{ field = "title", contains = ["VP", "Head"] }, { not = { field = "free_mail", is = true } }] }
points = 1
"#,
    );
    let got: Vec<String> = reasons(&p).into_iter().map(|r| r.2).collect();
    assert_eq!(
        got,
        [
            "employees > 0 and employees < 10",
            r#"(title contains "VP" or "Head") or not free_mail"#
        ]
    );
}

#[test]
#[allow(clippy::float_cmp)] // the tiers are bit-identical, not just close
fn switch_rules_score_the_same_over_columns() {
    let countries = ["US", "FR", "", "JP", "CA", "a|b=>"];
    let employees = [0_i64, 800, 5, 1000, 3, 0];
    let mut bytes = Vec::new();
    let mut offsets = vec![0_i32];
    for c in countries {
        bytes.extend_from_slice(c.as_bytes());
        offsets.push(i32::try_from(bytes.len()).unwrap());
    }
    let cols = Columns::new(countries.len())
        .with(
            "country",
            Column::utf8(Offsets::I32(&offsets), &bytes, None).unwrap(),
        )
        .unwrap()
        .with("employees", Column::i64(&employees, None))
        .unwrap();
    let script: Vec<&str> = SWITCHES
        .iter()
        .map(|(s, _)| *s)
        .filter(|s| !s.contains("industry"))
        .collect();
    let p = rhai(&(script.join("\n") + "\n"));
    let out = p.score_columns(&cols, now(), ScoreOptions::default().with_sequential(true));
    let created = parse_timestamp("2026-01-01T00:00:00Z").unwrap();
    for (i, (c, e)) in countries.iter().zip(employees).enumerate() {
        let mut l = Lead::new("L", created);
        l.country = (!c.is_empty()).then(|| (*c).to_owned());
        l.employees = Some(u64::try_from(e).unwrap());
        let want = p.score(&l, now()).unwrap().total;
        assert_eq!(out.total[i], want, "row {i}");
    }
}
