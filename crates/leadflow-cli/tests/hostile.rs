//! Hostile inputs through the `leadflow` binary (`tests/hostile/inputs`): bad
//! bytes, BOMs, broken arrays and escape sequences. Every bad record is exactly
//! one error entry naming its line or index, every good record has its result,
//! the exit code is 1 (as for any bad record), and nothing from the input
//! reaches the terminal as a control character.
#![allow(clippy::missing_panics_doc)] // test code fails by panicking

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const NOW: &str = "2026-03-01T00:00:00Z";
const PACK: &str = "examples/packs/b2b-saas";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .unwrap()
}

fn input(name: &str) -> PathBuf {
    repo().join("tests/hostile/inputs").join(name)
}

fn leadflow(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leadflow"))
        .args(args)
        .current_dir(repo())
        .output()
        .unwrap()
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `leadflow score` on a file: (results, errors, exit code).
fn score(path: &Path) -> (Vec<Value>, Vec<Value>, Option<i32>) {
    let out = leadflow(&[
        "score",
        "--pack",
        PACK,
        "--now",
        NOW,
        path.to_str().unwrap(),
    ]);
    let (errors, results) = json_lines(&out)
        .into_iter()
        .partition(|v| v.get("error").is_some());
    (results, errors, out.status.code())
}

fn ids(results: &[Value]) -> Vec<&str> {
    results.iter().map(|v| v["id"].as_str().unwrap()).collect()
}

#[test]
fn latin1_byte_is_one_error_naming_its_line() {
    let (results, errors, code) = score(&input("latin1_byte_in_middle_line.jsonl"));
    assert_eq!(
        ids(&results),
        ["L-1", "L-2", "L-3", "L-4", "L-6", "L-7", "L-8", "L-9"]
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    let e = &errors[0]["error"];
    assert_eq!(e["kind"], "ParseError");
    assert_eq!(e["line"], 5);
    assert_eq!(e["record"], "L-5");
    assert!(e["message"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(code, Some(1));
}

/// The issue's numbers: 10,000 leads, one Latin-1 byte in line 5,001 (past two
/// scoring chunks) gave 4,096 results and exit 2.
#[test]
fn latin1_byte_in_a_large_file_loses_nothing() {
    let dir = std::env::temp_dir().join(format!("leadflow-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("latin1-10k.jsonl");
    let mut bytes = Vec::new();
    for i in 1..=10_000 {
        let company: &[u8] = if i == 5_001 { b"Caf\xE9" } else { b"Acme" };
        bytes.extend_from_slice(
            format!("{{\"id\":\"L-{i}\",\"created_at\":\"2026-01-01T00:00:00Z\",\"company\":\"")
                .as_bytes(),
        );
        bytes.extend_from_slice(company);
        bytes.extend_from_slice(b"\"}\n");
    }
    std::fs::write(&path, bytes).unwrap();
    let (results, errors, code) = score(&path);
    assert_eq!(results.len(), 9_999);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["error"]["line"], 5_001);
    assert_eq!(errors[0]["line"], 5_001);
    assert_eq!(code, Some(1));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bom_before_json_lines_and_before_an_array() {
    for name in ["bom_before_json_lines.jsonl", "bom_before_array.json"] {
        let (results, errors, code) = score(&input(name));
        assert_eq!(ids(&results), ["L-1", "L-2", "L-3"], "{name}");
        assert!(errors.is_empty(), "{name}: {errors:?}");
        assert_eq!(code, Some(0), "{name}");
    }
}

#[test]
fn nan_element_is_one_error_naming_its_index() {
    let (results, errors, code) = score(&input("array_nan_element.json"));
    assert_eq!(ids(&results), ["L-1", "L-3"]);
    assert_eq!(errors.len(), 1);
    let e = &errors[0]["error"];
    assert_eq!(e["kind"], "ParseError");
    assert_eq!(e["details"]["index"], 1);
    assert_eq!(e["record"], "L-2");
    assert_eq!(errors[0]["id"], "L-2");
    assert_eq!(code, Some(1));
}

#[test]
fn cut_off_array_keeps_every_element_before_the_break() {
    let (results, errors, code) = score(&input("array_cut_off.json"));
    assert_eq!(ids(&results), ["L-1", "L-2", "L-3"]);
    assert_eq!(errors.len(), 1);
    let e = &errors[0]["error"];
    assert_eq!(e["details"]["index"], 3);
    assert_eq!(e["line"], 5);
    assert_eq!(code, Some(1));
}

#[test]
fn first_line_array_is_one_bad_record_of_json_lines() {
    let (results, errors, code) = score(&input("first_line_is_an_array.jsonl"));
    assert_eq!(ids(&results), ["L-1", "L-2", "L-3"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0]["line"], 1);
    assert_eq!(code, Some(1));
}

/// route, convert, sla and validate read records through the same reader:
/// (file, good records, the bad record's line, its array index).
#[test]
fn every_batch_command_keeps_the_good_records() {
    let cases = [
        ("latin1_byte_in_middle_line.jsonl", 8, 5, None),
        ("first_line_is_an_array.jsonl", 3, 1, None),
        ("array_nan_element.json", 2, 3, Some(1)),
        ("array_cut_off.json", 3, 5, Some(3)),
    ];
    let dir = std::env::temp_dir().join(format!("leadflow-hostile-route-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");
    let state = state.to_str().unwrap();
    for (name, good, line, index) in cases {
        let file = input(name);
        let file = file.to_str().unwrap();
        let runs = [
            (
                "route",
                leadflow(&[
                    "route",
                    "--config",
                    "examples/routing/routing.yaml",
                    "--state",
                    state,
                    "--now",
                    NOW,
                    file,
                ]),
            ),
            (
                "convert",
                leadflow(&["convert", "--plan-only", "--now", NOW, file]),
            ),
            (
                "sla",
                leadflow(&[
                    "sla",
                    "--all",
                    "--config",
                    "examples/routing/sla.yaml",
                    "--now",
                    NOW,
                    file,
                ]),
            ),
        ];
        for (cmd, out) in runs {
            let lines = json_lines(&out);
            let errors: Vec<&Value> = lines.iter().filter(|v| v.get("error").is_some()).collect();
            assert_eq!(lines.len() - errors.len(), good, "{cmd} {name}");
            assert_eq!(errors.len(), 1, "{cmd} {name}: {errors:?}");
            assert_eq!(errors[0]["error"]["line"], line, "{cmd} {name}");
            if let Some(i) = index {
                assert_eq!(errors[0]["error"]["details"]["index"], i, "{cmd} {name}");
            }
            assert_eq!(out.status.code(), Some(1), "{cmd} {name}");
        }
        let out = leadflow(&["validate", file]);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.ends_with(&format!("{good} valid, 1 invalid\n")),
            "{name}: {text}"
        );
        assert!(text.contains(&format!("line {line}")), "{name}: {text}");
        assert_eq!(out.status.code(), Some(1), "{name}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

fn has_control(bytes: &[u8]) -> bool {
    String::from_utf8_lossy(bytes)
        .chars()
        .any(|c| c.is_control() && c != '\n')
}

#[test]
fn report_escapes_owner_names_for_the_terminal() {
    let file = input("report_owner_escape_sequences.jsonl");
    let args = [
        "report",
        "--input",
        file.to_str().unwrap(),
        "--period",
        "2026-Q3",
        "--now",
        "2026-09-15T00:00:00Z",
    ];
    let out = leadflow(&args);
    assert_eq!(out.status.code(), Some(0));
    assert!(!has_control(&out.stdout));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(r"ana\x1b]0;pwned\x07\x1b[2J"), "{text}");
    assert!(text.contains(r"ben\u{9b}31m"), "{text}");
    // The JSON report escapes them too (DEL and C1 as well), and stays lossless.
    let mut json_args = args.to_vec();
    json_args.extend(["--json", "-"]);
    let out = leadflow(&json_args);
    assert!(!has_control(&out.stdout));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v.to_string().contains("ben\u{9b}31m"));
}

#[test]
fn error_lines_escape_record_values() {
    let dir = std::env::temp_dir().join(format!("leadflow-hostile-esc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("leads.jsonl");
    std::fs::write(
        &path,
        "{\"id\":\"x\\u001b[2J\\u009b\",\"created_at\":\"2026-01-01T00:00:00Z\",\"employees\":\"many\"}\n",
    )
    .unwrap();
    let out = leadflow(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!has_control(&out.stdout));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains(r"x\x1b[2J\u{9b}")
    );
    // The score output's error entry is JSON with every control escaped.
    let (_, errors, _) = score(&path);
    assert_eq!(errors[0]["error"]["record"], "x\u{1b}[2J\u{9b}");
    let out = leadflow(&[
        "score",
        "--pack",
        PACK,
        "--now",
        NOW,
        path.to_str().unwrap(),
    ]);
    assert!(!has_control(&out.stdout));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The host's limit flags: a pack runs under them and may only lower them.
#[test]
fn limit_flags_bind_the_pack_and_refuse_out_of_range_values() {
    let dir = std::env::temp_dir().join(format!("leadflow-cli-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pack = dir.join("spin.toml");
    std::fs::write(
        &pack,
        "name = \"spin\"\nversion = \"1\"\n[[rules]]\nname = \"spin\"\nscript = \"loop { score += 1.0; }\"\n",
    )
    .unwrap();
    let leads = dir.join("leads.jsonl");
    std::fs::write(
        &leads,
        "{\"id\": \"a\", \"created_at\": \"2026-01-01T00:00:00Z\"}\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["score", "--pack", pack.to_str().unwrap(), "--now", NOW];
        args.extend_from_slice(extra);
        args.push(leads.to_str().unwrap());
        leadflow(&args)
    };
    let out = run(&["--max-operations", "50"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["error"]["kind"], "LimitExceeded", "{lines:?}");
    let out = run(&["--max-operations", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ConfigError") && err.contains("max_operations"),
        "{err}"
    );
    let out = run(&["--max-call-depth", "100000"]);
    assert_eq!(out.status.code(), Some(2));
    // A pack asking for more than the host's ceiling is refused.
    std::fs::write(
        &pack,
        "name = \"spin\"\nversion = \"1\"\n[limits]\nmax_operations = 5000\n[[rules]]\nname = \"spin\"\nscript = \"loop { score += 1.0; }\"\n",
    )
    .unwrap();
    let out = run(&["--max-operations", "100"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("limits.max_operations"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
