//! Routing throughput: assigning a batch with the example config (ownership off),
//! and evaluating SLAs for the same batch.
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadflow::routing::{ConfigFormat, Router, RoutingConfig, RoutingState, SlaConfig};
use leadflow::{Lead, parse_timestamp};
use serde_json::Value;

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
    // The baseline must decide exactly as the router does.
    let (decisions, _) = router.assign_batch(&leads, &RoutingState::default(), now);
    let names: Vec<&str> = decisions
        .iter()
        .map(|a| a.rep().or(a.queue()).unwrap_or_default())
        .collect();
    assert_eq!(
        hand_written(&leads),
        names,
        "the hand-written router disagrees"
    );
    let mut g = c.benchmark_group("routing");
    g.throughput(Throughput::Elements(10_000));
    g.bench_function("assign_batch_10k", |b| {
        b.iter(|| router.assign_batch(&leads, &RoutingState::default(), now));
    });
    g.bench_function("hand_written_10k", |b| b.iter(|| hand_written(&leads)));
    g.bench_function("sla_evaluate_10k", |b| {
        b.iter(|| sla.evaluate_batch(&leads, now));
    });
    g.finish();
}

/// `examples/routing/routing.yaml` (caps lifted, ownership off) written by hand
/// for `now` = 2026-03-02T09:00Z: the derived segment and territory, the rules
/// as `if`s, the enterprise team (eva alone) and the weighted field team as a
/// smooth weighted round robin over counters (dan is out of office that day).
/// Returns who gets each lead.
fn hand_written(leads: &[Lead]) -> Vec<&'static str> {
    /// Field team members: id, weight, territory.
    const FIELD: [(&str, i64, &str); 5] = [
        ("ana", 200, "emea"),
        ("ben", 100, "emea"),
        ("chloe", 100, "na"),
        ("dan", 100, "na"),
        ("emi", 100, "apac"),
    ];
    let mut current = [0i64; FIELD.len()];
    leads
        .iter()
        .map(|lead| {
            let email = lead.email.as_deref().unwrap_or_default();
            if contains_ignore_case(email, ".edu") || contains_ignore_case(email, "@example.") {
                return "review";
            }
            if lead.employees.is_some_and(|n| n >= 1000) {
                return "eva";
            }
            let deal = lead.custom.get("deal_size").and_then(Value::as_f64);
            if lead.source.as_deref() == Some("partner") && deal.unwrap_or(0.0) >= 50_000.0 {
                return "eva";
            }
            let country = lead.country.as_deref().unwrap_or_default().trim();
            let is = |codes: &[&str]| codes.iter().any(|c| c.eq_ignore_ascii_case(country));
            let territory = if is(&["DE", "FR", "GB", "NL", "ES", "IT"]) {
                "emea"
            } else if is(&["US", "CA"]) {
                "na"
            } else if is(&["JP", "AU", "SG", "KR"]) {
                "apac"
            } else {
                return "unrouted";
            };
            let mut total = 0;
            let mut best: Option<usize> = None;
            for (i, (id, weight, t)) in FIELD.iter().enumerate() {
                if *t != territory || *id == "dan" {
                    continue;
                }
                current[i] += weight;
                total += weight;
                if best.is_none_or(|b| current[i] > current[b]) {
                    best = Some(i);
                }
            }
            best.map_or("unrouted", |b| {
                current[b] -= total;
                FIELD[b].0
            })
        })
        .collect()
}

fn contains_ignore_case(text: &str, needle: &str) -> bool {
    text.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
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
