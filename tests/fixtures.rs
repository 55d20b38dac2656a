//! Runs every shared JSON fixture under `tests/fixtures/` against the Rust API.
//! The Python and Node suites run the same files; see `tests/fixtures/README.md`.
//! Operations live in `tests/ops/`, one module per area.

mod ops;

use leadflow_integration_tests::{assert_error_matches, load_fixtures};

#[test]
fn shared_fixtures() {
    let fixtures = load_fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    for (path, fx) in fixtures {
        let name = path.display().to_string();
        let op = fx["operation"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: no operation"));
        let result = ops::run(op, &fx["input"]);
        match (result, fx.get("expected"), fx.get("error")) {
            (Ok(got), Some(want), None) => assert_eq!(&got, want, "{name}"),
            (Err(err), None, Some(want)) => assert_error_matches(&name, &err, want),
            (Ok(got), None, Some(want)) => panic!("{name}: expected error {want}, got {got}"),
            (Err(err), Some(_), None) => panic!("{name}: unexpected error {err}"),
            _ => panic!("{name}: a fixture has exactly one of `expected` and `error`"),
        }
    }
}
