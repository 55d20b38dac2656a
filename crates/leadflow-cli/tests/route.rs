//! `leadflow route` and `leadflow sla` on the examples in `examples/routing/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/routing")
}

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("leadflow-cli-route-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn leadflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args(args)
        .output()
        .expect("run leadflow")
}

fn jsonl(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn routes_the_example_batch_and_keeps_state() {
    let ex = examples();
    let dir = scratch("state");
    let state = dir.join("state.json");
    let _ = std::fs::remove_file(&state);
    let (config, leads, accounts) = (
        ex.join("routing.yaml"),
        ex.join("leads.jsonl"),
        ex.join("accounts.json"),
    );
    let run = || {
        leadflow(&[
            "route",
            "--config",
            s(&config),
            "--state",
            s(&state),
            "--accounts",
            s(&accounts),
            "--now",
            "2026-03-02T09:00:00Z",
            s(&leads),
        ])
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let first = jsonl(&out);
    assert_eq!(first.len(), 11, "one assignment per lead");
    let who: Vec<String> = first.iter().map(|a| a["assignee"].to_string()).collect();
    assert_eq!(
        who[6], r#"{"rep":"ben"}"#,
        "Globex is ben's customer account"
    );
    assert_eq!(first[6]["via"], "ownership");
    assert_eq!(who[7], r#"{"queue":"review"}"#);
    assert_eq!(first[8]["fallback_reason"], "no_rule_matched");
    // A script condition: partner deal of 80k on a small company.
    assert_eq!(first[10]["rule"], "big-partner-deal");
    assert_eq!(who[10], r#"{"rep":"eva"}"#);
    assert_eq!(
        first[4]["skipped"][2]["reason"], "away",
        "dan is on vacation"
    );
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["loads"]["ana"]["day"]["count"], 3);
    // The second run continues from the saved state: counts grow, rotation goes on.
    let second = jsonl(&run());
    assert_ne!(first, second);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["loads"]["ana"]["day"]["count"], 5);
}

#[test]
fn a_bad_record_is_reported_and_the_rest_routed() {
    let dir = scratch("bad");
    let leads = dir.join("leads.jsonl");
    std::fs::write(
        &leads,
        "{\"id\": \"ok\", \"created_at\": \"2026-03-02T09:00:00Z\", \"country\": \"DE\"}\n{\"id\": \"bad\", \"created_at\": \"yesterday\"}\n",
    )
    .unwrap();
    let state_out = dir.join("out.json");
    let out = leadflow(&[
        "route",
        "--config",
        s(&examples().join("routing.yaml")),
        "--state",
        s(&dir.join("none.json")),
        "--state-out",
        s(&state_out),
        "--now",
        "2026-03-02T09:00:00Z",
        s(&leads),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines = jsonl(&out);
    assert_eq!(lines[0]["assignee"]["rep"], "ana");
    assert_eq!(lines[1]["error"]["kind"], "ValidationError");
    assert_eq!(lines[1]["error"]["record"], "bad");
    assert!(state_out.exists());
}

#[test]
fn config_errors_exit_2_naming_the_rule() {
    let dir = scratch("cfg");
    let cfg = dir.join("routing.json");
    std::fs::write(
        &cfg,
        r#"{"fallback_queue": "q", "rules": [{"name": "vip", "assign": {"team": "nobody"}}]}"#,
    )
    .unwrap();
    let out = leadflow(&[
        "route",
        "--config",
        s(&cfg),
        "--state",
        s(&dir.join("s.json")),
        "--now",
        "2026-03-02T09:00:00Z",
        s(&examples().join("leads.jsonl")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ConfigError") && err.contains("rule vip") && err.contains("nobody"),
        "{err}"
    );
}

#[test]
fn sla_lists_due_and_breached() {
    let ex = examples();
    let out = leadflow(&[
        "sla",
        "--config",
        s(&ex.join("sla.yaml")),
        "--now",
        "2026-03-02T09:30:00Z",
        "--breached",
        s(&ex.join("leads.jsonl")),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = jsonl(&out);
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["lead_id"].as_str().unwrap())
        .collect();
    // L-6 and L-10 were touched in time; L-4's enterprise clock waits for business hours.
    assert_eq!(
        ids,
        ["L-1", "L-2", "L-3", "L-5", "L-7", "L-8", "L-9", "L-11"]
    );
    assert_eq!(
        lines[7]["policy"], "partner-referral",
        "a script condition picked the policy"
    );
    assert!(
        lines
            .iter()
            .all(|l| l["breached"] == true && l["remaining_seconds"].as_i64().unwrap() < 0)
    );
    let all = leadflow(&[
        "sla",
        "--config",
        s(&ex.join("sla.yaml")),
        "--now",
        "2026-03-02T09:30:00Z",
        "--all",
        s(&ex.join("leads.jsonl")),
    ]);
    let reports = jsonl(&all);
    assert_eq!(reports.len(), 11);
    assert_eq!(
        reports[5]["speed_to_lead_seconds"], 1200,
        "L-6 was called 20 minutes after arriving"
    );
}

#[test]
fn help_documents_the_commands() {
    for cmd in ["route", "sla"] {
        let out = leadflow(&[cmd, "--help"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("--now") && text.contains("--config"),
            "{text}"
        );
    }
}

#[test]
fn a_script_syntax_error_exits_2_naming_rule_path_and_line() {
    let dir = scratch("script");
    let cfg = dir.join("routing.yaml");
    std::fs::write(
        &cfg,
        "fallback_queue: q\nrules:\n  - name: vip\n    when:\n      script: |\n        lead.employees > 10 &&\n        (lead.country == \"DE\"\n    assign: {queue: vip}\n",
    )
    .unwrap();
    let out = leadflow(&[
        "route",
        "--config",
        s(&cfg),
        "--state",
        s(&dir.join("s.json")),
        "--now",
        "2026-03-02T09:00:00Z",
        s(&examples().join("leads.jsonl")),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ScriptError")
            && err.contains("rule vip")
            && err.contains("rules[0].when")
            && err.contains("line 3"),
        "{err}"
    );
}
