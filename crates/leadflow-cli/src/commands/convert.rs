//! `leadflow convert`: convert leads into account, contact and opportunity.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::convert::{ConvertOptions, MatchIndex, convert_indexed, plan_indexed};
use leadflow::lifecycle::Pipeline;
use leadflow::model::Record;
use leadflow::{Account, Contact, Error, Lead, Result, parse_timestamp};
use serde_json::{Value, json};

/// Arguments of `leadflow convert` (the help text is on the subcommand in `main.rs`).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Existing accounts (JSON array, object or JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub accounts: Option<PathBuf>,
    /// Existing contacts (JSON array, object or JSON Lines).
    #[arg(long, value_name = "FILE")]
    pub contacts: Option<PathBuf>,
    /// Conversion options as JSON (`ConvertOptions`, see docs/conversion.md).
    #[arg(long, value_name = "FILE")]
    pub options: Option<PathBuf>,
    /// Lifecycle pipeline (`.json`, `.yaml`/`.yml` or `.toml`; see docs/lifecycle.md):
    /// the initial opportunity stage and the converted lead's stage and status
    /// come from it. Default: the built-in pipeline.
    #[arg(long, value_name = "FILE")]
    pub pipeline: Option<PathBuf>,
    /// The conversion time (RFC 3339); leadflow never reads the clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: String,
    /// Print the plan of each lead instead of converting it (plans are independent
    /// of each other: each one sees only the input records).
    #[arg(long)]
    pub plan_only: bool,
    /// Lead files (JSON array, JSON object or JSON Lines); `-` reads standard input.
    #[arg(required = true, value_name = "LEADS")]
    pub leads: Vec<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let now = parse_timestamp(&args.now).map_err(|e| e.with_field("--now"))?;
    let accounts: Vec<Account> = load(args.accounts.as_ref())?;
    let contacts: Vec<Contact> = load(args.contacts.as_ref())?;
    let opts: ConvertOptions = match &args.options {
        Some(path) => {
            let text = crate::io::read_input(path)?;
            serde_json::from_str(&text)
                .map_err(|e| Error::from(e).with_file(path.display().to_string()))?
        }
        None => ConvertOptions::default(),
    };
    let pipeline = match &args.pipeline {
        Some(path) => Pipeline::from_path(path)?,
        None => Pipeline::default(),
    };
    // Existing records are normalized once for the whole run, not once per lead.
    let mut index = MatchIndex::new(&accounts, &contacts, &opts.matching);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for path in &args.leads {
        for raw in crate::io::records(path)? {
            let raw = raw?;
            let i = raw.index;
            let line = match raw.parse::<Lead>() {
                Err(e) => {
                    failed += 1;
                    error_line(None, &e.with_file(path.display().to_string()), i)
                }
                Ok(mut lead) => {
                    let outcome = if args.plan_only {
                        plan_indexed(&pipeline, &lead, &index, &opts, now).map(|p| to_value(&p))
                    } else {
                        convert_indexed(&pipeline, &mut lead, &index, &opts, now).map(|r| {
                            // Later leads see the records this one created or updated.
                            index.remember(&r);
                            to_value(&r)
                        })
                    };
                    outcome.unwrap_or_else(|e| {
                        failed += 1;
                        error_line(Some(&lead.id), &e, i)
                    })
                }
            };
            crate::term::write_json(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Reads an optional record file; one bad record makes the file unusable
/// (matching against a partial list would silently create duplicates).
fn load<T: Record>(path: Option<&PathBuf>) -> Result<Vec<T>> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    crate::io::records(path)?
        .map(|raw| raw?.parse::<T>())
        .collect::<Result<Vec<T>>>()
        .map_err(|e| e.with_file(path.display().to_string()))
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// `{"id": ..., "error": {...}}`; records without a readable id are named by position.
fn error_line(id: Option<&str>, e: &Error, index: usize) -> Value {
    let id = id
        .or(e.record())
        .map_or(Value::Null, |s| Value::String(s.to_owned()));
    json!({"id": id, "index": index, "error": e})
}
