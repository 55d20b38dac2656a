//! Integers beyond 64 bits in lead values. Rust's JSON reader turns such a
//! literal into the nearest float (`18446744073709551616999` becomes
//! `1.8446744073709552e22`), JavaScript numbers round it too, and Python's
//! binding refuses it. Conversion copies lead values into new records, so it
//! refuses them the same way in every language instead of writing a rounded
//! number: a `ValidationError` naming the lead and the field. Send such values
//! as strings.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::Lead;

/// 2^64: the first integer neither an `i64` nor a `u64` holds.
const TWO_POW_64: f64 = 18_446_744_073_709_551_616.0;
/// -2^63: `i64::MIN`.
const MINUS_TWO_POW_63: f64 = -9_223_372_036_854_775_808.0;

/// Refuses a lead whose `custom` or unknown fields hold a number outside the
/// 64-bit integer range (`i64::MIN` to `u64::MAX`).
pub(crate) fn check_lead_numbers(lead: &Lead) -> Result<()> {
    // Paths are only spelled out for the lead that has such a number.
    if !lead.custom.values().chain(lead.extra.values()).any(is_wide) {
        return Ok(());
    }
    let fields = lead
        .custom
        .iter()
        .map(|(k, v)| (format!("custom.{k}"), v))
        .chain(lead.extra.iter().map(|(k, v)| (k.clone(), v)));
    for (path, value) in fields {
        check(value, &path).map_err(|e| e.with_record(&lead.id))?;
    }
    Ok(())
}

/// A number beyond the range, anywhere in `value`.
fn is_wide(value: &Value) -> bool {
    match value {
        Value::Number(n) => n
            .as_f64()
            .is_some_and(|f| n.is_f64() && !(MINUS_TWO_POW_63..TWO_POW_64).contains(&f)),
        Value::Array(items) => items.iter().any(is_wide),
        Value::Object(map) => map.values().any(is_wide),
        _ => false,
    }
}

fn check(value: &Value, path: &str) -> Result<()> {
    match value {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            if !(MINUS_TWO_POW_63..TWO_POW_64).contains(&f) {
                return Err(Error::validation(format!(
                    "{n} is beyond the 64-bit integer range (such numbers are rounded when read as JSON); send it as a string"
                ))
                .with_field(path));
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check(v, &format!("{path}[{i}]"))),
        Value::Object(map) => map
            .iter()
            .try_for_each(|(k, v)| check(v, &format!("{path}.{k}"))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ErrorKind;
    use crate::model::Record;

    fn lead(custom: &str) -> Lead {
        let text =
            format!(r#"{{"id": "L-1", "created_at": "2026-01-01T00:00:00Z", "custom": {custom}}}"#);
        Lead::from_json(&text).unwrap()
    }

    #[test]
    fn integers_beyond_64_bits_are_refused_naming_the_field() {
        for (custom, field) in [
            (r#"{"n": 18446744073709551616999}"#, "custom.n"),
            (r#"{"n": 18446744073709551616}"#, "custom.n"),
            (
                r#"{"deep": {"list": [1, -10000000000000000000]}}"#,
                "custom.deep.list[1]",
            ),
        ] {
            let e = check_lead_numbers(&lead(custom)).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Validation, "{custom}");
            assert_eq!(e.field(), Some(field), "{custom}");
            assert_eq!(e.record(), Some("L-1"));
        }
        let mut l = lead("{}");
        l.extra.insert("big".into(), json!(1e300));
        assert_eq!(check_lead_numbers(&l).unwrap_err().field(), Some("big"));
    }

    #[test]
    fn the_64_bit_range_and_ordinary_floats_pass() {
        let ok = r#"{"max": 18446744073709551615, "min": -9223372036854775808, "f": 1.5e18, "s": "18446744073709551616999"}"#;
        check_lead_numbers(&lead(ok)).unwrap();
    }
}
