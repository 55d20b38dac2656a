//! `leadflow route`: assign a batch of leads with a routing config and state.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use leadflow::model::{Account, Contact, Lead};
use leadflow::routing::{ExistingAccounts, Router, RoutingConfig, RoutingState};
use leadflow::{Error, Result, parse_timestamp};
use serde_json::json;

use crate::term::json_line;

/// Arguments of `leadflow route` (the help text is on the subcommand in `main.rs`).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  leadflow route --config examples/routing/routing.yaml --state state.json \\\n      --now 2026-03-02T09:00:00Z examples/routing/leads.jsonl"
)]
pub struct Args {
    /// Routing config (.json, .yaml, .yml or .toml).
    #[arg(long)]
    pub config: PathBuf,
    /// Routing state JSON from the previous run; a missing file starts from an empty state.
    #[arg(long)]
    pub state: PathBuf,
    /// Where to write the new state (default: overwrite --state).
    #[arg(long)]
    pub state_out: Option<PathBuf>,
    /// The routing time (RFC 3339, e.g. 2026-03-02T09:00:00+09:00): caps, days and
    /// out-of-office periods are evaluated at this instant.
    #[arg(long)]
    pub now: String,
    /// Existing accounts (JSON array or JSON Lines) for account ownership routing.
    #[arg(long)]
    pub accounts: Option<PathBuf>,
    /// Existing contacts, used with --accounts to match leads by e-mail.
    #[arg(long, requires = "accounts")]
    pub contacts: Option<PathBuf>,
    /// Write assignments here instead of standard output.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// Lead files (JSON array, JSON object or JSON Lines); `-` reads standard input.
    #[arg(required = true)]
    pub leads: Vec<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let now = parse_timestamp(&args.now)?;
    let mut router = Router::new(RoutingConfig::from_path(&args.config)?)?;
    if let Some(path) = &args.accounts {
        let accounts = read_all::<Account>(path)?;
        let contacts = match &args.contacts {
            Some(p) => read_all::<Contact>(p)?,
            None => Vec::new(),
        };
        router = router.with_account_matcher(Arc::new(ExistingAccounts::new(accounts, contacts)));
    }
    let mut state = read_state(&args.state)?;
    let mut lines = Vec::new();
    let mut bad = 0usize;
    for path in &args.leads {
        for raw in crate::io::records(path)? {
            match raw?.parse::<Lead>() {
                Ok(lead) => {
                    let a = router.assign_mut(&lead, &mut state, now);
                    lines.push(json_line(&a)?);
                }
                Err(e) => {
                    bad += 1;
                    let e = e.with_file(path.display().to_string());
                    lines.push(json_line(&json!({ "error": e }))?);
                }
            }
        }
    }
    write_lines(args.out.as_deref(), &lines)?;
    let state_path = args.state_out.as_ref().unwrap_or(&args.state);
    let text = serde_json::to_string_pretty(&state).map_err(Error::from)?;
    write_atomically(state_path, &(text + "\n"))?;
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn read_all<T: leadflow::Record>(path: &Path) -> Result<Vec<T>> {
    crate::io::records(path)?
        .map(|raw| raw?.parse::<T>())
        .collect::<Result<Vec<T>>>()
        .map_err(|e| e.with_file(path.display().to_string()))
}

fn read_state(path: &Path) -> Result<RoutingState> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(RoutingState::default()),
        Err(e) => return Err(Error::from(e).with_file(path.display().to_string())),
    };
    if text.trim().is_empty() {
        return Ok(RoutingState::default());
    }
    serde_json::from_str(&text).map_err(|e| {
        Error::validation(format!("routing state: {e}")).with_file(path.display().to_string())
    })
}

pub(crate) fn write_lines(out: Option<&Path>, lines: &[String]) -> Result<()> {
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    if let Some(p) = out {
        return std::fs::write(p, text)
            .map_err(|e| Error::from(e).with_file(p.display().to_string()));
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    Ok(stdout.flush()?)
}

/// Writes next to the target and renames, so a crash never leaves half a state file.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let file = path.display().to_string();
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(|e| Error::from(e).with_file(tmp.display().to_string()))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::from(e).with_file(file))
}
