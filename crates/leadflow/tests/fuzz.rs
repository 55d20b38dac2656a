//! A seeded mutation fuzzer over pack sources and lead JSON: whatever the bytes,
//! loading and scoring return a typed result, never a panic, a hang or a crash.
//!
//! cargo-fuzz needs a nightly toolchain; this runs on stable, briefly in the test
//! command and longer on demand:
//! `LEADFLOW_FUZZ_CASES=100000 LEADFLOW_FUZZ_SEED=7 cargo test --release -p leadflow --test fuzz -- --nocapture`

use std::panic::{AssertUnwindSafe, catch_unwind};

use leadflow::rules::{CompiledPack, PackFormat, ScoreOptions};
use leadflow::{Lead, Record, parse_timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Seeds of the mutation: real packs and leads of the repository and the hostile corpus.
const PACKS: &[(&str, PackFormat)] = &[
    (
        include_str!("../../../examples/packs/reference/pack.toml"),
        PackFormat::Toml,
    ),
    (
        include_str!("../../../tests/hostile/packs/nan-min-score/pack.yaml"),
        PackFormat::Yaml,
    ),
    (
        include_str!("../../../examples/packs/reference-rhai/reference-rules.rhai"),
        PackFormat::Rhai,
    ),
];

const LEADS: &str = include_str!("../../../examples/data/sample-leads.jsonl");

/// Fragments an attacker would try, spliced in at random places.
const TOKENS: &[&str] = &[
    "loop { }",
    "while true { score += 1.0; }",
    "fn f(n) { f(n + 1) } f(0);",
    "((((((((((((((((((((",
    "))))))))))",
    "\"",
    "'''",
    "1e308",
    "nan",
    "inf",
    "-0.0",
    "9223372036854775807",
    "0.0 / 0.0",
    "[limits]\nmax_operations = 0\n",
    "[limits]\nmax_call_depth = 100000000\n",
    "scripts = [\"/etc/passwd\"]\n",
    "scripts = [\"../../outside/secret.rhai\"]\n",
    "let s = \"xy\"; while true { s += s; }",
    "s.split(\"y\", 4000)",
    "eval(\"1\")",
    "import \"x\" as y;",
    "\u{0}",
    "\u{feff}",
    "\u{1b}[2J",
    "{\"id\": [1, 2]}",
    "{\"activities\": [{\"at\": \"9999-12-31T23:59:59Z\", \"kind\": \"page_view\"}]}",
    "\"employees\": 18446744073709551616999,",
    "\"employees\": -1e308,",
    "\"created_at\": \"2026-13-45T99:99:99Z\",",
];

/// A number in `lo..hi` (`hi > lo`).
fn range(rng: &mut ChaCha8Rng, lo: usize, hi: usize) -> usize {
    lo + usize::try_from(rng.next_u64() % (hi - lo) as u64).unwrap_or(0)
}

fn coin(rng: &mut ChaCha8Rng, p_percent: u64) -> bool {
    rng.next_u64() % 100 < p_percent
}

fn mutate(rng: &mut ChaCha8Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..range(rng, 1, 6) {
        let at = if bytes.is_empty() {
            0
        } else {
            range(rng, 0, bytes.len())
        };
        match range(rng, 0, 5) {
            0 => {
                let t = TOKENS[range(rng, 0, TOKENS.len())];
                bytes.splice(at..at, t.bytes());
            }
            1 if !bytes.is_empty() => {
                let end = (at + range(rng, 1, 32)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 if !bytes.is_empty() => bytes[at] = rng.next_u64().to_le_bytes()[0],
            3 if !bytes.is_empty() => {
                let end = (at + range(rng, 1, 64)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            _ => {
                let n = range(rng, 1, 200);
                let c = if coin(rng, 50) { b'(' } else { b'[' };
                bytes.splice(at..at, std::iter::repeat_n(c, n));
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_packs_and_leads_never_panic() {
    let cases = env_u64("LEADFLOW_FUZZ_CASES", 300);
    let seed = env_u64("LEADFLOW_FUZZ_SEED", 20_261_207);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let now = parse_timestamp("2026-06-01T00:00:00Z").unwrap();
    let leads: Vec<&str> = LEADS.lines().filter(|l| !l.trim().is_empty()).collect();
    let (mut compiled, mut scored, mut panics) = (0u64, 0u64, Vec::new());
    for case in 0..cases {
        let (source, format) = PACKS[range(&mut rng, 0, PACKS.len())];
        let pack_text = if coin(&mut rng, 80) {
            mutate(&mut rng, source)
        } else {
            source.to_owned()
        };
        let lead_texts: Vec<String> = (0..4)
            .map(|_| {
                let i = range(&mut rng, 0, leads.len());
                mutate(&mut rng, leads[i])
            })
            .collect();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let Ok(pack) = CompiledPack::from_str(&pack_text, format, "fuzz") else {
                return (false, 0);
            };
            let parsed: Vec<Lead> = lead_texts
                .iter()
                .filter_map(|t| Lead::from_json(t).ok())
                .collect();
            let results = pack.score_batch(&parsed, now, ScoreOptions::explained());
            assert_eq!(results.len(), parsed.len(), "one result per lead");
            (true, results.iter().filter(|r| r.is_ok()).count())
        }));
        match outcome {
            Ok((ok, n)) => {
                compiled += u64::from(ok);
                scored += n as u64;
            }
            Err(_) => panics.push(case),
        }
    }
    eprintln!("fuzz: seed {seed}, {cases} cases, {compiled} packs compiled, {scored} leads scored");
    assert!(
        panics.is_empty(),
        "panics in cases {panics:?} (seed {seed})"
    );
    assert!(
        compiled > 0,
        "no mutated pack compiled: the fuzzer tests nothing"
    );
}
