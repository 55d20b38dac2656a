//! `match_lead`, `convert_plan`, `convert`.

use leadflow::convert::{ConvertOptions, MatchOptions};
use leadflow::model::Record;
use leadflow::{Account, Contact, Lead, Result};
use serde_json::Value;

use super::{options, timestamp};

pub fn run(op: &str, input: &Value) -> Option<Result<Value>> {
    Some(match op {
        "match_lead" => match_lead(input),
        "convert_plan" => plan(input),
        "convert" => convert(input),
        _ => return None,
    })
}

fn match_lead(input: &Value) -> Result<Value> {
    let (lead, accounts, contacts) = records(input)?;
    let opts: MatchOptions = options(input)?;
    let m = leadflow::convert::match_lead(&lead, &accounts, &contacts, &opts);
    Ok(serde_json::to_value(m)?)
}

fn plan(input: &Value) -> Result<Value> {
    let (lead, accounts, contacts) = records(input)?;
    let opts: ConvertOptions = options(input)?;
    let plan =
        leadflow::convert::plan(&lead, &accounts, &contacts, &opts, timestamp(input, "now")?)?;
    Ok(serde_json::to_value(plan)?)
}

fn convert(input: &Value) -> Result<Value> {
    let (mut lead, accounts, contacts) = records(input)?;
    let opts: ConvertOptions = options(input)?;
    let now = timestamp(input, "now")?;
    let result = leadflow::convert::convert(&mut lead, &accounts, &contacts, &opts, now)?;
    Ok(serde_json::to_value(result)?)
}

/// `lead`, `accounts` and `contacts` of a conversion fixture's input.
fn records(input: &Value) -> Result<(Lead, Vec<Account>, Vec<Contact>)> {
    let list = |key: &str| {
        input
            .get(key)
            .cloned()
            .unwrap_or_else(|| Value::Array(Vec::new()))
    };
    Ok((
        Lead::from_value(input["lead"].clone())?,
        serde_json::from_value(list("accounts"))?,
        serde_json::from_value(list("contacts"))?,
    ))
}
