//! `leadflow check`: compile a rule pack, list its rules with their tier, and lint it.
//!
//! Exit code: 0 when the pack compiles (lints are warnings), 1 when it does not.

use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::Result;
use leadflow::model::{Lead, parse_records};

use crate::term::escape;
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
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let pack = match CompiledPack::load_with(&args.pack, &args.limits.options()?) {
        Ok(p) => p,
        Err(e) => {
            println!(
                "{}",
                escape(&format!("{}: does not compile: {e}", args.pack.display()))
            );
            return Ok(ExitCode::FAILURE);
        }
    };
    let default_now = args.sample.is_none().then_some(super::demo::DEMO_NOW);
    let now = super::score::resolve_now(args.now.as_deref().or(default_now))?;
    let sample: Vec<Lead> = match &args.sample {
        Some(p) => {
            let mut leads = Vec::new();
            for raw in crate::io::records(p)? {
                // Bad sample records are skipped: lints are about the pack.
                if let Ok(lead) = raw?.parse::<Lead>() {
                    leads.push(lead);
                }
            }
            leads
        }
        None => parse_records(super::demo::SAMPLE_LEADS)
            .into_iter()
            .filter_map(Result::ok)
            .collect(),
    };
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
        escape(pack.id()),
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
    println!("features: {}", escape(&pack.features().join(", ")));
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
        let place = escape(&place);
        println!(
            "{:<28} {:<6} {:<11} {:<7} {place}",
            escape(&r.name),
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
            escape(&l.message)
        );
    }
    Ok(ExitCode::SUCCESS)
}
