//! Matching and conversion: `match_lead`, `plan_conversion`, `apply_conversion`, `convert`.
//!
//! Inputs are dicts (lead, accounts, contacts, options, plan); results are the
//! core's JSON shapes as dicts (see docs/conversion.md). Nothing passed in is modified.

use leadflow::convert::{self as core, ConversionPlan, ConvertOptions, MatchOptions};
use leadflow::{Account, Contact, Lead, Record, Timestamp};
use pyo3::prelude::*;

use crate::errors::{self, IntoPyResult};
use crate::lifecycle::PyPipeline;
use crate::model::record_from_py;
use crate::values;

/// Parses an optional list of records (accounts or contacts).
fn records<T: Record>(list: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<T>> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for item in list.try_iter()? {
        out.push(record_from_py(&item?)?);
    }
    Ok(out)
}

fn options<T: serde::de::DeserializeOwned + Default>(
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<T> {
    match obj {
        Some(o) if !o.is_none() => values::serde_from_py(o, "options").into_py_result(o.py()),
        _ => Ok(T::default()),
    }
}

/// The parsed inputs every conversion function shares.
struct Inputs {
    lead: Lead,
    accounts: Vec<Account>,
    contacts: Vec<Contact>,
    options: ConvertOptions,
    now: Timestamp,
}

impl Inputs {
    fn parse(
        lead: &Bound<'_, PyAny>,
        accounts: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
        options: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        Ok(Inputs {
            lead: record_from_py(lead)?,
            accounts: records(accounts)?,
            contacts: records(contacts)?,
            options: self::options(options)?,
            now: values::timestamp_from_py(now, "now").into_py_result(lead.py())?,
        })
    }
}

/// Ranks existing contacts and accounts the lead may correspond to:
/// `{"contacts": [candidate], "accounts": [candidate]}`, each candidate
/// `{id, confidence, reasons: [{code, value, text}]}`.
#[pyfunction]
#[pyo3(signature = (lead, accounts = None, contacts = None, options = None))]
pub fn match_lead<'py>(
    lead: &Bound<'py, PyAny>,
    accounts: Option<&Bound<'py, PyAny>>,
    contacts: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    let lead: Lead = record_from_py(lead)?;
    let accounts: Vec<Account> = records(accounts)?;
    let contacts: Vec<Contact> = records(contacts)?;
    let opts: MatchOptions = self::options(options)?;
    let matches = errors::run(py, move || {
        Ok(core::match_lead(&lead, &accounts, &contacts, &opts))
    })?;
    values::serde_to_py(py, &matches)
}

/// Plans the conversion of a lead (create, link or skip per target, every field
/// value and conflict, warnings, match candidates) without changing anything.
#[pyfunction]
#[pyo3(signature = (lead, accounts = None, contacts = None, options = None, *, now, pipeline = None))]
pub fn plan_conversion<'py>(
    lead: &Bound<'py, PyAny>,
    accounts: Option<&Bound<'py, PyAny>>,
    contacts: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
    now: &Bound<'py, PyAny>,
    pipeline: Option<&Bound<'py, PyPipeline>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    let i = Inputs::parse(lead, accounts, contacts, options, now)?;
    let pipeline = pipeline.map(|p| p.get().core());
    let plan = errors::run(py, move || match pipeline {
        Some(p) => core::plan_with(p, &i.lead, &i.accounts, &i.contacts, &i.options, i.now),
        None => core::plan(&i.lead, &i.accounts, &i.contacts, &i.options, i.now),
    })?;
    values::serde_to_py(py, &plan)
}

/// Applies a plan from `plan_conversion`: `{lead, account, account_change, contact,
/// contact_change, opportunity?, fields, conflicts}`. Raises `ConversionError` for a
/// stale plan and `AlreadyConverted` for a converted lead.
#[pyfunction]
#[pyo3(signature = (plan, lead, accounts = None, contacts = None, options = None, *, now, pipeline = None))]
#[allow(clippy::too_many_arguments)] // mirrors the core's apply_with, keyword arguments in Python
pub fn apply_conversion<'py>(
    plan: &Bound<'py, PyAny>,
    lead: &Bound<'py, PyAny>,
    accounts: Option<&Bound<'py, PyAny>>,
    contacts: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
    now: &Bound<'py, PyAny>,
    pipeline: Option<&Bound<'py, PyPipeline>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    let plan: ConversionPlan = values::serde_from_py(plan, "plan").into_py_result(py)?;
    let mut i = Inputs::parse(lead, accounts, contacts, options, now)?;
    let pipeline = pipeline.map(|p| p.get().core());
    let result = errors::run(py, move || match pipeline {
        Some(p) => core::apply_with(
            p,
            &plan,
            &mut i.lead,
            &i.accounts,
            &i.contacts,
            &i.options,
            i.now,
        ),
        None => core::apply(
            &plan,
            &mut i.lead,
            &i.accounts,
            &i.contacts,
            &i.options,
            i.now,
        ),
    })?;
    values::serde_to_py(py, &result)
}

/// Plans and applies a conversion in one call (same result as `apply_conversion`).
/// `pipeline` (all three functions): the lifecycle the conversion moves the lead and
/// opens the opportunity in; the built-in one by default.
#[pyfunction]
#[pyo3(name = "convert", signature = (lead, accounts = None, contacts = None, options = None, *, now, pipeline = None))]
pub fn convert_lead<'py>(
    lead: &Bound<'py, PyAny>,
    accounts: Option<&Bound<'py, PyAny>>,
    contacts: Option<&Bound<'py, PyAny>>,
    options: Option<&Bound<'py, PyAny>>,
    now: &Bound<'py, PyAny>,
    pipeline: Option<&Bound<'py, PyPipeline>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    let mut i = Inputs::parse(lead, accounts, contacts, options, now)?;
    let pipeline = pipeline.map(|p| p.get().core());
    let result = errors::run(py, move || match pipeline {
        Some(p) => core::convert_with(p, &mut i.lead, &i.accounts, &i.contacts, &i.options, i.now),
        None => core::convert(&mut i.lead, &i.accounts, &i.contacts, &i.options, i.now),
    })?;
    values::serde_to_py(py, &result)
}

/// Adds the conversion functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(match_lead, m)?)?;
    m.add_function(wrap_pyfunction!(plan_conversion, m)?)?;
    m.add_function(wrap_pyfunction!(apply_conversion, m)?)?;
    m.add_function(wrap_pyfunction!(convert_lead, m)?)?;
    Ok(())
}
