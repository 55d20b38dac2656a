//! What a hostile lead costs under the host's default limits: the costliest attacks
//! found (each rhai operation of them is expensive, so the operation limit alone
//! would allow seconds) against a normal lead of the same pack, one lead per
//! iteration on one thread. The time budget (`docs/sandbox.md`) bounds each attack.
use criterion::{Criterion, criterion_group, criterion_main};
use leadflow::rules::{CompiledPack, PackFormat};
use leadflow::{Lead, Record, parse_timestamp};

/// Each attack is one rule that runs only for leads titled "attack".
const ATTACKS: &[(&str, &str)] = &[
    (
        "split_16kb",
        r#"let s = "xy"; while s.len < 16000 { s += s; } loop { let p = s.split("y", 4000); }"#,
    ),
    (
        "sort_1000_strings",
        r"let a = []; for i in 0..1000 { a.push(`${i}x`); } loop { a.sort(); a.reverse(); }",
    ),
    (
        "replace_16kb",
        r#"let s = "xy"; while s.len < 16000 { s += s; } loop { let t = s; t.replace("x", "yy"); }"#,
    ),
    ("cheap_loop", "let n = 0; loop { n += 1; }"),
];

fn pack(attack: &str) -> CompiledPack {
    let manifest = serde_json::json!({
        "name": "hostile", "version": "1",
        "rules": [
            {"name": "vp", "when": {"field": "title", "contains": ["VP"]}, "points": 10},
            {"name": "attack", "script": format!("if lead.title == \"attack\" {{ {attack} }}")}
        ]
    });
    CompiledPack::from_str(&manifest.to_string(), PackFormat::Json, "hostile.json").expect("pack")
}

fn hostile_leads(c: &mut Criterion) {
    let now = parse_timestamp("2026-06-01T00:00:00Z").expect("now");
    let lead = |title: &str| {
        Lead::from_json(&format!(
            r#"{{"id": "L", "created_at": "2026-05-01T00:00:00Z", "title": "{title}"}}"#
        ))
        .expect("lead")
    };
    let (normal, attack) = (lead("VP Sales"), lead("attack"));
    let mut g = c.benchmark_group("sandbox");
    g.sample_size(20);
    for (name, script) in ATTACKS {
        let p = pack(script);
        let stopped = p
            .score(&attack, now)
            .expect_err("an attack must be stopped");
        eprintln!("{name}: {stopped}");
        g.bench_function(format!("hostile_lead/{name}"), |b| {
            b.iter(|| p.score(&attack, now).unwrap_err());
        });
    }
    let p = pack(ATTACKS[0].1);
    g.bench_function("normal_lead", |b| {
        b.iter(|| p.score(&normal, now).expect("score"));
    });
    g.finish();
}

criterion_group!(benches, hostile_leads);
criterion_main!(benches);
