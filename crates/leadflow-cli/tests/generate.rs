//! `leadflow generate`: the three formats describe the same sample.

use std::process::Command;

use leadflow::model::{Lead, parse_records};
use leadflow::synth::{self, FeatureRow};

const NOW: &str = "2026-03-01T09:00:00-05:00";

fn generate(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args([
            "generate", "--n", "300", "--seed", "77", "--now", NOW, "--format", format,
        ])
        .output()
        .expect("run leadflow");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

#[test]
fn formats_agree_with_the_library() {
    let expected = synth::reference_rows(300, 77);
    let rows: Vec<FeatureRow> = generate("rows-jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("row"))
        .collect();
    assert_eq!(rows, expected);

    let csv_text = generate("rows-csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let from_csv: Vec<FeatureRow> = reader.deserialize().map(|r| r.expect("csv row")).collect();
    assert_eq!(from_csv, expected);

    let now = leadflow::parse_timestamp(NOW).expect("now");
    let leads: Vec<Lead> = parse_records::<Lead>(&generate("leads-jsonl"))
        .into_iter()
        .map(|r| r.expect("lead"))
        .collect();
    assert_eq!(leads.len(), 300);
    for (lead, row) in leads.iter().zip(&expected) {
        assert_eq!(&synth::features_of(lead, now), row, "{}", lead.id);
    }
}

#[test]
fn bad_now_is_reported() {
    let out = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args(["generate", "--n", "1", "--now", "yesterday"])
        .output()
        .expect("run leadflow");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("RFC 3339"));
}
