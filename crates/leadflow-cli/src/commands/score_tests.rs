//! Every flat reader gives the same scores and the same errors for the same
//! rows: the lead path (`Lead` + `score`), row batches, borrowed columns, and
//! CSV and flat JSONL through `leadflow score`'s own reading loop, with
//! canonical, CRM-cased, mapped, extra and missing columns and unreadable values.

use leadflow::rules::{Column, Columns, Offsets, ScoreOptions};
use proptest::prelude::*;

use super::*;
use leadflow::ErrorKind;
use leadflow::model::Record;

const NOW: &str = "2026-03-01T00:00:00Z";

/// The reference workload's columns (`leadflow generate --format rows-csv`),
/// with a CRM's spelling of each.
const COLUMNS: &[(&str, &str)] = &[
    ("id", "ID"),
    ("created_at", "Created At"),
    ("title", "Title"),
    ("employees", "EMPLOYEES"),
    ("revenue", "Revenue"),
    ("industry", "Industry"),
    ("country", "Country"),
    ("email", "Email"),
    ("source", "SOURCE"),
    ("days_since_activity", "Days Since Activity"),
    ("page_views", "Page Views"),
    ("email_opens", "Email-Opens"),
    ("email_clicks", "email clicks"),
    ("form_fills", "Form Fills"),
    ("pricing_visits", "Pricing Visits"),
    ("demo_requested", "Demo Requested"),
    ("webinar_attended", "Webinar Attended"),
    ("unsubscribed", " Unsubscribed "),
];

/// How the input names its columns.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Names {
    Canonical,
    Crm,
    /// `Job Title` with `--map "Job Title=title"`, the rest CRM-cased.
    Mapped,
    /// An unknown column besides the canonical ones.
    Extra,
    /// Column `k` absent, strict or lenient.
    Missing(usize, bool),
}

fn pack() -> CompiledPack {
    CompiledPack::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/packs/reference"
    ))
    .unwrap()
}

fn now() -> Timestamp {
    leadflow::parse_timestamp(NOW).unwrap()
}

fn cell() -> impl Strategy<Value = [String; 18]> {
    let pick = |xs: &'static [&'static str]| prop::sample::select(xs).prop_map(str::to_owned);
    let int = |hi: u32| (0..hi).prop_map(|n| n.to_string());
    let flag = || pick(&["true", "false", "", "TRUE"]);
    (
        (
            pick(&["VP Sales", "CEO", "Marketing Intern", "Data Analyst", ""]),
            prop_oneof![int(100_000), Just(String::new())],
            prop_oneof![
                (0..10_000_000u64).prop_map(|n| format!("{n}.0")),
                Just(String::new())
            ],
            pick(&["Software", "Finance", "Retail", ""]),
            pick(&["US", "DE", "JP", ""]),
            pick(&["a.b1@gmail.com", "x@acme.com", ""]),
            pick(&["referral", "paid_search", "event", ""]),
        ),
        (
            int(180),
            int(40),
            int(25),
            int(6),
            int(3),
            int(6),
            flag(),
            flag(),
            flag(),
        ),
    )
        .prop_map(|((t, e, r, i, c, m, s), (d, p, o, k, f, v, dr, w, u))| {
            [
                String::new(),
                String::new(),
                t,
                e,
                r,
                i,
                c,
                m,
                s,
                d,
                p,
                o,
                k,
                f,
                v,
                dr,
                w,
                u,
            ]
        })
}

/// Rows, each with at most one unreadable value (`1,200`, `yes`, `many`, `1` for a flag).
fn rows() -> impl Strategy<Value = Vec<[String; 18]>> {
    let bad = prop::option::weighted(
        0.25,
        (
            3..COLUMNS.len(),
            prop::sample::select(&["1,200", "yes", "many", "1", "12.5"][..]),
        ),
    );
    prop::collection::vec((cell(), bad), 1..40).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (mut row, bad))| {
                row[0] = format!("r{i}");
                row[1] = "2026-01-01T00:00:00Z".to_owned();
                if let Some((k, text)) = bad {
                    row[k] = text.to_owned();
                }
                row
            })
            .collect()
    })
}

