//! Helpers shared by the integration tests: locating and loading the JSON fixtures
//! under `tests/fixtures/` that the Python and Node test suites run too.
#![allow(clippy::missing_panics_doc)] // test helpers fail the test by panicking, on purpose

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The `tests/fixtures` folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The hostile corpus's cases (`tests/hostile/cases`): fixtures of the same format
/// that attack the sandbox and the batch promises (`tests/hostile/README.md`).
pub fn hostile_cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("hostile").join("cases")
}

/// Every `*.json` fixture below `tests/fixtures` and `tests/hostile/cases`, sorted by
/// path, with its parsed content.
pub fn load_fixtures() -> Vec<(PathBuf, Value)> {
    let mut files = Vec::new();
    collect(&fixtures_dir(), &mut files);
    collect(&hostile_cases_dir(), &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let text =
                std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, v)
        })
        .collect()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
}

/// Asserts that an error matches a fixture's `error` object: `kind` always, and
/// `record`, `field`, `rule` and `details` when the fixture names them.
pub fn assert_error_matches(name: &str, err: &leadflow::Error, expected: &Value) {
    assert_eq!(
        err.kind().name(),
        expected["kind"].as_str().unwrap_or_default(),
        "{name}: {err}"
    );
    for key in ["record", "field", "rule"] {
        if let Some(want) = expected.get(key).and_then(Value::as_str) {
            let got = match key {
                "record" => err.record(),
                "field" => err.field(),
                _ => err.rule(),
            };
            assert_eq!(got, Some(want), "{name}: {key} of {err}");
        }
    }
    if let Some(want) = expected.get("details") {
        assert_eq!(err.details(), Some(want), "{name}: details of {err}");
    }
}
