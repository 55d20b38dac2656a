//! `leadflow convert`: convert leads into account, contact and opportunity.

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::convert::{ConversionResult, ConvertOptions, convert, plan};
use leadflow::model::{Record, parse_records};
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
    let mut accounts: Vec<Account> = load(args.accounts.as_ref())?;
    let mut contacts: Vec<Contact> = load(args.contacts.as_ref())?;
    let opts: ConvertOptions = match &args.options {
        Some(path) => {
            let text = crate::io::read_input(path)?;
            serde_json::from_str(&text)
                .map_err(|e| Error::from(e).with_file(path.display().to_string()))?
        }
        None => ConvertOptions::default(),
    };

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failed = 0usize;
    for path in &args.leads {
        let text = crate::io::read_input(path)?;
        for (i, parsed) in parse_records::<Lead>(&text).into_iter().enumerate() {
            let line = match parsed {
                Err(e) => {
                    failed += 1;
                    error_line(None, &e.with_file(path.display().to_string()), i)
                }
                Ok(mut lead) => {
                    let outcome = if args.plan_only {
                        plan(&lead, &accounts, &contacts, &opts, now).map(|p| to_value(&p))
                    } else {
                        convert(&mut lead, &accounts, &contacts, &opts, now).map(|r| {
                            remember(&r, &mut accounts, &mut contacts);
                            to_value(&r)
                        })
                    };
                    outcome.unwrap_or_else(|e| {
                        failed += 1;
                        error_line(Some(&lead.id), &e, i)
                    })
                }
            };
            writeln!(out, "{line}")?;
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
    let text = crate::io::read_input(path)?;
    parse_records::<T>(&text)
        .into_iter()
        .collect::<Result<Vec<T>>>()
        .map_err(|e| e.with_file(path.display().to_string()))
}

/// Makes the records of a conversion visible to the next leads of the batch.
fn remember(r: &ConversionResult, accounts: &mut Vec<Account>, contacts: &mut Vec<Contact>) {
    upsert(accounts, r.account.clone(), |a| a.id.clone());
    upsert(contacts, r.contact.clone(), |c| c.id.clone());
}

fn upsert<T>(list: &mut Vec<T>, record: T, id: impl Fn(&T) -> String) {
    let key = id(&record);
    let index: HashMap<String, usize> = list.iter().enumerate().map(|(i, r)| (id(r), i)).collect();
    match index.get(&key) {
        Some(&i) => list[i] = record,
        None => list.push(record),
    }
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
