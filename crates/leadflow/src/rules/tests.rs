//! Unit tests of the rules engine: sandbox limits, broken packs, explain, caps.

use super::*;
use crate::rules::ScoreOptions;
use crate::{ErrorKind, Lead, parse_timestamp};

fn now() -> crate::Timestamp {
    parse_timestamp("2026-06-01T00:00:00Z").unwrap()
}

fn lead() -> Lead {
    let mut l = Lead::new("L-42", parse_timestamp("2026-05-01T00:00:00Z").unwrap());
    l.title = Some("VP Engineering".into());
    l.employees = Some(800);
    l
}

fn rhai_pack(script: &str) -> crate::Result<CompiledPack> {
    CompiledPack::from_str(script, PackFormat::Rhai, "t.rhai")
}

#[test]
fn infinite_loop_is_limit_exceeded_naming_lead_and_rule() {
    let p = rhai_pack("let score = 0.0;\n// rule: spin\nloop { score += 1.0; }\n").unwrap();
    let e = p.score(&lead(), now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded);
    assert_eq!(e.record(), Some("L-42"));
    assert_eq!(e.rule(), Some("spin"));
}

#[test]
fn huge_string_is_limit_exceeded() {
    let p = rhai_pack("let s = \"x\";\nfor i in 0..40 { s += s; }\nscore += 1.0;\n").unwrap();
    let e = p.score(&lead(), now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
}

#[test]
fn deep_recursion_is_limit_exceeded() {
    let p = rhai_pack("fn f(n) { f(n + 1) }\nscore += f(0);\n").unwrap();
    let e = p.score(&lead(), now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
}

/// Runs `f` on a thread with a small native stack (a Node worker, a tiny rayon
/// thread): deep scripts must still end in a typed error, never a stack overflow.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(128 << 10)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn deep_inputs_on_a_small_stack_are_typed_errors() {
    let host = crate::sandbox::Limits {
        max_call_depth: crate::sandbox::Limits::HARD.max_call_depth,
        max_expr_depth: crate::sandbox::Limits::HARD.max_expr_depth,
        ..crate::sandbox::Limits::default()
    };
    let options = LoadOptions::with_limits(host);
    // 200,000 nested parentheses: the parser stops at the expression depth.
    let deep = format!("score += {}1{};", "(".repeat(200_000), ")".repeat(200_000));
    let e = on_small_stack(move || {
        CompiledPack::from_str_with(&deep, PackFormat::Rhai, "t.rhai", &options).unwrap_err()
    });
    assert!(
        matches!(e.kind(), ErrorKind::Script | ErrorKind::LimitExceeded),
        "{e}"
    );
    // Recursion to the hard call-depth ceiling, and one level past it.
    for (n, ok) in [(60, true), (1_000, false)] {
        let src =
            format!("fn f(n) {{ if n > 0 {{ f(n - 1) + 1 }} else {{ 0 }} }}\nscore += f({n});\n");
        let r = on_small_stack(move || {
            let p = CompiledPack::from_str_with(&src, PackFormat::Rhai, "t.rhai", &options)?;
            p.score(&lead(), now())
        });
        assert_eq!(r.is_ok(), ok, "{n}: {r:?}");
        if let Err(e) = r {
            assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
        }
    }
}

#[test]
fn limits_are_configurable() {
    let toml = "name = \"x\"\nversion = \"1\"\nscript = \"let n = 0; while n < 5000 { n += 1; } score += 1.0;\"\n[limits]\nmax_operations = 100\n";
    let p = CompiledPack::from_str(toml, PackFormat::Toml, "p.toml").unwrap();
    assert_eq!(
        p.score(&lead(), now()).unwrap_err().kind(),
        ErrorKind::LimitExceeded
    );
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let e = rhai_pack("let score = 0.0;\nif lead.title.contains(\"VP\" { score += 1.0; }\n")
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert_eq!(e.file(), Some("t.rhai"));
    assert_eq!(e.line(), Some(2));
    assert!(e.column().is_some());
}

#[test]
fn unknown_field_in_script_is_reported_with_position() {
    let e =
        rhai_pack("let score = 0.0;\n\nif lead.titel == \"x\" { score += 1.0; }\n").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert_eq!(e.field(), Some("titel"));
    assert_eq!(e.line(), Some(3));
}

#[test]
fn unknown_field_in_declarative_rule_names_rule() {
    let toml = "name = \"x\"\nversion = \"1\"\n[[rules]]\nname = \"bad\"\nwhen = { field = \"titel\", contains = \"VP\" }\npoints = 1\n";
    let e = CompiledPack::from_str(toml, PackFormat::Toml, "p.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.rule(), Some("bad"));
    assert_eq!(e.file(), Some("p.toml"));
}

#[test]
fn bad_toml_and_unknown_keys_have_positions() {
    let e = CompiledPack::from_str("name = \"x\"\nversion = \"1\"\n[[rules]]\nname = \"a\"\npoints = 1\nwhen = { feld = \"x\" }\n", PackFormat::Toml, "p.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.line(), Some(6));
    let e = CompiledPack::from_str("name = [\n", PackFormat::Toml, "p.toml").unwrap_err();
    assert_eq!(e.line(), Some(1));
}

#[test]
fn runtime_error_names_lead_and_rule() {
    let p = rhai_pack("// rule: boom\nscore += lead.title.len() / 0;\n").unwrap();
    let e = p.score(&lead(), now()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Script);
    assert_eq!((e.record(), e.rule()), (Some("L-42"), Some("boom")));
}

#[test]
fn print_goes_to_the_log() {
    let p = rhai_pack("print(`title ${lead.title}`);\nscore += 1.0;\n").unwrap();
    p.score(&lead(), now()).unwrap();
    let (lines, dropped) = p.take_log();
    assert_eq!(lines, vec!["title VP Engineering".to_owned()]);
    assert_eq!(dropped, 0);
}

#[test]
fn batch_keeps_going_after_a_failing_lead() {
    let p = rhai_pack("if lead.employees > 1000 { loop {} }\nscore += 1.0;\n").unwrap();
    let mut big = lead();
    big.id = "L-big".into();
    big.employees = Some(5000);
    let out = p.score_batch(&[lead(), big, lead()], now(), ScoreOptions::default());
    assert!(out[0].is_ok() && out[2].is_ok());
    let e = out[1].as_ref().unwrap_err();
    assert_eq!(
        (e.kind(), e.record()),
        (ErrorKind::LimitExceeded, Some("L-big"))
    );
}

#[test]
fn explain_lists_rules_decay_and_caps() {
    let toml = r#"
name = "x"
version = "1"
[decay.recent]
half_life_days = 10
[caps.fit]
max = 12
[[rules]]
name = "senior"
when = { field = "title", starts_with = "VP" }
points = 10
[[rules]]
name = "big"
when = { field = "employees", gte = 500 }
points = 5
[[rules]]
name = "views"
value = "page_views"
per = 3
decay = "recent"
max = 4
"#;
    let p = CompiledPack::from_str(toml, PackFormat::Toml, "p.toml").unwrap();
    let mut l = lead();
    l.extra.insert("page_views".into(), 4.into());
    l.extra.insert("days_since_activity".into(), 10.into());
    let r = p.explain(&l, now()).unwrap();
    let ex = r.explanation.unwrap();
    let names: Vec<&str> = ex.rules.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(names, ["senior", "big", "views"]);
    assert_eq!(ex.rules[0].reason, "title starts with \"VP\"");
    let views = &ex.rules[2];
    assert_eq!(views.decay, Some(0.5));
    assert_eq!(
        views.capped.as_ref().map(|c| (c.before, c.after)),
        Some((6.0, 4.0))
    );
    assert_eq!(ex.caps[0].scope, "fit");
    assert_eq!(
        (ex.fit_raw, r.fit, r.engagement, r.total),
        (15.0, 12.0, 4.0, 16.0)
    );
    assert_eq!(r.grade, Grade::D);
    // Without the flag there is no explanation.
    assert!(p.score(&l, now()).unwrap().explanation.is_none());
}

#[test]
fn script_rules_explain_in_words() {
    let p = rhai_pack("let score = 0.0;\n// rule: vp fit\nif lead.title.contains(\"VP\") { score += 10.0; }\nswitch lead.employees { 800 => score += 3.0, _ => () }\nscore\n").unwrap();
    let r = p.explain(&lead(), now()).unwrap();
    let ex = r.explanation.unwrap();
    assert_eq!(ex.rules.len(), 2);
    assert_eq!(
        (ex.rules[0].rule.as_str(), ex.rules[0].tier),
        ("vp", Tier::Native)
    );
    assert_eq!(ex.rules[0].reason, "title contains \"VP\"");
    assert_eq!(
        (
            ex.rules[1].rule.as_str(),
            ex.rules[1].tier,
            ex.rules[1].points,
            ex.rules[1].reason.as_str()
        ),
        ("t.rhai:4", Tier::Native, 3.0, "employees = 800")
    );
    assert!((r.total - 13.0).abs() < 1e-12);
}

#[test]
fn compiled_pack_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<CompiledPack>();
}

#[test]
fn score_into_writes_state() {
    let p = rhai_pack("//! name: t\n//! version: 2\nscore += 50.0;\n").unwrap();
    let mut l = lead();
    p.score_into(&mut l, now()).unwrap();
    let s = l.score.unwrap();
    assert_eq!(
        (s.total, s.pack.as_str(), s.temperature.as_str()),
        (50.0, "t@2", "warm")
    );
}

#[test]
fn lints_find_unreachable_caps_silent_rules_and_missing_fields() {
    let toml = r#"
name = "x"
version = "1"
[features.budget]
field = "custom.budget"
[caps.fit]
max = 50
[[rules]]
name = "vp"
when = { field = "title", contains = "VP" }
points = 10
[[rules]]
name = "rich"
when = { field = "budget", gt = 1000 }
points = 5
"#;
    let p = CompiledPack::from_str(toml, PackFormat::Toml, "p.toml").unwrap();
    let lints = p.lint(&[lead()], now());
    let kinds: Vec<(LintKind, Option<&str>)> =
        lints.iter().map(|l| (l.kind, l.rule.as_deref())).collect();
    assert!(
        kinds.contains(&(LintKind::UnreachableCap, None)),
        "{lints:?}"
    );
    assert!(
        kinds.contains(&(LintKind::NeverFires, Some("rich"))),
        "{lints:?}"
    );
    assert!(
        !kinds.contains(&(LintKind::NeverFires, Some("vp"))),
        "{lints:?}"
    );
    assert!(
        lints
            .iter()
            .any(|l| l.kind == LintKind::FieldNeverPresent && l.message.contains("budget"))
    );
}

#[test]
fn flat_record_fields_feed_typed_features() {
    let p = CompiledPack::from_str(
        "name = \"x\"\nversion = \"1\"\n[[rules]]\nname = \"rev\"\nwhen = { field = \"revenue\", gt = 100 }\npoints = 7\n",
        PackFormat::Toml,
        "p.toml",
    )
    .unwrap();
    let mut l = lead();
    l.extra.insert("revenue".into(), 500.into());
    assert!((p.score(&l, now()).unwrap().total - 7.0).abs() < 1e-12);
}

#[test]
fn lead_map_reused_across_leads_never_leaks_script_writes() {
    // The script mutates `lead` (a field, a new key, the title string in place);
    // the next lead must still see only its own values.
    let p = rhai_pack(
        "let score = 0.0;\n\
         // rule: seen fit\n\
         { let t = lead.title; if t == \"VP Engineering\" { score += 10.0; } }\n\
         // rule: mutate fit\n\
         lead.employees = 1; let k = \"ex\" + \"tra\"; lead[k] = 5; lead.title.make_upper(); now = \"x\";\n\
         // rule: big fit\n\
         { let e = lead.employees; if e > 500 { score += 1.0; } }\n",
    )
    .unwrap();
    let leads = vec![lead(), lead(), lead()];
    for r in p.score_batch(&leads, now(), ScoreOptions::default().with_sequential(true)) {
        let t = r.unwrap().total;
        assert!((t - 10.0).abs() < 1e-9, "{t}");
    }
    let mut other = lead();
    other.title = Some("Intern".into());
    let rs = p.score_batch(
        &[lead(), other, lead()],
        now(),
        ScoreOptions::default().with_sequential(true),
    );
    let totals: Vec<f64> = rs.into_iter().map(|r| r.unwrap().total).collect();
    assert_eq!(totals, vec![10.0, 0.0, 10.0]);
}

#[test]
fn fit_and_engagement_segments_of_one_run_split_points() {
    let p = rhai_pack(
        "let score = 0.0;\n\
         // rule: fit_a fit\n\
         score += 3.0;\n\
         // rule: eng_a engagement\n\
         score += 4.0;\n\
         // rule: fit_b fit\n\
         score += 5.0;\n",
    )
    .unwrap();
    let r = p.score(&lead(), now()).unwrap();
    assert!(
        (r.fit - 8.0).abs() < 1e-9 && (r.engagement - 4.0).abs() < 1e-9,
        "{r:?}"
    );
}

fn hostile(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/hostile/packs")
        .join(name)
}

#[test]
fn packs_read_nothing_outside_their_folder_and_echo_nothing() {
    for name in [
        "escape-dotdot",
        "escape-absolute",
        "escape-symlink",
        "escape-device",
    ] {
        let e = CompiledPack::load(hostile(name)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{name}: {e}");
        assert_eq!(e.field(), Some("scripts"), "{name}");
        let shown = serde_json::to_string(&e).unwrap();
        assert!(
            !shown.contains("leadflow_outside_secret_token"),
            "{name}: {shown}"
        );
        assert!(!shown.contains("root:"), "{name}: {shown}");
    }
}

#[test]
fn pack_files_are_size_capped() {
    let dir = std::env::temp_dir().join(format!("leadflow-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("pack.toml"), "name = \"big\"\nversion = \"1\"\n").unwrap();
    std::fs::write(
        dir.join("big.rhai"),
        format!("// {}\nscore += 1.0;\n", "x".repeat(4096)),
    )
    .unwrap();
    let tight = crate::sandbox::Limits {
        max_file_bytes: 1024,
        ..crate::sandbox::Limits::default()
    };
    let e = CompiledPack::load_with(&dir, &LoadOptions::with_limits(tight)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
    assert!(e.file().is_some_and(|f| f.ends_with("big.rhai")), "{e}");
    let per_pack = crate::sandbox::Limits {
        max_pack_bytes: 2048,
        ..crate::sandbox::Limits::default()
    };
    let e = CompiledPack::load_with(&dir, &LoadOptions::with_limits(per_pack)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
    // Within the caps the same pack loads, also through a symlinked pack folder.
    let link = dir.with_extension("link");
    let _ = std::fs::remove_file(&link);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    #[cfg(unix)]
    assert!(CompiledPack::load(&link).is_ok());
    let _ = std::fs::remove_file(&link);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_pack_cannot_raise_its_limits_and_host_limits_carry_over_a_rebuild() {
    let host = crate::sandbox::Limits {
        max_operations: 500,
        ..crate::sandbox::Limits::default()
    };
    let toml = "name = \"x\"\nversion = \"1\"\nscript = \"score += 1.0;\"\n[limits]\nmax_operations = 1000\n";
    let e = CompiledPack::from_str_with(
        toml,
        PackFormat::Toml,
        "p.toml",
        &LoadOptions::with_limits(host),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    assert_eq!(e.field(), Some("limits.max_operations"));
    let ok = toml.replace("1000", "200");
    let p = CompiledPack::from_str_with(
        &ok,
        PackFormat::Toml,
        "p.toml",
        &LoadOptions::with_limits(host),
    )
    .unwrap();
    assert_eq!(p.limits().max_operations, 200);
    let again = CompiledPack::from_sources(p.sources()).unwrap();
    assert_eq!(again.limits(), p.limits());
    assert_eq!(again.sources().host_limits, host);
}

#[test]
fn a_spent_batch_budget_ends_the_batch_lead_by_lead() {
    let host = crate::sandbox::Limits {
        batch_time_ms: Some(1),
        // Operations and the lead's own budget must not stop the loops first.
        max_operations: crate::sandbox::Limits::HARD.max_operations,
        lead_time_us: 10_000_000,
        ..crate::sandbox::Limits::default()
    };
    let src = "//! name: spin\nif lead.title == \"spin\" { loop { } }\nscore += 1.0;\n";
    let p = CompiledPack::from_str_with(
        src,
        PackFormat::Rhai,
        "t.rhai",
        &LoadOptions::with_limits(host),
    )
    .unwrap();
    let mut leads: Vec<Lead> = (0..40).map(|_| lead()).collect();
    for (i, l) in leads.iter_mut().enumerate() {
        l.id = format!("L-{i}");
        l.title = Some("spin".into());
    }
    for results in [
        p.score_batch(&leads, now(), ScoreOptions::default()),
        p.score_batch(&leads, now(), ScoreOptions::default().with_sequential(true)),
    ] {
        assert_eq!(results.len(), leads.len(), "one entry per lead");
        for (r, l) in results.iter().zip(&leads) {
            let e = r.as_ref().unwrap_err();
            assert_eq!(e.kind(), ErrorKind::LimitExceeded, "{e}");
            assert_eq!(e.record(), Some(l.id.as_str()));
            assert_eq!(e.details().unwrap()["limit"], "batch_time_ms", "{e}");
        }
    }
}

#[test]
fn deeply_nested_manifest_values_on_a_small_stack_are_typed_errors() {
    // `qualification.framework` holds any value: the manifest's non-finite walk and
    // the parsers must not overflow the stack on deep nesting.
    let depth = 5_000;
    let toml = format!(
        "name = \"x\"\nversion = \"1\"\n[qualification]\nframework = {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let yaml = format!(
        "name: x\nversion: \"1\"\nqualification:\n  framework: {}1{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    for (text, format) in [(toml, PackFormat::Toml), (yaml, PackFormat::Yaml)] {
        let r = on_small_stack(move || CompiledPack::from_str(&text, format, "deep").map(|_| ()));
        assert!(r.is_err(), "{format:?}");
    }
}
