//! The rules engine on the reference workload (/work/shared/bench), side by side
//! with the hand-written Rust scorer, in the same run.
//!
//! `cargo bench -p leadflow-benches --bench rules`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::rules::{Column, Columns, CompiledPack, Offsets, ScoreOptions};
use leadflow::synth::{self, FeatureRow};
use leadflow::{Timestamp, parse_timestamp};

const ROWS: usize = 100_000;
const SCRIPT_ROWS: usize = 20_000;
const LEADS: usize = 20_000;

fn pack(name: &str) -> CompiledPack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/packs")
        .join(name);
    CompiledPack::load(&dir).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The opaque rhai pack with the compiled script tier off: every statement in
/// the rhai interpreter (`lower = false`).
fn interpreted() -> CompiledPack {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/packs/reference-rhai");
    let read =
        |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
    let manifest = read("pack.toml").replacen(
        "\nrecognize = false\n",
        "\nrecognize = false\nlower = false\n",
        1,
    );
    let script = read("reference-rules.rhai");
    CompiledPack::from_parts(
        &manifest,
        leadflow::rules::PackFormat::Toml,
        "pack.toml",
        &[("reference-rules.rhai", &script)],
    )
    .unwrap_or_else(|e| panic!("interpreted: {e}"))
}

fn now() -> Timestamp {
    parse_timestamp("2026-06-01T00:00:00Z").unwrap_or_else(|e| panic!("{e}"))
}

