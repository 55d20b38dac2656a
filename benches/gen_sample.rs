//! Writes the deterministic funnel sample (leads + opportunities, JSON Lines with
//! `record_type`) used by the report example, `scripts/check-report` and the
//! 1M-lead streaming measurement.
//!
//! `cargo run --release -p leadflow-benches --bin gen-funnel-sample -- 1000000 /tmp/funnel-1m.jsonl [seed] [min-history-entries]`

use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(path)) = (args.get(1).and_then(|n| n.parse::<u64>().ok()), args.get(2))
    else {
        eprintln!("usage: gen-funnel-sample LEADS OUTPUT.jsonl [SEED] [MIN_HISTORY]");
        return ExitCode::from(2);
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(42);
    let min_history = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(0);
    let result = std::fs::File::create(path)
        .map_err(leadflow::Error::from)
        .and_then(|f| {
            let mut w = BufWriter::new(f);
            let lines = leadflow::metrics::sample::write_jsonl(&mut w, seed, n, min_history)?;
            w.flush()?;
            Ok(lines)
        });
    match result {
        Ok(lines) => {
            eprintln!("wrote {lines} records for {n} leads to {path}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
