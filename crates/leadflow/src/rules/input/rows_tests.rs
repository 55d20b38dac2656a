//! Row batches give exactly what the full lead path gives, row for row.

use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::*;
use crate::rules::ScoreOptions;
use crate::rules::{PackFormat, RowFeed};

fn now() -> Timestamp {
    crate::parse_timestamp("2026-06-01T00:00:00Z").unwrap()
}

fn reference() -> CompiledPack {
    CompiledPack::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/packs/reference"
    ))
    .unwrap()
}

/// Every kind of feature source: typed fields, derived fields, flat and path
/// fields, record-first and activity-only aggregates, and a script.
const MIXED: &str = r#"
name = "mixed"
version = "1"
script = """
let score = 0.0;
// rule: boom
if lead.title == "boom" { throw "bad title"; }
// rule: senior
if lead.seniority == "vp" { score += 3.0; }
// rule: budget
score += lead.budget / 1000.0;
// rule: tier
if lead.tier == "1" || lead.tier == "gold" || lead.tier == "true" { score += 2.0; }
"""
[features.budget]
field = "budget"
[features.tier]
field = "extra.tier"
type = "string"
[features.vip]
field = "custom.vip"
[features.nested]
field = "meta.level"
[features.since_signup]
days_since = "signed_up_at"
[features.opens_only]
count = "email_open"
from = "activities"
[[rules]]
name = "domain"
when = { field = "email_domain", equals = "acme.io" }
points = 4
[[rules]]
name = "free"
when = { field = "free_mail", equals = true }
points = -3
[[rules]]
name = "band"
when = { field = "employee_band", equals = "1-10" }
points = 1
[[rules]]
name = "dept"
when = { field = "department", equals = "engineering" }
points = 2
[[rules]]
name = "company"
when = { field = "company_normalized", equals = "acme" }
points = 2
[[rules]]
name = "site"
when = { field = "website_domain", equals = "acme.io" }
points = 1
[[rules]]
name = "rev"
value = "revenue"
per = 1000000
max = 10
[[rules]]
name = "views"
value = "page_views"
[[rules]]
name = "stale"
when = { field = "days_since_activity", gt = 30 }
points = -5
[[rules]]
name = "signup"
when = { field = "since_signup", gt = 10 }
points = 1
[[rules]]
name = "vip"
value = "vip"
[[rules]]
name = "nested"
value = "nested"
[[rules]]
name = "opens"
value = "opens_only"
[[rules]]
name = "country"
when = { field = "country", in = ["US", "日本"] }
points = 3
"#;

fn mixed() -> CompiledPack {
    CompiledPack::from_str(MIXED, PackFormat::Toml, "mixed.toml").unwrap()
}

fn lead_path(pack: &CompiledPack, v: &Value, explain: bool) -> Result<ScoreResult> {
    Lead::from_value(v.clone())
        .and_then(|l| pack.score_with(&l, now(), ScoreOptions::default().with_explain(explain)))
}

/// Results compared by their debug text, so that NaN (a decay overflow on a
/// negative age) equals NaN.
fn same(r: &Result<ScoreResult>) -> String {
    format!("{r:?}")
}

fn assert_same(pack: &CompiledPack, rows: &[Value], explain: bool) {
    let got = pack.score_values(
        rows.iter().cloned().map(Ok).collect(),
        now(),
        ScoreOptions::default().with_explain(explain),
        &InputOptions::default(),
    );
    assert_eq!(got.len(), rows.len());
    for (row, g) in rows.iter().zip(&got) {
        let want = lead_path(pack, row, explain);
        assert_eq!(same(g), same(&want), "row {row}");
    }
}

#[test]
fn flat_rows_take_the_fast_path_and_match() {
    let pack = reference();
    let row = json!({"id": "L-1", "created_at": "2026-05-01T00:00:00Z", "title": "VP Sales",
        "employees": 800, "annual_revenue": 2.0e7, "industry": "Software", "country": "US",
        "email": "a@acme.io", "source": "referral", "page_views": 12, "email_opens": 3,
        "email_clicks": 1, "form_fills": 1, "pricing_visits": 3, "demo_requested": true,
        "webinar_attended": false, "unsubscribed": false, "days_since_activity": 4});
    let mut b = RowBatch::new(&pack, now(), false);
    b.push_object(row.clone());
    assert!(matches!(b.order[0], Entry::Fast), "a flat row is fast");
    assert_same(&pack, &[row], false);
}

