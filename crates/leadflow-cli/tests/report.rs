//! `leadflow report` end to end: streamed JSONL in, tables / JSON / HTML out.
#![allow(clippy::missing_panics_doc)] // test code fails by panicking

use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .unwrap()
}

fn report(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .arg("report")
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

#[test]
fn json_report_matches_the_library() {
    let out = report(&[
        "--input",
        "examples/data/funnel-sample.jsonl",
        "--options",
        "examples/data/funnel-sample.options.json",
        "--period",
        "2026-Q3",
        "--now",
        "2026-09-15T00:00:00Z",
        "--json",
        "-",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["period"], "2026-Q3");
    assert_eq!(v["leads"], 600);
    assert!(v["funnel"]["total"]["cohort_size"].as_u64().unwrap() > 100);
    assert!(v["pipeline"]["by_manager"].as_array().unwrap().len() >= 3);
}

#[test]
fn tables_html_and_bad_lines() {
    let dir = std::env::temp_dir().join(format!("leadflow-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let leads = dir.join("leads.jsonl");
    std::fs::write(
        &leads,
        "{\"id\":\"a\",\"created_at\":\"2026-07-02T00:00:00Z\",\"source\":\"web\",\"history\":[{\"dimension\":\"stage\",\"to\":\"mql\",\"at\":\"2026-07-03T00:00:00Z\",\"kind\":\"initial\"}]}\n{not json\n",
    )
    .unwrap();
    let html = dir.join("r.html");
    let out = report(&[
        "--leads",
        leads.to_str().unwrap(),
        "--from",
        "2026-07-01",
        "--to",
        "2026-09-30",
        "--now",
        "2026-10-01T00:00:00Z",
        "--html",
        html.to_str().unwrap(),
    ]);
    // The bad line is reported and skipped; the report is still printed; exit code 1.
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Funnel: 1 leads created in the period"),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(":2:"));
    let page = std::fs::read_to_string(&html).unwrap();
    for id in [
        "chart-funnel",
        "chart-conversion-by-source",
        "chart-speed-to-lead",
        "chart-forecast",
        "board-table",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
