//! `leadflow demo`: the whole flow on built-in sample leads with the built-in
//! B2B `SaaS` pack: score, qualify, lifecycle, routing, conversion and the funnel.
//! Everything it reads is embedded, so it works from a fresh clone.

use std::process::ExitCode;

use leadflow::convert::{ConvertOptions, RecordChange, convert};
use leadflow::lifecycle::Pipeline;
use leadflow::metrics::{MetricsAccumulator, MetricsConfig, Period, utc};
use leadflow::model::{Lead, TransitionKind, parse_records};
use leadflow::routing::{Assignee, ConfigFormat, Router, RoutingConfig, RoutingState, Via};
use leadflow::rules::{CompiledPack, PackFormat};
use leadflow::{Account, Result, Timestamp};
use unicode_width::UnicodeWidthStr;

/// The sample leads (EN and JA), `examples/data/sample-leads.jsonl`.
pub const SAMPLE_LEADS: &str = include_str!("../../../../examples/data/sample-leads.jsonl");
const PACK_MANIFEST: &str = include_str!("../../../../examples/packs/b2b-saas/pack.toml");
const PACK_SCRIPT: &str = include_str!("../../../../examples/packs/b2b-saas/engagement.rhai");
/// Routing rules and existing accounts for the demo (`examples/routing`, `examples/data`).
const ROUTING: &str = include_str!("../../../../examples/routing/routing.yaml");
const ACCOUNTS: &str = include_str!("../../../../examples/data/accounts.json");
/// The default `--now`: fixed, near the sample data, so the output is reproducible.
pub const DEMO_NOW: &str = "2026-03-01T12:00:00Z";

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Run as of this instant (RFC 3339). Default: 2026-03-01T12:00:00Z.
    #[arg(long)]
    pub now: Option<String>,
}

/// The built-in default pack (`examples/packs/b2b-saas`).
pub fn default_pack() -> Result<CompiledPack> {
    CompiledPack::from_parts(
        PACK_MANIFEST,
        PackFormat::Toml,
        "examples/packs/b2b-saas/pack.toml",
        &[("engagement.rhai", PACK_SCRIPT)],
    )
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let now = leadflow::parse_timestamp(args.now.as_deref().unwrap_or(DEMO_NOW))?;
    let pack = default_pack()?;
    let pipeline = Pipeline::default();
    let router = Router::new(RoutingConfig::from_str(ROUTING, ConfigFormat::Yaml)?)?;
    let accounts: Vec<Account> = serde_json::from_str(ACCOUNTS)?;
    let mut leads: Vec<Lead> = parse_records(SAMPLE_LEADS)
        .into_iter()
        .collect::<Result<_>>()?;
    println!(
        "leadflow demo: {} sample leads, pack {}, as of {now}",
        leads.len(),
        pack.id()
    );
    println!(
        "score -> qualify -> lifecycle -> route marketing-qualified leads -> convert SQLs -> funnel\n"
    );

    let header = [
        "id",
        "name",
        "company",
        "score",
        "fit",
        "eng",
        "grade",
        "temp",
        "stage",
        "routed to",
        "moves",
    ];
    let widths = [7, 16, 26, 5, 5, 5, 5, 5, 11, 22, 0];
    print_row(&header.map(str::to_owned), &widths);
    let mut state = RoutingState::default();
    let mut converted = Vec::new();
    for lead in &mut leads {
        // Score, qualify and apply the pack's lifecycle thresholds (moves land in history).
        let ev = pack.evaluate(lead, &pipeline, now)?;
        let moves: Vec<String> = ev
            .moves
            .iter()
            .filter(|t| t.kind != TransitionKind::Initial)
            .map(|t| {
                format!(
                    "{}->{} ({})",
                    t.from.as_deref().unwrap_or("-"),
                    t.to,
                    t.actor.as_deref().unwrap_or("")
                )
            })
            .collect();
        let assignee = route(&router, &pipeline, lead, &mut state, now);
        let s = &ev.score;
        let row = [
            lead.id.clone(),
            lead.full_name().unwrap_or_default(),
            lead.company.clone().unwrap_or_default(),
            format!("{:.1}", s.total),
            format!("{:.1}", s.fit),
            format!("{:.1}", s.engagement),
            s.grade.as_str().to_owned(),
            s.temperature.as_str().to_owned(),
            lead.stage.clone().unwrap_or_default(),
            assignee,
            if moves.is_empty() {
                "-".to_owned()
            } else {
                moves.join(", ")
            },
        ];
        print_row(&row, &widths);
        // Sales-qualified leads become account + contact + opportunity.
        if lead.stage.as_deref() == Some("sql") {
            converted.push(convert_lead(lead, &accounts, now)?);
        }
    }
    println!("\nconverted:");
    for line in &converted {
        println!("{line}");
    }
    print_funnel(&leads, now)?;
    Ok(ExitCode::SUCCESS)
}

/// Marketing-qualified and later leads go to sales through the routing rules.
fn route(
    router: &Router,
    pipeline: &Pipeline,
    lead: &Lead,
    state: &mut RoutingState,
    now: Timestamp,
) -> String {
    let rank = lead.stage.as_deref().and_then(|s| pipeline.stage_rank(s));
    if rank < pipeline.stage_rank("mql") {
        return "-".to_owned();
    }
    let a = router.assign_mut(lead, state, now);
    let who = match &a.assignee {
        Assignee::Rep(r) => r.clone(),
        Assignee::Queue(q) => format!("queue {q}"),
    };
    format!("{who} ({})", a.rule.as_deref().unwrap_or(via_name(a.via)))
}

fn convert_lead(lead: &mut Lead, accounts: &[Account], now: Timestamp) -> Result<String> {
    let result = convert(lead, accounts, &[], &ConvertOptions::default(), now)?;
    let opp = result.opportunity.as_ref();
    Ok(format!(
        "  {} -> account {} ({}), opportunity {} in {}",
        lead.id,
        result.account.id,
        if result.account_change == RecordChange::Created {
            "new"
        } else {
            "existing"
        },
        opp.map_or("-", |o| o.id.as_str()),
        opp.map_or("-", |o| o.stage.as_str()),
    ))
}

fn via_name(via: Via) -> &'static str {
    match via {
        Via::Ownership => "account owner",
        Via::Rule => "rule",
        Via::Fallback => "fallback",
    }
}

/// The funnel of the sample cohort, computed from the stage history just written.
fn print_funnel(leads: &[Lead], now: Timestamp) -> Result<()> {
    let period = Period::parse("2025", utc())?;
    let mut acc = MetricsAccumulator::new(MetricsConfig::new(period, now))?;
    for lead in leads {
        acc.add_lead(lead);
    }
    let funnel = acc.finish().funnel.groups.total;
    let steps: Vec<String> = funnel
        .stages
        .iter()
        .filter(|s| s.reached > 0)
        .map(|s| format!("{} {}", s.stage, s.reached))
        .collect();
    println!(
        "\nfunnel of the {} leads created in 2025: {}",
        funnel.cohort_size,
        steps.join(" -> ")
    );
    Ok(())
}

/// Terminal columns a string takes (East Asian wide characters take two).
fn display_width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn print_row(cells: &[String], widths: &[usize]) {
    let mut line = String::new();
    for (cell, &w) in cells.iter().zip(widths) {
        let mut cell = cell.clone();
        while w > 0 && display_width(&cell) > w {
            cell.pop();
        }
        let pad = w.saturating_sub(display_width(&cell));
        line.push_str(&cell);
        line.push_str(&" ".repeat(pad));
        line.push(' ');
    }
    println!("{}", line.trim_end());
}
