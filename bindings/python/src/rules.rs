//! The rules engine: enrichment (`derive`, `enrich`) and qualification
//! (`qualify`, `qualification_evidence`, `qualification_state`).

use leadflow::Lead;
use leadflow::enrich::{self as enrich_core, EnrichmentData};
use leadflow::qualify::{self as qualify_core, Evidence, Framework, Policy, QualificationResult};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::errors::{self, IntoPyResult};
use crate::model::{record_from_py, record_to_py};
use crate::values;

/// A framework from a built-in name (`"BANT"`) or a definition dict.
fn framework(obj: &Bound<'_, PyAny>) -> PyResult<Framework> {
    let value = values::from_py(obj)
        .map_err(|e| e.with_field("framework"))
        .into_py_result(obj.py())?;
    Framework::resolve(&value).into_py_result(obj.py())
}

/// The fields leadflow derives from a lead (domains, normalized company, employee
/// band, seniority, department), every key present.
#[pyfunction]
pub fn derive<'py>(lead: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    let lead: Lead = record_from_py(lead)?;
    let derived = errors::run(py, move || Ok(enrich_core::derive(&lead).to_value()))?;
    values::to_py(py, &derived)
}

/// Fills the lead's empty fields from a provider's `data` (never overwrites):
/// `(lead, {"applied": [...], "rejected": [...]})`; `provenance` names `provider`.
#[pyfunction]
pub fn enrich<'py>(
    lead: &Bound<'py, PyAny>,
    data: &Bound<'py, PyAny>,
    provider: String,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = lead.py();
    let mut lead: Lead = record_from_py(lead)?;
    let data: EnrichmentData = values::serde_from_py(data, "data").into_py_result(py)?;
    let (lead, report) = errors::run(py, move || {
        let report = enrich_core::apply_enrichment(&mut lead, &data, &provider)?;
        Ok((lead, report))
    })?;
    PyTuple::new(
        py,
        [record_to_py(py, &lead)?, values::serde_to_py(py, &report)?],
    )
}

/// Evaluates evidence (`{criterion: status or {status, evidence, source, at}}`)
/// against a framework under a policy (default: the framework's own).
#[pyfunction]
#[pyo3(signature = (framework, evidence = None, policy = None))]
pub fn qualify<'py>(
    framework: &Bound<'py, PyAny>,
    evidence: Option<&Bound<'py, PyAny>>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = framework.py();
    let fw = self::framework(framework)?;
    let evidence: Evidence = match evidence {
        Some(e) if !e.is_none() => values::serde_from_py(e, "evidence").into_py_result(py)?,
        _ => Evidence::new(),
    };
    let policy: Option<Policy> = match policy {
        Some(p) if !p.is_none() => Some(values::serde_from_py(p, "policy").into_py_result(py)?),
        _ => None,
    };
    let result = errors::run(py, move || {
        let policy = policy.unwrap_or_else(|| fw.default_policy());
        qualify_core::evaluate(&fw, &evidence, &policy)
    })?;
    values::serde_to_py(py, &result)
}

/// The evidence a lead carries for a framework's criteria
/// (`custom.qualification.<key>`, or the criterion's field).
#[pyfunction]
pub fn qualification_evidence<'py>(
    lead: &Bound<'py, PyAny>,
    framework: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = lead.py();
    let lead: Lead = record_from_py(lead)?;
    let fw = self::framework(framework)?;
    let evidence = errors::run(py, move || Evidence::from_lead(&lead, &fw))?;
    values::serde_to_py(py, &evidence)
}

/// The verdict to store as `lead["qualification"]` for a result of `qualify`, as of `now`.
#[pyfunction]
#[pyo3(signature = (result, *, now))]
pub fn qualification_state<'py>(
    result: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = result.py();
    let result: QualificationResult = values::serde_from_py(result, "result").into_py_result(py)?;
    let now = values::timestamp_from_py(now, "now").into_py_result(py)?;
    values::serde_to_py(py, &result.to_state(now))
}

/// Adds the rules functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // The labels of the `grade` and `temperature` codes of columnar results,
    // by code: the core's lists, so no binding spells them again.
    let py = m.py();
    let grades = leadflow::rules::Grade::ALL.map(leadflow::rules::Grade::as_str);
    m.add("GRADES", PyTuple::new(py, grades)?)?;
    let temperatures = leadflow::rules::Temperature::ALL.map(leadflow::rules::Temperature::as_str);
    m.add("TEMPERATURES", PyTuple::new(py, temperatures)?)?;
    m.add_function(wrap_pyfunction!(derive, m)?)?;
    m.add_function(wrap_pyfunction!(enrich, m)?)?;
    m.add_function(wrap_pyfunction!(qualify, m)?)?;
    m.add_function(wrap_pyfunction!(qualification_evidence, m)?)?;
    m.add_function(wrap_pyfunction!(qualification_state, m)?)?;
    Ok(())
}
