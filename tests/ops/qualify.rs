//! `derive`, `enrich`, `qualify`, `qualify_lead`.

use leadflow::enrich;
use leadflow::model::Record;
use leadflow::qualify::{self, Evidence, Framework};
use leadflow::{Lead, Result};
use serde_json::{Value, json};

use super::timestamp;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    Some(match op {
        "derive" => Lead::from_value(input.clone()).map(|l| enrich::derive(&l).to_value()),
        "enrich" => enrich_op(input),
        "qualify" => qualify_op(input),
        "qualify_lead" => qualify_lead(input),
        _ => return None,
    })
}

fn enrich_op(input: &Value) -> Result<Value> {
    let mut lead = Lead::from_value(input["lead"].clone())?;
    let data: enrich::EnrichmentData = serde_json::from_value(input["data"].clone())?;
    let provider = input["provider"].as_str().unwrap_or_default();
    let report = enrich::apply_enrichment(&mut lead, &data, provider)?;
    Ok(json!({"lead": lead.to_value(), "rejected": report.rejected}))
}

fn qualify_op(input: &Value) -> Result<Value> {
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

fn qualify_lead(input: &Value) -> Result<Value> {
    let lead = Lead::from_value(input["lead"].clone())?;
    let framework = Framework::resolve(&input["framework"])?;
    let evidence = Evidence::from_lead(&lead, &framework)?;
    let result = qualify::evaluate(&framework, &evidence, &framework.default_policy())?;
    Ok(json!({
        "evidence": evidence,
        "outcome": result.outcome,
        "state": result.to_state(timestamp(input, "now")?),
    }))
}
