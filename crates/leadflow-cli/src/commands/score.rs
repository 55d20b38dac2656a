//! `leadflow score`: score (and qualify, and move through the lifecycle) a lead
//! file with a rule pack, streaming: records are read in chunks, scored in
//! parallel and written in input order, so memory stays constant.
//!
//! Exit code: 0 when every record scored, 1 when any record failed (each
//! failure is an error line/row in the output), 2 for a fatal error (bad pack,
//! unreadable input).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use leadflow::lifecycle::Pipeline;
use leadflow::model::{RawRecord, RecordText};
use leadflow::rules::CompiledPack;
use leadflow::{Error, Lead, Result, Timestamp};
use rayon::prelude::*;
use serde_json::{Map, Value, json};

/// Records per parallel chunk.
const CHUNK: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutFormat {
    Jsonl,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InFormat {
    Jsonl,
    Json,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rule pack: a folder with pack.toml|json|yaml, a manifest file, or a .rhai file.
    #[arg(long)]
    pub pack: PathBuf,
    /// Score as of this instant (RFC 3339). Default: the current time.
    #[arg(long)]
    pub now: Option<String>,
    /// Add the explanation (rules fired, decay, caps, reasons) to each output record.
    #[arg(long)]
    pub explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutFormat::Jsonl)]
    pub format: OutFormat,
    /// Output file (default: standard output).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Input format (default: from the extension: .csv, else JSON). `json` and `jsonl`
    /// read alike: a JSON array (element by element), one object, or JSON Lines,
    /// decided from the text.
    #[arg(long, value_enum)]
    pub input_format: Option<InFormat>,
    /// Pipeline config (JSON, YAML or TOML) for stage moves (default: built-in stages).
    #[arg(long)]
    pub pipeline: Option<PathBuf>,
    /// Lead file, or `-` for standard input.
    pub input: PathBuf,
    #[command(flatten)]
    pub limits: crate::limits::LimitArgs,
}

