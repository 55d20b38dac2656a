//! The one spelling of feature values: how a text cell (a CSV cell, a string
//! column) is typed, and which values a number or a boolean feature accepts.
//! Every reader (lead, rows, columns, CSV) asks here, so a value that one path
//! rejects is rejected by all of them, never read as a silent missing value.

use serde_json::Value;

use crate::error::{Error, Result};
use crate::rules::define::features::{FeatureTable, FeatureType, LeadField, Source};
use crate::rules::input::activity::lookup_path;
use crate::rules::input::lead_view::LeadView;
use crate::rules::input::rows::Cell;

/// Types a text cell: empty is missing; a whole number, a finite decimal
/// number (`12`, `-3`, `597420.0`, `1e6`) or `true`/`false` (any case) are
/// typed; anything else (`1,200`, `yes`, `NaN`) stays text.
pub fn text_cell(text: &str) -> Cell<'_> {
    let t = text.trim();
    if t.is_empty() {
        return Cell::Null;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Cell::Int(i);
    }
    if let Ok(u) = t.parse::<u64>() {
        return Cell::UInt(u);
    }
    // Rust's float grammar also reads `inf` and `NaN`: only finite numbers are numbers.
    if let Ok(f) = t.parse::<f64>()
        && f.is_finite()
    {
        return Cell::Float(f);
    }
    if t.eq_ignore_ascii_case("true") {
        return Cell::Bool(true);
    }
    if t.eq_ignore_ascii_case("false") {
        return Cell::Bool(false);
    }
    Cell::Str(t)
}

/// A feature value as `ty` reads it: `Ok(None)` for a missing value, `Err(())`
/// for a value of the wrong type (a string or a boolean for a number, a number
/// or a string for a boolean).
#[allow(clippy::cast_precision_loss)] // as serde_json's `as_f64`
#[allow(clippy::result_unit_err)]
pub fn feature_num(ty: FeatureType, cell: Cell<'_>) -> Result<Option<f64>, ()> {
    match (ty, cell) {
        // A string feature reads any scalar as text.
        (_, Cell::Null) | (FeatureType::Str, _) => Ok(None),
        (FeatureType::Bool, Cell::Bool(b)) => Ok(Some(f64::from(u8::from(b)))),
        (FeatureType::Int | FeatureType::Float, Cell::Int(n)) => Ok(Some(n as f64)),
        (FeatureType::Int | FeatureType::Float, Cell::UInt(n)) => Ok(Some(n as f64)),
        (FeatureType::Int | FeatureType::Float, Cell::Float(v)) => Ok(Some(v)),
        _ => Err(()),
    }
}

/// A JSON value as a [`Cell`] (`None` for arrays and objects).
pub fn value_cell(v: &Value) -> Option<Cell<'_>> {
    Some(match v {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => Cell::Int(i),
            (None, Some(u), _) => Cell::UInt(u),
            (None, None, Some(f)) => Cell::Float(f),
            _ => return None,
        },
        Value::String(s) => Cell::Str(s),
        Value::Array(_) | Value::Object(_) => return None,
    })
}

fn type_name(ty: FeatureType) -> &'static str {
    match ty {
        FeatureType::Int | FeatureType::Float => "number",
        FeatureType::Bool => "boolean (true or false)",
        FeatureType::Str => "string",
    }
}

/// The error entry for a value that `ty` cannot read: names the field and the value.
pub(crate) fn unreadable(record: &str, field: &str, ty: FeatureType, value: Value) -> Error {
    let message = format!("`{field}` is {value}, which is not a {}", type_name(ty));
    let details = Value::Object([("value".to_owned(), value)].into_iter().collect());
    let e = Error::validation(message)
        .with_field(field)
        .with_details(details);
    if record.is_empty() {
        e
    } else {
        e.with_record(record)
    }
}

/// A cell as the JSON value an error shows.
pub(crate) fn cell_value(cell: Cell<'_>) -> Value {
    match cell {
        Cell::Null => Value::Null,
        Cell::Bool(b) => Value::Bool(b),
        Cell::Int(n) => Value::from(n),
        Cell::UInt(n) => Value::from(n),
        Cell::Float(v) => serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
        Cell::Str(s) => Value::String(s.to_owned()),
    }
}

/// Checks the flat values a parsed lead gives its number and boolean features
/// (`extra`/`custom` values, paths, record-first activity counts): one that
/// the feature cannot read is the lead's error, as on the row and column paths.
pub(crate) fn check_lead<L: LeadView + ?Sized>(ft: &FeatureTable, lead: &L) -> Result<()> {
    for f in &ft.used {
        if !f.ty.is_num() {
            continue;
        }
        let flat = |name: &str| lead.extra(name).or_else(|| lead.custom(name));
        let v = match &f.source {
            Source::Field(LeadField::Employees) => continue,
            Source::Field(LeadField::Revenue) if lead.annual_revenue().is_some() => continue,
            Source::Field(_) => flat(&f.name),
            Source::Path(p) => lookup_path(lead, p),
            Source::Activity(_) if f.record_first => flat(&f.name),
            Source::Activity(_) | Source::Derived(_) => continue,
        };
        let Some(v) = v else { continue };
        let readable = value_cell(v).is_some_and(|c| feature_num(f.ty, c).is_ok());
        if !readable {
            return Err(unreadable(lead.id(), &f.name, f.ty, v.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cells_are_typed_once() {
        assert_eq!(text_cell(" 12 "), Cell::Int(12));
        assert_eq!(text_cell("-3"), Cell::Int(-3));
        assert_eq!(text_cell("597420.0"), Cell::Float(597_420.0));
        assert_eq!(text_cell("1e6"), Cell::Float(1e6));
        assert_eq!(text_cell("18446744073709551615"), Cell::UInt(u64::MAX));
        assert_eq!(text_cell("TRUE"), Cell::Bool(true));
        assert_eq!(text_cell("false"), Cell::Bool(false));
        assert_eq!(text_cell(""), Cell::Null);
        assert_eq!(text_cell("   "), Cell::Null);
        for text in ["1,200", "yes", "no", "NaN", "inf", "12 000", "0x10"] {
            assert_eq!(text_cell(text), Cell::Str(text), "{text}");
        }
    }

    #[test]
    fn features_read_only_their_type() {
        use FeatureType::{Bool, Float, Int, Str};
        assert_eq!(feature_num(Int, Cell::Int(3)), Ok(Some(3.0)));
        assert_eq!(feature_num(Float, Cell::Float(2.5)), Ok(Some(2.5)));
        assert_eq!(feature_num(Bool, Cell::Bool(true)), Ok(Some(1.0)));
        assert_eq!(feature_num(Int, Cell::Null), Ok(None));
        assert_eq!(feature_num(Str, Cell::Int(3)), Ok(None));
        assert_eq!(feature_num(Int, Cell::Str("1,200")), Err(()));
        assert_eq!(feature_num(Float, Cell::Str("12")), Err(()));
        assert_eq!(feature_num(Int, Cell::Bool(true)), Err(()));
        assert_eq!(feature_num(Bool, Cell::Int(1)), Err(()));
        assert_eq!(feature_num(Bool, Cell::Str("yes")), Err(()));
    }
}
