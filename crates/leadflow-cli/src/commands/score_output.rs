//! `leadflow score`'s output records, written as JSON Lines or CSV straight
//! from the results (no JSON value built per record: on flat input, building
//! and freeing one cost more than scoring).

use std::io::Write;

use leadflow::rules::ScoreResult;
use leadflow::{Error, Result};
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value};

/// One output record, in input order.
#[derive(Debug)]
pub enum Out {
    /// A scored record: the score (with its explanation under `--explain`),
    /// the lead's stage and its qualification outcome.
    Scored {
        result: ScoreResult,
        stage: Option<String>,
        qualification: Option<String>,
    },
    /// A record that failed: its id when readable (`None`: no `id` key), its
    /// line and the error.
    Failed {
        id: Option<Value>,
        line: u32,
        error: Error,
    },
}

impl Out {
    pub fn scored(result: ScoreResult, stage: Option<&str>, qualification: Option<&str>) -> Self {
        Out::Scored {
            result,
            stage: stage.map(str::to_owned),
            qualification: qualification.map(str::to_owned),
        }
    }

    pub fn failed(id: impl Into<Value>, line: u32, error: Error) -> Self {
        Out::Failed {
            id: Some(id.into()),
            line,
            error,
        }
    }

    pub fn is_error(&self) -> bool {
        matches!(self, Out::Failed { .. })
    }
}

/// The keys of a scored record, in order (the same on every path).
impl Serialize for Out {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        match self {
            Out::Scored {
                result: r,
                stage,
                qualification,
            } => {
                m.serialize_entry("id", &r.lead_id)?;
                m.serialize_entry("score", &r.total)?;
                m.serialize_entry("fit", &r.fit)?;
                m.serialize_entry("engagement", &r.engagement)?;
                m.serialize_entry("grade", &r.grade)?;
                m.serialize_entry("temperature", &r.temperature)?;
                m.serialize_entry("stage", stage)?;
                m.serialize_entry("qualification", qualification)?;
                if let Some(e) = &r.explanation {
                    m.serialize_entry("explanation", e)?;
                }
            }
            Out::Failed { id, line, error } => {
                if let Some(id) = id {
                    m.serialize_entry("id", id)?;
                }
                m.serialize_entry("line", line)?;
                m.serialize_entry("error", error)?;
            }
        }
        m.end()
    }
}

/// Writes output records as JSON Lines or CSV.
pub enum Sink {
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

/// A number as JSON writes it (`18.0`); empty for a non-finite one (JSON `null`).
fn number(f: f64) -> String {
    Number::from_f64(f)
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// A JSON value as a CSV cell: strings unquoted, `null` empty.
fn value_cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Sink {
    pub fn new(out: Box<dyn Write>, csv: bool, explain: bool, terminal: bool) -> Result<Self> {
        if !csv {
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

    /// Writes a chunk of records in order; JSON Lines are formatted on all
    /// cores first (formatting costs about as much as scoring flat rows).
    pub fn write_all(&mut self, rows: &[Out]) -> Result<()> {
        if let Sink::Jsonl(out) = self {
            let parts: Vec<Result<Vec<u8>>> = rows
                .par_chunks(1024)
                .map(|chunk| {
                    let mut buf = Vec::with_capacity(chunk.len() * 192);
                    for r in chunk {
                        crate::term::write_json(&mut buf, r)?;
                        buf.push(b'\n');
                    }
                    Ok(buf)
                })
                .collect();
            for part in parts {
                out.write_all(&part?)?;
            }
            return Ok(());
        }
        rows.iter().try_for_each(|r| self.write(r))
    }

    fn write(&mut self, r: &Out) -> Result<()> {
        let (w, explain, terminal) = match self {
            Sink::Jsonl(out) => {
                crate::term::write_json(&mut *out, r)?;
                out.write_all(b"\n")?;
                return Ok(());
            }
            Sink::Csv(w, explain, terminal) => (w, *explain, *terminal),
        };
        let mut row: Vec<String> = match r {
            Out::Scored {
                result: r,
                stage,
                qualification,
            } => {
                let text = |s: &Option<String>| s.clone().unwrap_or_default();
                vec![
                    r.lead_id.clone(),
                    number(r.total),
                    number(r.fit),
                    number(r.engagement),
                    r.grade.as_str().to_owned(),
                    r.temperature.as_str().to_owned(),
                    text(stage),
                    text(qualification),
                    String::new(),
                ]
            }
            Out::Failed { id, error, .. } => {
                let mut row = vec![String::new(); CSV_HEADER.len()];
                row[0] = id.as_ref().map(value_cell).unwrap_or_default();
                error.message().clone_into(&mut row[8]);
                row
            }
        };
        if explain {
            let reasons: Vec<String> = match r {
                Out::Scored { result, .. } => result
                    .explanation
                    .iter()
                    .flat_map(|e| &e.rules)
                    .map(|f| format!("{} {:+}", f.rule, f.points))
                    .collect(),
                Out::Failed { .. } => Vec::new(),
            };
            row.push(reasons.join("; "));
        }
        if terminal {
            for cell in &mut row {
                *cell = crate::term::escape(cell).into_owned();
            }
        }
        w.write_record(&row).map_err(|e| io_error(&e))
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Jsonl(mut out) => out.flush()?,
            Sink::Csv(mut w, _, _) => w.flush()?,
        }
        Ok(())
    }
}
