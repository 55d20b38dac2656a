//! Full leads (activity histories) on one core, side by side with their
//! hand-written floors, by activities per lead (0, 10, 40, 200):
//! - `hand_written_digested`: features from pre-digested 16-byte activities + the rules;
//! - `hand_written_borrowed_json`: a borrowed serde parse of each JSON line + features + rules;
//! - `leadflow_parsed_leads`: `CompiledPack::score_batch` (sequential) over parsed `Lead`s;
//! - `leadflow_json_text`: leadflow from each JSON line (`score_json_batch`, sequential:
//!   the borrowed reader, no `Lead` built);
//! - `leadflow_json_parse_then_score`: `Lead::from_json`, then `score`, per line.
//!
//! Throughput is in leads; divide the time per lead by the activities for the
//! cost per activity. Bytes per parsed activity: `cargo run --release -p
//! leadflow-benches --bin lead-memory`.
//!
//! `cargo bench -p leadflow-benches --bench leads`

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use leadflow::rules::ScoreOptions;
use leadflow::synth::{self, features_of, reference_score};
use leadflow::{Lead, parse_timestamp};
use leadflow_benches::lead_input::digested::DigestedLead;
use leadflow_benches::lead_input::{
    borrowed, json_lines, leadflow_json_lines, leadflow_parse_then_score, reference_pack,
};

const ACTIVITIES: [usize; 4] = [0, 10, 40, 200];

/// Leads per measurement: about 20,000 activities (at least 100 leads), so
/// every point takes a similar time.
fn leads_for(activities: usize) -> usize {
    (20_000 / activities.max(10)).max(100)
}

fn leads_one_core(c: &mut Criterion) {
    let now = parse_timestamp("2026-03-01T00:00:00Z").unwrap_or_else(|e| panic!("{e}"));
    let pack = reference_pack().unwrap_or_else(|e| panic!("{e}"));
    let mut g = c.benchmark_group("leads/1_core");
    g.sample_size(20);
    for activities in ACTIVITIES {
        let n = leads_for(activities);
        let leads: Vec<Lead> =
            synth::reference_leads_with_activities(n, synth::DEFAULT_SEED, now, activities)
                .collect();
        let text: String = leads
            .iter()
            .map(|l| serde_json::to_string(l).unwrap_or_else(|e| panic!("{e}")) + "\n")
            .collect();
        let lines = json_lines(&text, n);
        let digested: Vec<DigestedLead> = leads.iter().map(DigestedLead::new).collect();
        // Every variant scores the same leads to the same total.
        let truth: f64 = leads
            .iter()
            .map(|l| reference_score(&features_of(l, now)))
            .sum();
        let same = |name: &str, total: f64| {
            assert!(
                (total - truth).abs() <= 1e-6 * truth.abs().max(1.0),
                "{name} at {activities} activities: {total} vs {truth}"
            );
        };
        let now_secs = now.timestamp();
        same("digested", digested.iter().map(|d| d.score(now_secs)).sum());
        same(
            "borrowed",
            lines.iter().map(|l| borrowed::score_json(l, now)).sum(),
        );
        same("json_text", leadflow_json_lines(&pack, &lines, now));
        same(
            "parse_then_score",
            leadflow_parse_then_score(&pack, &lines, now),
        );
        same(
            "parsed",
            pack.score_batch(&leads, now, ScoreOptions::default().with_sequential(true))
                .iter()
                .map(|r| r.as_ref().map_or(f64::NAN, |s| s.total))
                .sum(),
        );

        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(
            BenchmarkId::new("hand_written_digested", activities),
            &digested,
            |b, d| b.iter(|| black_box(d).iter().map(|l| l.score(now_secs)).sum::<f64>()),
        );
        g.bench_with_input(
            BenchmarkId::new("hand_written_borrowed_json", activities),
            &lines,
            |b, lines| {
                b.iter(|| {
                    black_box(lines)
                        .iter()
                        .map(|l| borrowed::score_json(l, now))
                        .sum::<f64>()
                });
            },
        );
        g.bench_with_input(
            BenchmarkId::new("leadflow_parsed_leads", activities),
            &leads,
            |b, leads| {
                b.iter(|| {
                    pack.score_batch(
                        black_box(leads),
                        now,
                        ScoreOptions::default().with_sequential(true),
                    )
                    .iter()
                    .map(|r| r.as_ref().map_or(f64::NAN, |s| s.total))
                    .sum::<f64>()
                });
            },
        );
        g.bench_with_input(
            BenchmarkId::new("leadflow_json_text", activities),
            &lines,
            |b, lines| b.iter(|| leadflow_json_lines(&pack, black_box(lines), now)),
        );
        g.bench_with_input(
            BenchmarkId::new("leadflow_json_parse_then_score", activities),
            &lines,
            |b, lines| b.iter(|| leadflow_parse_then_score(&pack, black_box(lines), now)),
        );
    }
    g.finish();
}

criterion_group!(benches, leads_one_core);
criterion_main!(benches);
