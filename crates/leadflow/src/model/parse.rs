//! Reading records from JSON with errors that name the record and the field.
//!
//! Batch readers never fail as a whole for one bad record: they return one
//! `Result` per record, so callers can report error entries and go on.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::records::RecordReader;
use crate::error::{Error, ErrorKind, Result};

/// Nesting limit of JSON text (`serde_json`'s recursion limit): a document whose
/// arrays and objects nest `MAX_JSON_DEPTH` deep or more is refused. The bindings
/// apply the same limit to host values (dicts, JS objects), so a record is accepted
/// or refused alike whether it arrives as text or as an object.
pub const MAX_JSON_DEPTH: usize = 128;

/// A JSON record with an `id` (lead, account, contact, opportunity).
pub trait Record: DeserializeOwned + Serialize {
    /// Human name used in error messages (`lead`, `account`).
    const NAME: &'static str;

    /// Parses one record from a JSON value. Errors carry the record's `id` (when
    /// the input has one) and the path of the offending field.
    fn from_value(value: Value) -> Result<Self> {
        let id = record_id(&value);
        if !value.is_object() {
            let err = Error::validation(format!(
                "a {} must be a JSON object, found {}",
                Self::NAME,
                type_name(&value)
            ));
            return Err(attach_id(err, id));
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let mut err = Error::new(ErrorKind::Validation, format!("{}: {inner}", Self::NAME));
            if path != "." {
                err = err.with_field(path);
            }
            attach_id(err, id)
        })
    }

    /// Parses one record from JSON text: straight into the record when it reads
    /// cleanly (no value tree, no path tracking), else through [`from_value`]
    /// for the precise error. Both give the same record for every text the
    /// second accepts (`model::parse` tests and `tests/json_fast_path.rs`).
    ///
    /// [`from_value`]: Self::from_value
    fn from_json(text: &str) -> Result<Self> {
        if let Some(record) = from_json_fast(text.as_bytes()) {
            return Ok(record);
        }
        let value: Value = serde_json::from_str(text).map_err(Error::from)?;
        Self::from_value(value)
    }

    /// True when a record deserialized straight from text read every value in
    /// it. A nested struct without a flattened `extra` (a lead's `score`,
    /// `history` ...) skips unknown fields with `IgnoredAny`, which checks only
    /// the syntax (`1e400` or a lone surrogate `"\ud800"` pass), where the value
    /// tree of the slow path refuses them: such a record takes the slow path.
    /// The default (`false`) always takes it.
    fn read_fully(&self) -> bool {
        false
    }

    /// The record as a JSON value (lossless: unknown input fields are included).
    fn to_value(&self) -> Value {
        // Serializing these plain data types cannot fail (string keys, finite or null numbers).
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl Record for super::Lead {
    const NAME: &'static str = "lead";
    fn read_fully(&self) -> bool {
        self.score.is_none()
            && self.qualification.is_none()
            && self.history.is_empty()
            && self.conversion.is_none()
    }
}
impl Record for super::Account {
    const NAME: &'static str = "account";
    fn read_fully(&self) -> bool {
        true
    }
}
impl Record for super::Contact {
    const NAME: &'static str = "contact";
    fn read_fully(&self) -> bool {
        true
    }
}
impl Record for super::Opportunity {
    const NAME: &'static str = "opportunity";
    fn read_fully(&self) -> bool {
        self.history.is_empty()
    }
}

/// The fast path of [`Record::from_json`]: the record deserialized straight from
/// `text`, or `None` when the slow path must decide. Used only when it agrees
/// with the slow path:
/// - the text is an object (a derived struct also reads an array as a tuple);
/// - it succeeded: whatever fails here (a duplicate known key, which the value
///   tree settles as "last one wins", a wrong type) goes the slow way;
/// - [`Record::read_fully`]: nothing was skipped unchecked.
///
/// Unknown fields (flattened `extra`) are read into the same `Value`s, in the
/// same order, duplicates keeping the first place and the last value; numbers
/// and the nesting limit ([`MAX_JSON_DEPTH`]) come from the same parser.
pub(crate) fn from_json_fast<T: Record>(text: &[u8]) -> Option<T> {
    let start = text
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
    if text[start] != b'{' {
        return None;
    }
    serde_json::from_slice::<T>(text).ok().filter(T::read_fully)
}

fn record_id(value: &Value) -> Option<String> {
    match value.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn attach_id(err: Error, id: Option<String>) -> Error {
    match id {
        Some(id) => err.with_record(id),
        None => err,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Splits a document into record values with the [`RecordReader`]: a JSON array
/// (read element by element), a single JSON object, or JSON Lines (blank lines
/// skipped), after an optional UTF-8 BOM. A line or element that is not valid JSON
/// becomes an error entry naming its position; the others still parse.
pub fn split_records(text: &str) -> Vec<Result<Value>> {
    // Reading from memory cannot fail, so every item is a record.
    RecordReader::new(text.as_bytes())
        .map(|r| r.and_then(|raw| raw.value))
        .collect()
}

/// Parses a document of records (see [`split_records`]): one `Result` per record,
/// each read straight from its text when that reads cleanly (as [`Record::from_json`]).
pub fn parse_records<T: Record>(text: &str) -> Vec<Result<T>> {
    RecordReader::new(text.as_bytes())
        .texts()
        .map(|r| {
            let raw = r?;
            match raw.parse_fast() {
                Some(record) => Ok(record),
                None => raw.into_record().value.and_then(T::from_value),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Lead;

    #[test]
    fn wrong_type_names_record_and_field() {
        let e = Lead::from_json(
            r#"{"id": "L-7", "created_at": "2026-01-01T00:00:00Z", "employees": "many"}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.record(), Some("L-7"));
        assert_eq!(e.field(), Some("employees"));
    }

    #[test]
    fn nested_field_path() {
        let e = Lead::from_json(
            r#"{"id": "L-8", "created_at": "2026-01-01T00:00:00Z",
                "activities": [{"type": "page_view", "at": "2026-01-02T00:00:00Z"},
                               {"type": "email_open", "at": "not a time"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.record(), Some("L-8"));
        assert_eq!(e.field(), Some("activities[1].at"));
    }

    #[test]
    fn malformed_json_is_a_parse_error() {
        let e = Lead::from_json(r#"{"id": "L-9", "#).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse);
    }

    #[test]
    fn unknown_fields_round_trip() {
        let text = r#"{"id":"L-1","created_at":"2026-01-01T09:00:00+09:00","utm_term":"crm","custom":{"budget":5000},"activities":[{"type":"podcast_listen","at":"2026-01-02T00:00:00Z","meta":{"ep":3},"device":"ios"}]}"#;
        let lead = Lead::from_json(text).unwrap();
        assert_eq!(lead.extra["utm_term"], "crm");
        assert_eq!(lead.activities[0].kind, "podcast_listen");
        let back = serde_json::to_string(&lead.to_value()).unwrap();
        let a: Value = serde_json::from_str(text).unwrap();
        let b: Value = serde_json::from_str(&back).unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn jsonl_batch_keeps_going_after_a_bad_line() {
        let text = "{\"id\":\"a\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n{oops\n\n{\"id\":\"c\",\"created_at\":\"2026-01-01T00:00:00Z\",\"employees\":-1}\n{\"id\":\"d\",\"created_at\":\"2026-01-01T00:00:00Z\"}\n";
        let out = parse_records::<Lead>(text);
        assert_eq!(out.len(), 4);
        assert!(out[0].is_ok());
        assert_eq!(out[1].as_ref().unwrap_err().line(), Some(2));
        assert_eq!(out[2].as_ref().unwrap_err().record(), Some("c"));
        assert!(out[3].is_ok());
    }

    #[test]
    fn array_and_single_object() {
        let arr = parse_records::<Lead>(r#"[{"id":"a","created_at":"2026-01-01T00:00:00Z"}, 5]"#);
        assert!(arr[0].is_ok());
        assert!(
            arr[1]
                .as_ref()
                .unwrap_err()
                .message()
                .contains("JSON object")
        );
        let one = parse_records::<Lead>(
            "{\n  \"id\": \"a\",\n  \"created_at\": \"2026-01-01T00:00:00Z\"\n}\n",
        );
        assert_eq!(one.len(), 1);
        assert!(one[0].is_ok());
    }

    const A: &str = r#"{"id":"a","created_at":"2026-01-01T00:00:00Z"}"#;
    const C: &str = r#"{"id":"c","created_at":"2026-01-01T00:00:00Z"}"#;

    fn ids(out: &[Result<Lead>]) -> Vec<Option<&str>> {
        out.iter()
            .map(|r| r.as_ref().ok().map(|l| l.id.as_str()))
            .collect()
    }

    #[test]
    fn array_with_a_bad_element_keeps_the_others() {
        let text = format!(
            "[{A},\n {{\"id\":\"b\",\"created_at\":\"2026-01-01T00:00:00Z\",\"employees\":NaN}},\n {C}]"
        );
        let out = parse_records::<Lead>(&text);
        assert_eq!(ids(&out), [Some("a"), None, Some("c")]);
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse);
        assert_eq!(e.details(), Some(&serde_json::json!({"index": 1})));
        assert_eq!(e.record(), Some("b"));
        assert_eq!(e.line(), Some(2));
        assert!(e.message().starts_with("element 1: "), "{e}");
    }

    #[test]
    fn wrong_type_element_is_one_entry() {
        let out = parse_records::<Lead>(&format!("[{A}, [1, 2], {C}]"));
        assert_eq!(ids(&out), [Some("a"), None, Some("c")]);
    }

    #[test]
    fn truncated_array_keeps_what_came_before_the_break() {
        let text = format!("[{A},\n{C},\n{{\"id\":\"d\",\"crea");
        let out = parse_records::<Lead>(&text);
        assert_eq!(ids(&out), [Some("a"), Some("c"), None]);
        let e = out[2].as_ref().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse);
        assert_eq!((e.line(), e.column()), (Some(3), Some(1)));
        assert_eq!(e.details(), Some(&serde_json::json!({"index": 2})));
        assert_eq!(e.record(), Some("d"));
        // An array that is never closed after a complete element is one error too.
        let out = parse_records::<Lead>(&format!("[{A},"));
        assert_eq!(ids(&out), [Some("a"), None]);
    }

    #[test]
    fn content_after_the_array_is_an_error_entry() {
        let out = parse_records::<Lead>(&format!("[\n{A}\n]\n{C}\n"));
        assert_eq!(ids(&out), [Some("a"), None]);
        assert_eq!(out[1].as_ref().unwrap_err().line(), Some(4));
    }

    #[test]
    fn bom_is_stripped_before_lines_and_arrays() {
        let lines = parse_records::<Lead>(&format!("\u{feff}{A}\n{C}\n"));
        assert_eq!(ids(&lines), [Some("a"), Some("c")]);
        let array = parse_records::<Lead>(&format!("\u{feff}[{A}, {C}]"));
        assert_eq!(ids(&array), [Some("a"), Some("c")]);
    }

    #[test]
    fn first_line_array_then_lines_is_json_lines() {
        let out = parse_records::<Lead>(&format!("[1, 2]\n{A}\n{C}\n"));
        assert_eq!(ids(&out), [None, Some("a"), Some("c")]);
        assert!(
            out[0]
                .as_ref()
                .unwrap_err()
                .message()
                .contains("JSON object")
        );
        // One line that is the whole text is still an array.
        let out = parse_records::<Lead>(&format!("[{A}, {C}]\n\n"));
        assert_eq!(ids(&out), [Some("a"), Some("c")]);
    }

    #[test]
    fn non_utf8_line_is_one_error_naming_its_line() {
        let mut bytes = format!("{A}\n").into_bytes();
        bytes.extend_from_slice(b"{\"id\":\"b\",\"company\":\"Caf\xE9\"}\n");
        bytes.extend_from_slice(format!("{C}\n").as_bytes());
        let out: Vec<_> = RecordReader::new(&bytes[..])
            .map(|r| r.unwrap().parse::<Lead>())
            .collect();
        assert_eq!(ids(&out), [Some("a"), None, Some("c")]);
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Parse);
        assert_eq!((e.line(), e.column()), (Some(2), Some(25)));
        assert_eq!(e.record(), Some("b"));
        assert!(e.message().contains("UTF-8"), "{e}");
    }

    #[test]
    fn raw_record_parse_names_the_position_of_a_validation_error() {
        let text = format!(
            "{A}\n\n{{\"id\":\"b\",\"created_at\":\"2026-01-01T00:00:00Z\",\"employees\":-1}}\n"
        );
        let out: Vec<_> = RecordReader::new(text.as_bytes())
            .map(|r| r.unwrap().parse::<Lead>())
            .collect();
        let e = out[1].as_ref().unwrap_err();
        assert_eq!((e.record(), e.line()), (Some("b"), Some(3)));
        let arr = format!("[{A}, 5]");
        let out: Vec<_> = RecordReader::new(arr.as_bytes())
            .map(|r| r.unwrap().parse::<Lead>())
            .collect();
        let e = out[1].as_ref().unwrap_err();
        assert_eq!(e.details(), Some(&serde_json::json!({"index": 1})));
    }

    #[test]
    fn pretty_array_and_empty_inputs() {
        let out = parse_records::<Lead>(&format!("[\n  {A},\n  {C}\n]\n"));
        assert_eq!(ids(&out), [Some("a"), Some("c")]);
        assert!(parse_records::<Lead>("[]").is_empty());
        assert!(parse_records::<Lead>(" \n\u{feff}").len() <= 1);
        assert!(parse_records::<Lead>("").is_empty());
        let out = parse_records::<Lead>(&format!("[{A},,{C},]"));
        assert_eq!(ids(&out), [Some("a"), None, Some("c"), None]);
    }
}
