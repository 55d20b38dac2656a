//! `parse_lead`.

use leadflow::model::Record;
use leadflow::{Lead, Result};
use serde_json::Value;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    match op {
        "parse_lead" => Some(Lead::from_value(input.clone()).map(|l| l.to_value())),
        _ => None,
    }
}
