//! Columnar scoring gives the same results as scoring the equivalent leads.

use leadflow::rules::{Bitmap, Column, Columns, CompiledPack, Offsets, ScoreOptions};
use leadflow::synth::{self, FeatureRow};
use leadflow::{Timestamp, parse_timestamp};

fn pack(name: &str) -> CompiledPack {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/packs");
    CompiledPack::load(root.join(name)).unwrap()
}

fn now() -> Timestamp {
    parse_timestamp("2026-06-01T00:00:00Z").unwrap()
}

struct Owned {
    strs: Vec<(&'static str, Vec<i64>, String)>,
    ints: Vec<(&'static str, Vec<i64>)>,
    revenue: Vec<f64>,
    bools: Vec<(&'static str, Vec<u8>)>,
}

fn owned(rows: &[FeatureRow]) -> Owned {
    let text = |name, get: fn(&FeatureRow) -> &str| {
        let mut offsets = vec![0i64];
        let mut data = String::new();
        for r in rows {
            data.push_str(get(r));
            offsets.push(i64::try_from(data.len()).unwrap());
        }
        (name, offsets, data)
    };
    let int = |name, get: fn(&FeatureRow) -> i64| (name, rows.iter().map(get).collect());
    Owned {
        strs: vec![
            text("title", |r| &r.title),
            text("industry", |r| &r.industry),
            text("country", |r| &r.country),
            text("email", |r| &r.email),
            text("source", |r| &r.source),
        ],
        ints: vec![
            int("employees", |r| i64::try_from(r.employees).unwrap()),
            int("days_since_activity", |r| r.days_since_activity.into()),
            int("page_views", |r| r.page_views.into()),
            int("email_opens", |r| r.email_opens.into()),
            int("email_clicks", |r| r.email_clicks.into()),
            int("form_fills", |r| r.form_fills.into()),
            int("pricing_visits", |r| r.pricing_visits.into()),
        ],
        revenue: rows.iter().map(|r| r.revenue).collect(),
        bools: vec![
            (
                "demo_requested",
                rows.iter().map(|r| u8::from(r.demo_requested)).collect(),
            ),
            (
                "webinar_attended",
                rows.iter().map(|r| u8::from(r.webinar_attended)).collect(),
            ),
            (
                "unsubscribed",
                rows.iter().map(|r| u8::from(r.unsubscribed)).collect(),
            ),
        ],
    }
}

fn columns(o: &Owned, n: usize) -> Columns<'_> {
    let mut cols = Columns::new(n);
    for (name, offsets, data) in &o.strs {
        cols = cols
            .with(
                name,
                Column::utf8(Offsets::I64(offsets), data.as_bytes(), None).unwrap(),
            )
            .unwrap();
    }
    for (name, v) in &o.ints {
        cols = cols.with(name, Column::i64(v, None)).unwrap();
    }
    cols = cols.with("revenue", Column::f64(&o.revenue, None)).unwrap();
    for (name, v) in &o.bools {
        cols = cols.with(name, Column::bool_bytes(v, None)).unwrap();
    }
    cols
}

#[test]
fn columns_match_leads_and_the_hand_written_scorer() {
    let n = 3_000;
    let rows = synth::reference_rows(n, 7);
    let leads: Vec<_> = synth::reference_leads(n, 7, now()).collect();
    let o = owned(&rows);
    let cols = columns(&o, n);
    for name in ["reference", "reference-rhai"] {
        let p = pack(name);
        let by_cols = p.score_columns(&cols, now(), ScoreOptions::default());
        assert!(by_cols.errors.is_empty());
        let by_leads = p.score_batch(&leads, now(), ScoreOptions::default());
        for i in 0..n {
            let lead = by_leads[i].as_ref().unwrap();
            let want = synth::reference_score(&rows[i]);
            assert!(
                (by_cols.total[i] - want).abs() < 1e-9,
                "{name} row {i}: {} != {want}",
                by_cols.total[i]
            );
            assert!(
                (lead.total - want).abs() < 1e-9,
                "{name} lead {i}: {} != {want}",
                lead.total
            );
            // The block evaluator (columns) and the row evaluator (leads) add the
            // same points in the same order: bit-identical, not merely close.
            assert_eq!(
                by_cols.total[i].to_bits(),
                lead.total.to_bits(),
                "{name} row {i}"
            );
            assert_eq!(
                by_cols.fit[i].to_bits(),
                lead.fit.to_bits(),
                "{name} row {i}"
            );
            assert_eq!(
                by_cols.engagement[i].to_bits(),
                lead.engagement.to_bits(),
                "{name} row {i}"
            );
            assert_eq!(by_cols.grade[i], lead.grade);
            assert_eq!(by_cols.temperature[i], lead.temperature);
        }
        assert_eq!(
            p.score_columns(&cols, now(), ScoreOptions::default().with_sequential(true)),
            by_cols
        );
    }
}

#[test]
fn reused_output_buffers_hold_exactly_the_new_rows() {
    // Buffers left over from other inputs (longer, shorter, and failed rows of a
    // script pack) are overwritten, not merely resized.
    let rows = synth::reference_rows(5_000, 11);
    let o = owned(&rows);
    let p = pack("reference");
    let rhai_err = CompiledPack::from_str(
        "if lead.employees > 0 { throw \"no\"; }",
        leadflow::rules::PackFormat::Rhai,
        "throws.rhai",
    )
    .unwrap();
    for (len, leftover_len) in [(3_000, 5_000), (5_000, 3_000), (4_000, 4_000)] {
        let mut out =
            rhai_err.score_columns(&columns(&o, leftover_len), now(), ScoreOptions::default());
        assert!(!out.errors.is_empty());
        p.score_columns_into(&columns(&o, len), now(), ScoreOptions::default(), &mut out);
        assert_eq!(
            out,
            p.score_columns(&columns(&o, len), now(), ScoreOptions::default()),
            "{len} after {leftover_len}"
        );
        // And the other way round: failed rows reset the grade and temperature
        // that a previous, successful row left in the buffer.
        rhai_err.score_columns_into(&columns(&o, len), now(), ScoreOptions::default(), &mut out);
        let fresh = rhai_err.score_columns(&columns(&o, len), now(), ScoreOptions::default());
        assert_eq!(out.grade, fresh.grade);
        assert_eq!(out.temperature, fresh.temperature);
        assert_eq!(out.errors.len(), fresh.errors.len());
    }
}

#[test]
fn nulls_count_as_missing_and_bad_columns_are_rejected() {
    let p = pack("reference");
    let employees = [800i64, 800];
    // Row 1's employees is null: scored as 0 (the `employees < 10` rule fires).
    let validity = [0b0000_0001u8];
    let cols = Columns::new(2)
        .with(
            "employees",
            Column::i64(&employees, Some(Bitmap::new(&validity, 0))),
        )
        .unwrap();
    let out = p.score_columns(&cols, now(), ScoreOptions::default());
    assert!((out.total[0] - 10.0).abs() < 1e-12);
    assert!((out.total[1] - 0.0).abs() < 1e-12);
    assert!(
        Columns::new(3)
            .with("employees", Column::i64(&employees, None))
            .is_err()
    );
    assert!(Column::utf8(Offsets::I32(&[0, 2]), &[0xff, 0xfe], None).is_err());
}
