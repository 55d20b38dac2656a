//! `leadflow report`: funnel, conversion, velocity, status board, pipeline and
//! attribution from lead and opportunity files, streamed line by line.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use leadflow::metrics::render::{render_html, render_text};
use leadflow::metrics::{MetricsAccumulator, MetricsConfig, MetricsOptions, Period, parse_offset};
use leadflow::model::Record;
use leadflow::time::{parse_date, parse_timestamp};
use leadflow::{Error, Lead, Opportunity, Result};
use serde::Deserialize;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("inputs").required(true).multiple(true).args(["input", "leads", "opportunities"])))]
#[command(group(clap::ArgGroup::new("span").required(true).args(["period", "from"])))]
pub struct Args {
    /// JSON Lines of leads and opportunities, each with `"record_type": "lead"` or `"opportunity"`.
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// JSON Lines of leads.
    #[arg(long)]
    pub leads: Option<PathBuf>,
    /// JSON Lines of opportunities.
    #[arg(long)]
    pub opportunities: Option<PathBuf>,
    /// Period: `2026-Q3`, `2026-07`, `2026` or `2026-07-01..2026-09-30`.
    #[arg(long)]
    pub period: Option<String>,
    /// First day of the period (with --to), `YYYY-MM-DD`.
    #[arg(long, requires = "to")]
    pub from: Option<String>,
    /// Last day of the period, inclusive.
    #[arg(long, requires = "from")]
    pub to: Option<String>,
    /// UTC offset the period's dates are read in (`+09:00`, `-05:00`); default UTC.
    #[arg(long, default_value = "Z", allow_hyphen_values = true)]
    pub utc_offset: String,
    /// The instant the report is as of (RFC 3339).
    #[arg(long)]
    pub now: String,
    /// Metrics options as JSON (`ladder`, `cohort_stage`, `conversions`, `hierarchy`, `costs`, ...).
    #[arg(long)]
    pub options: Option<PathBuf>,
    /// Speed-to-lead SLA in minutes (overrides the options file).
    #[arg(long)]
    pub sla_minutes: Option<u32>,
    /// Days in status after which a lead is stalled (overrides the options file).
    #[arg(long)]
    pub stall_days: Option<f64>,
    /// Write one self-contained HTML page here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Parse and aggregate batches of lines on all cores (partials merged exactly;
    /// same report). Helps on an idle multi-core machine; costs more CPU in total.
    #[arg(long)]
    pub parallel: bool,
    /// Write the report as JSON here (`-` for standard output, instead of the tables).
    #[arg(long)]
    pub json: Option<PathBuf>,
}

#[derive(Deserialize)]
struct Tag {
    #[serde(default)]
    record_type: Option<String>,
}

#[derive(Clone, Copy)]
enum Kind {
    Tagged,
    Lead,
    Opportunity,
}

