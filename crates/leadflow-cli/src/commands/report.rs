//! `leadflow report`: funnel, conversion, velocity, status board, pipeline and
//! attribution from lead and opportunity files, streamed line by line.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use leadflow::metrics::render::{render_html, render_text};
use leadflow::metrics::{
    LeadView, MetricsAccumulator, MetricsConfig, MetricsOptions, Period, parse_offset,
};
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
    /// Lifecycle pipeline (`.json`, `.yaml`/`.yml`, `.toml`, as for `leadflow lifecycle`)
    /// whose stage ladder the metrics use.
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
    /// Speed-to-lead SLA in minutes (overrides the options file).
    #[arg(long)]
    pub sla_minutes: Option<u32>,
    /// Days in status after which a lead is stalled (overrides the options file).
    #[arg(long)]
    pub stall_days: Option<f64>,
    /// Write one self-contained HTML page here.
    #[arg(long)]
    pub html: Option<PathBuf>,
    /// Threads that read, parse and aggregate batches of lines (partials merged
    /// exactly: the same report). Default: all cores; `1` streams in one thread
    /// with the least memory.
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Kept for compatibility: parallel is the default (see `--jobs`).
    #[arg(long, hide = true)]
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
            bad += stream(p, kind, &mut acc, args.jobs)?;
        }
    }
    let report = acc.finish();
    if let Some(p) = &args.html {
        std::fs::write(p, render_html(&report))
            .map_err(|e| Error::from(e).with_file(p.display().to_string()))?;
    }
    let json_to_stdout = args.json.as_ref().is_some_and(|p| p.as_os_str() == "-");
    if let Some(p) = &args.json {
        let text = crate::term::json_pretty(&report)?;
        if json_to_stdout {
            println!("{text}");
        } else {
            std::fs::write(p, text)
                .map_err(|e| Error::from(e).with_file(p.display().to_string()))?;
        }
    }
    if !json_to_stdout {
        let mut out = std::io::stdout().lock();
        let text = render_text(&report);
        let _ = out.write_all(crate::term::escape_text(&text).as_bytes());
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
    if let Some(p) = &args.pipeline {
        let pipeline = leadflow::lifecycle::Pipeline::from_path(p)?;
        options
            .apply_pipeline(&pipeline)
            .map_err(|e| e.with_file(p.display().to_string()))?;
    }
    if let Some(m) = args.sla_minutes {
        options.sla_minutes = m;
    }
    if let Some(d) = args.stall_days {
        options.stall_days = d;
    }
    Ok(MetricsConfig::new(period, now).with_options(options))
}

/// Lines per batch: large enough to keep every core busy and amortise the
/// hand-off, small enough that a batch (a few MB of text) is the only input held
/// in memory per core.
const BATCH_LINES: usize = 2_048;

/// Invalid records printed (the count is always exact).
const SHOWN_ERRORS: usize = 20;

/// Bad records: how many, and the first few by line number.
#[derive(Default)]
struct ErrorLog {
    count: u64,
    first: Vec<(u32, Error)>,
}

impl ErrorLog {
    fn push(&mut self, line: u32, e: Error) {
        self.count += 1;
        self.first.push((line, e));
        if self.first.len() > 2 * SHOWN_ERRORS {
            self.trim();
        }
    }

    fn trim(&mut self) {
        self.first.sort_by_key(|(n, _)| *n);
        self.first.truncate(SHOWN_ERRORS);
    }

    fn merge(&mut self, other: ErrorLog) {
        self.count += other.count;
        self.first.extend(other.first);
        self.trim();
    }
}

/// Reads up to `BATCH_LINES` lines into `buf` (cleared first) as bytes, so a
/// line that is not UTF-8 is one bad record, not a failed read; returns how many.
fn read_batch(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> std::io::Result<u32> {
    buf.clear();
    let mut n = 0;
    while (n as usize) < BATCH_LINES && reader.read_until(b'\n', buf)? > 0 {
        n += 1;
    }
    Ok(n)
}

/// Adds a batch of lines (the first one is line `first_line` of the file).
fn add_batch(
    batch: &[u8],
    first_line: u32,
    kind: Kind,
    acc: &mut MetricsAccumulator,
    log: &mut ErrorLog,
) {
    for (i, line) in (first_line..).zip(batch.split_inclusive(|&b| b == b'\n')) {
        // A UTF-8 BOM starts the file, not its first record.
        let line = match line.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if i == 1 => rest,
            _ => line,
        };
        let text = match std::str::from_utf8(line) {
            Ok(t) => t.trim(),
            Err(u) => {
                let col = u32::try_from(u.valid_up_to() + 1).unwrap_or(u32::MAX);
                let byte = line[u.valid_up_to()];
                let msg = format!("line {i}: not valid UTF-8 (byte 0x{byte:02X} at column {col})");
                log.push(i, Error::parse(msg).at(i, col));
                continue;
            }
        };
        if !text.is_empty()
            && let Err(e) = add_line(text, kind, acc)
        {
            log.push(i, e);
        }
    }
}

