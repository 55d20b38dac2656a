//! `Record::from_json` reads text straight into the record and takes the value
//! path (text -> `Value` -> record, with path tracking) only when that fails or
//! may have skipped a value unchecked. This holds it to the value path: on
//! generated and mutated lead texts (duplicate keys, unknown fields, wrong
//! types, numbers out of range, lone surrogates, nesting at the limit, bad
//! timestamps, nested structs with unknown fields) both give the same lead,
//! written back the same (key order included), or the same error.

use leadflow::model::{RecordReader, parse_records, split_records};
use leadflow::{Error, Lead, Opportunity, Record};
use proptest::prelude::*;
use serde_json::Value;

/// The value path, as `Record::from_json` was before its fast path.
fn slow<T: Record>(text: &str) -> Result<T, Error> {
    let value: Value = serde_json::from_str(text).map_err(Error::from)?;
    T::from_value(value)
}

fn same<T: Record + PartialEq + std::fmt::Debug>(text: &str) -> Result<(), TestCaseError> {
    let fast = T::from_json(text);
    let want = slow::<T>(text);
    if let (Ok(a), Ok(b)) = (&fast, &want) {
        prop_assert_eq!(a, b, "{}", text);
        // Same order of unknown fields and map entries, too.
        prop_assert_eq!(
            serde_json::to_string(a).unwrap(),
            serde_json::to_string(b).unwrap(),
            "{}",
            text
        );
    } else {
        prop_assert_eq!(fast, want, "{}", text);
    }
    Ok(())
}

fn nested(depth: usize) -> String {
    format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
}

/// Scalar and small composite value texts, many of them wrong somewhere.
fn scalar() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\"L-1\"",
        "\"2026-01-01T00:00:00Z\"",
        "\"2026-03-01T09:30:00+09:00\"",
        "\"2026-02-30T00:00:00Z\"",
        "\"2026-01-01 00:00:00Z\"",
        "\"not a time\"",
        "\"\\ud800\"",
        "\"caf\\u00e9 \\\"q\\\"\"",
        "\"/pricing\"",
        "\"https://a.io/pricing/team\"",
        "\"demo\"",
        "5",
        "0",
        "-1",
        "-0",
        "5.0",
        "1e2",
        "2.5e7",
        "1e400",
        "-1e400",
        "18446744073709551615",
        "18446744073709551616",
        "4294967296",
        "null",
        "true",
        "false",
        "[]",
        "{}",
        "[1, \"a\", null]",
        "{\"a\": 1, \"a\": 2}",
        "{\"x\": 1e400}",
        "{\"budget\": 5000, \"tier\": \"gold\"}",
    ])
    .prop_map(str::to_owned)
}

fn deep() -> impl Strategy<Value = String> {
    // The nesting limit is 128 containers in all: a lead object, a `custom`
    // object, then arrays around these depths.
    prop::sample::select(vec![1usize, 120, 125, 126, 127, 128]).prop_map(nested)
}

fn object(
    keys: Vec<&'static str>,
    value: BoxedStrategy<String>,
    max: usize,
) -> BoxedStrategy<String> {
    prop::collection::vec((prop::sample::select(keys), value), 0..max)
        .prop_map(|entries| {
            let body: Vec<String> = entries
                .into_iter()
                .map(|(k, v)| format!("\"{k}\": {v}"))
                .collect();
            format!("{{{}}}", body.join(", "))
        })
        .boxed()
}

fn meta() -> BoxedStrategy<String> {
    prop_oneof![
        4 => object(vec!["url", "form", "campaign"], scalar().boxed(), 4),
        1 => scalar(),
    ]
    .boxed()
}

fn activity() -> BoxedStrategy<String> {
    let good = (
        prop::sample::select(vec!["page_view", "email_open", "form_submit", "podcast"]),
        prop::sample::select(vec![
            "2026-02-01T00:00:00Z",
            "2026-04-01T00:00:00Z",
            "2026-02-01T10:00:00+09:00",
        ]),
        meta(),
    )
        .prop_map(|(k, at, m)| format!("{{\"type\": \"{k}\", \"at\": \"{at}\", \"meta\": {m}}}"));
    let any = object(
        vec!["type", "at", "meta", "device", "extra"],
        prop_oneof![3 => scalar(), 1 => meta(), 1 => deep()].boxed(),
        5,
    );
    prop_oneof![3 => good, 2 => any, 1 => scalar()].boxed()
}

fn activities() -> BoxedStrategy<String> {
    prop::collection::vec(activity(), 0..5)
        .prop_map(|a| format!("[{}]", a.join(", ")))
        .boxed()
}

fn top_value() -> BoxedStrategy<String> {
    prop_oneof![
        6 => scalar(),
        2 => activities(),
        1 => deep(),
        1 => object(vec!["total", "fit", "engagement", "grade", "temperature", "pack", "scored_at", "x"], scalar().boxed(), 8),
        1 => prop::collection::vec(
                object(vec!["dimension", "from", "to", "at", "kind", "actor", "x"], scalar().boxed(), 7), 0..2)
            .prop_map(|h| format!("[{}]", h.join(", "))),
    ]
    .boxed()
}

const KEYS: [&str; 24] = [
    "id",
    "created_at",
    "first_name",
    "email",
    "title",
    "company",
    "employees",
    "annual_revenue",
    "country",
    "source",
    "custom",
    "activities",
    "stage",
    "attempts",
    "score",
    "qualification",
    "history",
    "conversion",
    "provenance",
    "utm_term",
    "budget",
    "extra",
    "x",
    "id",
];

