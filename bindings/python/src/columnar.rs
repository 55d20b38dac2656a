//! Columnar scoring: an Arrow stream (table, record batch, or a `DataFrame` converted by
//! `leadflow._columnar`) read into the core's borrowed [`Columns`], scored on all
//! cores without the GIL. Results go back as raw buffers the Python side wraps
//! (`NumPy` or Arrow) without copying per row.

use leadflow::rules::ScoreOptions;
use leadflow::rules::{Bitmap, Column, ColumnScores, Columns, CompiledPack, InputOptions, Offsets};
use leadflow::{Error, Timestamp};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyList, PyTuple};

use crate::arrow_ffi::{ColumnView, Kind, Stream};
use crate::errors::{self, IntoPyResult};

/// The core column for an Arrow column, or `None` for a type leadflow does not read.
fn column<'a>(name: &str, v: &ColumnView<'a>) -> Result<Option<Column<'a>>, Error> {
    let misaligned = || {
        Error::validation(format!("Arrow column `{name}` is misaligned or too short"))
            .with_field(name)
    };
    let validity = v.validity.map(|bits| Bitmap::new(bits, v.offset));
    Ok(Some(match v.kind {
        Kind::Utf8 => Column::utf8(
            Offsets::I32(v.typed::<i32>(1).ok_or_else(misaligned)?),
            v.data,
            validity,
        )
        .map_err(|e| e.with_field(name))?,
        Kind::LargeUtf8 => Column::utf8(
            Offsets::I64(v.typed::<i64>(1).ok_or_else(misaligned)?),
            v.data,
            validity,
        )
        .map_err(|e| e.with_field(name))?,
        Kind::F64 => Column::f64(v.typed::<f64>(0).ok_or_else(misaligned)?, validity),
        Kind::I64 => Column::i64(v.typed::<i64>(0).ok_or_else(misaligned)?, validity),
        Kind::Bool => Column::bool_bits(Bitmap::new(v.values, v.offset), validity),
        Kind::Other => return Ok(None),
    }))
}

/// The input's names resolved once for the whole stream: which columns are read
/// and under which options, and the lenient check's warnings.
struct Resolved {
    /// Per column: read (true) or skipped (a type leadflow cannot read).
    read: Vec<bool>,
    /// Per column: whether it is the lead id.
    id: Vec<bool>,
    /// `opts` without mappings of skipped columns.
    opts: InputOptions,
    warnings: Vec<String>,
}

/// Resolves the stream's column names through the core's schema check. A
/// column of a type leadflow cannot read is skipped, unless it reads as a
/// feature of the pack (then it is an error naming it).
fn resolve(
    pack: &CompiledPack,
    names: &[(String, Kind)],
    opts: &InputOptions,
) -> Result<Resolved, Error> {
    let all: Vec<&str> = names.iter().map(|(n, _)| n.as_str()).collect();
    let lenient = InputOptions {
        strict: false,
        ..opts.clone()
    };
    let schema = pack.input_schema(&all, &lenient)?;
    let features = pack.features();
    let mut read = Vec::with_capacity(names.len());
    for (i, (name, kind)) in names.iter().enumerate() {
        let skipped = *kind == Kind::Other;
        if skipped && features.contains(&schema.name(i)) {
            return Err(Error::validation(format!(
                "column `{name}` has a type leadflow cannot read \
                 (use strings, float64, int64 or bool)"
            ))
            .with_field(name.clone()));
        }
        read.push(!skipped);
    }
    let opts = InputOptions {
        columns: opts
            .columns
            .iter()
            .filter(|(from, _)| all.iter().zip(&read).any(|(n, r)| *r && n == from))
            .cloned()
            .collect(),
        strict: opts.strict,
    };
    let kept: Vec<&str> = all
        .iter()
        .zip(&read)
        .filter(|(_, r)| **r)
        .map(|(n, _)| *n)
        .collect();
    // The strict check (and the warnings) once, also for a stream of no batches.
    let warnings = pack.input_schema(&kept, &opts)?.warnings;
    let id = (0..names.len()).map(|i| schema.name(i) == "id").collect();
    Ok(Resolved {
        read,
        id,
        opts,
        warnings,
    })
}