#[test]
fn bad_and_nested_rows_take_the_slow_path_with_the_same_errors() {
    let pack = mixed();
    let rows = vec![
        json!({"id": "a", "created_at": "2026-05-01T00:00:00Z", "employees": "many"}),
        json!({"id": "b", "created_at": "not a time"}),
        json!({"id": 7, "created_at": "2026-05-01T00:00:00Z"}),
        json!({"created_at": "2026-05-01T00:00:00Z"}),
        json!({"id": "", "created_at": "2026-05-01T00:00:00Z", "title": "boom"}),
        json!({"id": "c", "created_at": "2026-05-01T00:00:00Z", "title": "boom"}),
        json!({"id": "d", "created_at": "2026-05-01T00:00:00Z", "custom": {"vip": 4}}),
        json!({"id": "e", "created_at": "2026-05-01T00:00:00Z",
               "activities": [{"type": "email_open", "at": "2026-05-20T00:00:00Z"}]}),
        json!({"id": "f", "created_at": "2026-05-01T00:00:00Z", "meta": {"level": 3}}),
        json!(["not", "an", "object"]),
        json!({"id": "g", "created_at": "2026-05-01T00:00:00Z", "employees": -1}),
        json!({"id": "h", "created_at": "2026-05-01T00:00:00Z", "attempts": 3, "stage": null}),
    ];
    assert_same(&pack, &rows, false);
    assert_same(&pack, &rows, true);
    let mut b = RowBatch::new(&pack, now(), false);
    b.push_object(rows[5].clone());
    assert!(
        matches!(b.order[0], Entry::Fast),
        "a script error row can be fast"
    );
}

#[test]
fn explain_and_map_reading_scripts_use_the_lead_path() {
    let pack = reference();
    assert!(!RowBatch::new(&pack, now(), true).is_fast());
    let reads_custom = CompiledPack::from_str(
        "score += if lead.custom.x == () { 0.0 } else { 1.0 };",
        PackFormat::Rhai,
        "c.rhai",
    )
    .unwrap();
    assert!(!RowBatch::new(&reads_custom, now(), false).is_fast());
    let row = json!({"id": "a", "created_at": "2026-05-01T00:00:00Z", "title": "CEO"});
    assert_same(&pack, std::slice::from_ref(&row), true);
}

#[test]
fn host_protocol_keeps_order_across_paths() {
    let pack = reference();
    let mut b = RowBatch::new(&pack, now(), false);
    let keys: Vec<String> = b.keys().map(str::to_owned).collect();
    let at = |k: &str| keys.iter().position(|x| x == k).unwrap();
    b.begin_row();
    b.set(at("id"), Cell::Str("x1"));
    b.set(at("created_at"), Cell::Str("2026-05-01T00:00:00Z"));
    b.set(at("title"), Cell::Str("CTO"));
    assert!(b.finish_row());
    b.begin_row();
    b.set(at("id"), Cell::Str("x2"));
    b.set(at("created_at"), Cell::Str("2026-05-01T00:00:00Z"));
    b.set_other("phone", Cell::Int(5));
    assert!(!b.finish_row(), "a number in a string field is slow");
    b.push_json(r#"{"id":"x2","created_at":"2026-05-01T00:00:00Z","phone":5}"#.into());
    b.push_value(Err(Error::validation("host conversion failed")));
    let out = b.score();
    assert_eq!(out[0].as_ref().unwrap().lead_id, "x1");
    let want = json!({"id": "x1", "created_at": "2026-05-01T00:00:00Z", "title": "CTO"});
    assert_eq!(same(&out[0]), same(&lead_path(&pack, &want, false)));
    assert_eq!(out[1].as_ref().unwrap_err().field(), Some("phone"));
    assert_eq!(
        out[2].as_ref().unwrap_err().message(),
        "host conversion failed"
    );
}

fn cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..20_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (u64::MAX - 3..=u64::MAX).prop_map(Value::from),
        (-1.0e3f64..1.0e8).prop_map(Value::from),
        Just(json!(12.0)),
        prop::sample::select(vec![
            "VP Engineering",
            "Director of Sales",
            "Chief of Staff",
            "Intern",
            "boom",
            "a@acme.io",
            "x@gmail.com",
            "US",
            "日本",
            "Software",
            "referral",
            "gold",
            "1",
            "Acme Inc.",
            "https://acme.io/x",
            "2026-05-01T00:00:00Z",
            "2026-05-20T09:00:00+09:00",
            "2026-05-01 00:00:00Z",
            "",
            "  ",
            "ünïcödé 🚀",
        ])
        .prop_map(Value::from),
        Just(json!({"level": 2})),
        Just(json!([1, 2])),
    ]
}

