//! The borrowed reader is held to the lead parser: same features, same
//! scores bit for bit, same errors, on generated and mutated lead texts.

use std::fmt::Write;
use std::sync::LazyLock;

use proptest::prelude::*;

use super::*;
use crate::model::{Activity, Lead, Record, RecordReader};
use crate::rules::ScoreOptions;
use crate::rules::define::load::PackFormat;
use crate::rules::input::extract;
use crate::rules::score_read::lead_from_value;
use crate::rules::{CompiledPack, RowBatch, ScoreResult};
use crate::time::parse_timestamp;
use serde_json::json;

fn now() -> Timestamp {
    parse_timestamp("2026-03-01T00:00:00Z").unwrap()
}

/// Every kind of feature source: lead fields, derived fields, flat values that
/// win over activities, record paths, activity counts with kind, URL, meta and
/// age filters, flags, decayed sums, recency.
const PACK: &str = r#"
name = "views"
version = "1"
scripts = []
[features.budget]
field = "custom.budget"
type = "float"
[features.tier]
field = "custom.tier"
type = "string"
[features.utm_n]
field = "utm_n"
type = "int"
[features.deep]
field = "custom.deep.x"
type = "float"
[features.pricing_30d]
count = "page_view"
url_prefix = "/pricing"
within_days = 30
[features.demo_forms]
count = "form_submit"
meta = { form = "demo" }
[features.podcasts]
any = "podcast"
[features.recent]
decayed = ["page_view", "email_open", "podcast"]
half_life_days = 7
[features.since_signup]
days_since = "custom.signed_up_at"
"#;

const RULES: [(&str, &str); 27] = [
    ("budget", "gt = 100"),
    ("tier", "equals = \"gold\""),
    ("utm_n", "gt = 1"),
    ("deep", "gt = 0"),
    ("pricing_30d", "gt = 0"),
    ("demo_forms", "gt = 0"),
    ("podcasts", "is = true"),
    ("recent", "gt = 0.5"),
    ("since_signup", "gt = 10"),
    ("title", "contains = \"VP\""),
    ("employees", "gt = 500"),
    ("revenue", "gt = 1000000"),
    ("country", "in = [\"US\", \"JP\"]"),
    ("email_domain", "equals = \"acme.io\""),
    ("website_domain", "equals = \"acme.io\""),
    ("free_mail", "is = true"),
    ("seniority", "equals = \"vp\""),
    ("department", "not_equals = \"\""),
    ("employee_band", "not_equals = \"\""),
    ("company_normalized", "equals = \"acme\""),
    ("page_views", "gt = 1"),
    ("pricing_visits", "gt = 0"),
    ("email_opens", "gt = 0"),
    ("demo_requested", "is = true"),
    ("webinar_attended", "is = true"),
    ("activity_count", "gt = 2"),
    ("days_since_activity", "gt = 20"),
];

fn pack_toml() -> String {
    let mut text = PACK.to_owned();
    for (i, (field, test)) in RULES.iter().enumerate() {
        let points = i % 7 + 1;
        writeln!(
            text,
            "[[rules]]\nname = \"r{i}\"\nwhen = {{ field = \"{field}\", {test} }}\npoints = {points}"
        )
        .unwrap();
    }
    text
}

fn pack() -> &'static CompiledPack {
    static PACK: LazyLock<CompiledPack> = LazyLock::new(|| {
        CompiledPack::from_str(&pack_toml(), PackFormat::Toml, "views.toml").unwrap()
    });
    &PACK
}

/// The same features through a script that reads `lead.custom`: scoring then
/// needs the parsed lead, and `score_json` takes it.
fn script_pack() -> &'static CompiledPack {
    static PACK: LazyLock<CompiledPack> =
        LazyLock::new(|| CompiledPack::from_str(SCRIPT, PackFormat::Rhai, "t.rhai").unwrap());
    &PACK
}

