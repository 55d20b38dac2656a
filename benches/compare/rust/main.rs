//! Rust side of the cross-language comparison (`benches/compare/run`).
//!
//! Scores the reference workload with one engine and prints one JSON line:
//! `{"engine", "n", "build_s", "times_s": [...], "checksum"}`. The checksum is the
//! sum of all scores; the driver compares it across engines.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use leadflow::Timestamp;

use leadflow::synth::{FeatureRow, features_of, reference_score};
use leadflow_benches::lead_input::{borrowed, json_lines, leadflow_json_lines, reference_pack};

mod leadflow_engines;
use leadflow_engines::{OwnedColumns, columns_engine, leads_engine, load_leads};

#[derive(Debug)]
struct Opts {
    engine: String,
    rows: PathBuf,
    leads: PathBuf,
    now: String,
    n: usize,
    repeat: usize,
    warmup: usize,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        engine: String::new(),
        rows: PathBuf::new(),
        leads: PathBuf::new(),
        now: "2026-03-01T00:00:00Z".to_owned(),
        n: usize::MAX,
        repeat: 5,
        warmup: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--engine" => o.engine = value()?,
            "--rows" => o.rows = value()?.into(),
            "--leads" => o.leads = value()?.into(),
            "--now" => o.now = value()?,
            "--n" => o.n = value()?.parse().map_err(|e| format!("--n: {e}"))?,
            "--repeat" => o.repeat = value()?.parse().map_err(|e| format!("--repeat: {e}"))?,
            "--warmup" => o.warmup = value()?.parse().map_err(|e| format!("--warmup: {e}"))?,
            // Inputs other engines use; accepted so the driver passes one argument list.
            "--csv" => {
                value()?;
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

fn load_rows(opts: &Opts) -> Result<Vec<FeatureRow>, String> {
    let text =
        std::fs::read_to_string(&opts.rows).map_err(|e| format!("{}: {e}", opts.rows.display()))?;
    text.lines()
        .take(opts.n)
        .map(|l| serde_json::from_str(l).map_err(|e| format!("row: {e}")))
        .collect()
}

/// Runs `score_all` `warmup` times untimed, then `repeat` times timed.
fn measure(opts: &Opts, mut score_all: impl FnMut() -> f64) -> (Vec<f64>, f64) {
    let mut checksum = 0.0;
    for _ in 0..opts.warmup {
        checksum = score_all();
    }
    let times = (0..opts.repeat)
        .map(|_| {
            let t = Instant::now();
            checksum = black_box(score_all());
            t.elapsed().as_secs_f64()
        })
        .collect();
    (times, checksum)
}

/// A scorer built once: scores every loaded lead and returns the sum of scores.
type ScoreAll<'a> = Box<dyn FnMut() -> f64 + 'a>;

/// Builds the hand-written engine over `rows` (the untimed "rules built once" step).
fn build_hand<'a>(name: &str, rows: &'a [FeatureRow]) -> Option<ScoreAll<'a>> {
    match name {
        // The physical limit: the 25 rules as a plain Rust function over typed rows.
        "rust-hand" => Some(Box::new(move || {
            black_box(rows).iter().map(reference_score).sum()
        })),
        _ => None,
    }
}

/// Builds the engine, timing only the build; then measures it.
fn measure_built<'a>(
    opts: &Opts,
    build: impl FnOnce() -> Result<Option<ScoreAll<'a>>, String>,
) -> Result<(f64, Vec<f64>, f64), String> {
    let started = Instant::now();
    let mut score_all = build()?.ok_or(format!("unknown engine {}", opts.engine))?;
    let build_s = started.elapsed().as_secs_f64();
    let (times, checksum) = measure(opts, &mut score_all);
    Ok((build_s, times, checksum))
}

/// Builds an engine over leads as JSON text lines (parsing in the timed region).
fn build_json<'a>(
    name: &str,
    lines: &'a [&'a str],
    now: Timestamp,
) -> Result<Option<ScoreAll<'a>>, String> {
    Ok(match name {
        // The limit for JSON text: a borrowed serde parse, the features, the rules.
        "rust-hand-json-leads" => Some(Box::new(move || {
            black_box(lines)
                .iter()
                .map(|l| borrowed::score_json(l, now))
                .sum()
        })),
        "leadflow-rust-json-leads" => {
            let pack = reference_pack()?;
            Some(Box::new(move || {
                leadflow_json_lines(&pack, black_box(lines), now)
            }))
        }
        _ => None,
    })
}

fn run(opts: &Opts) -> Result<serde_json::Value, String> {
    let now = leadflow::parse_timestamp(&opts.now).map_err(|e| e.to_string())?;
    if opts.engine.ends_with("-json-leads") {
        let text = std::fs::read_to_string(&opts.leads)
            .map_err(|e| format!("{}: {e}", opts.leads.display()))?;
        let lines = json_lines(&text, opts.n);
        let (build_s, times, checksum) =
            measure_built(opts, || build_json(&opts.engine, &lines, now))?;
        return Ok(result(opts, lines.len(), build_s, &times, checksum));
    }
    if opts.engine.ends_with("-leads") {
        let leads = load_leads(&opts.leads, opts.n)?;
        let (build_s, times, checksum) = measure_built(opts, || {
            if opts.engine == "rust-hand-leads" {
                // The limit for lead input: derive the features, then the hand-written rules.
                let leads = &leads;
                let score = move || {
                    let leads = black_box(leads);
                    leads
                        .iter()
                        .map(|l| reference_score(&features_of(l, now)))
                        .sum()
                };
                return Ok(Some(Box::new(score) as ScoreAll<'_>));
            }
            leads_engine(&opts.engine, &leads, now)
        })?;
        return Ok(result(opts, leads.len(), build_s, &times, checksum));
    }
    let rows = load_rows(opts)?;
    let owned = OwnedColumns::from_rows(&rows);
    let (build_s, times, checksum) =
        measure_built(opts, || match build_hand(&opts.engine, &rows) {
            Some(engine) => Ok(Some(engine)),
            None => columns_engine(&opts.engine, owned.view()?, now),
        })?;
    Ok(result(opts, rows.len(), build_s, &times, checksum))
}

fn result(opts: &Opts, n: usize, build_s: f64, times: &[f64], checksum: f64) -> serde_json::Value {
    serde_json::json!({
        "engine": opts.engine,
        "n": n,
        "build_s": build_s,
        "times_s": times,
        "checksum": checksum,
    })
}

fn main() -> std::process::ExitCode {
    match parse_args().and_then(|o| run(&o)) {
        Ok(v) => {
            println!("{v}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("compare-rust: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
