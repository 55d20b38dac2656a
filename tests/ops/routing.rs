//! `route`, `sla`, `triggers` and `touch`: the routing module.

use std::sync::Arc;

use leadflow::lifecycle::Pipeline;
use leadflow::model::{Account, Activity, Contact, Lead, Record};
use leadflow::routing::{
    ConfigFormat, Event, ExistingAccounts, Router, RoutingConfig, RoutingState, SlaConfig,
    TouchPolicy, TriggerConfig, TriggerEngine, TriggerState,
};
use leadflow::{Error, Result};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::timestamp;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    Some(match op {
        "route" => route(input),
        "sla" => sla(input),
        "triggers" => triggers(input),
        "touch" => touch(input),
        _ => return None,
    })
}

fn field<T: DeserializeOwned + Default>(input: &Value, key: &str) -> Result<T> {
    match input.get(key) {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| Error::from(e).with_field(key)),
    }
}

fn records<T: Record>(input: &Value, key: &str) -> Vec<Result<T>> {
    input[key]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| T::from_value(v.clone()))
        .collect()
}

/// `{config, state?, leads, now, accounts?, contacts?}` -> `{assignments, state}`;
/// an invalid lead gives `{"error": ...}` in its place.
fn route(input: &Value) -> Result<Value> {
    let config: RoutingConfig =
        RoutingConfig::from_str(&input["config"].to_string(), ConfigFormat::Json)?;
    let mut router = Router::new(config)?;
    if input.get("accounts").is_some() {
        let accounts = records::<Account>(input, "accounts")
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        let contacts = records::<Contact>(input, "contacts")
            .into_iter()
            .collect::<Result<Vec<_>>>()?;
        router = router.with_account_matcher(Arc::new(ExistingAccounts::new(accounts, contacts)));
    }
    let mut state: RoutingState = field(input, "state")?;
    let now = timestamp(input, "now")?;
    let assignments: Vec<Value> = records::<Lead>(input, "leads")
        .into_iter()
        .map(|lead| match lead {
            Ok(lead) => json!(router.assign_mut(&lead, &mut state, now)),
            Err(e) => json!({ "error": e }),
        })
        .collect();
    Ok(json!({ "assignments": assignments, "state": state }))
}

/// `{config, leads, now}` -> one SLA report per lead.
fn sla(input: &Value) -> Result<Value> {
    let config: SlaConfig = SlaConfig::from_str(&input["config"].to_string(), ConfigFormat::Json)?;
    config.validate()?;
    let now = timestamp(input, "now")?;
    let reports: Vec<Value> = records::<Lead>(input, "leads")
        .into_iter()
        .map(|lead| match lead {
            Ok(lead) => json!(config.evaluate(&lead, now)),
            Err(e) => json!({ "error": e }),
        })
        .collect();
    Ok(Value::Array(reports))
}

/// `{config, lead, events, state?}` -> `{actions, state}`; events are evaluated in order.
fn triggers(input: &Value) -> Result<Value> {
    let config: TriggerConfig =
        TriggerConfig::from_str(&input["config"].to_string(), ConfigFormat::Json)?;
    let engine = TriggerEngine::new(config)?;
    let lead = Lead::from_value(input["lead"].clone())?;
    let events: Vec<Event> = field(input, "events")?;
    let mut state: TriggerState = field(input, "state")?;
    let mut actions = Vec::new();
    for event in &events {
        actions.extend(engine.evaluate(&lead, event, &mut state)?);
    }
    Ok(json!({ "actions": actions, "state": state }))
}

/// `{policy?, lead, activities, actor?}` -> `{lead, results}` (default lifecycle pipeline).
fn touch(input: &Value) -> Result<Value> {
    let policy: TouchPolicy = field(input, "policy")?;
    let mut lead = Lead::from_value(input["lead"].clone())?;
    let activities: Vec<Activity> = field(input, "activities")?;
    let actor = input["actor"].as_str().unwrap_or("system");
    let pipeline = Pipeline::default();
    let mut results = Vec::new();
    for a in activities {
        results.push(policy.record(&pipeline, &mut lead, a, actor)?);
    }
    Ok(json!({ "lead": lead.to_value(), "results": results }))
}
