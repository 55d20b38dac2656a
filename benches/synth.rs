//! The reference workload's floors: the hand-written scorer over feature rows,
//! and deriving those rows from full leads (what any lead-based scorer pays).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::Lead;
use leadflow::synth::{self, FeatureRow};

fn reference(c: &mut Criterion) {
    const N: usize = 10_000;
    let now = leadflow::parse_timestamp("2026-03-01T00:00:00Z").expect("now");
    let rows: Vec<FeatureRow> = synth::reference_rows(N, synth::DEFAULT_SEED);
    let leads: Vec<Lead> = synth::reference_leads(N, synth::DEFAULT_SEED, now).collect();
    let mut g = c.benchmark_group("synth");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("reference_score_10k", |b| {
        b.iter(|| rows.iter().map(synth::reference_score).sum::<f64>());
    });
    g.bench_function("features_of_10k_leads", |b| {
        b.iter(|| {
            leads
                .iter()
                .map(|l| synth::features_of(l, now).page_views)
                .sum::<u32>()
        });
    });
    g.bench_function("generate_rows_10k", |b| {
        b.iter(|| {
            synth::reference_row_iter(N, 7)
                .map(|r| r.employees)
                .sum::<u64>()
        });
    });
    g.finish();
}

criterion_group!(benches, reference);
criterion_main!(benches);
