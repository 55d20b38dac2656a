//! Lead dicts into the core's [`RowBatch`]: flat dicts are read key by key
//! (interned key lookups, scalars only) so that no JSON value or `Lead` is built
//! for them; results go back as dicts with interned keys.

use leadflow::rules::{Cell, ColumnScores, Grade, RowBatch, ScoreResult, Temperature};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString};

/// A scalar as the JSON conversion (`values::from_py`) would read it; `None` for
/// anything else (containers, dates, non-finite floats, huge ints, `NumPy`
/// integers, subclasses of the builtin types), which sends the record down the
/// slow path with its exact result or error. Only exact builtin types are
/// accepted, so reading a cell never runs Python code.
fn cell<'a>(v: &'a Bound<'_, PyAny>) -> Option<Cell<'a>> {
    if v.is_exact_instance_of::<PyString>() {
        // Exact type checked just above.
        return v
            .cast_exact::<PyString>()
            .ok()?
            .to_str()
            .ok()
            .map(Cell::Str);
    }
    if v.is_exact_instance_of::<PyInt>() {
        // One read only: ints beyond `i64` (rare) take the slow path, which
        // reads them as the lead parser does.
        return v.extract::<i64>().ok().map(Cell::Int);
    }
    if v.is_exact_instance_of::<PyFloat>() {
        let f = v.cast_exact::<PyFloat>().ok()?.value();
        return f.is_finite().then_some(Cell::Float(f));
    }
    if v.is_exact_instance_of::<PyBool>() {
        return Some(Cell::Bool(v.cast_exact::<PyBool>().ok()?.is_true()));
    }
    if v.is_none() {
        return Some(Cell::Null);
    }
    None
}

/// Maps the keys of the dicts of one batch to the pack's key indexes (as the
/// batch resolves them: `Title` and mapped keys included). Rows
/// usually repeat the same keys in the same order, often as the very same
/// string objects (`csv.DictReader`, `DataFrame.to_dict("records")`, dicts
/// built from literals): each dict is walked once in its own order, and the key
/// at position `j` is matched against the one seen at `j` before, by identity
/// and then by content, before falling back to a name lookup.
pub struct KeyMap<'py> {
    /// Per position: the key object last seen there (held, so that its address
    /// cannot be reused by another string), its name and its index.
    seen: Vec<(Bound<'py, PyString>, String, Option<usize>)>,
}

impl<'py> KeyMap<'py> {
    pub fn new() -> Self {
        KeyMap { seen: Vec::new() }
    }

    /// The key at position `j`: its name and pack index (`None`: not read by the
    /// pack); `None` for a key that is not valid UTF-8.
    fn at(
        &mut self,
        batch: &mut RowBatch,
        j: usize,
        key: &Bound<'py, PyString>,
    ) -> Option<(&str, Option<usize>)> {
        if self.seen.get(j).is_none_or(|(k, ..)| !k.is(key)) {
            let text = key.to_str().ok()?;
            // Another object with the same name (keys parsed per row, as from
            // JSON) keeps the entry; another name replaces it.
            if self.seen.get(j).is_none_or(|(_, name, _)| name != text) {
                let entry = (key.clone(), text.to_owned(), batch.key_index(text));
                if j < self.seen.len() {
                    self.seen[j] = entry;
                } else {
                    self.seen.push(entry);
                }
            }
        }
        let (_, name, idx) = self.seen.get(j)?;
        Some((name, *idx))
    }
}

/// Reads one dict into `batch`: true when it took the fast path (its `id`
/// object, when an exact `str`, is pushed to `ids` for reuse in the result);
/// false when the caller must add it as a JSON value. Keys the pack does not
/// read are still checked as a lead would parse them.
pub fn read_dict<'py>(
    batch: &mut RowBatch,
    dict: &Bound<'py, PyDict>,
    keys: &mut KeyMap<'py>,
    ids: &mut Vec<Option<Bound<'py, PyAny>>>,
) -> bool {
    batch.begin_row();
    let mut id = None;
    let mut j = 0;
    let read = for_each_item(dict, |k, v| {
        let Ok(k) = k.cast_exact::<PyString>() else {
            return false;
        };
        let Some((name, idx)) = keys.at(batch, j, &k) else {
            return false;
        };
        j += 1;
        let Some(c) = cell(&v) else { return false };
        match idx {
            Some(i) => {
                batch.set(i, c);
                if i == 0 && v.is_exact_instance_of::<PyString>() {
                    id = Some(v.to_owned());
                }
            }
            None => batch.set_other(name, c),
        }
        true
    });
    if !read {
        return false;
    }
    let fast = batch.finish_row();
    if fast {
        ids.push(id);
    }
    fast
}

