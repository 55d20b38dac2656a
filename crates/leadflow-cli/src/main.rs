//! `leadflow`: run lead scoring, qualification, routing, conversion and reports on files.

mod commands;
mod io;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(&args),
        Command::Report(args) => commands::report::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
