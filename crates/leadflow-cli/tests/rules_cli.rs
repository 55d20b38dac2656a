//! `leadflow score`, `check` and `demo` end to end.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn leadflow(args: &[&str], stdin: &str) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

#[test]
fn score_jsonl_keeps_order_and_reports_bad_records() {
    let sample = std::fs::read_to_string(root().join("examples/data/sample-leads.jsonl")).unwrap();
    let input = format!("{sample}{{\"id\": \"bad\", \"created_at\": \"nope\"}}\n");
    let (code, out) = leadflow(
        &[
            "score",
            "--pack",
            "examples/packs/b2b-saas",
            "--now",
            "2026-03-01T12:00:00Z",
            "-",
        ],
        &input,
    );
    assert_eq!(code, 1, "a bad record makes the exit code 1");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), sample.lines().count() + 1);
    assert_eq!(lines[0]["id"], "L-1001");
    let last = lines.last().unwrap();
    assert_eq!(
        (last["id"].as_str(), last["error"]["kind"].as_str()),
        (Some("bad"), Some("ValidationError"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l["stage"] == "mql" || l["stage"] == "sql")
    );
}

#[test]
fn score_csv_flat_rows_match_the_reference() {
    let csv = "id,title,employees,revenue,industry,country,email,source,days_since_activity,page_views,email_opens,email_clicks,form_fills,demo_requested,pricing_visits,webinar_attended,unsubscribed\n\
               r1,VP Sales,800,2e7,Software,US,a@acme.com,referral,10,12,3,1,1,true,3,false,false\n";
    let (code, out) = leadflow(
        &[
            "score",
            "--pack",
            "examples/packs/reference",
            "--now",
            "2026-03-01T12:00:00Z",
            "--format",
            "csv",
            "--input-format",
            "csv",
            "-",
        ],
        csv,
    );
    assert_eq!(code, 0);
    let row = out.lines().nth(1).unwrap();
    let score: f64 = row.split(',').nth(1).unwrap().parse().unwrap();
    let decay = (-10.0f64 / 30.0).exp();
    let want = 46.0 + 12.0 * 0.5 * decay + 3.0 * 0.5 * decay + 2.0 * decay + 10.0 + 25.0 + 12.0;
    assert!((score - want).abs() < 1e-9, "{score} != {want}");
}

#[test]
fn check_lists_tiers_and_demo_runs() {
    let (code, out) = leadflow(&["check", "examples/packs/b2b-saas"], "");
    assert_eq!(code, 0);
    assert!(out.contains("multi_channel") && out.contains("script"));
    let (code, out) = leadflow(&["check", "examples/packs/reference"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("reference@1.0.0: compiles; 23 rules (23 native, 0 script)"),
        "{out}"
    );
    let (code, out) = leadflow(&["check", "examples/packs/reference-rhai"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("script tier: 1 of 1 script sources compiled to native closures\n"),
        "{out}"
    );
    // A script function is outside the compiled subset: the source is interpreted.
    let file = std::env::temp_dir().join(format!("leadflow-check-{}.rhai", std::process::id()));
    std::fs::write(
        &file,
        "fn f(x) { x * 2.0 }\nscore += f(lead.employees.to_float());\n",
    )
    .unwrap();
    let (code, out) = leadflow(&["check", file.to_str().unwrap()], "");
    std::fs::remove_file(&file).unwrap();
    assert_eq!(code, 0);
    assert!(
        out.contains("script tier: 0 of 1 script sources compiled to native closures (the rest run in the rhai interpreter)"),
        "{out}"
    );
    let (code, out) = leadflow(&["demo"], "");
    assert_eq!(code, 0);
    assert!(out.contains("b2b-saas@1.0.0") && out.contains("rule:mql_threshold"));
}
