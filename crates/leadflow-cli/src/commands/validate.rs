//! `leadflow validate`: check lead files and report every bad record.

use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::Result;
use leadflow::lifecycle::Pipeline;
use leadflow::model::Lead;

use crate::term::escape;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Lead files (JSON array, JSON object or JSON Lines); `-` reads standard input.
    #[arg(required_unless_present = "pipeline")]
    pub leads: Vec<PathBuf>,
    /// Also validate a pipeline configuration (.json, .yaml, .yml or .toml).
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
}

/// Prints one line per bad record; exits 1 when any record is bad.
pub fn run(args: &Args) -> Result<ExitCode> {
    let mut bad = 0usize;
    let mut good = 0usize;
    if let Some(path) = &args.pipeline {
        match Pipeline::from_path(path) {
            Ok(_) => println!("{}: valid pipeline", path.display()),
            Err(e) => {
                bad += 1;
                println!("{}", escape(&e.to_string()));
            }
        }
    }
    for path in &args.leads {
        for raw in crate::io::records(path)? {
            match raw?.parse::<Lead>() {
                Ok(_) => good += 1,
                Err(e) => {
                    bad += 1;
                    println!("{}", escape(&format!("{}: {e}", path.display())));
                }
            }
        }
    }
    if !args.leads.is_empty() {
        println!("{good} valid, {bad} invalid");
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
