//! `leadflow score` on flat CSV: CRM-cased headers, `--map`, `--lenient`, the
//! strict missing-column error and unreadable cells, end to end.
#![allow(clippy::missing_panics_doc)] // test code fails by panicking

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const ROW: &str =
    "r1,VP Sales,800,2e7,Software,US,a@acme.com,referral,10,12,3,1,1,true,3,false,false";
const HEADER: &str = "id,title,employees,revenue,industry,country,email,source,days_since_activity,page_views,email_opens,email_clicks,form_fills,demo_requested,pricing_visits,webinar_attended,unsubscribed";
const CRM: &str = "ID,Title,EMPLOYEES,Annual Revenue,Industry,Country,Email,Source,Days Since Activity,Page Views,Email Opens,Email-Clicks,Form Fills,Demo Requested,Pricing Visits,Webinar Attended, Unsubscribed ";

fn score(args: &[&str], csv: &str) -> Output {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut child = Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args([
            "score",
            "--pack",
            "examples/packs/reference",
            "--now",
            "2026-03-01T12:00:00Z",
            "--input-format",
            "csv",
        ])
        .args(args)
        .arg("-")
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(csv.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn crm_cased_headers_score_like_the_pack_names() {
    let want = lines(&score(&[], &format!("{HEADER}\n{ROW}\n")));
    assert!(want[0]["score"].as_f64().unwrap() > 40.0, "{want:?}");
    let out = score(&[], &format!("{CRM}\n{ROW}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out), want);
}

#[test]
fn map_names_a_column_and_is_checked() {
    let want = lines(&score(&[], &format!("{HEADER}\n{ROW}\n")));
    let renamed = HEADER
        .replace("title,", "Job Title,")
        .replace(",source,", ",Lead Source,");
    let csv = format!("{renamed}\n{ROW}\n");
    // Without the mapping, `Job Title` and `Lead Source` match nothing: strict refuses.
    let out = score(&[], &csv);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`title`"), "{}", stderr(&out));
    let out = score(
        &["--map", "Job Title=title", "--map", "Lead Source=source"],
        &csv,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(lines(&out), want);
    // A mapping from an absent column or to an unknown feature is an error.
    for map in ["Position=title", "Job Title=rank"] {
        let out = score(&["--map", map, "--map", "Lead Source=source"], &csv);
        assert_eq!(out.status.code(), Some(2), "{map}");
        assert!(stderr(&out).contains("ValidationError"), "{}", stderr(&out));
    }
}

#[test]
fn a_missing_column_is_an_error_unless_lenient() {
    let header = HEADER.replace(",page_views", "");
    let row = ROW.replacen(",12,", ",", 1);
    let csv = format!("{header}\n{row}\n");
    let out = score(&[], &csv);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing is scored");
    assert!(stderr(&out).contains("`page_views`"), "{}", stderr(&out));
    let out = score(&["--lenient"], &csv);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning") && stderr(&out).contains("`page_views`"),
        "{}",
        stderr(&out)
    );
    assert_eq!(lines(&out).len(), 1);
}

#[test]
fn unreadable_cells_are_error_lines_naming_record_field_and_value() {
    let bad = ROW
        .replace(",800,", ",\"1,200\",")
        .replace(",true,", ",yes,");
    let bad2 = ROW.replace("r1,", "r3,").replace(",true,", ",yes,");
    let csv = format!("{HEADER}\n{bad}\n{}\n{bad2}\n", ROW.replace("r1,", "r2,"));
    let out = score(&[], &csv);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a bad record makes the exit code 1"
    );
    let got = lines(&out);
    assert_eq!(got.len(), 3);
    assert_eq!(
        (got[0]["id"].as_str(), got[0]["error"]["field"].as_str()),
        (Some("r1"), Some("employees"))
    );
    assert_eq!(got[1]["id"], "r2");
    assert!(got[1].get("error").is_none());
    let e = &got[2]["error"];
    assert_eq!(
        (
            e["record"].as_str(),
            e["field"].as_str(),
            e["details"]["value"].as_str()
        ),
        (Some("r3"), Some("demo_requested"), Some("yes"))
    );
    assert_eq!(got[2]["line"], 4);
}

#[test]
fn explain_keeps_the_scores() {
    let csv = format!("{HEADER}\n{ROW}\n");
    let plain = lines(&score(&[], &csv));
    let explained = lines(&score(&["--explain"], &csv));
    assert_eq!(plain[0]["score"], explained[0]["score"]);
    assert!(explained[0]["explanation"]["rules"].is_array());
}
