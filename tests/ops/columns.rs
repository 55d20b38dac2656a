//! Flat-input fixtures: `score_columns`, a table of columns scored through the
//! core's columnar path after its schema check (names, mappings, strictness).

use leadflow::rules::{Bitmap, Column, Columns, InputOptions, ScoreOptions};
use leadflow::{Error, Result};
use serde_json::{Map, Value, json};

use super::{rules, timestamp};

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    match op {
        "score_columns" => Some(score_columns(input)),
        _ => None,
    }
}

/// The `columns` and `strict` input keys as the core's options (shared with `score_many`).
pub fn input_options(input: &Value) -> Result<InputOptions> {
    let columns = match input.get("columns") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => serde_json::from_value::<Map<String, Value>>(v.clone())?
            .into_iter()
            .map(|(from, to)| (from, to.as_str().unwrap_or_default().to_owned()))
            .collect(),
    };
    Ok(InputOptions {
        columns,
        strict: input["strict"].as_bool().unwrap_or(true),
    })
}

/// One column's values, owned, typed by its non-null JSON values as pyarrow
/// infers them: strings, booleans, integers, else floats. Nulls clear the
/// validity bit.
enum Owned {
    Str(Vec<i32>, String),
    Bool(Vec<u8>),
    Int(Vec<i64>),
    Float(Vec<f64>),
}

fn owned(name: &str, values: &[Value]) -> Result<(Owned, Vec<u8>)> {
    let mut validity = vec![0u8; values.len().div_ceil(8)];
    for (i, v) in values.iter().enumerate() {
        if !v.is_null() {
            validity[i / 8] |= 1 << (i % 8);
        }
    }
    let present = || values.iter().filter(|v| !v.is_null());
    let col = if present().all(Value::is_string) {
        let mut offsets = vec![0i32];
        let mut data = String::new();
        for v in values {
            data.push_str(v.as_str().unwrap_or_default());
            offsets.push(i32::try_from(data.len()).unwrap_or(i32::MAX));
        }
        Owned::Str(offsets, data)
    } else if present().all(Value::is_boolean) {
        Owned::Bool(values.iter().map(|v| u8::from(v == &json!(true))).collect())
    } else if present().all(Value::is_i64) {
        Owned::Int(values.iter().map(|v| v.as_i64().unwrap_or(0)).collect())
    } else if present().all(Value::is_number) {
        Owned::Float(values.iter().map(|v| v.as_f64().unwrap_or(0.0)).collect())
    } else {
        return Err(Error::validation(format!(
            "fixture column `{name}` mixes types"
        )));
    };
    Ok((col, validity))
}

/// `score_columns`: `{pack, now, table: {name: [values]}, columns?, strict?}` ->
/// `{scores: [{total, fit, engagement, grade, temperature}], warnings}`; a row
/// that fails to score fails the case (these fixtures are about names).
fn score_columns(input: &Value) -> Result<Value> {
    let pack = rules::pack(input)?;
    let table = input["table"].as_object().cloned().unwrap_or_default();
    let mut data = Vec::new();
    for (name, values) in &table {
        let values = values.as_array().cloned().unwrap_or_default();
        data.push((name.as_str(), values.len(), owned(name, &values)?));
    }
    let len = data.first().map_or(0, |(_, n, _)| *n);
    let mut cols = Columns::new(len);
    for (name, _, (col, validity)) in &data {
        let validity = Some(Bitmap::new(validity, 0));
        let col = match col {
            Owned::Str(offsets, text) => Column::utf8(
                leadflow::rules::Offsets::I32(offsets),
                text.as_bytes(),
                validity,
            )?,
            Owned::Bool(bytes) => Column::bool_bytes(bytes, validity),
            Owned::Int(v) => Column::i64(v, validity),
            Owned::Float(v) => Column::f64(v, validity),
        };
        cols = cols.with(name, col)?;
    }
    let cols = cols.conform(&pack, &input_options(input)?)?;
    let s = pack.score_columns(&cols, timestamp(input, "now")?, ScoreOptions::default());
    if let Some((row, e)) = s.errors.first() {
        return Err(e.clone().with_details(json!({"row": row})));
    }
    let scores: Vec<Value> = (0..len)
        .map(|i| {
            json!({
                "total": s.total[i],
                "fit": s.fit[i],
                "engagement": s.engagement[i],
                "grade": s.grade[i].as_str(),
                "temperature": s.temperature[i].as_str(),
            })
        })
        .collect();
    Ok(json!({"scores": scores, "warnings": s.warnings}))
}
