//! Writes the reference leads with a fixed number of activities per lead
//! (`synth::reference_leads_with_activities`) as JSON Lines, for the
//! activities-per-lead curve of `benches/compare/run --activities`.
//!
//! `compare-gen-leads --n 2000 --seed 42 --now 2026-03-01T00:00:00Z --activities 40 --output leads.jsonl`

use std::io::{BufWriter, Write};
use std::path::PathBuf;

use leadflow::synth;

fn run() -> Result<(), String> {
    let (mut n, mut seed, mut now, mut activities, mut output) = (
        2000,
        synth::DEFAULT_SEED,
        String::from("2026-03-01T00:00:00Z"),
        40,
        None,
    );
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--n" => n = number(&value)?,
            "--seed" => seed = number(&value)?,
            "--now" => now = value,
            "--activities" => activities = number(&value)?,
            "--output" => output = Some(PathBuf::from(value)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let now = leadflow::parse_timestamp(&now).map_err(|e| format!("--now: {e}"))?;
    let path = output.ok_or("--output is required")?;
    let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let size = |v: u64| usize::try_from(v).map_err(|e| e.to_string());
    for lead in synth::reference_leads_with_activities(size(n)?, seed, now, size(activities)?) {
        serde_json::to_writer(&mut out, &lead).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| format!("{}: {e}", path.display()))
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("compare-gen-leads: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