/// The core columns of every batch, renamed to the names the pack reads.
fn batches<'a>(
    pack: &CompiledPack,
    stream: &'a Stream,
    names: &'a [(String, Kind)],
    resolved: &Resolved,
) -> Result<Vec<Columns<'a>>, Error> {
    (0..stream.batch_count())
        .map(|b| {
            let mut cols = Columns::new(stream.batch_len(b));
            for (i, ((name, _), view)) in names.iter().zip(stream.columns(b)).enumerate() {
                if !resolved.read[i] {
                    continue;
                }
                let Some(col) = column(name, &view)? else {
                    continue;
                };
                if resolved.id[i] {
                    cols = cols.with_ids(col)?;
                }
                cols = cols.with(name, col)?;
            }
            cols.conform(pack, &resolved.opts)
        })
        .collect()
}

/// Scores every row of an Arrow stream producer (`__arrow_c_stream__`).
///
/// Returns `(n, total, fit, engagement, grade, temperature, errors, warnings)`: three `bytearray`s
/// of native-endian f64 (NaN for failed rows), two `bytearray`s of i8 codes (grade
/// 0..5 = A..F, temperature 0..2 = cold/warm/hot; -1 for failed rows), and
/// `[(row, LeadflowError)]` for the failed rows, and the warnings of the lenient
/// schema check (`opts.strict` false).
pub fn score_stream<'py>(
    pack: &CompiledPack,
    data: &Bound<'py, PyAny>,
    now: Timestamp,
    opts: &InputOptions,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = data.py();
    let stream = Stream::import(data)?.into_py_result(py)?;
    let names = stream.fields();
    let resolved = resolve(pack, &names, opts).into_py_result(py)?;
    let cols = batches(pack, &stream, &names, &resolved).into_py_result(py)?;
    let parts: Vec<ColumnScores> = errors::run(py, || {
        Ok(cols
            .iter()
            .map(|c| pack.score_columns(c, now, ScoreOptions::default()))
            .collect())
    })?;
    let n: usize = parts.iter().map(|p| p.total.len()).sum();
    let floats = |pick: fn(&ColumnScores) -> &Vec<f64>| {
        PyByteArray::new_with(py, n * 8, |buf| {
            let values = parts.iter().flat_map(|p| pick(p).iter());
            for (out, v) in buf.chunks_exact_mut(8).zip(values) {
                out.copy_from_slice(&v.to_ne_bytes());
            }
            Ok(())
        })
    };
    let total = floats(|p| &p.total)?;
    let fit = floats(|p| &p.fit)?;
    let engagement = floats(|p| &p.engagement)?;
    let failed = failed_rows(&parts, n);
    let codes = |code: &dyn Fn(&ColumnScores, usize) -> u8| {
        PyByteArray::new_with(py, n, |buf| {
            let mut row = 0;
            for p in &parts {
                for i in 0..p.total.len() {
                    buf[row] = if failed[row] { 0xff } else { code(p, i) };
                    row += 1;
                }
            }
            Ok(())
        })
    };
    let grade = codes(&|p, i| p.grade[i].code())?;
    let temperature = codes(&|p, i| p.temperature[i].code())?;
    let errs = PyList::empty(py);
    let mut base = 0;
    for p in &parts {
        for (row, e) in &p.errors {
            errs.append((base + row, errors::to_exception(py, e)?))?;
        }
        base += p.total.len();
    }
    let warnings = PyList::new(py, &resolved.warnings)?;
    (
        n,
        total,
        fit,
        engagement,
        grade,
        temperature,
        errs,
        warnings,
    )
        .into_pyobject(py)
}

fn failed_rows(parts: &[ColumnScores], n: usize) -> Vec<bool> {
    let mut failed = vec![false; n];
    let mut base = 0;
    for p in parts {
        for (row, _) in &p.errors {
            if let Some(f) = failed.get_mut(base + row) {
                *f = true;
            }
        }
        base += p.total.len();
    }
    failed
}
