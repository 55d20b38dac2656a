//! Runs every shared JSON fixture under `tests/fixtures/` against the Rust API.
//! The Python and Node suites run the same files; see `tests/fixtures/README.md`.

use leadflow::lifecycle::{Change, ConfigFormat, Pipeline, TouchOutcome};
use leadflow::model::Record;
use leadflow::{Error, Lead, Result, parse_timestamp};
use leadflow_integration_tests::{assert_error_matches, load_fixtures};
use serde_json::Value;

/// Runs one fixture's operation; returns the JSON the fixture's `expected` is compared with.
fn run(op: &str, input: &Value) -> Result<Value> {
    match op {
        "parse_lead" => Ok(Lead::from_value(input.clone())?.to_value()),
        "lifecycle" => lifecycle(input),
        "opportunity" => opportunity(input),
        "score" => score(input),
        "evaluate" => evaluate(input),
        other => panic!("unknown fixture operation {other:?}: add it to tests/fixtures.rs"),
    }
}

fn pipeline(input: &Value) -> Result<Pipeline> {
    match input.get("pipeline") {
        Some(cfg) => Pipeline::from_str(&cfg.to_string(), ConfigFormat::Json),
        None => Ok(Pipeline::default()),
    }
}

/// The `at`/`actor`/`reason` of a step.
fn change(step: &Value) -> Result<Change> {
    let at = parse_timestamp(step["at"].as_str().unwrap_or_default())?;
    let mut ch = Change::new(at);
    if let Some(a) = step.get("actor").and_then(Value::as_str) {
        ch = ch.actor(a);
    }
    if let Some(r) = step.get("reason").and_then(Value::as_str) {
        ch = ch.reason(r);
    }
    Ok(ch)
}

/// Applies `steps` to a lead in order; the first refused step is the result.
fn lifecycle(input: &Value) -> Result<Value> {
    let p = pipeline(input)?;
    let mut lead = Lead::from_value(input["lead"].clone())?;
    for step in input["steps"].as_array().into_iter().flatten() {
        let ch = change(step)?;
        let to = step["to"].as_str().unwrap_or_default();
        match step["action"].as_str().unwrap_or_default() {
            "place" => drop(p.place(&mut lead, &ch)?),
            "advance_stage" => drop(p.advance_stage(&mut lead, to, &ch)?),
            "recycle_stage" => drop(p.recycle_stage(&mut lead, to, &ch)?),
            "set_status" => drop(p.set_status(&mut lead, to, &ch)?),
            "record_touch" => {
                let outcome: TouchOutcome =
                    serde_json::from_value(step["outcome"].clone()).map_err(Error::from)?;
                drop(p.record_touch(&mut lead, outcome, &ch)?);
            }
            other => panic!("unknown lifecycle action {other:?}"),
        }
    }
    Ok(lead.to_value())
}

/// Opens an opportunity and moves it through `steps`.
fn opportunity(input: &Value) -> Result<Value> {
    let p = pipeline(input)?;
    let o = &input["open"];
    let mut opp = p.open_opportunity(
        o["id"].as_str().unwrap_or_default(),
        o["name"].as_str().unwrap_or_default(),
        o["account_id"].as_str().unwrap_or_default(),
        &change(o)?,
    );
    for step in input["steps"].as_array().into_iter().flatten() {
        p.move_opportunity(
            &mut opp,
            step["to"].as_str().unwrap_or_default(),
            &change(step)?,
        )?;
    }
    Ok(opp.to_value())
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

/// The fixture's pack: a path relative to the repository root, or an inline manifest object.
fn rule_pack(input: &Value) -> Result<leadflow::rules::CompiledPack> {
    match &input["pack"] {
        Value::String(path) => leadflow::rules::CompiledPack::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(path),
        ),
        inline => leadflow::rules::CompiledPack::from_value(inline),
    }
}

/// `score`: `{pack, lead, now, explain?}` -> the score result.
fn score(input: &Value) -> Result<Value> {
    let pack = rule_pack(input)?;
    let lead = Lead::from_value(input["lead"].clone())?;
    let now = parse_timestamp(input["now"].as_str().unwrap_or_default())?;
    let explain = input["explain"].as_bool().unwrap_or(false);
    Ok(serde_json::to_value(pack.score_with(&lead, now, explain)?)?)
}

/// `evaluate`: `{pack, lead, now, pipeline?}` -> the lead after scoring, qualification and stage moves.
fn evaluate(input: &Value) -> Result<Value> {
    let pack = rule_pack(input)?;
    let mut lead = Lead::from_value(input["lead"].clone())?;
    let now = parse_timestamp(input["now"].as_str().unwrap_or_default())?;
    pack.evaluate(&mut lead, &pipeline(input)?, now)?;
    Ok(lead.to_value())
}
