//! Metrics over a large history: 100k leads with ~10 history entries each
//! (plus their opportunities), sequential and parallel (rayon partials merged).
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::metrics::{
    LeadView, MetricsAccumulator, MetricsConfig, Period, compute, compute_parallel, sample, utc,
};
use leadflow::{Lead, parse_timestamp};

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

    // Streaming input: JSON Lines text -> metrics, through a full `Lead` (the old
    // path) and through the borrowed `LeadView` (what `leadflow report` uses).
    let n_lines = 20_000u64;
    let mut text = Vec::new();
    sample::write_jsonl(&mut text, 42, n_lines, 10).unwrap();
    let text = String::from_utf8(text).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(r#""record_type":"lead""#))
        .collect();
    let mut g = c.benchmark_group("metrics_jsonl");
    g.throughput(Throughput::Elements(n_lines));
    g.sample_size(10);
    g.bench_function("parse_lead_and_add_20k", |b| {
        b.iter(|| {
            let mut acc = MetricsAccumulator::new(config.clone()).unwrap();
            for l in &lines {
                acc.add_lead(&serde_json::from_str::<Lead>(l).unwrap());
            }
            acc.finish()
        });
    });
    g.bench_function("parse_view_and_add_20k", |b| {
        b.iter(|| {
            let mut acc = MetricsAccumulator::new(config.clone()).unwrap();
            for l in &lines {
                acc.add_lead_view(&serde_json::from_str::<LeadView>(l).unwrap());
            }
            acc.finish()
        });
    });
    g.finish();
}

criterion_group!(benches, metrics);
criterion_main!(benches);
