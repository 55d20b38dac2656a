//! Rules fixtures: `score` and `evaluate` with a rule pack.

use leadflow::lifecycle::{ConfigFormat, Pipeline};
use leadflow::model::Record;
use leadflow::rules::{CompiledPack, ScoreOptions};
use leadflow::{Lead, Result};
use serde_json::Value;

use super::timestamp;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    match op {
        "score" => Some(score(input)),
        "score_many" => Some(score_many(input)),
        "evaluate" => Some(evaluate(input)),
        _ => None,
    }
}

/// The fixture's pack: a path relative to the repository root, or an inline manifest object.
pub fn pack(input: &Value) -> Result<CompiledPack> {
    match &input["pack"] {
        Value::String(path) => CompiledPack::load(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(path),
        ),
        inline => CompiledPack::from_value(inline),
    }
}

/// `score`: `{pack, lead, now, explain?}` -> the score result.
fn score(input: &Value) -> Result<Value> {
    let pack = pack(input)?;
    let lead = Lead::from_value(input["lead"].clone())?;
    let explain = input["explain"].as_bool().unwrap_or(false);
    Ok(serde_json::to_value(pack.score_with(
        &lead,
        timestamp(input, "now")?,
        ScoreOptions::default().with_explain(explain),
    )?)?)
}

/// `score_many`: `{pack, leads, now, explain?, columns?}` -> one score result or
/// `{"error": ...}` per lead (flat leads take the row-batch fast path; keys
/// read as `columns` maps them).
fn score_many(input: &Value) -> Result<Value> {
    let pack = pack(input)?;
    let leads = input["leads"].as_array().cloned().unwrap_or_default();
    let explain = input["explain"].as_bool().unwrap_or(false);
    let opts = super::columns::input_options(input)?;
    // As the bindings do: a mapping the pack cannot read fails the batch.
    let mapped: Vec<&str> = opts.columns.iter().map(|(c, _)| c.as_str()).collect();
    pack.record_schema(&mapped, &opts)?;
    let entries: Vec<Value> = pack
        .score_values(
            leads.into_iter().map(Ok).collect(),
            timestamp(input, "now")?,
            ScoreOptions::default().with_explain(explain),
            &opts,
        )
        .into_iter()
        .map(|r| match r {
            Ok(r) => serde_json::to_value(r).unwrap_or(Value::Null),
            Err(e) => serde_json::json!({ "error": e }),
        })
        .collect();
    Ok(Value::Array(entries))
}

/// `evaluate`: `{pack, lead, now, pipeline?}` -> the lead after scoring, qualification and stage moves.
fn evaluate(input: &Value) -> Result<Value> {
    let pack = pack(input)?;
    let mut lead = Lead::from_value(input["lead"].clone())?;
    let pipeline = match input.get("pipeline") {
        Some(cfg) => Pipeline::from_str(&cfg.to_string(), ConfigFormat::Json)?,
        None => Pipeline::default(),
    };
    pack.evaluate(&mut lead, &pipeline, timestamp(input, "now")?)?;
    Ok(lead.to_value())
}