const SCRIPT: &str = r#"
        if lead.title.contains("VP") { score += 3; }
        let b = lead.custom.budget;
        if type_of(b) == "i64" && b > 100 { score += 2; }
        score += lead.page_views;
    "#;

fn pick(items: &'static [&'static str]) -> BoxedStrategy<String> {
    prop::sample::select(items).prop_map(str::to_owned).boxed()
}

fn maybe(key: &'static str, value: BoxedStrategy<String>) -> BoxedStrategy<Option<String>> {
    prop::option::weighted(0.6, value.prop_map(move |v| format!("\"{key}\": {v}"))).boxed()
}

fn meta() -> BoxedStrategy<String> {
    pick(&[
        r#"{"url": "/pricing"}"#,
        r#"{"url": "https://acme.io/pricing/team?x=1"}"#,
        r#"{"url": "/blog/x", "form": "demo"}"#,
        r#"{"form": "demo"}"#,
        r#"{"form": "other"}"#,
        r#"{"url": 5}"#,
        r#"{"url": "/pricing", "url": "/blog"}"#,
        r#"{"url": "/blog", "url": "/pricing"}"#,
        r#"{"url": "/pricing", "url": null}"#,
        r#"{"url": "/pric\u0069ng", "n": [1, {"a": 2}]}"#,
        r"{}",
        r"null",
        r"[]",
        r#"{"x": 1e400}"#,
    ])
}

fn activity() -> BoxedStrategy<String> {
    (
        pick(&[
            "\"page_view\"",
            "\"email_open\"",
            "\"form_submit\"",
            "\"podcast\"",
            "\"webinar\"",
            "\"Page_View\"",
            "\"page_vie\\u0077\"",
            "7",
        ]),
        pick(&[
            "\"2026-02-27T00:00:00Z\"",
            "\"2026-02-01T10:00:00+09:00\"",
            "\"2026-01-05T00:00:00.123Z\"",
            "\"2026-03-01T00:00:00Z\"",
            "\"2026-03-20T00:00:00Z\"",
            "\"2025-06-01 12:00:00Z\"",
            "\"2026-02-30T00:00:00Z\"",
            "null",
        ]),
        maybe("meta", meta()),
        maybe(
            "device",
            pick(&["\"ios\"", "{\"a\": [1, 2]}", "\"\\ud800\""]),
        ),
        prop::option::weighted(
            0.05,
            pick(&["\"type\": \"webinar\"", "\"at\": \"2026-01-01T00:00:00Z\""]),
        ),
        any::<bool>(),
    )
        .prop_map(|(kind, at, meta, device, dup, kind_first)| {
            let mut e = vec![format!("\"at\": {at}")];
            let k = format!("\"type\": {kind}");
            if kind_first {
                e.insert(0, k);
            } else {
                e.push(k);
            }
            e.extend(meta);
            e.extend(device);
            e.extend(dup);
            format!("{{{}}}", e.join(", "))
        })
        .boxed()
}

