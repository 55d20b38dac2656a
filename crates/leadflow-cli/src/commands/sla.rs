//! `leadflow sla`: list leads whose SLAs are due or breached at a given time.

use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::model::Lead;
use leadflow::routing::{SlaConfig, SlaState};
use leadflow::{Result, parse_timestamp};
use serde_json::json;

use crate::term::json_line;

/// Arguments of `leadflow sla` (the help text is on the subcommand in `main.rs`).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  leadflow sla --config examples/routing/sla.yaml --now 2026-03-02T10:00:00Z examples/routing/leads.jsonl"
)]
pub struct Args {
    /// SLA config (.json, .yaml, .yml or .toml).
    #[arg(long)]
    pub config: PathBuf,
    /// Evaluation time (RFC 3339).
    #[arg(long)]
    pub now: String,
    /// Only breached SLAs.
    #[arg(long, conflicts_with = "all")]
    pub breached: bool,
    /// One full report per lead, including met and not-started SLAs.
    #[arg(long)]
    pub all: bool,
    /// Write here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Lead files (JSON array, JSON object or JSON Lines); `-` reads standard input.
    #[arg(required = true)]
    pub leads: Vec<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let now = parse_timestamp(&args.now)?;
    let config = SlaConfig::from_path(&args.config)?;
    config
        .validate()
        .map_err(|e| e.with_file(args.config.display().to_string()))?;
    let mut lines = Vec::new();
    let (mut bad, mut due, mut breached) = (0usize, 0usize, 0usize);
    for path in &args.leads {
        for raw in crate::io::records(path)? {
            let lead = match raw?.parse::<Lead>() {
                Ok(l) => l,
                Err(e) => {
                    bad += 1;
                    let e = e.with_file(path.display().to_string());
                    lines.push(json_line(&json!({ "error": e }))?);
                    continue;
                }
            };
            let report = config.evaluate(&lead, now);
            for s in &report.slas {
                match s.state {
                    SlaState::Pending => due += 1,
                    SlaState::Breached => breached += 1,
                    _ => {}
                }
            }
            if args.all {
                lines.push(json_line(&report)?);
                continue;
            }
            for s in report.slas {
                let show = match s.state {
                    SlaState::Breached => true,
                    SlaState::Pending => !args.breached,
                    _ => false,
                };
                if show {
                    lines.push(json_line(&s)?);
                }
            }
        }
    }
    super::route::write_lines(args.out.as_deref(), &lines)?;
    eprintln!("{due} due, {breached} breached, {bad} invalid records");
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
