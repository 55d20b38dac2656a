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

fn sample_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
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
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn parallel_gives_the_same_report_and_errors() {
    let seq = report(&sample_args(&[]));
    let par = report(&sample_args(&["--parallel"]));
    assert!(seq.status.success() && par.status.success());
    assert_eq!(seq.stdout, par.stdout);

    // Bad lines: same count, same first errors (by line number), same exit code.
    let dir = std::env::temp_dir().join(format!("leadflow-report-par-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(repo().join("examples/data/funnel-sample.jsonl")).unwrap();
    let mangled: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| match i % 50 {
            3 => l.replacen("\"created_at\":\"", "\"created_at\":\"x", 1),
            7 => format!("[{l}]"),
            _ => l.to_owned(),
        })
        .collect();
    let input = dir.join("bad.jsonl");
    std::fs::write(&input, mangled.join("\n")).unwrap();
    let input = input.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut a = vec![
            "--input",
            input,
            "--period",
            "2026-Q3",
            "--now",
            "2026-09-15T00:00:00Z",
            "--json",
            "-",
        ];
        a.extend_from_slice(extra);
        report(&a)
    };
    let (seq, par) = (run(&[]), run(&["--parallel"]));
    assert_eq!(seq.status.code(), Some(1));
    assert_eq!(par.status.code(), Some(1));
    assert_eq!(seq.stdout, par.stdout);
    assert_eq!(seq.stderr, par.stderr);
    let stderr = String::from_utf8_lossy(&seq.stderr);
    assert!(stderr.contains("bad.jsonl:4:"), "{stderr}");
    assert!(stderr.contains(":8:"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn pipeline_ladder_orders_the_funnel() {
    let dir = std::env::temp_dir().join(format!("leadflow-report-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pipeline = dir.join("short.yaml");
    std::fs::write(
        &pipeline,
        "lead_stages:\n  ladder: [lead, mql, sql, opportunity, customer]\n  off_ladder: [other]\n  initial: lead\n",
    )
    .unwrap();
    let out = report(&sample_args(&["--pipeline", pipeline.to_str().unwrap()]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["funnel"]["stages"],
        serde_json::json!(["lead", "mql", "sql", "opportunity", "customer"])
    );
    // `sal` is off this ladder: a lead that reached sql counts as having reached mql.
    let pairs: Vec<String> = v["velocity"]["stage_to_stage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}>{}",
                p["from"].as_str().unwrap(),
                p["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        pairs,
        [
            "lead>mql",
            "mql>sql",
            "sql>opportunity",
            "opportunity>customer"
        ]
    );

    // A pipeline that is not a valid lifecycle is a config error naming the file.
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "lead_stages:\n  ladder: []\n").unwrap();
    let out = report(&sample_args(&["--pipeline", bad.to_str().unwrap()]));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yaml"));
    std::fs::remove_dir_all(&dir).ok();
}
