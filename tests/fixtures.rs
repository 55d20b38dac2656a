//! Runs every shared JSON fixture under `tests/fixtures/` against the Rust API.
//! The Python and Node suites run the same files; see `tests/fixtures/README.md`.

use leadflow::convert::{ConvertOptions, MatchOptions};
use leadflow::model::Record;
use leadflow::rules::enrich;
use leadflow::rules::qualify::{self, Evidence, Framework};
use leadflow::{Account, Contact, Lead, Result, parse_timestamp};
use leadflow_integration_tests::{assert_error_matches, load_fixtures};
use serde_json::{Value, json};

/// Runs one fixture's operation; returns the JSON the fixture's `expected` is compared with.
fn run(op: &str, input: &Value) -> Result<Value> {
    match op {
        "parse_lead" => Ok(Lead::from_value(input.clone())?.to_value()),
        "match_lead" => {
            let (lead, accounts, contacts) = records(input)?;
            let opts: MatchOptions = options(input)?;
            let m = leadflow::convert::match_lead(&lead, &accounts, &contacts, &opts);
            Ok(serde_json::to_value(m)?)
        }
        "convert_plan" => {
            let (lead, accounts, contacts) = records(input)?;
            let opts: ConvertOptions = options(input)?;
            let now = parse_timestamp(input["now"].as_str().unwrap_or_default())?;
            let plan = leadflow::convert::plan(&lead, &accounts, &contacts, &opts, now)?;
            Ok(serde_json::to_value(plan)?)
        }
        "convert" => {
            let (mut lead, accounts, contacts) = records(input)?;
            let opts: ConvertOptions = options(input)?;
            let now = parse_timestamp(input["now"].as_str().unwrap_or_default())?;
            let result = leadflow::convert::convert(&mut lead, &accounts, &contacts, &opts, now)?;
            Ok(serde_json::to_value(result)?)
        }
        "derive" => Ok(enrich::derive(&Lead::from_value(input.clone())?).to_value()),
        "enrich" => {
            let mut lead = Lead::from_value(input["lead"].clone())?;
            let data: enrich::EnrichmentData = serde_json::from_value(input["data"].clone())?;
            let provider = input["provider"].as_str().unwrap_or_default();
            let report = enrich::apply_enrichment(&mut lead, &data, provider)?;
            Ok(json!({"lead": lead.to_value(), "rejected": report.rejected}))
        }
        "qualify" => {
            let framework = Framework::resolve(&input["framework"])?;
            let evidence: Evidence = match input.get("evidence") {
                None | Some(Value::Null) => Evidence::new(),
                Some(v) => serde_json::from_value(v.clone())?,
            };
            let policy = match input.get("policy") {
                None | Some(Value::Null) => framework.default_policy(),
                Some(v) => serde_json::from_value(v.clone())?,
            };
            Ok(serde_json::to_value(qualify::evaluate(
                &framework, &evidence, &policy,
            )?)?)
        }
        "qualify_lead" => {
            let lead = Lead::from_value(input["lead"].clone())?;
            let framework = Framework::resolve(&input["framework"])?;
            let now = parse_timestamp(input["now"].as_str().unwrap_or_default())?;
            let evidence = Evidence::from_lead(&lead, &framework)?;
            let result = qualify::evaluate(&framework, &evidence, &framework.default_policy())?;
            Ok(json!({
                "evidence": evidence,
                "outcome": result.outcome,
                "state": result.to_state(now),
            }))
        }
        other => panic!("unknown fixture operation {other:?}: add it to tests/fixtures.rs"),
    }
}

/// `lead`, `accounts` and `contacts` of a conversion fixture's input.
fn records(input: &Value) -> Result<(Lead, Vec<Account>, Vec<Contact>)> {
    let list = |key: &str| {
        input
            .get(key)
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new()))
    };
    Ok((
        Lead::from_value(input["lead"].clone())?,
        serde_json::from_value(list("accounts"))?,
        serde_json::from_value(list("contacts"))?,
    ))
}

/// The fixture's `options` (defaults when absent).
fn options<T: serde::de::DeserializeOwned + Default>(input: &Value) -> Result<T> {
    match input.get("options") {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => Ok(serde_json::from_value(v.clone())?),
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
