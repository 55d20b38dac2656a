//! Records in and out: leads, accounts, contacts and opportunities as dicts (or JSON text).

use leadflow::model::{Record, split_records};
use leadflow::{Account, Contact, Lead, Opportunity};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};
use serde_json::Value;

use crate::errors::{self, IntoPyResult};
use crate::values;

/// A record from a dict or JSON text; errors name the record id and field path.
pub fn record_from_py<T: Record>(obj: &Bound<'_, PyAny>) -> PyResult<T> {
    let py = obj.py();
    if let Ok(text) = obj.cast::<PyString>() {
        let text = text.to_str()?;
        return errors::guard(py, || T::from_json(text));
    }
    let value = value_from_py(obj).into_py_result(py)?;
    errors::guard(py, || T::from_value(value))
}

/// A JSON value from a Python object; a conversion error names the record's `id`.
pub fn value_from_py(obj: &Bound<'_, PyAny>) -> leadflow::Result<Value> {
    values::from_py(obj).map_err(|e| match record_id(obj) {
        Some(id) => e.with_record(id),
        None => e,
    })
}

fn record_id(obj: &Bound<'_, PyAny>) -> Option<String> {
    let id = obj.get_item("id").ok()?;
    if let Ok(s) = id.extract::<String>() {
        return Some(s);
    }
    id.extract::<i64>().ok().map(|n| n.to_string())
}

/// A record as a dict.
pub fn record_to_py<'py, T: Record>(py: Python<'py>, record: &T) -> PyResult<Bound<'py, PyAny>> {
    values::to_py(py, &record.to_value())
}

/// Validates a lead and returns it as written back (lossless: unknown fields are kept).
///
/// `lead` is a dict or JSON text. Raises `ParseError` for malformed JSON and
/// `ValidationError` (with `record` and `field`) for wrong types or missing fields.
#[pyfunction]
pub fn parse_lead<'py>(lead: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    errors::run_attached(py, || {
        let lead: Lead = record_from_py(lead)?;
        record_to_py(py, &lead)
    })
}

/// Parses many leads: JSON text (an array, one object, or JSON Lines) or a list of dicts.
///
/// Returns one entry per record: the lead dict, or a `LeadflowError` instance (not
/// raised) for a bad record; one bad record never fails the batch.
#[pyfunction]
pub fn parse_leads<'py>(leads: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
    let py = leads.py();
    let results: Vec<leadflow::Result<Lead>> = if let Ok(text) = leads.cast::<PyString>() {
        let text = text.to_str()?.to_owned();
        errors::run(py, move || {
            Ok(split_records(&text)
                .into_iter()
                .map(|r| r.and_then(Lead::from_value))
                .collect())
        })?
    } else {
        let mut values = Vec::new();
        for item in leads.try_iter()? {
            values.push(value_from_py(&item?));
        }
        errors::run(py, move || {
            Ok(values
                .into_iter()
                .map(|r| r.and_then(Lead::from_value))
                .collect())
        })?
    };
    let out = PyList::empty(py);
    for result in results {
        match result {
            Ok(lead) => out.append(record_to_py(py, &lead)?)?,
            Err(err) => out.append(errors::to_exception(py, &err)?)?,
        }
    }
    Ok(out)
}

fn parse_one<'py, T: Record>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    errors::run_attached(py, || {
        let record: T = record_from_py(obj)?;
        record_to_py(py, &record)
    })
}

/// Validates an account (dict or JSON text) and returns it as written back.
#[pyfunction]
pub fn parse_account<'py>(account: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    parse_one::<Account>(account)
}

/// Validates a contact (dict or JSON text) and returns it as written back.
#[pyfunction]
pub fn parse_contact<'py>(contact: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    parse_one::<Contact>(contact)
}

/// Validates an opportunity (dict or JSON text) and returns it as written back.
#[pyfunction]
pub fn parse_opportunity<'py>(opportunity: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    parse_one::<Opportunity>(opportunity)
}

/// Adds the model functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(parse_lead, m)?)?;
    m.add_function(wrap_pyfunction!(parse_leads, m)?)?;
    m.add_function(wrap_pyfunction!(parse_account, m)?)?;
    m.add_function(wrap_pyfunction!(parse_contact, m)?)?;
    m.add_function(wrap_pyfunction!(parse_opportunity, m)?)?;
    Ok(())
}
