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
use leadflow::model::{RawRecord, RecordReader, RecordText, fields};
use leadflow::rules::{
    Cell, CompiledPack, InputOptions, KeyNames, RowBatch, RowScore, RowScores, ScoreOptions,
    fold_column_name, text_cell, value_cell,
};
use leadflow::{Error, Lead, Result, Timestamp};
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::score_output::{Out, Sink};

/// Records per parallel chunk.
const CHUNK: usize = 2048;

/// CSV rows per chunk: flat rows are cheap, so chunks are larger.
const FLAT_CHUNK: usize = 16_384;

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
    /// Read input column COLUMN as feature FEATURE (`--map "Job Title=title"`;
    /// repeatable). Without it, columns match features ignoring case, spaces and `-`.
    #[arg(long = "map", value_name = "COLUMN=FEATURE")]
    pub map: Vec<String>,
    /// A feature column the input lacks is a warning (on stderr), not an error.
    #[arg(long)]
    pub lenient: bool,
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
    let opts = InputOptions {
        columns: parse_maps(&args.map)?,
        strict: !args.lenient,
    };
    let out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p)
                .map_err(|e| Error::from(e).with_file(p.display().to_string()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    // CSV cells are data and stay byte-exact in files; on a terminal they are escaped.
    let on_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let mut sink = Sink::new(
        out,
        args.format == OutFormat::Csv,
        args.explain,
        on_terminal,
    )?;
    let progress = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} leads scored ({per_sec})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let scorer = Scorer::new(&pack, &pipeline, now, args.explain, &opts);
    let mut failed = 0usize;
    let input = crate::io::open_input(&args.input)?;
    let file = args.input.display().to_string();
    let warnings = scorer.stream(format, input, &file, &mut |rows: Vec<Out>| {
        failed += rows.iter().filter(|r| r.is_error()).count();
        sink.write_all(&rows)?;
        if let Some(bar) = &progress {
            bar.inc(rows.len() as u64);
        }
        Ok(())
    })?;
    for w in &warnings {
        eprintln!("leadflow: warning: {w}");
    }
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

/// `--map "Job Title=title"` options as (column, feature) pairs.
fn parse_maps(maps: &[String]) -> Result<Vec<(String, String)>> {
    maps.iter()
        .map(|m| match m.rsplit_once('=') {
            Some((from, to)) if !from.is_empty() && !to.trim().is_empty() => {
                Ok((from.to_owned(), to.trim().to_owned()))
            }
            _ => Err(Error::config(format!(
                "--map {m:?}: expected COLUMN=FEATURE (for example \"Job Title=title\")"
            ))),
        })
        .collect()
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

/// A CSV cell, typed by the core's one spelling (`text_cell`); lead fields
/// that hold text stay text.
fn csv_cell<'a>(name: &str, text: &'a str) -> Cell<'a> {
    let t = text.trim();
    if t.is_empty() {
        Cell::Null
    } else if fields::is_string_field(name) {
        Cell::Str(t)
    } else {
        text_cell(t)
    }
}

/// CSV rows fed to a chunk: the fast path straight from the cells, with the
/// batch key of each column resolved once.
struct CsvRows<'n> {
    names: &'n [String],
    keys: Vec<Option<usize>>,
    has_id: bool,
    has_created: bool,
    stage: Option<usize>,
    now: Timestamp,
    now_text: String,
}

impl<'n> CsvRows<'n> {
    fn new(names: &'n [String], chunk: &Chunk, now: Timestamp) -> Self {
        let keys: Vec<Option<usize>> = match &chunk.batch {
            Some(b) => {
                let keys: Vec<&str> = b.keys().collect();
                names
                    .iter()
                    .map(|n| keys.iter().position(|k| k == n))
                    .collect()
            }
            None => vec![None; names.len()],
        };
        CsvRows {
            names,
            keys,
            has_id: names.iter().any(|n| n == "id"),
            has_created: names.iter().any(|n| n == "created_at"),
            stage: names.iter().position(|n| n == "stage"),
            now,
            now_text: now.to_rfc3339(),
        }
    }

