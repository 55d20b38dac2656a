//! `funnel`, `conversion`, `velocity`, `board`, `pipeline`, `attribution`: one
//! metrics request, of which the fixture checks the named section.

use leadflow::Result;
use serde_json::Value;

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    match op {
        "funnel" | "conversion" | "velocity" | "board" | "pipeline" | "attribution" => Some(
            leadflow::metrics::run_request(input)
                .and_then(|report| Ok(serde_json::to_value(report)?))
                .map(|report| report[op].clone()),
        ),
        _ => None,
    }
}
