//! Lead dicts into the core's [`RowBatch`]: flat dicts are read key by key
//! (interned key lookups, scalars only) so that no JSON value or `Lead` is built
//! for them; results go back as dicts with interned keys.

use leadflow::rules::{Cell, ColumnScores, Grade, RowBatch, ScoreResult, Temperature};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

/// A scalar as the JSON conversion (`values::from_py`) would read it; `None` for
/// anything else (containers, dates, non-finite floats, huge ints, `NumPy`
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

/// Reads one dict into `batch`: true when it took the fast path (its `id`
/// object, when an exact `str`, is pushed to `ids` for reuse in the result);
/// false when the caller must add it as a JSON value.
pub fn read_dict<'py>(
    batch: &mut RowBatch,
    dict: &Bound<'py, PyDict>,
    keys: &[Bound<'py, PyString>],
    ids: &mut Vec<Option<Bound<'py, PyAny>>>,
) -> PyResult<bool> {
    batch.begin_row();
    let mut found = 0;
    let mut id = None;
    for (i, key) in keys.iter().enumerate() {
        if let Some(v) = dict.get_item(key)? {
            found += 1;
            let Some(c) = cell(&v) else { return Ok(false) };
            batch.set(i, c);
            if i == 0 && v.is_exact_instance_of::<PyString>() {
                id = Some(v);
            }
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
    let fast = batch.finish_row();
    if fast {
        ids.push(id);
    }
    Ok(fast)
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
        let id = PyString::new(py, &r.lead_id).into_any();
        self.dict(
            py,
            id,
            (r.total, r.fit, r.engagement),
            r.grade,
            r.temperature,
        )
    }

    /// Fast row `row` of `c` as a result dict.
    pub fn row(
        &self,
        py: Python<'py>,
        c: &ColumnScores,
        row: usize,
        id: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let at = |v: &[f64]| v.get(row).copied().unwrap_or(f64::NAN);
        let grade = c.grade.get(row).copied().unwrap_or(Grade::F);
        let temperature = c.temperature.get(row).copied().unwrap_or(Temperature::Cold);
        let sums = (at(&c.total), at(&c.fit), at(&c.engagement));
        self.dict(py, id, sums, grade, temperature)
    }

    fn dict(
        &self,
        py: Python<'py>,
        lead_id: Bound<'py, PyAny>,
        sums: (f64, f64, f64),
        grade_of: Grade,
        temperature_of: Temperature,
    ) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        let [id, total, fit, engagement, grade, temperature] = &self.keys;
        out.set_item(id, lead_id)?;
        out.set_item(total, sums.0)?;
        out.set_item(fit, sums.1)?;
        out.set_item(engagement, sums.2)?;
        let g = match grade_of {
            Grade::A => 0,
            Grade::B => 1,
            Grade::C => 2,
            Grade::D => 3,
            Grade::E => 4,
            Grade::F => 5,
        };
        out.set_item(grade, &self.grades[g])?;
        let t = match temperature_of {
            Temperature::Cold => 0,
            Temperature::Warm => 1,
            Temperature::Hot => 2,
        };
        out.set_item(temperature, &self.temperatures[t])?;
        Ok(out)
    }
}