/// Mostly a value of the type the key usually holds, sometimes any cell.
fn natural(key: &str) -> BoxedStrategy<Value> {
    let typed: BoxedStrategy<Value> = match key {
        "employees" | "page_views" | "email_opens" | "days_since_activity" | "attempts" => {
            (0i64..20_000).prop_map(Value::from).boxed()
        }
        "annual_revenue" | "revenue" | "budget" | "vip" => prop_oneof![
            (0i64..100_000_000).prop_map(Value::from),
            (0.0f64..1.0e8).prop_map(Value::from),
        ]
        .boxed(),
        "demo_requested" => any::<bool>().prop_map(Value::from).boxed(),
        "custom" | "meta" => Just(json!({"vip": 2, "level": 1})).boxed(),
        _ => prop::sample::select(vec![
            "VP Engineering",
            "Director of Sales",
            "Chief of Staff",
            "Intern",
            "boom",
            "a@acme.io",
            "x@gmail.com",
            "US",
            "日本",
            "Software",
            "referral",
            "gold",
            "Acme Inc.",
            "https://acme.io/x",
            "2026-05-01T00:00:00Z",
            "ünïcödé 🚀",
        ])
        .prop_map(Value::from)
        .boxed(),
    };
    prop_oneof![4 => typed, 1 => cell()].boxed()
}

