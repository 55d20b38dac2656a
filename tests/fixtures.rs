//! Runs every shared JSON fixture under `tests/fixtures/` against the Rust API.
//! The Python and Node suites run the same files; see `tests/fixtures/README.md`.

use leadflow::model::Record;
use leadflow::{Lead, Result};
use leadflow_integration_tests::{assert_error_matches, load_fixtures};
use serde_json::Value;

/// Runs one fixture's operation; returns the JSON the fixture's `expected` is compared with.
fn run(op: &str, input: &Value) -> Result<Value> {
    match op {
        "parse_lead" => Ok(Lead::from_value(input.clone())?.to_value()),
        "funnel" | "conversion" | "velocity" | "board" | "pipeline" | "attribution" => {
            let report = serde_json::to_value(leadflow::metrics::run_request(input)?)?;
            Ok(report[op].clone())
        }
        other => panic!("unknown fixture operation {other:?}: add it to tests/fixtures.rs"),
    }
}

#[test]
fn shared_fixtures() {
    let fixtures = load_fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    for (path, fx) in fixtures {
        let name = path.display().to_string();
        let op = fx["operation"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no operation"));
        let result = run(op, &fx["input"]);
        match (result, fx.get("expected"), fx.get("error")) {
            (Ok(got), Some(want), None) => assert_eq!(&got, want, "{name}"),
            (Err(err), None, Some(want)) => assert_error_matches(&name, &err, want),
            (Ok(got), None, Some(want)) => panic!("{name}: expected error {want}, got {got}"),
            (Err(err), Some(_), None) => panic!("{name}: unexpected error {err}"),
            _ => panic!("{name}: a fixture has exactly one of `expected` and `error`"),
        }
    }
}
