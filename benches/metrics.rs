//! Metrics over a large history: 100k leads with ~10 history entries each
//! (plus their opportunities), sequential and parallel (rayon partials merged).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::metrics::{MetricsConfig, Period, compute, compute_parallel, sample, utc};
use leadflow::parse_timestamp;

fn metrics(c: &mut Criterion) {
    let start = parse_timestamp(sample::SAMPLE_START).unwrap();
    let now = parse_timestamp(sample::SAMPLE_NOW).unwrap();
    let n = 100_000u64;
    let (leads, opps): (Vec<_>, Vec<_>) = (0..n)
        .map(|i| sample::lead(42, i, start, sample::SAMPLE_DAYS, now))
        .unzip();
    let opps: Vec<_> = opps.into_iter().flatten().collect();
    let entries: usize = leads.iter().map(|l| l.history.len()).sum();
    eprintln!(
        "{n} leads, {entries} history entries ({:.1} per lead), {} opportunities",
        entries as f64 / n as f64,
        opps.len()
    );
    let mut config = MetricsConfig::new(Period::parse("2026-Q3", utc()).unwrap(), now);
    config.options.hierarchy = sample::hierarchy();
    config.options.costs = sample::costs(100_000);

    let mut g = c.benchmark_group("metrics");
    g.throughput(Throughput::Elements(n));
    g.sample_size(10);
    g.bench_function("all_metrics_100k_leads", |b| {
        b.iter(|| compute(&leads, &opps, config.clone()).unwrap());
    });
    g.bench_function("all_metrics_100k_leads_parallel", |b| {
        b.iter(|| compute_parallel(&leads, &opps, config.clone()).unwrap());
    });
    g.finish();
}

criterion_group!(benches, metrics);
criterion_main!(benches);