fn flat_row() -> impl Strategy<Value = Value> {
    let keys = prop::sample::subsequence(
        vec![
            "title",
            "employees",
            "annual_revenue",
            "revenue",
            "industry",
            "country",
            "email",
            "source",
            "company",
            "website",
            "page_views",
            "email_opens",
            "demo_requested",
            "days_since_activity",
            "budget",
            "tier",
            "vip",
            "meta",
            "signed_up_at",
            "phone",
            "attempts",
            "custom",
            "utm_term",
            "stage",
        ],
        0..12,
    );
    let id = prop_oneof![
        8 => "[A-Z]-[0-9]{1,3}".prop_map(Value::from),
        1 => cell(),
    ];
    let created = prop_oneof![
        8 => Just(Value::from("2026-04-01T00:00:00Z")),
        2 => Just(Value::from("2026-05-30T23:00:00-05:00")),
        1 => cell(),
    ];
    (
        keys.prop_flat_map(|k| {
            let values: Vec<_> = k.iter().map(|k| natural(k)).collect();
            (Just(k), values)
        }),
        prop::option::weighted(0.95, id),
        prop::option::weighted(0.95, created),
    )
        .prop_map(|((keys, values), id, created)| {
            let mut m = Map::new();
            if let Some(id) = id {
                m.insert("id".into(), id);
            }
            if let Some(c) = created {
                m.insert("created_at".into(), c);
            }
            for (k, v) in keys.into_iter().zip(values) {
                m.insert(k.into(), v);
            }
            Value::Object(m)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn fast_path_equals_lead_path(rows in prop::collection::vec(flat_row(), 1..24)) {
        for pack in [reference(), mixed()] {
            let got = pack.score_values(rows.iter().cloned().map(Ok).collect(), now(), ScoreOptions::default(), &InputOptions::default());
            prop_assert_eq!(got.len(), rows.len());
            for (row, g) in rows.iter().zip(&got) {
                let want = lead_path(&pack, row, false);
                prop_assert_eq!(same(g), same(&want), "row {}", row);
            }
        }
    }
}

/// `n` random flat rows, the same ones on every run.
fn random_rows(n: usize) -> Vec<Value> {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n)
        .map(|_| flat_row().new_tree(&mut runner).unwrap().current())
        .collect()
}

#[test]
fn random_rows_mostly_exercise_the_fast_path() {
    let rows = random_rows(400);
    for pack in [reference(), mixed()] {
        let mut b = RowBatch::new(&pack, now(), false);
        for r in &rows {
            b.push_object(r.clone());
        }
        let fast = b.order.iter().filter(|e| matches!(e, Entry::Fast)).count();
        assert!(fast > 60 && fast < 360, "{fast} of 400 rows fast");
    }
}

/// Results of one `RowScores`, checking its count of fast rows on the way.
fn flatten(scores: &RowScores) -> Vec<Result<ScoreResult>> {
    let fast = scores
        .iter()
        .filter(|r| matches!(r, RowScore::Fast { .. }))
        .count();
    assert_eq!(scores.fast_len(), fast);
    scores.results()
}

#[test]
fn a_feed_scored_in_chunks_gives_what_one_batch_gives() {
    let mut rows = random_rows(300);
    // A script error on the fast path and a parse error on the slow one.
    rows[17] = json!({"id": "L-boom", "created_at": "2026-05-01T00:00:00Z", "title": "boom"});
    rows[18] = json!({"id": "L-bad", "created_at": "not a date", "activities": []});
    for pack in [reference(), mixed()] {
        let mut one = RowBatch::new(&pack, now(), false);
        for r in &rows {
            one.push_object(r.clone());
        }
        let want = one.score();
        // One chunk, chunks that split the rows unevenly, and one row per chunk.
        for chunk in [1000, 7, 1] {
            let mut feed = RowFeed::with_chunk(&pack, now(), false, chunk);
            for (i, r) in rows.iter().enumerate() {
                if i % 5 == 0 {
                    feed.batch().push_json(r.to_string());
                } else {
                    feed.batch().push_object(r.clone());
                }
                feed.end_record();
            }
            let chunks = feed.finish();
            assert_eq!(chunks.len(), rows.len().div_ceil(chunk.min(rows.len())));
            let got: Vec<_> = chunks.iter().flat_map(flatten).collect();
            assert_eq!(got.len(), want.len());
            for (i, (g, w)) in got.iter().zip(&want).enumerate() {
                assert_eq!(same(g), same(w), "row {i}, chunks of {chunk}");
            }
        }
    }
}

#[test]
fn an_empty_feed_gives_one_empty_chunk() {
    let chunks = RowFeed::new(&reference(), now(), false).finish();
    assert_eq!(chunks.len(), 1);
    assert!(chunks[0].is_empty());
}

#[test]
fn a_batch_larger_than_the_pending_rows_computes_them_on_the_way() {
    let base = random_rows(97);
    // Fast and slow rows interleaved, more fast ones than `PENDING_ROWS`.
    let rows: Vec<Value> = (0..5 * PENDING_ROWS + 31)
        .map(|i| {
            let mut r = base[i % base.len()].clone();
            if let Value::Object(m) = &mut r
                && m.get("id").is_some_and(Value::is_string)
            {
                m.insert("id".into(), json!(format!("L-{i}")));
            }
            r
        })
        .collect();
    let pack = mixed();
    let mut b = RowBatch::new(&pack, now(), false);
    for r in &rows {
        b.push_object(r.clone());
    }
    assert!(b.n_fast > PENDING_ROWS, "{} fast rows", b.n_fast);
    for (row, g) in rows.iter().zip(&b.score()) {
        assert_eq!(same(g), same(&lead_path(&pack, row, false)), "row {row}");
    }
}

#[test]
fn mapped_and_cased_keys_read_as_their_features_on_both_paths() {
    let pack = reference();
    let lower = json!({"id": "L-1", "created_at": "2026-05-01T00:00:00Z", "title": "VP Sales",
        "industry": "Software", "employees": 800, "page_views": 12});
    // `title` itself is mapped away: the mapping wins over a key's own name.
    let crm = json!({"id": "L-1", "created_at": "2026-05-01T00:00:00Z", "Job Title": "VP Sales",
        "title": "Software", "EMPLOYEES": 800, "Page Views": 12});
    let opts = InputOptions {
        columns: vec![
            ("Job Title".into(), "title".into()),
            ("title".into(), "industry".into()),
        ],
        strict: true,
    };
    let want = lead_path(&pack, &lower, false);
    let mut b = RowBatch::with_options(&pack, now(), false, &opts);
    let keys: Vec<String> = b.keys().map(str::to_owned).collect();
    let at = |k: &str| keys.iter().position(|x| x == k);
    assert_eq!(b.key_index("title"), at("industry"));
    assert_eq!(b.key_index("Job Title"), at("title"));
    assert_eq!(b.key_index("EMPLOYEES"), at("employees"));
    assert_eq!(b.key_index("utm_term"), None);
    b.push_object(crm.clone());
    assert!(
        matches!(b.order[0], Entry::Fast),
        "a mapped flat row is fast"
    );
    assert_eq!(same(&b.score()[0]), same(&want));
    // The slow path (a nested value) renames the same way.
    let mut slow = crm.clone();
    slow["custom"] = json!({"vip": true});
    let got = pack.score_values(vec![Ok(slow)], now(), ScoreOptions::default(), &opts);
    assert_eq!(same(&got[0]), same(&want));
    let mut feed = RowFeed::with_options(&pack, now(), false, &opts, 1);
    feed.batch().push_object(crm);
    feed.end_record();
    let chunks = feed.finish();
    assert_eq!(same(&chunks[0].results()[0]), same(&want));

    // A key named like the mapped feature is a second `title`: an error naming both.
    let only_job = InputOptions {
        columns: vec![("Job Title".into(), "title".into())],
        strict: true,
    };
    let both = json!({"id": "L-2", "created_at": "2026-05-01T00:00:00Z", "Job Title": "CTO",
        "title": "CEO"});
    let got = pack.score_values(vec![Ok(both)], now(), ScoreOptions::default(), &only_job);
    let e = got[0].as_ref().unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains("`title`") && text.contains("`Job Title`"),
        "{e}"
    );
    assert_eq!(e.record(), Some("L-2"));
}