/// Resolves `--now`: the given instant, else the wall clock (the core never reads it).
pub fn resolve_now(now: Option<&str>) -> Result<Timestamp> {
    match now {
        Some(s) => leadflow::parse_timestamp(s),
        None => Ok(chrono::Utc::now().fixed_offset()),
    }
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let pack = CompiledPack::load_with(&args.pack, &args.limits.options()?)?;
    let now = resolve_now(args.now.as_deref())?;
    let pipeline = match &args.pipeline {
        Some(p) => Pipeline::from_path(p)?,
        None => Pipeline::default(),
    };
    let format = args
        .input_format
        .unwrap_or_else(|| guess_format(&args.input));
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .map_err(|e| Error::from(e).with_file(p.display().to_string()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    // CSV cells are data and stay byte-exact in files; on a terminal they are escaped.
    let on_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut sink = Sink::new(out, args.format, args.explain, on_terminal)?;
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} leads scored ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let scorer = Scorer {
        pack: &pack,
        pipeline: &pipeline,
        now,
        explain: args.explain,
    };
    let mut failed = 0usize;
    // Records stay unparsed text until a worker takes them: the chunk holds
    // bytes, not JSON trees, and parsing runs on every core.
    let mut chunk: Vec<RecordText> = Vec::with_capacity(CHUNK);
    let mut flush = |chunk: &mut Vec<RecordText>, sink: &mut Sink| -> Result<()> {
        let rows: Vec<Value> = chunk.par_drain(..).map(|raw| scorer.one(raw)).collect();
        for r in &rows {
            if r.get("error").is_some() {
                failed += 1;
            }
            sink.write(r)?;
        }
        if let Some(bar) = &progress {
            bar.inc(rows.len() as u64);
        }
        Ok(())
    };
    let mut feed = |item: RecordText, sink: &mut Sink| -> Result<()> {
        chunk.push(item);
        if chunk.len() >= CHUNK {
            flush(&mut chunk, sink)?;
        }
        Ok(())
    };
    match format {
        // Both read the same way: the layout is decided from the text itself.
        InFormat::Json | InFormat::Jsonl => {
            for raw in crate::io::records(&args.input)? {
                feed(raw?, &mut sink)?;
            }
        }
        InFormat::Csv => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(crate::io::open_input(&args.input)?);
            let headers = reader.headers().map_err(csv_error)?.clone();
            for (i, row) in reader.records().enumerate() {
                let value = row
                    .map_err(csv_error)
                    .map(|r| csv_record(&headers, &r, i + 2, now));
                let line = u32::try_from(i + 2).unwrap_or(u32::MAX);
                let raw = RawRecord {
                    index: i,
                    line,
                    column: 1,
                    in_array: false,
                    value,
                };
                feed(RecordText::from(raw), &mut sink)?;
            }
        }
    }
    flush(&mut chunk, &mut sink)?;
    sink.finish()?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn guess_format(path: &Path) -> InFormat {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => InFormat::Csv,
        Some("json") => InFormat::Json,
        _ => InFormat::Jsonl,
    }
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(csv_error)`
fn csv_error(e: csv::Error) -> Error {
    let err = Error::parse(format!("CSV: {e}"));
    match e.position() {
        Some(p) => err.at(u32::try_from(p.line()).unwrap_or(u32::MAX), 0),
        None => err,
    }
}

/// Lead fields that stay strings in CSV even when they look like numbers.
const STRING_FIELDS: &[&str] = &[
    "id",
    "created_at",
    "first_name",
    "last_name",
    "email",
    "phone",
    "title",
    "company",
    "website",
    "industry",
    "country",
    "source",
    "campaign",
    "owner",
    "stage",
    "status",
];

/// A CSV row as a lead object: empty cells are missing; numbers and booleans
/// are typed; a missing `id` is `row-<line>` and a missing `created_at` is `now`.
fn csv_record(
    headers: &csv::StringRecord,
    row: &csv::StringRecord,
    line: usize,
    now: Timestamp,
) -> Value {
    let mut obj = Map::new();
    for (h, v) in headers.iter().zip(row.iter()) {
        let v = v.trim();
        if v.is_empty() {
            continue;
        }
        let value = if STRING_FIELDS.contains(&h) {
            Value::String(v.to_owned())
        } else if let Ok(i) = v.parse::<i64>() {
            Value::from(i)
        } else if let Ok(f) = v.parse::<f64>() {
            serde_json::Number::from_f64(f)
                .map_or_else(|| Value::String(v.to_owned()), Value::Number)
        } else if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") {
            Value::Bool(v.eq_ignore_ascii_case("true"))
        } else {
            Value::String(v.to_owned())
        };
        obj.insert(h.to_owned(), value);
    }
    obj.entry("id")
        .or_insert_with(|| Value::String(format!("row-{line}")));
    obj.entry("created_at")
        .or_insert_with(|| Value::String(now.to_rfc3339()));
    Value::Object(obj)
}

struct Scorer<'a> {
    pack: &'a CompiledPack,
    pipeline: &'a Pipeline,
    now: Timestamp,
    explain: bool,
}

impl Scorer<'_> {
    fn one(&self, text: RecordText) -> Value {
        let raw = text.into_record();
        let line = raw.line;
        let id = match &raw.value {
            Ok(v) => v.get("id").cloned().unwrap_or(Value::Null),
            // A record that does not parse is named when its id was readable.
            Err(e) => e.record().map_or(Value::Null, Value::from),
        };
        match raw.parse::<Lead>().and_then(|lead| self.evaluate(lead)) {
            Ok(v) => v,
            Err(e) => json!({"id": id, "line": line, "error": e}),
        }
    }

    fn evaluate(&self, mut lead: Lead) -> Result<Value> {
        let ev = self.pack.evaluate(&mut lead, self.pipeline, self.now)?;
        let explanation = if self.explain {
            self.pack.explain(&lead, self.now)?.explanation
        } else {
            None
        };
        let s = &ev.score;
        let mut out = json!({
            "id": lead.id,
            "score": s.total,
            "fit": s.fit,
            "engagement": s.engagement,
            "grade": s.grade,
            "temperature": s.temperature,
            "stage": lead.stage,
            "qualification": lead.qualification.as_ref().map(|q| q.outcome.clone()),
        });
        if let Some(e) = explanation {
            out["explanation"] = serde_json::to_value(e)?;
        }
        Ok(out)
    }
}

/// Writes result objects as JSON Lines or CSV.
enum Sink {
    Jsonl(Box<dyn Write>),
    /// The writer, `--explain`, and whether cells are escaped for a terminal.
    Csv(Box<csv::Writer<Box<dyn Write>>>, bool, bool),
}

const CSV_HEADER: &[&str] = &[
    "id",
    "score",
    "fit",
    "engagement",
    "grade",
    "temperature",
    "stage",
    "qualification",
    "error",
];

fn io_error(e: &csv::Error) -> Error {
    Error::new(leadflow::ErrorKind::Io, e.to_string())
}

impl Sink {
    fn new(out: Box<dyn Write>, format: OutFormat, explain: bool, terminal: bool) -> Result<Self> {
        if format == OutFormat::Jsonl {
            return Ok(Sink::Jsonl(out));
        }
        let mut w = csv::Writer::from_writer(out);
        let mut header: Vec<&str> = CSV_HEADER.to_vec();
        if explain {
            header.push("reasons");
        }
        w.write_record(&header).map_err(|e| io_error(&e))?;
        Ok(Sink::Csv(Box::new(w), explain, terminal))
    }

    fn write(&mut self, r: &Value) -> Result<()> {
        let (w, explain, terminal) = match self {
            Sink::Jsonl(out) => {
                crate::term::write_json(&mut *out, r)?;
                out.write_all(b"\n")?;
                return Ok(());
            }
            Sink::Csv(w, explain, terminal) => (w, *explain, *terminal),
        };
        let cell = |k: &str| match &r[k] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut row: Vec<String> = CSV_HEADER[..8].iter().map(|k| cell(k)).collect();
        row.push(r.get("error").map_or_else(String::new, |e| {
            e["message"].as_str().unwrap_or_default().to_owned()
        }));
        if explain {
            let reasons: Vec<String> = r["explanation"]["rules"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| {
                    format!(
                        "{} {:+}",
                        f["rule"].as_str().unwrap_or_default(),
                        f["points"].as_f64().unwrap_or(0.0)
                    )
                })
                .collect();
            row.push(reasons.join("; "));
        }
        if terminal {
            for cell in &mut row {
                *cell = crate::term::escape(cell).into_owned();
            }
        }
        w.write_record(&row).map_err(|e| io_error(&e))
    }

    fn finish(self) -> Result<()> {
        match self {
            Sink::Jsonl(mut out) => out.flush()?,
            Sink::Csv(mut w, _, _) => w.flush()?,
        }
        Ok(())
    }
}
