//! `lifecycle` (lead stage/status steps) and `opportunity`.

use leadflow::lifecycle::{Change, ConfigFormat, Pipeline, TouchOutcome};
use leadflow::model::Record;
use leadflow::{Error, Lead, Result};
use serde_json::Value;

use super::timestamp;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    Some(match op {
        "lifecycle" => lifecycle(input),
        "opportunity" => opportunity(input),
        _ => return None,
    })
}

/// The fixture's `pipeline` config, or the built-in one.
pub fn pipeline(input: &Value) -> Result<Pipeline> {
    match input.get("pipeline") {
        Some(cfg) => Pipeline::from_str(&cfg.to_string(), ConfigFormat::Json),
        None => Ok(Pipeline::default()),
    }
}

/// The `at`/`actor`/`reason` of a step.
fn change(step: &Value) -> Result<Change> {
    let mut ch = Change::new(timestamp(step, "at")?);
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
    let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
    let mut opp = p.open_opportunity(
        text(o, "id"),
        text(o, "name"),
        text(o, "account_id"),
        &change(o)?,
    );
    for step in input["steps"].as_array().into_iter().flatten() {
        p.move_opportunity(&mut opp, &text(step, "to"), &change(step)?)?;
    }
    Ok(opp.to_value())
}