fn names() -> impl Strategy<Value = Names> {
    prop_oneof![
        Just(Names::Canonical),
        Just(Names::Crm),
        Just(Names::Mapped),
        Just(Names::Extra),
        // `days_since_activity` falls back to `created_at` on the lead path only.
        (2..COLUMNS.len())
            .prop_filter("not days_since_activity", |k| *k != 9)
            .prop_flat_map(|k| any::<bool>().prop_map(move |s| Names::Missing(k, s))),
    ]
}

/// The input's header, its options, and which columns it holds.
fn header(names: Names) -> (Vec<String>, InputOptions, Vec<usize>) {
    let mut opts = InputOptions::default();
    let mut keep: Vec<usize> = (0..COLUMNS.len()).collect();
    let mut header: Vec<String> = COLUMNS.iter().map(|(c, _)| (*c).to_owned()).collect();
    match names {
        Names::Canonical => {}
        Names::Crm => header = COLUMNS.iter().map(|(_, c)| (*c).to_owned()).collect(),
        Names::Mapped => {
            header = COLUMNS.iter().map(|(_, c)| (*c).to_owned()).collect();
            header[2] = "Job Title".to_owned();
            opts.columns
                .push(("Job Title".to_owned(), "title".to_owned()));
        }
        Names::Extra => header.push("Notes".to_owned()),
        Names::Missing(k, strict) => {
            keep.remove(k);
            header.remove(k);
            opts.strict = strict;
        }
    }
    (header, opts, keep)
}

/// A row's cells under `header` (the extra column holds text).
fn cells<'r>(row: &'r [String; 18], keep: &[usize], extra: bool) -> Vec<&'r str> {
    let mut out: Vec<&str> = keep.iter().map(|k| row[*k].as_str()).collect();
    if extra {
        out.push("hello, world");
    }
    out
}

/// A row as a JSON object under `names`, typed as CSV cells are.
fn object(names: &[String], cells: &[&str]) -> Value {
    let canonical: Vec<&str> = COLUMNS.iter().map(|(c, _)| *c).collect();
    let mut obj = Map::new();
    for (n, text) in names.iter().zip(cells) {
        // Typed by the canonical name the column stands for (strings stay strings).
        let k = canonical
            .iter()
            .position(|c| fold_column_name(n) == *c || (n == "Job Title" && *c == "title"));
        let as_name = k.map_or(n.as_str(), |k| canonical[k]);
        let v = match csv_cell(as_name, text) {
            Cell::Null => continue,
            Cell::Bool(b) => Value::Bool(b),
            Cell::Int(i) => Value::from(i),
            Cell::UInt(u) => Value::from(u),
            Cell::Float(f) => Value::from(f),
            Cell::Str(s) => Value::from(s),
        };
        obj.insert(n.clone(), v);
    }
    Value::Object(obj)
}

/// A result reduced to what every reader must agree on.
#[derive(Debug, Clone, PartialEq)]
enum Got {
    Score(f64),
    Error(ErrorKind, Option<String>),
}

fn got(r: &Result<f64>) -> Got {
    match r {
        Ok(t) => Got::Score(*t),
        Err(e) => Got::Error(e.kind(), e.field().map(str::to_owned)),
    }
}

fn same(a: &Got, b: &Got) -> bool {
    match (a, b) {
        (Got::Score(x), Got::Score(y)) => (x - y).abs() < 1e-9,
        _ => a == b,
    }
}

fn from_output(v: &Value) -> Got {
    match v.get("error") {
        Some(e) => Got::Error(
            serde_json::from_value::<Error>(e.clone()).unwrap().kind(),
            e["field"].as_str().map(str::to_owned),
        ),
        None => Got::Score(v["score"].as_f64().unwrap()),
    }
}

fn stream(
    pack: &CompiledPack,
    opts: &InputOptions,
    format: InFormat,
    text: String,
) -> Result<Vec<Value>> {
    stream_explained(pack, opts, format, text, false)
}

fn stream_explained(
    pack: &CompiledPack,
    opts: &InputOptions,
    format: InFormat,
    text: String,
    explain: bool,
) -> Result<Vec<Value>> {
    let pipeline = Pipeline::default();
    let scorer = Scorer::new(pack, &pipeline, now(), explain, opts);
    let mut out = Vec::new();
    scorer.stream(
        format,
        Box::new(std::io::Cursor::new(text.into_bytes())),
        "test",
        &mut |rows| {
            out.extend(rows.iter().map(json));
            Ok(())
        },
    )?;
    Ok(out)
}

