//! Lead dicts into the core's [`RowBatch`]: flat dicts are read key by key
//! (interned key lookups, scalars only) so that no JSON value or `Lead` is built
//! for them; results go back as dicts with interned keys.

use leadflow::rules::{Cell, Grade, RowBatch, ScoreResult, Temperature};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

/// A scalar as the JSON conversion (`values::from_py`) would read it; `None` for
/// anything else (containers, dates, non-finite floats, huge ints, NumPy
/// integers), which sends the record down the slow path with its exact error.
fn cell<'a>(v: &'a Bound<'_, PyAny>) -> Option<Cell<'a>> {
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_str().ok().map(Cell::Str);
    }
    if v.is_none() {
        return Some(Cell::Null);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Some(Cell::Bool(b.is_true()));
    }
    if v.is_instance_of::<PyInt>() {
        if let Ok(i) = v.extract::<i64>() {
            return Some(Cell::Int(i));
        }
        return v.extract::<u64>().ok().map(Cell::UInt);
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        let f = f.value();
        return f.is_finite().then_some(Cell::Float(f));
    }
    None
}

/// Reads one dict into `batch`: true when it took the fast path; false when
/// the caller must add it as a JSON value.
pub fn read_dict(
    batch: &mut RowBatch,
    dict: &Bound<'_, PyDict>,
    keys: &[Bound<'_, PyString>],
) -> PyResult<bool> {
    batch.begin_row();
    let mut found = 0;
    for (i, key) in keys.iter().enumerate() {
        if let Some(v) = dict.get_item(key)? {
            found += 1;
            let Some(c) = cell(&v) else { return Ok(false) };
            batch.set(i, c);
        }
    }
    // Keys the pack does not read still have to parse as a lead would.
    if found != dict.len() {
        for (k, v) in dict.iter() {
            let Ok(k) = k.cast::<PyString>() else {
                return Ok(false);
            };
            let Ok(name) = k.to_str() else {
                return Ok(false);
            };
            if keys.iter().any(|key| key.to_str().is_ok_and(|s| s == name)) {
                continue;
            }
            let Some(c) = cell(&v) else { return Ok(false) };
            batch.set_other(name, c);
        }
    }
    Ok(batch.finish_row())
}

/// Interned keys and grade/temperature strings for result dicts.
pub struct ResultNames<'py> {
    keys: [Bound<'py, PyString>; 6],
    grades: [Bound<'py, PyString>; 6],
    temperatures: [Bound<'py, PyString>; 3],
}

impl<'py> ResultNames<'py> {
    pub fn new(py: Python<'py>) -> Self {
        let s = |t: &str| PyString::intern(py, t);
        ResultNames {
            keys: [
                "lead_id",
                "total",
                "fit",
                "engagement",
                "grade",
                "temperature",
            ]
            .map(s),
            grades: [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F]
                .map(|g| s(g.as_str())),
            temperatures: [Temperature::Cold, Temperature::Warm, Temperature::Hot]
                .map(|t| s(t.as_str())),
        }
    }

    /// A result without explanation as a dict (the same keys as `Pack.score`).
    pub fn result(&self, py: Python<'py>, r: &ScoreResult) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let [id, total, fit, engagement, grade, temperature] = &self.keys;
        d.set_item(id, &r.lead_id)?;
        d.set_item(total, r.total)?;
        d.set_item(fit, r.fit)?;
        d.set_item(engagement, r.engagement)?;
        let g = match r.grade {
            Grade::A => 0,
            Grade::B => 1,
            Grade::C => 2,
            Grade::D => 3,
            Grade::E => 4,
            Grade::F => 5,
        };
        d.set_item(grade, &self.grades[g])?;
        let t = match r.temperature {
            Temperature::Cold => 0,
            Temperature::Warm => 1,
            Temperature::Hot => 2,
        };
        d.set_item(temperature, &self.temperatures[t])?;
        Ok(d)
    }
}