/// Prints the report; exits 1 (after reporting) when input records were skipped.
pub fn run(args: &Args) -> Result<ExitCode> {
    let config = config(args)?;
    let mut acc = MetricsAccumulator::new(config)?;
    let mut bad = 0u64;
    for (path, kind) in [
        (&args.input, Kind::Tagged),
        (&args.leads, Kind::Lead),
        (&args.opportunities, Kind::Opportunity),
    ] {
        if let Some(p) = path {
            bad += stream(p, kind, &mut acc, args.parallel)?;
        }
    }
    let report = acc.finish();
    if let Some(p) = &args.html {
        std::fs::write(p, render_html(&report))
            .map_err(|e| Error::from(e).with_file(p.display().to_string()))?;
    }
    let json_to_stdout = args.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(p) = &args.json {
        let text = serde_json::to_string_pretty(&report)?;
        if json_to_stdout {
            println!("{text}");
        } else {
            std::fs::write(p, text)
                .map_err(|e| Error::from(e).with_file(p.display().to_string()))?;
        }
    }
    if !json_to_stdout {
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(render_text(&report).as_bytes());
    }
    if bad > 0 {
        eprintln!("warning: {bad} invalid records skipped (see above)");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

fn config(args: &Args) -> Result<MetricsConfig> {
    let offset = parse_offset(&args.utc_offset)?;
    let period = match (&args.period, &args.from, &args.to) {
        (Some(p), _, _) => Period::parse(p, offset)?,
        (None, Some(f), Some(t)) => Period::dates(parse_date(f)?, parse_date(t)?, offset)?,
        _ => return Err(Error::validation("give --period, or --from and --to")),
    };
    let now = parse_timestamp(&args.now)?;
    let mut options: MetricsOptions = match &args.options {
        Some(p) => {
            let text = crate::io::read_input(p)?;
            serde_json::from_str(&text)
                .map_err(|e| Error::from(e).with_file(p.display().to_string()))?
        }
        None => MetricsOptions::default(),
    };
    if let Some(m) = args.sla_minutes {
        options.sla_minutes = m;
    }
    if let Some(d) = args.stall_days {
        options.stall_days = d;
    }
    Ok(MetricsConfig::new(period, now).with_options(options))
}

/// Lines parsed per parallel batch: large enough to keep both cores busy, small
/// enough that the batch (a few MB of text) is the only input held in memory.
const BATCH_LINES: usize = 8_192;

/// Streams one JSON Lines file into the accumulator, a batch of lines at a time;
/// with `parallel`, each batch is parsed and added on all cores into partial
/// accumulators merged (exactly) into `acc`. Returns the number of bad records.
fn stream(path: &Path, kind: Kind, acc: &mut MetricsAccumulator, parallel: bool) -> Result<u64> {
    use rayon::prelude::*;
    let file = std::fs::File::open(path)
        .map_err(|e| Error::from(e).with_file(path.display().to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let (mut line_no, mut bad) = (0u32, 0u64);
    let mut batch: Vec<String> = Vec::with_capacity(BATCH_LINES);
    loop {
        batch.clear();
        let first_line = line_no + 1;
        while batch.len() < BATCH_LINES {
            let mut line = String::new();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            line_no += 1;
            batch.push(line);
        }
        if batch.is_empty() {
            break;
        }
        let mut errors = Vec::new();
        if parallel {
            let (part, errs) = batch
                .par_iter()
                .enumerate()
                .fold(
                    || (acc.empty_like(), Vec::new()),
                    |(mut a, mut errs), (i, line)| {
                        let text = line.trim();
                        if !text.is_empty()
                            && let Err(e) = add_line(text, kind, &mut a)
                        {
                            errs.push((first_line + u32::try_from(i).unwrap_or(0), e));
                        }
                        (a, errs)
                    },
                )
                .reduce(
                    || (acc.empty_like(), Vec::new()),
                    |(mut a, mut ea), (b, eb)| {
                        // Partials share the configuration, so merging cannot fail.
                        let _ = a.merge(&b);
                        ea.extend(eb);
                        (a, ea)
                    },
                );
            acc.merge(&part)?;
            errors = errs;
        } else {
            for (i, line) in batch.iter().enumerate() {
                let text = line.trim();
                if !text.is_empty()
                    && let Err(e) = add_line(text, kind, acc)
                {
                    errors.push((first_line + u32::try_from(i).unwrap_or(0), e));
                }
            }
        }
        errors.sort_by_key(|(n, _)| *n);
        for (n, e) in errors {
            bad += 1;
            if bad <= 20 {
                let col = e.column().unwrap_or(1);
                eprintln!("{}", e.with_file(path.display().to_string()).at(n, col));
            }
        }
    }
    Ok(bad)
}

fn add_line(text: &str, kind: Kind, acc: &mut MetricsAccumulator) -> Result<()> {
    let kind = match kind {
        Kind::Tagged => match serde_json::from_str::<Tag>(text)?.record_type.as_deref() {
            Some("lead") => Kind::Lead,
            Some("opportunity") => Kind::Opportunity,
            other => {
                return Err(Error::validation(format!(
                    "record_type must be \"lead\" or \"opportunity\", found {other:?}"
                ))
                .with_field("record_type"));
            }
        },
        k => k,
    };
    if let Kind::Opportunity = kind {
        // Fast path: typed parse; on failure re-parse for an error naming record and field.
        let opp = serde_json::from_str::<Opportunity>(text).or_else(|_| {
            serde_json::from_str(text)
                .map_err(Error::from)
                .and_then(Opportunity::from_value)
        })?;
        acc.add_opportunity(&opp);
    } else {
        let mut lead = serde_json::from_str::<Lead>(text).or_else(|_| {
            serde_json::from_str(text)
                .map_err(Error::from)
                .and_then(Lead::from_value)
        })?;
        lead.extra.remove("record_type");
        acc.add_lead(&lead);
    }
    Ok(())
}
