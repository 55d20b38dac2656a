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
    /// Write the seeded reference scoring workload (leads or flat feature rows).
    Generate(commands::generate::Args),
    /// Score, qualify and move leads through the lifecycle with a rule pack (streaming).
    Score(commands::score::Args),
    /// Compile a rule pack, list its rules with their tier, and lint it.
    Check(commands::check::Args),
    /// Run the whole flow on built-in sample leads with the built-in pack.
    Demo(commands::demo::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(&args),
        Command::Generate(args) => commands::generate::run(&args),
        Command::Score(args) => commands::score::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Demo(args) => commands::demo::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