    fn add(&self, chunk: &mut Chunk, row: &csv::StringRecord, line: usize) {
        let line32 = u32::try_from(line).unwrap_or(u32::MAX);
        if let Some(batch) = &mut chunk.batch {
            batch.begin_row();
            let mut id = self.has_id;
            let mut created = self.has_created;
            for (i, text) in row.iter().enumerate() {
                let Some(name) = self.names.get(i) else {
                    batch.mark_slow();
                    break;
                };
                let cell = csv_cell(name, text);
                if cell == Cell::Null {
                    // An empty `id`/`created_at` cell is missing: filled in below.
                    id &= name != "id";
                    created &= name != "created_at";
                    continue;
                }
                match self.keys[i] {
                    Some(k) => batch.set(k, cell),
                    None => batch.set_other(name, cell),
                }
            }
            // Keys 0 and 1 of every batch are `id` and `created_at`.
            if !id {
                batch.set(0, Cell::Str(&format!("row-{line}")));
            }
            if !created {
                batch.set(1, Cell::Str(&self.now_text));
            }
            if batch.finish_row() {
                let stage = self
                    .stage
                    .and_then(|i| row.get(i))
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned);
                chunk.items.push(Item::Fast {
                    line: line32,
                    stage,
                });
                return;
            }
        }
        chunk.items.push(Item::Slow(RawRecord {
            index: line - 2,
            line: line32,
            column: 1,
            in_array: false,
            value: Ok(csv_record(self.names, row, line, self.now)),
        }));
    }
}

