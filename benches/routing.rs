//! Routing throughput: assigning a batch with the example config (ownership off),
//! and evaluating SLAs for the same batch.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::parse_timestamp;
use leadflow::routing::{ConfigFormat, Router, RoutingConfig, RoutingState, SlaConfig};

const ROUTING: &str = include_str!("../examples/routing/routing.yaml");
const SLA: &str = include_str!("../examples/routing/sla.yaml");

fn route(c: &mut Criterion) {
    let now = parse_timestamp("2026-03-02T09:00:00Z").expect("now");
    let leads: Vec<_> = leadflow::synth::reference_leads(10_000, 7, now).collect();
    let mut config = RoutingConfig::from_str(ROUTING, ConfigFormat::Yaml).expect("config");
    // Lift the caps so that the whole batch goes through the team strategies.
    for rep in &mut config.reps {
        rep.daily_cap = None;
        rep.weekly_cap = None;
    }
    let router = Router::new(config).expect("router");
    let sla = SlaConfig::from_str(SLA, ConfigFormat::Yaml).expect("sla");
    let mut g = c.benchmark_group("routing");
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("assign_batch_10k", |b| {
        b.iter(|| router.assign_batch(&leads, &RoutingState::default(), now));
    });
    g.bench_function("sla_evaluate_10k", |b| {
        b.iter(|| sla.evaluate_batch(&leads, now));
    });
    g.finish();
}

/// The cost of a script condition over the declarative one it replaces: two
/// queue rules, so the time is the conditions (and the decision), not the strategies.
fn script_condition(c: &mut Criterion) {
    let now = parse_timestamp("2026-03-02T09:00:00Z").expect("now");
    let leads: Vec<_> = leadflow::synth::reference_leads(10_000, 7, now).collect();
    let router = |when: &str| {
        let config = format!(
            r#"{{"fallback_queue": "q", "rules": [
                {{"name": "big", "when": {when}, "assign": {{"queue": "big"}}}},
                {{"name": "rest", "assign": {{"queue": "rest"}}}}]}}"#
        );
        Router::new(RoutingConfig::from_str(&config, ConfigFormat::Json).expect("config"))
            .expect("router")
    };
    let declarative = router(r#"{"range": {"field": "employees", "min": 1000}}"#);
    let script = router(r#"{"script": "(lead.employees ?? 0) >= 1000"}"#);
    let mut g = c.benchmark_group("routing");
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("condition_declarative_10k", |b| {
        b.iter(|| declarative.assign_batch(&leads, &RoutingState::default(), now));
    });
    g.bench_function("condition_script_10k", |b| {
        b.iter(|| script.assign_batch(&leads, &RoutingState::default(), now));
    });
    g.finish();
}

criterion_group!(benches, route, script_condition);
criterion_main!(benches);