fn columns_scores(
    pack: &CompiledPack,
    header: &[String],
    opts: &InputOptions,
    table: &[Vec<&str>],
) -> Result<Vec<Got>> {
    let bufs: Vec<(Vec<i64>, String)> = (0..header.len())
        .map(|c| {
            let mut offsets = vec![0i64];
            let mut data = String::new();
            for row in table {
                data.push_str(row[c]);
                offsets.push(i64::try_from(data.len()).unwrap());
            }
            (offsets, data)
        })
        .collect();
    let mut cols = Columns::new(table.len());
    for (name, (offsets, data)) in header.iter().zip(&bufs) {
        let col = Column::utf8(Offsets::I64(offsets), data.as_bytes(), None)?;
        if fold_column_name(name) == "id" {
            cols = cols.with_ids(col)?;
        }
        cols = cols.with(name, col)?;
    }
    let cols = cols.conform(pack, opts)?;
    let out = pack.score_columns(&cols, now(), ScoreOptions::default());
    let mut errors = out.errors.iter().peekable();
    Ok((0..table.len())
        .map(|i| match errors.peek() {
            Some((r, e)) if *r == i => {
                errors.next();
                Got::Error(e.kind(), e.field().map(str::to_owned))
            }
            _ => Got::Score(out.total[i]),
        })
        .collect())
}

