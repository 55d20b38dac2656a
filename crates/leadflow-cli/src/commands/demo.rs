//! `leadflow demo`: the whole flow on built-in sample leads with the built-in
//! B2B `SaaS` pack (both embedded, so it works from a fresh clone), printed as a table.

use std::process::ExitCode;

use leadflow::Result;
use leadflow::lifecycle::Pipeline;
use leadflow::model::{Lead, parse_records};
use leadflow::rules::{CompiledPack, PackFormat};

/// The sample leads (EN and JA), `examples/data/sample-leads.jsonl`.
pub const SAMPLE_LEADS: &str = include_str!("../../../../examples/data/sample-leads.jsonl");
const PACK_MANIFEST: &str = include_str!("../../../../examples/packs/b2b-saas/pack.toml");
const PACK_SCRIPT: &str = include_str!("../../../../examples/packs/b2b-saas/engagement.rhai");
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
    let leads: Vec<Lead> = parse_records(SAMPLE_LEADS)
        .into_iter()
        .collect::<Result<_>>()?;
    println!(
        "leadflow demo: {} sample leads scored with {} as of {now}",
        leads.len(),
        pack.id()
    );
    println!();
    let header = [
        "id",
        "name",
        "company",
        "score",
        "fit",
        "eng",
        "grade",
        "temp",
        "qualification",
        "stage moves",
    ];
    let widths = [7, 16, 26, 5, 5, 5, 5, 5, 13, 0];
    print_row(&header.map(str::to_owned), &widths);
    let mut hot = 0;
    let mut moved = 0;
    for mut lead in leads {
        let ev = pack.evaluate(&mut lead, &pipeline, now)?;
        let s = &ev.score;
        let stage_moves: Vec<String> = ev
            .moves
            .iter()
            .filter(|t| t.kind != leadflow::model::TransitionKind::Initial)
            .map(|t| {
                format!(
                    "{}->{} ({})",
                    t.from.as_deref().unwrap_or("-"),
                    t.to,
                    t.actor.as_deref().unwrap_or("")
                )
            })
            .collect();
        hot += usize::from(s.temperature == leadflow::rules::Temperature::Hot);
        moved += usize::from(!stage_moves.is_empty());
        let row = [
            lead.id.clone(),
            lead.full_name().unwrap_or_default(),
            lead.company.clone().unwrap_or_default(),
            format!("{:.1}", s.total),
            format!("{:.1}", s.fit),
            format!("{:.1}", s.engagement),
            s.grade.as_str().to_owned(),
            s.temperature.as_str().to_owned(),
            ev.qualification
                .as_ref()
                .map_or(String::new(), |q| q.outcome.as_str().to_owned()),
            if stage_moves.is_empty() {
                "-".to_owned()
            } else {
                stage_moves.join(", ")
            },
        ];
        print_row(&row, &widths);
    }
    println!();
    println!("{hot} hot leads; {moved} leads moved by lifecycle rules.");
    Ok(ExitCode::SUCCESS)
}

/// Terminal columns a string takes (CJK characters are two columns wide).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let c = c as u32;
            let wide = matches!(c, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6);
            if wide { 2 } else { 1 }
        })
        .sum()
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