/// Streams one JSON Lines file into the accumulator a batch of lines at a time;
/// with more than one job, every thread reads, parses and adds whole batches into its own
/// partial accumulator, and the partials are merged (exactly) at the end.
/// Returns the number of bad records (the first few are printed).
fn stream(path: &Path, kind: Kind, acc: &mut MetricsAccumulator, jobs: Option<u16>) -> Result<u64> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::from(e).with_file(path.display().to_string()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut log = ErrorLog::default();
    let threads = jobs.map_or_else(rayon::current_num_threads, usize::from);
    if threads > 1 {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| Error::config(format!("cannot start {threads} threads: {e}")))?;
        pool.install(|| stream_parallel(reader, kind, acc, &mut log))?;
    } else {
        let (mut buf, mut first_line) = (Vec::new(), 1u32);
        loop {
            let n = read_batch(&mut reader, &mut buf)?;
            if n == 0 {
                break;
            }
            add_batch(&buf, first_line, kind, acc, &mut log);
            first_line += n;
        }
    }
    log.trim();
    for (n, e) in log.first {
        let col = e.column().unwrap_or(1);
        let e = e.with_file(path.display().to_string()).at(n, col);
        eprintln!("{}", crate::term::escape(&e.to_string()));
    }
    Ok(log.count)
}

fn stream_parallel(
    mut reader: impl BufRead + Send,
    kind: Kind,
    acc: &mut MetricsAccumulator,
    log: &mut ErrorLog,
) -> Result<()> {
    use rayon::iter::{ParallelBridge, ParallelIterator};
    let mut first_line = 1u32;
    // The reader is shared: whichever worker is free reads the next batch, so
    // reading overlaps parsing and each worker merges its partial only once.
    let batches = std::iter::from_fn(move || {
        let mut buf = Vec::new();
        match read_batch(&mut reader, &mut buf) {
            Ok(0) => None,
            Ok(n) => {
                let start = first_line;
                first_line += n;
                Some(Ok((start, buf)))
            }
            Err(e) => Some(Err(e)),
        }
    });
    let base = acc.empty_like();
    let (part, part_log) = batches
        .par_bridge()
        .try_fold(
            || (base.empty_like(), ErrorLog::default()),
            |(mut a, mut log), batch| {
                let (start, buf) = batch?;
                add_batch(&buf, start, kind, &mut a, &mut log);
                Ok::<_, std::io::Error>((a, log))
            },
        )
        .try_reduce(
            || (base.empty_like(), ErrorLog::default()),
            |(mut a, mut la), (b, lb)| {
                // Partials share the configuration, so merging cannot fail.
                let _ = a.merge(&b);
                la.merge(lb);
                Ok((a, la))
            },
        )?;
    acc.merge(&part)?;
    log.merge(part_log);
    Ok(())
}

fn add_line(text: &str, kind: Kind, acc: &mut MetricsAccumulator) -> Result<()> {
    // Fast path: a borrowed metrics-only view of the line, which also reads
    // `record_type` (one parse, not two). The view accepts only what a `Lead`
    // accepts, so anything it refuses takes the general path below, which gives
    // the same report and the same errors as before.
    if !matches!(kind, Kind::Opportunity)
        && let Ok(view) = serde_json::from_str::<LeadView>(text)
    {
        match (kind, view.record_type()) {
            (Kind::Lead, _) | (Kind::Tagged, Some("lead")) => {
                acc.add_lead_view(&view);
                return Ok(());
            }
            (Kind::Tagged, Some("opportunity")) => return add_opportunity(text, acc),
            _ => {}
        }
    }
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
        add_opportunity(text, acc)?;
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

fn add_opportunity(text: &str, acc: &mut MetricsAccumulator) -> Result<()> {
    // Typed parse; on failure re-parse for an error naming record and field.
    let opp = serde_json::from_str::<Opportunity>(text).or_else(|_| {
        serde_json::from_str(text)
            .map_err(Error::from)
            .and_then(Opportunity::from_value)
    })?;
    acc.add_opportunity(&opp);
    Ok(())
}