fn csv_text(header: &[String], table: &[Vec<&str>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).unwrap();
    for row in table {
        w.write_record(row).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_flat_reader_agrees(rows in rows(), names in names()) {
        let pack = pack();
        let (header, opts, keep) = header(names);
        let extra = names == Names::Extra;
        let table: Vec<Vec<&str>> = rows.iter().map(|r| cells(r, &keep, extra)).collect();
        let canonical: Vec<String> = match names {
            Names::Extra => header.clone(),
            _ => keep.iter().map(|k| COLUMNS[*k].0.to_owned()).collect(),
        };
        // The lead path on canonical names is the reference.
        let want: Vec<Got> = table
            .iter()
            .map(|cells| {
                let lead = Lead::from_value(object(&canonical, cells));
                got(&lead.and_then(|l| pack.score(&l, now())).map(|s| s.total))
            })
            .collect();

        // Row batches (dicts, objects, JSON) resolve names per record.
        let mut batch = RowBatch::with_options(&pack, now(), false, &opts);
        for cells in &table {
            batch.push_object(object(&header, cells));
        }
        let rows_got: Vec<Got> = batch
            .score()
            .iter()
            .map(|r| got(&r.as_ref().map(|s| s.total).map_err(Clone::clone)))
            .collect();
        for (i, (a, b)) in want.iter().zip(&rows_got).enumerate() {
            prop_assert!(same(a, b), "rows, row {i}: {a:?} != {b:?}");
        }

        // Flat JSONL through the CLI: no missing-column check (records omit fields).
        let mut jsonl = String::new();
        for cells in &table {
            jsonl.push_str(&object(&header, cells).to_string());
            jsonl.push('\n');
        }
        let out = stream(&pack, &opts, InFormat::Jsonl, jsonl).unwrap();
        for (i, (a, v)) in want.iter().zip(&out).enumerate() {
            let b = from_output(v);
            prop_assert!(same(a, &b), "jsonl, row {i}: {a:?} != {b:?}");
        }

        // Tabular inputs: columns and CSV check the header.
        let cols = columns_scores(&pack, &header, &opts, &table);
        let csv = stream(&pack, &opts, InFormat::Csv, csv_text(&header, &table));
        if let Names::Missing(_, true) = names {
            prop_assert_eq!(cols.unwrap_err().kind(), ErrorKind::Validation);
            prop_assert_eq!(csv.unwrap_err().kind(), ErrorKind::Validation);
            return Ok(());
        }
        let cols = cols.unwrap();
        let csv = csv.unwrap();
        prop_assert_eq!(csv.len(), want.len());
        for (i, a) in want.iter().enumerate() {
            prop_assert!(same(a, &cols[i]), "columns, row {i}: {a:?} != {:?}", cols[i]);
            let b = from_output(&csv[i]);
            prop_assert!(same(a, &b), "csv, row {i}: {a:?} != {b:?}");
        }
    }
}

/// The reading loop's old way for one record: parsed to a value, sorted into
/// the row batch or the lead path, scored.
fn one_by_one(pack: &CompiledPack, opts: &InputOptions, text: &str, explain: bool) -> Vec<Value> {
    let pipeline = Pipeline::default();
    let scorer = Scorer::new(pack, &pipeline, now(), explain, opts);
    RecordReader::new(text.as_bytes())
        .texts()
        .flat_map(|t| {
            let mut raw = t.unwrap().into_record();
            // Each record read on its own: its line is the stream's line.
            raw.line = u32::try_from(raw.index + 1).unwrap();
            let mut chunk = scorer.chunk();
            scorer.add_value(&mut chunk, raw);
            scorer.flush(chunk)
        })
        .map(|o| json(&o))
        .collect()
}

/// An output record as the JSON it is written as.
fn json(out: &Out) -> Value {
    serde_json::to_value(out).unwrap()
}

#[test]
fn nested_json_records_read_from_their_text_score_as_parsed_leads() {
    let acts =
        r#"[{"type": "page_view", "at": "2026-02-20T00:00:00Z", "meta": {"url": "/pricing"}},
        {"type": "form_submit", "at": "2026-02-25T10:00:00+09:00", "meta": {"form": "demo"}},
        {"type": "webinar", "at": "2026-04-01T00:00:00Z"}]"#
            .replace('\n', " ");
    let base = r#""id": "L-1", "created_at": "2026-01-01T00:00:00Z""#;
    let lines = [
        format!(r#"{{{base}, "title": "VP Sales", "employees": 800, "activities": {acts}}}"#),
        format!(r#"{{{base}, "Title": "VP Sales", "activities": {acts}}}"#),
        format!(r#"{{{base}, "Job Title": "VP Sales", "activities": {acts}}}"#),
        format!(r#"{{{base}, "custom": {{"budget": 5}}, "stage": "mql"}}"#),
        format!(r#"{{{base}, "history": [], "stage": "mql", "country": "US"}}"#),
        format!(r#"{{{base}, "activities": [{{"type": "page_view", "at": "yesterday"}}]}}"#),
        format!(r#"{{{base}, "title": "CEO", "employees": 9000}}"#),
        format!(r#"{{{base}, "email": "a@x.io", "email": "b@gmail.com", "activities": []}}"#),
        format!(r#"{{{base}, "utm": {{"a": 1}}, "page_views": 12, "activities": {acts}}}"#),
        r#"{"id": 7, "created_at": "2026-01-01T00:00:00Z", "activities": []}"#.to_owned(),
        format!(r#"{{{base}, "page_views": "many", "activities": {acts}}}"#),
        format!(
            r#"{{{base}, "score": {{"total": 1, "fit": 1, "engagement": 0, "grade": "A", "temperature": "hot", "pack": "p@1", "scored_at": "2026-01-01T00:00:00Z"}}}}"#
        ),
        format!(
            r#"{{{base}, "qualification": {{"framework": "BANT", "outcome": "qualified", "at": "2026-01-01T00:00:00Z"}}, "activities": {acts}}}"#
        ),
    ];
    let text = lines.join("\n");
    let pack = pack();
    let mut mapped = InputOptions::default();
    mapped
        .columns
        .push(("Job Title".to_owned(), "title".to_owned()));
    for (opts, explain) in [
        (InputOptions::default(), false),
        (mapped.clone(), false),
        (InputOptions::default(), true),
        (mapped, true),
    ] {
        let got = stream_explained(&pack, &opts, InFormat::Jsonl, text.clone(), explain).unwrap();
        let want = one_by_one(&pack, &opts, &text, explain);
        assert_eq!(got.len(), lines.len());
        assert_eq!(got, want);
        // Explained rows carry their explanation on either path.
        assert_eq!(got[0].get("explanation").is_some(), explain);
    }
    // The view path was taken where it could be, and scored something.
    assert!(got_score(&pack, &lines[0]) > 0.0);
}

fn got_score(pack: &CompiledPack, line: &str) -> f64 {
    pack.score_json_nested(line, now(), ScoreOptions::default(), &mut |_| true)
        .unwrap()
        .result
        .unwrap()
        .total
}
