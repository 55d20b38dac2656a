//! `leadflow`: run lead scoring, qualification, routing, conversion and reports on files.

mod commands;
mod io;
mod limits;
mod term;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// leadflow: the rules and state that move leads from first touch to a qualified opportunity.
#[derive(Debug, Parser)]
#[command(name = "leadflow", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check lead files (and, with --pipeline, a pipeline config) and report every bad record.
    Validate(commands::validate::Args),
    /// Funnel, conversion, velocity, status board, pipeline forecast and attribution
    /// from lead/opportunity history (terminal tables; --html for a page, --json for data).
    Report(Box<commands::report::Args>),
    /// Convert leads into account + contact (+ opportunity), matching existing records.
    ///
    /// Writes one JSON line per lead to standard output: the conversion result, or
    /// with --plan-only the plan. A lead that cannot be converted becomes
    /// {"id": ..., "error": {"kind": ..., "message": ...}} and the others still convert.
    /// Leads convert in input order and see the records earlier leads created, so two
    /// leads of one new company share one new account. Exit status: 0 when every lead
    /// converted, 1 when any lead failed, 2 when an input file is unusable.
    ///
    /// Example: leadflow convert --accounts accounts.json --contacts contacts.json
    /// --options options.json --now 2026-02-10T12:00:00Z leads.jsonl
    Convert(commands::convert::Args),
    /// Write the seeded reference scoring workload (leads or flat feature rows).
    Generate(commands::generate::Args),
    /// Score, qualify and move leads through the lifecycle with a rule pack (streaming).
    Score(commands::score::Args),
    /// Compile a rule pack, list its rules with their tier, and lint it.
    Check(commands::check::Args),
    /// Run the whole flow on built-in sample leads with the built-in pack.
    Demo(commands::demo::Args),
    /// Assign leads to reps, teams or queues (routing config + persisted state).
    ///
    /// Writes one assignment per lead as JSON Lines: `lead_id`, `assignee`
    /// (`{"rep": ..}` or `{"queue": ..}`), `via` (ownership, rule, fallback), `rule`,
    /// `team`, `strategy`, `reason`, `eligible` and `skipped` reps (with why: capped,
    /// away, not in territory), and saves the new routing state. Leads are assigned in
    /// input order, exactly as one-by-one calls would. A lead nobody can take goes to the
    /// config's fallback queue; a record that is not a valid lead gives an
    /// `{"error": ..}` line and exit code 1 (the other leads are still routed).
    Route(commands::route::Args),
    /// List leads whose speed-to-lead SLAs are due or breached at a given time.
    ///
    /// Prints one JSON line per open SLA (`state`: `pending` = due, or `breached`)
    /// with `due_at`, `remaining_seconds` (negative when overdue) and `breached`;
    /// with --all, one full report per lead (every SLA and `speed_to_lead_seconds`).
    /// A summary goes to standard error. Exit code 1 when a record is not a valid lead.
    Sla(commands::sla::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(&args),
        Command::Report(args) => commands::report::run(&args),
        Command::Convert(args) => commands::convert::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Score(args) => commands::score::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
        Command::Route(args) => commands::route::run(&args),
        Command::Sla(args) => commands::sla::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", term::escape(&e.to_string()));
            ExitCode::from(2)
        }
    }
}