/// A CSV row as a lead object: empty cells are missing; numbers and booleans
/// are typed; a missing `id` is `row-<line>` and a missing `created_at` is `now`.
fn csv_record(names: &[String], row: &csv::StringRecord, line: usize, now: Timestamp) -> Value {
    let mut obj = Map::new();
    for (h, v) in names.iter().zip(row.iter()) {
        let value = match csv_cell(h, v) {
            Cell::Null => continue,
            Cell::Bool(b) => Value::Bool(b),
            Cell::Int(i) => Value::from(i),
            Cell::UInt(u) => Value::from(u),
            Cell::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Cell::Str(s) => Value::String(s.to_owned()),
        };
        obj.insert(h.clone(), value);
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
    /// Flat records go to a row batch.
    rows: bool,
    /// Nested JSON records are scored from their text (`Scorer::read_text`).
    borrowed: bool,
    opts: &'a InputOptions,
}

/// One record of a chunk, in input order.
enum Item {
    /// Added to the chunk's row batch (its next fast row).
    Fast { line: u32, stage: Option<String> },
    /// Scored from its JSON text by the borrowed reader (`Scorer::read_text`).
    Done(Out),
    /// Parsed and evaluated as a full lead.
    Slow(RawRecord),
}

/// Records between two writes: flat ones in a row batch, the others kept.
struct Chunk {
    batch: Option<RowBatch>,
    items: Vec<Item>,
    /// JSON records' keys read as the schema check reads them, on every path.
    names: KeyNames,
}

impl<'a> Scorer<'a> {
    fn new(
        pack: &'a CompiledPack,
        pipeline: &'a Pipeline,
        now: Timestamp,
        explain: bool,
        opts: &'a InputOptions,
    ) -> Self {
        Scorer {
            pack,
            pipeline,
            now,
            explain,
            // When a record's evaluation is its score, flat records take the
            // row-batch (columnar) path, unless explained, and nested ones the
            // borrowed reader.
            rows: !explain && pack.only_scores(),
            borrowed: pack.only_scores(),
            opts,
        }
    }

    /// Reads, scores and emits every record of `input` in chunks, in input
    /// order; gives the lenient schema check's warnings. Errors: a bad pack
    /// input schema (CSV), an unreadable file.
    fn stream(
        &self,
        format: InFormat,
        input: Box<dyn std::io::BufRead>,
        file: &str,
        emit: &mut dyn FnMut(Vec<Out>) -> Result<()>,
    ) -> Result<Vec<String>> {
        let mut chunk = self.chunk();
        let mut warnings = Vec::new();
        let mut flush = |chunk: Chunk| emit(self.flush(chunk));
        match format {
            // Both read the same way: the layout is decided from the text itself.
            InFormat::Json | InFormat::Jsonl => {
                // Records stay unparsed text until the workers parse a chunk of them.
                let mut texts: Vec<RecordText> = Vec::with_capacity(CHUNK);
                // A JSON record may omit any field: only the mapping is checked here.
                let mapped: Vec<&str> = self.opts.columns.iter().map(|(c, _)| c.as_str()).collect();
                self.pack.record_schema(&mapped, self.opts)?;
                let mut records = RecordReader::new(input)
                    .texts()
                    .map(|r| r.map_err(|e| e.with_file(file.to_owned())));
                loop {
                    let next = records.next().transpose()?;
                    let done = next.is_none();
                    texts.extend(next);
                    if texts.len() < CHUNK && !done {
                        continue;
                    }
                    let names = &chunk.names;
                    let read: Vec<Item> = texts
                        .par_drain(..)
                        .map_init(|| names.clone(), |names, t| self.read_text(names, t))
                        .collect();
                    for item in read {
                        match item {
                            Item::Slow(raw) => self.add_value(&mut chunk, raw),
                            done => chunk.items.push(done),
                        }
                    }
                    if chunk.items.len() >= CHUNK || done {
                        flush(std::mem::replace(&mut chunk, self.chunk()))?;
                    }
                    if done {
                        break;
                    }
                }
            }
            InFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(input);
                let headers = reader.headers().map_err(csv_error)?.clone();
                let header: Vec<&str> = headers.iter().collect();
                let schema = self.pack.input_schema(&header, self.opts)?;
                warnings.clone_from(&schema.warnings);
                let names: Vec<String> = schema.names().map(str::to_owned).collect();
                let csv = CsvRows::new(&names, &chunk, self.now);
                let mut row = csv::StringRecord::new();
                for i in 0.. {
                    let line = i + 2;
                    match reader.read_record(&mut row) {
                        Ok(false) => break,
                        Ok(true) => csv.add(&mut chunk, &row, line),
                        Err(e) => chunk.items.push(Item::Slow(RawRecord {
                            index: i,
                            line: u32::try_from(line).unwrap_or(u32::MAX),
                            column: 1,
                            in_array: false,
                            value: Err(csv_error(e)),
                        })),
                    }
                    if chunk.items.len() >= FLAT_CHUNK {
                        flush(std::mem::replace(&mut chunk, self.chunk()))?;
                    }
                }
                flush(chunk)?;
            }
        }
        Ok(warnings)
    }

    fn chunk(&self) -> Chunk {
        Chunk {
            batch: self
                .rows
                .then(|| RowBatch::with_options(self.pack, self.now, false, self.opts)),
            items: Vec::new(),
            names: KeyNames::new(self.pack, self.opts),
        }
    }

    /// A JSON record as read on a worker. When the evaluation is the score, a
    /// nested record (activities, `custom` ...) whose keys need no renaming is
    /// scored, and explained when asked, from its text with the borrowed reader
    /// (what [`Self::one`] would give it); the others are parsed here and
    /// sorted into row batch or lead path by [`Self::add_value`].
    fn read_text(&self, names: &mut KeyNames, t: RecordText) -> Item {
        if self.borrowed
            && let Some(text) = t.json()
            && let Some(s) = self.pack.score_json_nested(
                text,
                self.now,
                ScoreOptions::default().with_explain(self.explain),
                &mut |k| names.alias_of(k).is_none(),
            )
        {
            return Item::Done(match s.result {
                Ok(r) => Out::scored(r, s.stage.as_deref(), None),
                Err(e) => Out::failed(s.id, t.line, e),
            });
        }
        Item::Slow(t.into_record())
    }

    /// Adds a parsed JSON record: flat ones to the row batch, when it takes them.
    fn add_value(&self, chunk: &mut Chunk, mut raw: RawRecord) {
        if let (Some(batch), Ok(Value::Object(map))) = (&mut chunk.batch, &raw.value) {
            batch.begin_row();
            for (k, v) in map {
                match value_cell(v) {
                    Some(cell) => batch.set_other(k, cell),
                    None => batch.mark_slow(),
                }
            }
            if batch.finish_row() {
                let stage = self.stage_of(map);
                chunk.items.push(Item::Fast {
                    line: raw.line,
                    stage,
                });
                return;
            }
        }
        if let Ok(Value::Object(map)) = &mut raw.value {
            raw.value = chunk.names.rename(std::mem::take(map)).map(Value::Object);
        }
        chunk.items.push(Item::Slow(raw));
    }

    /// The stage a flat record holds (under any name that reads as `stage`).
    fn stage_of(&self, map: &Map<String, Value>) -> Option<String> {
        let mapped = self
            .opts
            .columns
            .iter()
            .find(|(_, to)| to == "stage")
            .map(|(from, _)| from.as_str());
        let key = match mapped {
            Some(from) => Some(from),
            None => map
                .keys()
                .map(String::as_str)
                .find(|k| *k == "stage" || fold_column_name(k) == "stage"),
        };
        key.and_then(|k| map.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// Scores a chunk (the row batch and the full leads, each on all cores)
    /// and gives its output rows in input order.
    fn flush(&self, chunk: Chunk) -> Vec<Out> {
        let Chunk { batch, items, .. } = chunk;
        let scores = batch.map(RowBatch::score_split);
        // Full leads are evaluated on all cores; fast rows wait for their scores.
        let done: Vec<Result<Out, (u32, Option<String>)>> = items
            .into_par_iter()
            .map(|item| match item {
                Item::Fast { line, stage } => Err((line, stage)),
                Item::Done(v) => Ok(v),
                Item::Slow(raw) => Ok(self.one(raw)),
            })
            .collect();
        let mut fast = scores.as_ref().map(RowScores::iter);
        done.into_iter()
            .map(|d| {
                let (line, stage) = match d {
                    Ok(v) => return v,
                    Err(fast_row) => fast_row,
                };
                let (Some(scores), Some(Some(RowScore::Fast { row, error }))) =
                    (&scores, fast.as_mut().map(Iterator::next))
                else {
                    let lost = Error::validation("row batch lost a result");
                    return Out::Failed {
                        id: None,
                        line,
                        error: lost,
                    };
                };
                if let Some(e) = error {
                    return Out::failed(scores.id(row), line, e.clone());
                }
                Out::scored(scores.result(row), stage.as_deref(), None)
            })
            .collect()
    }

    fn one(&self, raw: RawRecord) -> Out {
        let line = raw.line;
        let id = match &raw.value {
            Ok(v) => v.get("id").cloned().unwrap_or(Value::Null),
            // A record that does not parse is named when its id was readable.
            Err(e) => e.record().map_or(Value::Null, Value::from),
        };
        match raw.parse::<Lead>().and_then(|lead| self.evaluate(lead)) {
            Ok(v) => v,
            Err(e) => Out::failed(id, line, e),
        }
    }

    fn evaluate(&self, mut lead: Lead) -> Result<Out> {
        // One scoring, with the explanation when asked for.
        let ev = self
            .pack
            .evaluate_with(&mut lead, self.pipeline, self.now, self.explain)?;
        let qualification = lead.qualification.as_ref().map(|q| q.outcome.as_str());
        Ok(Out::scored(ev.score, lead.stage.as_deref(), qualification))
    }
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