fn custom() -> BoxedStrategy<String> {
    (
        maybe(
            "budget",
            pick(&["500", "50", "2.5e3", "\"500\"", "true", "null"]),
        ),
        maybe("tier", pick(&["\"gold\"", "\"silver\"", "3", "false"])),
        maybe(
            "deep",
            pick(&[r#"{"x": 2}"#, r#"{"x": "2"}"#, r#"{"y": 1}"#, "[1]"]),
        ),
        maybe(
            "signed_up_at",
            pick(&["\"2026-01-01T00:00:00Z\"", "\"yesterday\"", "5"]),
        ),
        maybe("page_views", pick(&["9", "\"9\""])),
    )
        .prop_map(|(a, b, c, d, e)| {
            let e: Vec<String> = [a, b, c, d, e].into_iter().flatten().collect();
            format!("{{{}}}", e.join(", "))
        })
        .boxed()
}

fn text_value() -> BoxedStrategy<String> {
    pick(&[
        "\"VP of Sales\"",
        "\"Vice President, Engineering\"",
        "\"Intern \\\"summer\\\"\"",
        "\"jane@acme.io\"",
        "\"bob@gmail.com\"",
        "\"https://www.acme.io/about\"",
        "\"Acme Inc.\"",
        "\"株式会社アクメ\"",
        "\"US\"",
        "\"JP\"",
        "\"\"",
        "null",
        "3",
    ])
}

fn lead_text() -> impl Strategy<Value = String> {
    let fields = prop::collection::vec(
        (
            prop::sample::select(vec![
                "title",
                "email",
                "website",
                "company",
                "country",
                "source",
                "stage",
                "first_name",
                "industry",
            ]),
            text_value(),
        ),
        0..6,
    );
    let numbers = (
        maybe("employees", pick(&["12", "800", "0", "-1", "5.0", "null"])),
        maybe(
            "annual_revenue",
            pick(&["2500000", "1.5e6", "-3", "null", "\"1e6\""]),
        ),
        maybe("attempts", pick(&["2", "-1"])),
        maybe("page_views", pick(&["4", "\"4\"", "true", "null"])),
        maybe("utm_n", pick(&["3", "\"3\"", "2.5"])),
    );
    let rare = prop::collection::vec(
        pick(&[
            "\"score\": null",
            "\"history\": []",
            "\"history\": [{\"dimension\": \"stage\", \"to\": \"mql\", \"at\": \"2026-01-01T00:00:00Z\", \"kind\": \"advance\"}]",
            "\"qualification\": null",
            "\"score\": {\"total\": 1, \"fit\": 1, \"engagement\": 0, \"grade\": \"A\", \"temperature\": \"hot\", \"pack\": \"p@1\", \"scored_at\": \"2026-01-01T00:00:00Z\", \"x\": [1]}",
            "\"score\": {\"total\": 1, \"fit\": 1, \"engagement\": 0, \"grade\": \"A\", \"temperature\": \"hot\", \"pack\": \"p@1\", \"scored_at\": \"2026-01-01T00:00:00Z\", \"x\": 1e400}",
            "\"conversion\": {\"converted_at\": \"2026-01-01T00:00:00Z\", \"account_id\": \"a\", \"contact_id\": \"c\"}",
            "\"provenance\": {\"title\": \"derived\"}",
            "\"provenance\": 5",
            "\"custom\": null",
            "\"id\": \"dup\"",
            "\"title\": \"CEO\"",
            "\"zz\": 1e400",
            "\"zz\": [[[[1]]]]",
        ]),
        0..2,
    );
    (
        pick(&["\"L-1\"", "\"L-\\u00e9\"", "7"]),
        pick(&[
            "\"2026-01-01T00:00:00Z\"",
            "\"2026-01-01T09:00:00+09:00\"",
            "\"yesterday\"",
        ]),
        prop::collection::vec(activity(), 0..12),
        maybe("custom", custom()),
        fields,
        numbers,
        rare,
    )
        .prop_map(|(id, at, acts, custom, fields, (e, r, a, p, u), rare)| {
            let mut entries = vec![
                format!("\"id\": {id}"),
                format!("\"created_at\": {at}"),
                format!("\"activities\": [{}]", acts.join(", ")),
            ];
            entries.extend(fields.into_iter().map(|(k, v)| format!("\"{k}\": {v}")));
            entries.extend([custom, e, r, a, p, u].into_iter().flatten());
            entries.extend(rare);
            format!("{{{}}}", entries.join(", "))
        })
}

fn mutated() -> impl Strategy<Value = String> {
    (lead_text(), any::<prop::sample::Index>(), 0u8..3).prop_map(|(t, at, how)| {
        let mut b = t.into_bytes();
        let i = at.index(b.len());
        match how {
            0 => b.truncate(i),
            1 => b[i] = b'"',
            _ => b.insert(i, b','),
        }
        String::from_utf8(b).unwrap_or_default()
    })
}

fn want(pack: &CompiledPack, text: &str, explain: bool) -> Result<ScoreResult, crate::Error> {
    Lead::from_json(text)
        .and_then(|l| pack.score_with(&l, now(), ScoreOptions::default().with_explain(explain)))
}

fn same_result(
    got: &Result<ScoreResult, crate::Error>,
    want: &Result<ScoreResult, crate::Error>,
    text: &str,
) -> Result<(), TestCaseError> {
    if let (Ok(a), Ok(b)) = (got, want) {
        let bits = |s: &ScoreResult| [s.total, s.fit, s.engagement].map(f64::to_bits);
        prop_assert_eq!(bits(a), bits(b), "{}", text);
    }
    prop_assert_eq!(got, want, "{}", text);
    Ok(())
}

/// The feature rows of the lead and of the borrowed lead, when the reader reads it.
fn same_features(pack: &CompiledPack, text: &str) -> Result<(), TestCaseError> {
    let Some(view) = JsonLead::read(text) else {
        return Ok(());
    };
    let lead = Lead::from_json(text);
    prop_assert!(
        lead.is_ok(),
        "the reader read what the parser refuses: {}",
        text
    );
    let lead = lead.unwrap();
    let p = &pack.0;
    let (mut a, mut b) = (pack.scratch(now()), pack.scratch(now()));
    extract::fill(&p.features, &p.aggs, &p.agg_owners, &lead, now(), &mut a);
    extract::fill(&p.features, &p.aggs, &p.agg_owners, &view, now(), &mut b);
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    prop_assert_eq!(bits(&a.num), bits(&b.num), "{}", text);
    prop_assert_eq!(&a.strs, &b.strs, "{}", text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    #[test]
    fn borrowed_reader_scores_as_the_lead_parser(text in lead_text(), explain in any::<bool>()) {
        let pack = pack();
        same_features(pack, &text)?;
        same_result(&pack.score_json(&text, now(), ScoreOptions::default().with_explain(explain)), &want(pack, &text, explain), &text)?;
        let scripted = script_pack();
        prop_assert!(!scripted.reads_views());
        same_result(&scripted.score_json(&text, now(), ScoreOptions::default().with_explain(explain)), &want(scripted, &text, explain), &text)?;
    }

    #[test]
    fn mutated_texts_too(text in mutated()) {
        let pack = pack();
        same_features(pack, &text)?;
        same_result(&pack.score_json(&text, now(), ScoreOptions::default()), &want(pack, &text, false), &text)?;
    }

    #[test]
    fn documents_and_row_batches_too(
        lines in prop::collection::vec(prop_oneof![4 => lead_text(), 1 => mutated()], 0..8),
        array in any::<bool>(),
    ) {
        let pack = pack();
        let text = if array { format!("[{}]", lines.join(",\n")) } else { lines.join("\n") };
        let want: Vec<_> = RecordReader::new(text.as_bytes())
            .texts()
            .map(|r| r.unwrap().parse::<Lead>().and_then(|l| pack.score(&l, now())))
            .collect();
        let got = pack.score_json_document(&text, now(), ScoreOptions::default());
        prop_assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            same_result(g, w, &text)?;
        }
        let mut batch = RowBatch::new(pack, now(), false);
        for line in &lines {
            batch.push_json(line.clone());
        }
        let got = batch.score();
        let each = pack.score_json_batch(&lines, now(), ScoreOptions::default());
        for ((g, e), line) in got.iter().zip(&each).zip(&lines) {
            same_result(g, &want_one(pack, line), line)?;
            same_result(e, &want_one(pack, line), line)?;
            // The host entry: only nested records (a top-level array or object).
            if let Some(s) = pack.score_json_nested(line, now(), ScoreOptions::default(), &mut |_| true) {
                same_result(&s.result, &want_one(pack, line), line)?;
                let lead = Lead::from_json(line).unwrap();
                prop_assert_eq!(&s.id, &lead.id);
                prop_assert_eq!(&s.stage, &lead.stage);
                let value: Value = serde_json::from_str(line).unwrap();
                let nested = value
                    .as_object()
                    .unwrap()
                    .values()
                    .any(|v| v.is_array() || v.is_object());
                prop_assert!(nested, "{}", line);
            }
            prop_assert!(pack.score_json_nested(line, now(), ScoreOptions::default(), &mut |_| false).is_none());
        }
    }
}

fn want_one(pack: &CompiledPack, text: &str) -> Result<ScoreResult, crate::Error> {
    want(pack, text, false)
}

#[test]
fn known_fields_are_exactly_the_lead_fields() {
    let mut lead: Lead = Record::from_json(
        r#"{"id": "L", "created_at": "2026-01-01T00:00:00Z", "custom": {"a": 1},
            "attempts": 1, "provenance": {"title": "derived"},
            "history": [{"dimension": "stage", "to": "mql", "at": "2026-01-01T00:00:00Z", "kind": "advance"}],
            "conversion": {"converted_at": "2026-01-01T00:00:00Z", "account_id": "a", "contact_id": "c"},
            "qualification": {"framework": "BANT", "outcome": "qualified", "at": "2026-01-01T00:00:00Z"},
            "score": {"total": 1, "fit": 1, "engagement": 0, "grade": "A", "temperature": "hot", "pack": "p@1", "scored_at": "2026-01-01T00:00:00Z"}}"#,
    )
    .unwrap();
    lead.employees = Some(1);
    lead.annual_revenue = Some(1.0);
    lead.activities = vec![Activity::new("x", now())];
    for name in TEXT_FIELDS {
        let value = serde_json::to_value(&lead).unwrap();
        let mut v = value.as_object().unwrap().clone();
        v.insert(name.to_owned(), Value::from(name));
        lead = serde_json::from_value(Value::Object(v)).unwrap();
    }
    let value = serde_json::to_value(&lead).unwrap();
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut ours: Vec<&str> = TEXT_FIELDS.iter().chain(&OTHER_FIELDS).copied().collect();
    keys.sort_unstable();
    ours.sort_unstable();
    assert_eq!(keys, ours);
    for (i, name) in TEXT_FIELDS.iter().enumerate() {
        assert_eq!(slot(name), Slot::Text(i));
    }
    for (i, name) in OTHER_FIELDS.iter().enumerate() {
        assert_eq!(slot(name), Slot::Other(i));
    }
    assert_eq!(slot("utm_term"), Slot::Unknown);
    assert!(lead.extra.is_empty());
    // Each text field is read from its own name.
    let text = serde_json::to_string(&Lead {
        score: None,
        qualification: None,
        history: Vec::new(),
        conversion: None,
        ..lead.clone()
    })
    .unwrap();
    let view = JsonLead::read(&text).unwrap();
    for f in [
        LeadField::Title,
        LeadField::Industry,
        LeadField::Country,
        LeadField::Email,
        LeadField::Source,
        LeadField::Company,
        LeadField::Website,
        LeadField::FirstName,
        LeadField::LastName,
        LeadField::Phone,
        LeadField::Campaign,
        LeadField::Owner,
        LeadField::Stage,
        LeadField::Status,
    ] {
        assert_eq!(view.field_str(f), lead.field_str(f));
        assert!(view.field_str(f).is_some());
    }
}

#[test]
fn refuses_what_it_cannot_vouch_for() {
    let base = r#""id": "L", "created_at": "2026-01-01T00:00:00Z""#;
    for text in [
        format!(r#"{{{base}, "email": "a@x.io", "email": "b@x.io"}}"#),
        format!(r#"{{{base}, "id": "M"}}"#),
        format!(
            r#"{{{base}, "score": {{"total": 1, "fit": 1, "engagement": 0, "grade": "A", "temperature": "hot", "pack": "p@1", "scored_at": "2026-01-01T00:00:00Z", "x": 1e400}}}}"#
        ),
        format!(
            r#"{{{base}, "history": [{{"dimension": "stage", "to": "mql", "at": "2026-01-01T00:00:00Z", "kind": "advance", "x": "\ud800"}}]}}"#
        ),
        format!(
            r#"{{{base}, "conversion": {{"converted_at": "2026-01-01T00:00:00Z", "account_id": "a"}}}}"#
        ),
        format!(
            r#"{{{base}, "activities": [{{"type": "a", "type": "b", "at": "2026-01-01T00:00:00Z"}}]}}"#
        ),
        r#"{"created_at": "2026-01-01T00:00:00Z"}"#.to_owned(),
        r#"["L", "2026-01-01T00:00:00Z"]"#.to_owned(),
        format!(r#"{{{base}, "x": 1e400}}"#),
        format!(
            r#"{{{base}, "activities": [{{"type": "a", "at": "2026-01-01T00:00:00Z", "x": "\ud800"}}]}}"#
        ),
    ] {
        assert!(JsonLead::read(&text).is_none(), "{text}");
    }
    // Stored state the lead parser accepts is read (and not kept).
    let scored = format!(
        r#"{{{base}, "score": {{"total": 1, "fit": 1, "engagement": 0, "grade": "A", "temperature": "hot", "pack": "p@1", "scored_at": "2026-01-01T00:00:00Z", "x": [1]}}, "history": []}}"#
    );
    assert!(JsonLead::read(&scored).is_some());
    assert!(Lead::from_json(&scored).is_ok());
    let ok = format!(
        r#"{{{base}, "zz": 1, "zz": 2, "activities": [{{"type": "page_view", "at": "2026-01-01T00:00:00Z", "meta": {{"url": "/a", "url": "/pricing"}}}}]}}"#
    );
    let view = JsonLead::read(&ok).unwrap();
    assert_eq!(view.extra("zz"), Some(&Value::from(2)));
    let act = view.activities().next().unwrap();
    assert_eq!(act.meta_str("url"), Some("/pricing"));
}

fn two_digits(max: u32) -> impl Strategy<Value = String> {
    (0..=max).prop_map(|n| format!("{n:02}"))
}

/// Texts around RFC 3339: the strict parser's grammar and what only the relaxed
/// one reads (lower case, spaces, `UTC`, long years), with values out of range.
fn timestamp_text() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "2026", "0000", "9999", "1969", "2024", "+2026", "12026",
        ]),
        two_digits(13),
        two_digits(32),
        prop::sample::select(vec!["T", "t", " ", "_"]),
        two_digits(24),
        two_digits(60),
        two_digits(61),
        prop::option::of("[0-9]{0,12}"),
        prop::sample::select(vec![
            "Z", "z", "+00:00", "-00:00", "+09:00", "-05:30", "+23:59", "+24:00", "-23:59",
            "+0900", "+09", " UTC", "UTC", " +09:00", "", "Z ", " Z", "+09:00 ",
        ]),
    )
        .prop_map(|(y, mo, d, sep, h, mi, s, frac, off)| {
            let frac = frac.map_or(String::new(), |f| format!(".{f}"));
            format!("{y}-{mo}-{d}{sep}{h}:{mi}:{s}{frac}{off}")
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn timestamps_read_as_chrono_from_str_reads_them(text in timestamp_text()) {
        let want = text.parse::<Timestamp>();
        let got = timestamp(&text);
        if let (Ok(a), Ok(b)) = (&got, &want) {
            prop_assert_eq!(a, b, "{}", text);
            prop_assert_eq!(a.offset(), b.offset(), "{}", text);
            prop_assert_eq!(a.to_rfc3339(), b.to_rfc3339(), "{}", text);
        } else {
            prop_assert_eq!(got.is_ok(), want.is_ok(), "{}", text);
        }
    }
}

/// What a host's reader must give: the record's value, its keys renamed as a
/// batch renames them, read by the lead parser and scored.
fn want_value(
    pack: &CompiledPack,
    value: &Value,
    explain: bool,
) -> Result<ScoreResult, crate::Error> {
    lead_from_value(value.clone(), pack.default_names())
        .and_then(|l| pack.score_with(&l, now(), ScoreOptions::default().with_explain(explain)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(800))]

    /// A host reader presents a record as `serde_json::Value`'s deserializer
    /// does: through it, `score_read` and `RowBatch::push_read` give the value
    /// path's results and errors.
    #[test]
    fn host_readers_score_as_the_value_path(
        lines in prop::collection::vec(prop_oneof![4 => lead_text(), 1 => mutated()], 1..6),
        explain in any::<bool>(),
    ) {
        let values: Vec<Value> = lines.iter().filter_map(|l| serde_json::from_str(l).ok()).collect();
        for pack in [pack(), script_pack()] {
            let mut batch = RowBatch::new(pack, now(), explain);
            for v in &values {
                let opts = ScoreOptions::default().with_explain(explain);
                let want = want_value(pack, v, explain);
                let got = pack.score_read(v, || Ok(v.clone()), now(), opts);
                same_result(&got, &want, &v.to_string())?;
                // Read now, scored later: the same.
                let got = pack
                    .read_lead(v.clone(), || Ok(v.clone()))
                    .and_then(|read| pack.score_lead_read(&read, now(), opts));
                same_result(&got, &want, &v.to_string())?;
                if !batch.push_read(v.clone()) {
                    batch.push_value(Ok(v.clone()));
                }
            }
            for (g, v) in batch.score().iter().zip(&values) {
                same_result(g, &want_value(pack, v, explain), &v.to_string())?;
            }
        }
    }
}

#[test]
fn host_readers_take_the_borrowed_path_for_leads_it_vouches_for() {
    let pack = pack();
    let lead = json!({
        "id": "L1", "created_at": "2026-01-01T00:00:00Z", "title": "VP Sales",
        "activities": [{"type": "email_open", "at": "2026-01-02T00:00:00Z", "meta": {"url": "/pricing"}}]
    });
    let mut batch = RowBatch::new(pack, now(), false);
    assert!(batch.push_read(lead.clone()));
    // Renamed keys, a missing id and a wrong type go to the value path.
    let mut renamed = lead.clone();
    renamed["Title"] = renamed["title"].take();
    renamed.as_object_mut().unwrap().remove("title");
    assert!(!batch.push_read(renamed.clone()));
    assert!(!batch.push_read(json!({"created_at": "2026-01-01T00:00:00Z"})));
    assert!(
        !batch.push_read(
            json!({"id": "L2", "created_at": "2026-01-01T00:00:00Z", "employees": "many"})
        )
    );
    // The renamed lead scores as the lead with `title`.
    let want = pack
        .score_read(
            &lead,
            || unreachable!("read borrowed"),
            now(),
            ScoreOptions::default(),
        )
        .unwrap();
    let got = pack
        .score_read(
            &renamed,
            || Ok(renamed.clone()),
            now(),
            ScoreOptions::default(),
        )
        .unwrap();
    assert_eq!((got.total, got.grade), (want.total, want.grade));
    let mut untitled = lead.clone();
    untitled.as_object_mut().unwrap().remove("title");
    let without = pack
        .score_read(&untitled, || unreachable!(), now(), ScoreOptions::default())
        .unwrap();
    assert!(without.total < want.total, "the title rule counts");
    assert_eq!(
        batch.score()[0].as_ref().unwrap().total.to_bits(),
        want.total.to_bits()
    );
}