/// A lead text: mostly a valid lead with some fields added or replaced.
fn lead_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["\"L-1\"", "7", "null"]),
        prop::sample::select(vec![
            "\"2026-01-01T00:00:00Z\"",
            "\"2026-01-01T09:00:00+09:00\"",
            "\"yesterday\"",
        ]),
        activities(),
        prop::collection::vec((prop::sample::select(KEYS.to_vec()), top_value()), 0..6),
        any::<bool>(),
    )
        .prop_map(|(id, at, acts, more, base_first)| {
            let mut entries = vec![
                format!("\"id\": {id}"),
                format!("\"created_at\": {at}"),
                format!("\"activities\": {acts}"),
            ];
            let more = more.into_iter().map(|(k, v)| format!("\"{k}\": {v}"));
            if base_first {
                entries.extend(more);
            } else {
                entries.splice(0..0, more);
            }
            format!("{{{}}}", entries.join(", "))
        })
}

/// A text cut or with one byte changed (a mutation of a lead text).
fn mutated() -> impl Strategy<Value = String> {
    (lead_text(), any::<prop::sample::Index>(), 0u8..4).prop_map(|(t, at, how)| {
        let mut b = t.into_bytes();
        let i = at.index(b.len());
        match how {
            0 => b.truncate(i),
            1 => b[i] = b'"',
            2 => b.insert(i, b','),
            _ => b.insert(i, b'['),
        }
        String::from_utf8(b).unwrap_or_default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn lead_fast_path_equals_value_path(text in lead_text()) {
        same::<Lead>(&text)?;
    }

    #[test]
    fn mutated_leads_too(text in mutated()) {
        same::<Lead>(&text)?;
    }

    #[test]
    fn batches_read_alike(lines in prop::collection::vec(prop_oneof![lead_text(), mutated()], 0..6), array in any::<bool>()) {
        let text = if array { format!("[{}]", lines.join(",\n")) } else { lines.join("\n") };
        let want: Vec<Result<Lead, Error>> = split_records(&text)
            .into_iter()
            .map(|r| r.and_then(Lead::from_value))
            .collect();
        prop_assert_eq!(parse_records::<Lead>(&text), want);
        let fast: Vec<Result<Lead, Error>> = RecordReader::new(text.as_bytes())
            .texts()
            .map(|r| r.unwrap().parse())
            .collect();
        let slow: Vec<Result<Lead, Error>> = RecordReader::new(text.as_bytes())
            .map(|r| r.unwrap().parse())
            .collect();
        prop_assert_eq!(fast, slow);
    }
}

#[test]
fn known_traps_read_alike() {
    let base = r#""id": "L-1", "created_at": "2026-01-01T00:00:00Z""#;
    let cases = [
        // Duplicates: known keys (the value path keeps the last), unknown keys, in `custom`.
        format!(r#"{{{base}, "email": "a@x.io", "email": "b@x.io"}}"#),
        format!(r#"{{{base}, "utm": 1, "x": 2, "utm": 3}}"#),
        format!(r#"{{{base}, "custom": {{"a": 1, "b": 2, "a": 3}}}}"#),
        format!(
            r#"{{{base}, "activities": [{{"type": "a", "type": "b", "at": "2026-01-01T00:00:00Z"}}]}}"#
        ),
        // What a struct skipping unknown fields would let pass.
        format!(
            r#"{{{base}, "score": {{"total": 1, "fit": 1, "engagement": 0, "grade": "A", "temperature": "hot", "pack": "p@1", "scored_at": "2026-01-01T00:00:00Z", "x": 1e400}}}}"#
        ),
        format!(
            r#"{{{base}, "conversion": {{"converted_at": "2026-01-01T00:00:00Z", "account_id": "a", "contact_id": "c", "x": "\ud800"}}}}"#
        ),
        // A struct read from an array (tuple form).
        r#"["L-1", "2026-01-01T00:00:00Z"]"#.to_owned(),
        format!(r#"{{{base}, "score": [1, 1, 0, "A", "hot", "p@1", "2026-01-01T00:00:00Z"]}}"#),
        // Nesting at and past the limit.
        format!(r#"{{{base}, "deep": {}}}"#, nested(126)),
        format!(r#"{{{base}, "deep": {}}}"#, nested(127)),
        format!(r#"{{{base}, "custom": {{"deep": {}}}}}"#, nested(125)),
        format!(r#"{{{base}, "custom": {{"deep": {}}}}}"#, nested(126)),
        format!(r#"{{{base}, "employees": 18446744073709551616}}"#),
        format!(r#"{{{base}, "annual_revenue": 18446744073709551616}}"#),
        format!(r#"{{{base}, "attempts": 4294967296}}"#),
        format!(" {{{base}}} "),
        format!("{{{base}}} x"),
    ];
    for text in &cases {
        same::<Lead>(text).unwrap();
        same::<Opportunity>(text).unwrap();
    }
    // A valid opportunity with history and an unchecked unknown field in it.
    let opp = r#"{"id": "o", "name": "n", "account_id": "a", "stage": "s", "probability": 0.5,
        "forecast_category": "pipeline", "history": [{"dimension": "opportunity_stage", "to": "s",
        "at": "2026-01-01T00:00:00Z", "kind": "advance", "x": 1e400}]}"#;
    same::<Opportunity>(opp).unwrap();
    assert!(Opportunity::from_json(opp).is_err());
    assert!(Opportunity::from_json(&opp.replace("1e400", "1")).is_ok());
}
