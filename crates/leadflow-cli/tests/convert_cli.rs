//! Runs `leadflow convert` on the sample files in `examples/data/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/data")
        .join(name)
}

fn run(extra: &[&str]) -> (Output, Vec<Value>) {
    let out = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .arg("convert")
        .arg("--accounts")
        .arg(data("accounts.json"))
        .arg("--contacts")
        .arg(data("contacts.json"))
        .arg("--options")
        .arg(data("convert_options.json"))
        .args(["--now", "2026-02-10T12:00:00Z"])
        .args(extra)
        .arg(data("convert_leads.jsonl"))
        .output()
        .expect("run leadflow");
    let lines = String::from_utf8(out.stdout.clone())
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    (out, lines)
}

#[test]
fn converts_each_lead_and_reports_bad_ones_inline() {
    let (out, lines) = run(&[]);
    assert_eq!(out.status.code(), Some(1), "some leads fail");
    assert_eq!(lines.len(), 6);
    // L-1: exact e-mail links contact C-1 and its account; conflicts are reported.
    assert_eq!(lines[0]["contact"]["id"], "C-1");
    assert_eq!(lines[0]["account"]["id"], "A-1");
    assert_eq!(lines[0]["opportunity"]["amount"], 40000.0);
    assert_eq!(lines[0]["conflicts"][0]["from_lead_field"], "industry");
    // L-2: subdomain e-mail + 株式会社 name link the Japanese account, new contact.
    assert_eq!(lines[1]["account"]["id"], "A-2");
    assert_eq!(lines[1]["contact_change"], "created");
    // L-3 creates Initech; L-4 of the same company links to it (no duplicate account).
    assert_eq!(lines[2]["account"]["id"], "acc-L-3");
    assert_eq!(lines[2]["account_change"], "created");
    assert_eq!(lines[3]["account"]["id"], "acc-L-3");
    assert_eq!(
        lines[3]["opportunity"]["name"],
        "Initech LLC - New Business"
    );
    // L-5 is invalid, L-6 converted before: error lines, the batch goes on.
    assert_eq!(lines[4]["id"], "L-5");
    assert_eq!(lines[4]["error"]["kind"], "ValidationError");
    assert_eq!(lines[4]["error"]["field"], "employees");
    assert_eq!(lines[5]["error"]["kind"], "AlreadyConverted");
    assert_eq!(lines[5]["error"]["details"]["opportunity_id"], "O-9");
}

#[test]
fn plan_only_prints_plans() {
    let (_, lines) = run(&["--plan-only"]);
    assert_eq!(lines[0]["lead_id"], "L-1");
    assert_eq!(lines[0]["contact"]["action"], "link");
    assert_eq!(lines[0]["contact"]["reasons"][0]["code"], "email_exact");
    // Plans do not see each other's records: L-4 would create its own account.
    assert_eq!(lines[3]["account"]["action"], "create");
}

#[test]
fn bad_inputs_and_help() {
    let out = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args(["convert", "--now", "yesterday", "-"])
        .output()
        .expect("run leadflow");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
    let help = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args(["convert", "--help"])
        .output()
        .expect("run leadflow");
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--plan-only") && text.contains("--accounts"));
}

/// Writes `text` to a file named `name` in this test binary's scratch directory.
fn scratch(name: &str, text: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, text).expect("write scratch file");
    path
}

#[test]
fn pipeline_file_sets_the_opportunity_stage_in_every_format() {
    let toml = scratch(
        "convert_pipeline.toml",
        r#"
[opportunity_stages]
initial = "Discovery"
stages = [
  { name = "Discovery", probability = 5, forecast_category = "pipeline" },
  { name = "Won", probability = 100, forecast_category = "closed", is_closed = true, is_won = true },
  { name = "Lost", probability = 0, forecast_category = "omitted", is_closed = true },
]
"#,
    );
    let json = scratch(
        "convert_pipeline.json",
        r#"{"opportunity_stages": {"initial": "Discovery", "stages": [
            {"name": "Discovery", "probability": 5, "forecast_category": "pipeline"},
            {"name": "Won", "probability": 100, "forecast_category": "closed", "is_closed": true, "is_won": true}]}}"#,
    );
    for file in [&toml, &json] {
        let (out, lines) = run(&["--pipeline", file.to_str().expect("utf-8 path")]);
        assert_eq!(out.status.code(), Some(1), "L-5 and L-6 still fail");
        assert_eq!(lines[0]["opportunity"]["stage"], "Discovery", "{file:?}");
        assert_eq!(lines[0]["opportunity"]["probability"], 5.0);
        assert_eq!(lines[0]["opportunity"]["history"][0]["to"], "Discovery");
        assert_eq!(lines[0]["lead"]["status"], "converted");
    }
    let yaml = data("../pipelines/default.yaml");
    let (_, lines) = run(&["--pipeline", yaml.to_str().expect("utf-8 path")]);
    assert_eq!(lines[0]["opportunity"]["stage"], "Prospecting");
}

#[test]
fn an_unusable_pipeline_file_is_exit_2_naming_the_file() {
    let bad = scratch(
        "convert_pipeline_bad.yaml",
        "opportunity_stages:\n  initial: Nowhere\n  stages: []\n",
    );
    let (out, lines) = run(&["--pipeline", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(lines.is_empty(), "nothing converted with a bad pipeline");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("convert_pipeline_bad.yaml"), "{err}");
    let (out, _) = run(&["--pipeline", "no/such/pipeline.toml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_same_lead_twice_in_one_file_is_converted_once() {
    let lead = r#"{"id": "CV1", "created_at": "2026-02-01T00:00:00Z", "first_name": "Ana", "email": "ana@cyberdyne.com", "company": "Cyberdyne Systems"}"#;
    let leads = scratch("convert_twice.jsonl", &format!("{lead}\n{lead}\n"));
    let out = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .arg("convert")
        .args(["--now", "2026-02-10T12:00:00Z"])
        .arg(&leads)
        .output()
        .expect("run leadflow");
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(out.status.code(), Some(1), "the second copy fails");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["opportunity"]["id"], "opp-CV1", "{}", lines[0]);
    assert_eq!(lines[1]["error"]["kind"], "AlreadyConverted");
    assert_eq!(lines[1]["error"]["record"], "CV1");
    assert_eq!(lines[1]["error"]["details"]["opportunity_id"], "opp-CV1");
}
