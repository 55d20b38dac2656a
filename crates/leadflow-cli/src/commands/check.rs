//! `leadflow check`: compile a rule pack, list its rules with their tier, and lint it.
//!
//! Exit code: 0 when the pack compiles (lints are warnings), 1 when it does not.

use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::Result;
use leadflow::model::{Lead, parse_records};
use leadflow::rules::CompiledPack;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rule pack: a folder with pack.toml|json|yaml, a manifest file, or a .rhai file.
    pub pack: PathBuf,
    /// Leads to lint against (rules that never fire, fields never present).
    /// Default: the built-in sample leads of `leadflow demo`.
    #[arg(long)]
    pub sample: Option<PathBuf>,
    /// Score the sample as of this instant (default: the demo date).
    #[arg(long)]
    pub now: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let pack = match CompiledPack::load(&args.pack) {
        Ok(p) => p,
        Err(e) => {
            println!("{}: does not compile: {e}", args.pack.display());
            return Ok(ExitCode::FAILURE);
        }
    };
    let (text, default_now) = match &args.sample {
        Some(p) => (crate::io::read_input(p)?, None),
        None => (
            super::demo::SAMPLE_LEADS.to_owned(),
            Some(super::demo::DEMO_NOW),
        ),
    };
    let now = super::score::resolve_now(args.now.as_deref().or(default_now))?;
    let sample: Vec<Lead> = parse_records(&text)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let lints = pack.lint(&sample, now);
    if args.json {
        let report = serde_json::json!({
            "pack": pack.id(),
            "features": pack.features(),
            "rules": pack.rules(),
            "script_sources": {"compiled": pack.script_sources().0, "all": pack.script_sources().1},
            "lints": lints,
        });
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let native = pack
        .rules()
        .iter()
        .filter(|r| r.tier == leadflow::rules::Tier::Native)
        .count();
    println!(
        "{}: compiles; {} rules ({native} native, {} script)",
        pack.id(),
        pack.rules().len(),
        pack.rules().len() - native
    );
    let (compiled, sources) = pack.script_sources();
    if sources > 0 {
        println!(
            "script tier: {compiled} of {sources} script sources compiled to native closures{}",
            if compiled < sources {
                " (the rest run in the rhai interpreter)"
            } else {
                ""
            }
        );
    }
    println!("features: {}", pack.features().join(", "));
    println!();
    println!(
        "{:<28} {:<6} {:<11} {:<7} where",
        "rule", "kind", "axis", "tier"
    );
    for r in pack.rules() {
        let place = match (&r.file, r.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            (Some(f), None) => f.clone(),
            _ => String::new(),
        };
        println!(
            "{:<28} {:<6} {:<11} {:<7} {place}",
            r.name,
            format!("{:?}", r.kind).to_lowercase(),
            r.axis.as_str(),
            format!("{:?}", r.tier).to_lowercase()
        );
    }
    println!();
    if lints.is_empty() {
        println!("no lints ({} sample leads)", sample.len());
    }
    for l in &lints {
        println!(
            "warning [{}]: {}",
            serde_json::to_value(l.kind)?.as_str().unwrap_or_default(),
            l.message
        );
    }
    Ok(ExitCode::SUCCESS)
}
