//! Columnar scoring: an Arrow stream (table, record batch, or a `DataFrame` converted by
//! `leadflow._columnar`) read into the core's borrowed [`Columns`], scored on all
//! cores without the GIL. Results go back as raw buffers the Python side wraps
//! (`NumPy` or Arrow) without copying per row.

use leadflow::rules::{
    Bitmap, Column, ColumnScores, Columns, CompiledPack, Grade, Offsets, Temperature,
};
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

/// The core columns of every batch. A column of a type leadflow cannot read is
/// skipped, unless the pack reads a feature of that name (then it is an error).
fn batches<'a>(
    pack: &CompiledPack,
    stream: &'a Stream,
    names: &'a [(String, Kind)],
) -> Result<Vec<Columns<'a>>, Error> {
    let features = pack.features();
    (0..stream.batch_count())
        .map(|b| {
            let mut cols = Columns::new(stream.batch_len(b));
            for ((name, _), view) in names.iter().zip(stream.columns(b)) {
                let Some(col) = column(name, &view)? else {
                    if features.contains(&name.as_str()) {
                        return Err(Error::validation(format!(
                            "column `{name}` has a type leadflow cannot read \
                             (use strings, float64, int64 or bool)"
                        ))
                        .with_field(name.clone()));
                    }
                    continue;
                };
                cols = if name == "id" {
                    cols.with_ids(col)?.with(name, col)?
                } else {
                    cols.with(name, col)?
                };
            }
            Ok(cols)
        })
        .collect()
}

/// Scores every row of an Arrow stream producer (`__arrow_c_stream__`).
///
/// Returns `(n, total, fit, engagement, grade, temperature, errors)`: three `bytearray`s
/// of native-endian f64 (NaN for failed rows), two `bytearray`s of i8 codes (grade
/// 0..5 = A..F, temperature 0..2 = cold/warm/hot; -1 for failed rows), and
/// `[(row, LeadflowError)]` for the failed rows.
pub fn score_stream<'py>(
    pack: &CompiledPack,
    data: &Bound<'py, PyAny>,
    now: Timestamp,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = data.py();
    let stream = Stream::import(data)?.into_py_result(py)?;
    let names = stream.fields();
    let cols = batches(pack, &stream, &names).into_py_result(py)?;
    let parts: Vec<ColumnScores> = errors::run(py, || {
        Ok(cols.iter().map(|c| pack.score_columns(c, now)).collect())
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
    let grade = codes(&|p, i| grade_code(p.grade[i]))?;
    let temperature = codes(&|p, i| temperature_code(p.temperature[i]))?;
    let errs = PyList::empty(py);
    let mut base = 0;
    for p in &parts {
        for (row, e) in &p.errors {
            errs.append((base + row, errors::to_exception(py, e)?))?;
        }
        base += p.total.len();
    }
    (n, total, fit, engagement, grade, temperature, errs).into_pyobject(py)
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

fn grade_code(g: Grade) -> u8 {
    match g {
        Grade::A => 0,
        Grade::B => 1,
        Grade::C => 2,
        Grade::D => 3,
        Grade::E => 4,
        Grade::F => 5,
    }
}

fn temperature_code(t: Temperature) -> u8 {
    match t {
        Temperature::Cold => 0,
        Temperature::Warm => 1,
        Temperature::Hot => 2,
    }
}
