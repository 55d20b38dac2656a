//! `leadflow generate`: write the seeded reference workload (synthetic leads or
//! their flat feature rows) so benchmarks in every language read identical data.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use leadflow::synth::{self, FeatureRow};
use leadflow::{Error, ErrorKind, Result, parse_timestamp};

/// Output formats of `leadflow generate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One lead per line, in leadflow's lead format (activities as of `--now`).
    LeadsJsonl,
    /// One flat feature row per line.
    RowsJsonl,
    /// Flat feature rows as CSV with a header (booleans as `true` / `false`).
    RowsCsv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of leads.
    #[arg(long, default_value_t = 100_000)]
    pub n: usize,
    /// Seed; the same seed always gives the same data.
    #[arg(long, default_value_t = synth::DEFAULT_SEED)]
    pub seed: u64,
    /// The instant the leads are described as of (RFC 3339); activities are placed
    /// relative to it. Never the wall clock, so output is reproducible.
    #[arg(long, default_value = "2026-03-01T00:00:00Z")]
    pub now: String,
    #[arg(long, value_enum, default_value_t = Format::LeadsJsonl)]
    pub format: Format,
    /// Output file (default: standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let now = parse_timestamp(&args.now).map_err(|e| e.with_field("--now"))?;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            File::create(path).map_err(|e| Error::from(e).with_file(path.display().to_string()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    match args.format {
        Format::LeadsJsonl => {
            for lead in synth::reference_leads(args.n, args.seed, now) {
                serde_json::to_writer(&mut out, &lead)?;
                out.write_all(b"\n")?;
            }
        }
        Format::RowsJsonl => {
            for row in synth::reference_row_iter(args.n, args.seed) {
                serde_json::to_writer(&mut out, &row)?;
                out.write_all(b"\n")?;
            }
        }
        Format::RowsCsv => write_csv(&mut out, synth::reference_row_iter(args.n, args.seed))?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_csv(out: &mut impl Write, rows: impl Iterator<Item = FeatureRow>) -> Result<()> {
    let csv_err = |e: csv::Error| Error::new(ErrorKind::Io, format!("writing CSV: {e}"));
    let mut w = csv::Writer::from_writer(out);
    for row in rows {
        w.serialize(row).map_err(csv_err)?;
    }
    w.flush()?;
    Ok(())
}
