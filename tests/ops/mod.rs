//! Fixture operations, one module per area. Each `run` returns `None` for an
//! operation it does not know, so adding an area is one file and one line here.

use leadflow::{Result, Timestamp, parse_timestamp};
use serde_json::Value;

mod columns;
mod convert;
mod lifecycle;
mod metrics;
mod model;
mod qualify;
mod routing;
mod rules;

type Op = fn(&str, &Value) -> Option<Result<Value>>;

const AREAS: &[Op] = &[
    model::run,
    lifecycle::run,
    convert::run,
    qualify::run,
    metrics::run,
    routing::run,
    rules::run,
    columns::run,
];

/// Runs one fixture operation; panics on an operation no area knows, so a fixture
/// can never go silently unrun.
pub fn run(op: &str, input: &Value) -> Result<Value> {
    AREAS
        .iter()
        .find_map(|area| area(op, input))
        .unwrap_or_else(|| panic!("unknown fixture operation {op:?}: add it to tests/ops/"))
}

/// The fixture's `now` (or another timestamp key).
pub fn timestamp(input: &Value, key: &str) -> Result<Timestamp> {
    parse_timestamp(input[key].as_str().unwrap_or_default())
}

/// The fixture's `options` (defaults when absent).
pub fn options<T: serde::de::DeserializeOwned + Default>(input: &Value) -> Result<T> {
    match input.get("options") {
        None | Some(Value::Null) => Ok(T::default()),
        Some(v) => Ok(serde_json::from_value(v.clone())?),
    }
}