/// Calls `f` with each item of `dict`, as borrowed references, until it
/// returns false; true when every item was visited. This walk is the hot loop
/// of `score_many` over dicts, and skipping two reference count updates per
/// item (what `PyDict::iter` does) is a measurable share of it.
#[allow(unsafe_code)]
fn for_each_item<'py>(
    dict: &Bound<'py, PyDict>,
    mut f: impl FnMut(Borrowed<'_, 'py, PyAny>, Borrowed<'_, 'py, PyAny>) -> bool,
) -> bool {
    let py = dict.py();
    let mut pos: pyo3::ffi::Py_ssize_t = 0;
    let mut key = std::ptr::null_mut();
    let mut value = std::ptr::null_mut();
    // SAFETY: `dict` is a live dict and we hold the GIL (abi3 builds never run
    // free-threaded). `PyDict_Next` hands out borrowed, non-null references that
    // stay valid while the dict is not mutated, and nothing here can mutate it:
    // `f` runs no Python code (it accepts only exact builtin types, see `cell`,
    // and reads them through C calls that call no Python method), and it
    // returns false on the first failed read without touching the item again.
    while unsafe {
        pyo3::ffi::PyDict_Next(dict.as_ptr(), &raw mut pos, &raw mut key, &raw mut value)
    } != 0
    {
        let (k, v) = unsafe { (Borrowed::from_ptr(py, key), Borrowed::from_ptr(py, value)) };
        if !f(k, v) {
            return false;
        }
    }
    true
}

/// Interned keys and grade/temperature strings for result dicts.
pub struct ResultNames<'py> {
    keys: [Bound<'py, PyString>; 6],
    /// A result dict with every key: copying it and replacing the values is
    /// cheaper than inserting six keys into an empty dict (which resizes it).
    template: Bound<'py, PyDict>,
    grades: [Bound<'py, PyString>; 6],
    temperatures: [Bound<'py, PyString>; 3],
}

impl<'py> ResultNames<'py> {
    pub fn new(py: Python<'py>) -> PyResult<Self> {
        let s = |t: &str| PyString::intern(py, t);
        let keys = [
            "lead_id",
            "total",
            "fit",
            "engagement",
            "grade",
            "temperature",
        ]
        .map(s);
        let template = PyDict::new(py);
        for k in &keys {
            template.set_item(k, py.None())?;
        }
        Ok(ResultNames {
            keys,
            template,
            grades: Grade::ALL.map(|g| s(g.as_str())),
            temperatures: Temperature::ALL.map(|t| s(t.as_str())),
        })
    }

    /// A result without explanation as a dict (the same keys as `Pack.score`).
    pub fn result(&self, py: Python<'py>, r: &ScoreResult) -> PyResult<Bound<'py, PyDict>> {
        let id = PyString::new(py, &r.lead_id).into_any();
        self.dict(id, (r.total, r.fit, r.engagement), r.grade, r.temperature)
    }

    /// Fast row `row` of `c` as a result dict.
    pub fn row(
        &self,
        c: &ColumnScores,
        row: usize,
        id: Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let at = |v: &[f64]| v.get(row).copied().unwrap_or(f64::NAN);
        let grade = c.grade.get(row).copied().unwrap_or(Grade::F);
        let temperature = c.temperature.get(row).copied().unwrap_or(Temperature::Cold);
        let sums = (at(&c.total), at(&c.fit), at(&c.engagement));
        self.dict(id, sums, grade, temperature)
    }

    fn dict(
        &self,
        lead_id: Bound<'py, PyAny>,
        sums: (f64, f64, f64),
        grade_of: Grade,
        temperature_of: Temperature,
    ) -> PyResult<Bound<'py, PyDict>> {
        let out = self.template.copy()?;
        let [id, total, fit, engagement, grade, temperature] = &self.keys;
        out.set_item(id, lead_id)?;
        out.set_item(total, sums.0)?;
        out.set_item(fit, sums.1)?;
        out.set_item(engagement, sums.2)?;
        out.set_item(grade, &self.grades[usize::from(grade_of.code())])?;
        out.set_item(
            temperature,
            &self.temperatures[usize::from(temperature_of.code())],
        )?;
        Ok(out)
    }
}