/// Owned column buffers in the layout a binding would hand over (Arrow-like).
struct Buffers {
    strs: Vec<(&'static str, Vec<i32>, String)>,
    ints: Vec<(&'static str, Vec<i64>)>,
    revenue: Vec<f64>,
    bools: Vec<(&'static str, Vec<u8>)>,
}

fn buffers(rows: &[FeatureRow]) -> Buffers {
    let text = |name: &'static str, get: fn(&FeatureRow) -> &str| {
        let mut offsets = vec![0i32];
        let mut data = String::new();
        for r in rows {
            data.push_str(get(r));
            offsets.push(i32::try_from(data.len()).unwrap_or(i32::MAX));
        }
        (name, offsets, data)
    };
    let int =
        |name: &'static str, get: fn(&FeatureRow) -> i64| (name, rows.iter().map(get).collect());
    let flag = |name: &'static str, get: fn(&FeatureRow) -> bool| {
        (name, rows.iter().map(|r| u8::from(get(r))).collect())
    };
    Buffers {
        strs: vec![
            text("title", |r| &r.title),
            text("industry", |r| &r.industry),
            text("country", |r| &r.country),
            text("email", |r| &r.email),
            text("source", |r| &r.source),
        ],
        ints: vec![
            int("employees", |r| {
                i64::try_from(r.employees).unwrap_or(i64::MAX)
            }),
            int("days_since_activity", |r| i64::from(r.days_since_activity)),
            int("page_views", |r| i64::from(r.page_views)),
            int("email_opens", |r| i64::from(r.email_opens)),
            int("email_clicks", |r| i64::from(r.email_clicks)),
            int("form_fills", |r| i64::from(r.form_fills)),
            int("pricing_visits", |r| i64::from(r.pricing_visits)),
        ],
        revenue: rows.iter().map(|r| r.revenue).collect(),
        bools: vec![
            flag("demo_requested", |r| r.demo_requested),
            flag("webinar_attended", |r| r.webinar_attended),
            flag("unsubscribed", |r| r.unsubscribed),
        ],
    }
}

fn columns(b: &Buffers, len: usize) -> Columns<'_> {
    let mut cols = Columns::new(len);
    for (name, offsets, data) in &b.strs {
        let c = Column::utf8(Offsets::I32(&offsets[..=len]), data.as_bytes(), None)
            .unwrap_or_else(|e| panic!("{e}"));
        cols = cols.with(name, c).unwrap_or_else(|e| panic!("{e}"));
    }
    for (name, v) in &b.ints {
        cols = cols
            .with(name, Column::i64(&v[..len], None))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    cols = cols
        .with("revenue", Column::f64(&b.revenue[..len], None))
        .unwrap_or_else(|e| panic!("{e}"));
    for (name, v) in &b.bools {
        cols = cols
            .with(name, Column::bool_bytes(&v[..len], None))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    cols
}

fn rows_single_core(c: &mut Criterion) {
    let rows = synth::reference_rows(ROWS, synth::DEFAULT_SEED);
    let b = buffers(&rows);
    let cols = columns(&b, ROWS);
    let native = pack("reference");
    let opaque = pack("reference-rhai");
    let now = now();
    let mut g = c.benchmark_group("rules/rows_1_core");
    g.sample_size(20);
    g.throughput(Throughput::Elements(ROWS as u64));
    g.bench_function("hand_written", |bn| {
        bn.iter(|| black_box(rows.iter().map(synth::reference_score).sum::<f64>()));
    });
    // Output buffers are reused across iterations, as a binding filling its own arrays would.
    let mut out = leadflow::rules::ColumnScores::default();
    g.bench_function("native_pack_columns", |bn| {
        bn.iter(|| {
            native.score_columns_into(
                &cols,
                now,
                ScoreOptions::default().with_sequential(true),
                &mut out,
            );
            black_box(out.total.len())
        });
    });
    let small = columns(&b, SCRIPT_ROWS);
    g.throughput(Throughput::Elements(SCRIPT_ROWS as u64));
    g.bench_function("opaque_rhai_pack_columns", |bn| {
        bn.iter(|| {
            opaque.score_columns_into(
                &small,
                now,
                ScoreOptions::default().with_sequential(true),
                &mut out,
            );
            black_box(out.total.len())
        });
    });
    let interpreted = interpreted();
    // Both script tiers must agree before their speeds mean anything.
    let mut check = leadflow::rules::ColumnScores::default();
    opaque.score_columns_into(
        &small,
        now,
        ScoreOptions::default().with_sequential(true),
        &mut out,
    );
    interpreted.score_columns_into(
        &small,
        now,
        ScoreOptions::default().with_sequential(true),
        &mut check,
    );
    assert_eq!(
        out.total, check.total,
        "compiled and interpreted rhai differ"
    );
    g.bench_function("interpreted_rhai_pack_columns", |bn| {
        bn.iter(|| {
            interpreted.score_columns_into(
                &small,
                now,
                ScoreOptions::default().with_sequential(true),
                &mut out,
            );
            black_box(out.total.len())
        });
    });
    g.finish();
}

fn leads_single_core(c: &mut Criterion) {
    let now = now();
    let leads: Vec<_> = synth::reference_leads(LEADS, synth::DEFAULT_SEED, now).collect();
    let native = pack("reference");
    let mut g = c.benchmark_group("rules/leads_1_core");
    g.sample_size(20);
    g.throughput(Throughput::Elements(LEADS as u64));
    g.bench_function("hand_written_features_of", |bn| {
        bn.iter(|| {
            black_box(
                leads
                    .iter()
                    .map(|l| synth::reference_score(&synth::features_of(l, now)))
                    .sum::<f64>(),
            )
        });
    });
    g.bench_function("native_pack", |bn| {
        bn.iter(|| {
            black_box(native.score_batch(
                &leads,
                now,
                ScoreOptions::default().with_sequential(true),
            ))
        });
    });
    g.bench_function("native_pack_explain", |bn| {
        bn.iter(|| {
            black_box(native.score_batch(
                &leads,
                now,
                ScoreOptions::explained().with_sequential(true),
            ))
        });
    });
    g.finish();
}

fn threads(c: &mut Criterion) {
    let rows = synth::reference_rows(ROWS, synth::DEFAULT_SEED);
    let b = buffers(&rows);
    let cols = columns(&b, ROWS);
    let now = now();
    let leads: Vec<_> = synth::reference_leads(LEADS, synth::DEFAULT_SEED, now).collect();
    let native = pack("reference");
    let opaque = pack("reference-rhai");
    let small = columns(&b, SCRIPT_ROWS);
    let mut g = c.benchmark_group("rules/threads");
    g.sample_size(15);
    for n in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        g.throughput(Throughput::Elements(ROWS as u64));
        let mut out = leadflow::rules::ColumnScores::default();
        g.bench_function(format!("native_columns_{n}t"), |bn| {
            bn.iter(|| {
                pool.install(|| {
                    native.score_columns_into(&cols, now, ScoreOptions::default(), &mut out);
                });
                black_box(out.total.len())
            });
        });
        g.throughput(Throughput::Elements(LEADS as u64));
        g.bench_function(format!("native_leads_{n}t"), |bn| {
            bn.iter(|| {
                pool.install(|| black_box(native.score_batch(&leads, now, ScoreOptions::default())))
            });
        });
        g.throughput(Throughput::Elements(SCRIPT_ROWS as u64));
        g.bench_function(format!("opaque_rhai_columns_{n}t"), |bn| {
            bn.iter(|| {
                pool.install(|| {
                    opaque.score_columns_into(&small, now, ScoreOptions::default(), &mut out);
                });
                black_box(out.total.len())
            });
        });
    }
    g.finish();
}

criterion_group!(benches, rows_single_core, leads_single_core, threads);
criterion_main!(benches);
