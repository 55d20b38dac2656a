//! `score`, `evaluate`: a rule pack given inline (a manifest object, scripts inline).

use leadflow::lifecycle::{ConfigFormat, Pipeline};
use leadflow::model::Record;
use leadflow::rules::CompiledPack;
use leadflow::{Lead, Result};
use serde_json::{Value, json};

use super::timestamp;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    Some(match op {
        "score" => score(input),
        "evaluate" => evaluate(input),
        _ => return None,
    })
}

fn score(input: &Value) -> Result<Value> {
    let pack = CompiledPack::from_value(&input["pack"])?;
    let lead = Lead::from_value(input["lead"].clone())?;
    let explain = input["explain"].as_bool().unwrap_or(false);
    Ok(serde_json::to_value(pack.score_with(
        &lead,
        timestamp(input, "now")?,
        explain,
    )?)?)
}

fn evaluate(input: &Value) -> Result<Value> {
    let pack = CompiledPack::from_value(&input["pack"])?;
    let mut lead = Lead::from_value(input["lead"].clone())?;
    let pipeline = match input.get("pipeline") {
        None | Some(Value::Null) => Pipeline::default(),
        Some(p) => Pipeline::from_str(&p.to_string(), ConfigFormat::Json)?,
    };
    let evaluation = pack.evaluate(&mut lead, &pipeline, timestamp(input, "now")?)?;
    Ok(json!({"lead": lead.to_value(), "evaluation": evaluation}))
}
