//! Parsing and writing lead records.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::model::{Lead, Record, parse_records};

fn jsonl(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"L-{i}","created_at":"2026-01-01T00:00:00Z","email":"p{i}@acme.com","title":"VP Sales","employees":{},"country":"US","activities":[{{"type":"page_view","at":"2026-01-02T00:00:00Z","meta":{{"url":"/pricing"}}}}]}}"#,
                i * 7 % 5000
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn parse(c: &mut Criterion) {
    let text = jsonl(10_000);
    let mut g = c.benchmark_group("model");
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("parse_jsonl_10k", |b| {
        b.iter(|| parse_records::<Lead>(&text));
    });
    let leads: Vec<Lead> = parse_records(&text)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    g.bench_function("write_json_10k", |b| {
        b.iter(|| leads.iter().map(Record::to_value).count());
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