#[test]
fn text_rows_rename_keys_as_dict_rows_do() {
    let pack = reference();
    let lower = json!({"id": "L-1", "created_at": "2026-05-01T00:00:00Z", "title": "VP Sales",
        "industry": "Software", "employees": 800, "page_views": 12,
        "activities": [{"type": "page_view", "at": "2026-05-20T00:00:00Z"}]});
    let crm = json!({"id": "L-1", "created_at": "2026-05-01T00:00:00Z", "Title": "VP Sales",
        "INDUSTRY": "Software", "Employees": 800, "Page Views": 12,
        "activities": [{"type": "page_view", "at": "2026-05-20T00:00:00Z"}]});
    let bad = json!({"id": "L-2", "created_at": "2026-05-01T00:00:00Z", "EMPLOYEES": "many",
        "activities": []});
    let want = lead_path(&pack, &lower, false);
    assert!(want.as_ref().is_ok_and(|s| s.total > 0.0), "{want:?}");
    let mapped = InputOptions {
        columns: vec![("Job Title".into(), "title".into())],
        strict: true,
    };
    let mut job = crm.clone();
    job.as_object_mut().unwrap().remove("Title");
    job["Job Title"] = json!("VP Sales");
    for (opts, row) in [(InputOptions::default(), &crm), (mapped, &job)] {
        for explain in [false, true] {
            let mut b = RowBatch::with_options(&pack, now(), explain, &opts);
            b.push_json(row.to_string());
            b.push_object(row.clone());
            b.push_json(bad.to_string());
            b.push_object(bad.clone());
            let got = b.score();
            let want = lead_path(&pack, &lower, explain);
            assert_eq!(same(&got[0]), same(&want), "text row {row}");
            assert_eq!(same(&got[1]), same(&want), "dict row {row}");
            assert!(got[2].is_err(), "{:?}", got[2]);
            assert_eq!(
                same(&got[2]),
                same(&got[3]),
                "the same error as a text and as a dict"
            );
        }
    }
    // A script pack that reads `lead.custom` never takes the borrowed reader.
    let pack = mixed();
    let mut b = RowBatch::new(&pack, now(), false);
    b.push_json(crm.to_string());
    b.push_object(crm.clone());
    let got = b.score();
    assert_eq!(same(&got[0]), same(&got[1]));
}
