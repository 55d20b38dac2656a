//! Funnel metrics: `leadflow.metrics(request)` for a whole run, and
//! `leadflow.MetricsAccumulator`, the core's mergeable partial, for streams and for
//! partials computed elsewhere (Spark executors, worker processes) and merged here.
//!
//! A partial travels as JSON text (`to_json` / `from_json`, and pickling uses the
//! same text); reading one back checks it against its own configuration, and
//! `merge` refuses partials computed with a different configuration.

use std::fmt::Write as _;

use leadflow::metrics::{MetricsAccumulator, config_from_request, run_request};
use leadflow::model::{Record, split_records};
use leadflow::{Error, Lead, Opportunity};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString, PyTuple};
use serde_json::{Map, Value};

use crate::errors::{self, IntoPyResult};
use crate::model::value_from_py;
use crate::values;

/// Runs a whole metrics request `{leads, opportunities, period, utc_offset?, now,
/// options?}` (a dict or JSON text) and returns the report as a dict.
#[pyfunction]
pub fn metrics<'py>(request: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = request.py();
    let value = request_value(request)?;
    let report = errors::run(py, move || run_request(&value))?;
    values::serde_to_py(py, &report)
}

fn request_value(request: &Bound<'_, PyAny>) -> PyResult<Value> {
    let py = request.py();
    if let Ok(text) = request.cast::<PyString>() {
        return serde_json::from_str(text.to_str()?)
            .map_err(Error::from)
            .into_py_result(py);
    }
    values::from_py(request).into_py_result(py)
}

/// Partial metrics over some leads and opportunities: add records, merge partials
/// computed elsewhere with the same configuration, `finish()` for the report.
/// Memory grows with the number of groups, not of records; merging is exact.
#[pyclass(module = "leadflow", name = "MetricsAccumulator")]
#[derive(Debug)]
pub struct PyMetricsAccumulator {
    inner: MetricsAccumulator,
}

/// Which records `add_records` reads.
#[derive(Clone, Copy)]
enum Kind {
    Lead,
    Opportunity,
}

impl Kind {
    fn field(self) -> &'static str {
        match self {
            Kind::Lead => "leads",
            Kind::Opportunity => "opportunities",
        }
    }
}

/// Records from JSON text (array, object or JSON Lines; `str` or UTF-8 `bytes`) or
/// an iterable of dicts, one `Result` per record.
fn record_values(records: &Bound<'_, PyAny>) -> PyResult<Vec<leadflow::Result<Value>>> {
    let py = records.py();
    if let Ok(text) = records.cast::<PyString>() {
        let text = text.to_str()?;
        return errors::run(py, move || Ok(split_records(text)));
    }
    if let Ok(bytes) = records.cast::<PyBytes>() {
        let bytes = bytes.as_bytes();
        return errors::run(py, move || {
            let text = std::str::from_utf8(bytes)
                .map_err(|e| Error::parse(format!("records are not UTF-8: {e}")))?;
            Ok(split_records(text))
        });
    }
    let mut values = Vec::new();
    for item in records.try_iter()? {
        values.push(value_from_py(&item?));
    }
    Ok(values)
}

impl PyMetricsAccumulator {
    /// Adds records; invalid ones either fail the call before anything is added
    /// (`skip_invalid = false`) or are skipped and returned as exception instances.
    fn add_records<'py>(
        &mut self,
        records: &Bound<'py, PyAny>,
        kind: Kind,
        skip_invalid: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = records.py();
        let values = record_values(records)?;
        let acc = &mut self.inner;
        let skipped: Vec<Error> = errors::run(py, move || {
            let field = kind.field();
            let at = |i: usize, e: Error| {
                if e.field().is_some() {
                    e
                } else {
                    e.with_field(format!("{field}[{i}]"))
                }
            };
            match kind {
                Kind::Lead => {
                    let (ok, bad) = parse_all::<Lead>(values, skip_invalid, at)?;
                    for l in &ok {
                        acc.add_lead(l);
                    }
                    Ok(bad)
                }
                Kind::Opportunity => {
                    let (ok, bad) = parse_all::<Opportunity>(values, skip_invalid, at)?;
                    for o in &ok {
                        acc.add_opportunity(o);
                    }
                    Ok(bad)
                }
            }
        })?;
        let list = PyList::empty(py);
        for e in &skipped {
            list.append(errors::to_exception(py, e)?)?;
        }
        Ok(list)
    }
}

/// Parses every record; without `skip_invalid` the first invalid one is the error.
fn parse_all<T: Record>(
    values: Vec<leadflow::Result<Value>>,
    skip_invalid: bool,
    at: impl Fn(usize, Error) -> Error,
) -> leadflow::Result<(Vec<T>, Vec<Error>)> {
    let mut ok = Vec::with_capacity(values.len());
    let mut bad = Vec::new();
    for (i, v) in values.into_iter().enumerate() {
        match v.and_then(T::from_value) {
            Ok(r) => ok.push(r),
            Err(e) if skip_invalid => bad.push(at(i, e)),
            Err(e) => return Err(at(i, e)),
        }
    }
    Ok((ok, bad))
}

#[pymethods]
impl PyMetricsAccumulator {
    /// An empty accumulator. `period` is text (`2026-Q3`, `2026-07`, `2026`,
    /// `2026-07-01..2026-09-30`, read in `utc_offset`, default UTC) or
    /// `{"from": t, "to": t}`; `now` is RFC 3339 text or an aware datetime;
    /// `options` as in `docs/metrics.md`. Invalid options raise `ConfigError`.
    #[new]
    #[pyo3(signature = (period, now, *, utc_offset = None, options = None))]
    fn new(
        period: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        utc_offset: Option<String>,
        options: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let py = period.py();
        let mut req = Map::new();
        let field = |obj: &Bound<'_, PyAny>, name: &str| {
            values::from_py(obj)
                .map_err(|e| e.with_field(name))
                .into_py_result(py)
        };
        req.insert("period".into(), field(period, "period")?);
        req.insert("now".into(), field(now, "now")?);
        if let Some(offset) = utc_offset {
            req.insert("utc_offset".into(), Value::String(offset));
        }
        if let Some(options) = options.filter(|o| !o.is_none()) {
            req.insert("options".into(), field(options, "options")?);
        }
        let req = Value::Object(req);
        let inner = errors::run(py, move || {
            MetricsAccumulator::new(config_from_request(&req)?)
        })?;
        Ok(PyMetricsAccumulator { inner })
    }

    /// An accumulator from a metrics request's `period`, `utc_offset`, `now` and
    /// `options` (its records, if any, are not added).
    #[staticmethod]
    fn from_request(request: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = request.py();
        let mut value = request_value(request)?;
        if let Value::Object(map) = &mut value {
            map.remove("leads");
            map.remove("opportunities");
        }
        let inner = errors::run(py, move || {
            MetricsAccumulator::new(config_from_request(&value)?)
        })?;
        Ok(PyMetricsAccumulator { inner })
    }

    /// The configuration: `{"period": {"from", "to"}, "now", "options"}` with every
    /// option filled in (`MetricsAccumulator(**acc.config)` builds an equal one).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        values::serde_to_py(py, self.inner.config())
    }

    /// An empty accumulator with the same configuration (one per partition).
    fn empty_like(&self) -> Self {
        PyMetricsAccumulator {
            inner: self.inner.empty_like(),
        }
    }

    /// Adds one lead (a dict or JSON text); raises for an invalid lead.
    fn add_lead(&mut self, lead: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = lead.py();
        let lead: Lead = crate::model::record_from_py(lead)?;
        let acc = &mut self.inner;
        errors::guard(py, || {
            acc.add_lead(&lead);
            Ok(())
        })
    }

    /// Adds one opportunity (a dict or JSON text); raises for an invalid one.
    fn add_opportunity(&mut self, opportunity: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = opportunity.py();
        let opp: Opportunity = crate::model::record_from_py(opportunity)?;
        let acc = &mut self.inner;
        errors::guard(py, || {
            acc.add_opportunity(&opp);
            Ok(())
        })
    }

    /// Adds leads: an iterable of dicts, or JSON text (array, object or JSON Lines)
    /// as `str` or UTF-8 `bytes`. By default an invalid lead raises (field
    /// `leads[i]`) and nothing is added; with `skip_invalid=True` invalid leads are
    /// skipped and returned as `LeadflowError` instances. Parsing and aggregation
    /// run without the GIL.
    #[pyo3(signature = (leads, *, skip_invalid = false))]
    fn add_leads<'py>(
        &mut self,
        leads: &Bound<'py, PyAny>,
        skip_invalid: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        self.add_records(leads, Kind::Lead, skip_invalid)
    }

    /// Adds opportunities; same inputs and error handling as `add_leads`.
    #[pyo3(signature = (opportunities, *, skip_invalid = false))]
    fn add_opportunities<'py>(
        &mut self,
        opportunities: &Bound<'py, PyAny>,
        skip_invalid: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        self.add_records(opportunities, Kind::Opportunity, skip_invalid)
    }

    /// Merges another partial into this one (exact, any order). Raises
    /// `ConfigError` when the configurations differ.
    fn merge(slf: &Bound<'_, Self>, other: &Bound<'_, Self>) -> PyResult<()> {
        let py = slf.py();
        let copy;
        let other_ref;
        let other: &MetricsAccumulator = if slf.is(other) {
            copy = slf.borrow().inner.clone();
            &copy
        } else {
            other_ref = other.borrow();
            &other_ref.inner
        };
        let mut this = slf.borrow_mut();
        let acc = &mut this.inner;
        errors::guard(py, || acc.merge(other))
    }

    /// The report as a dict (the accumulator stays usable).
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let acc = &self.inner;
        let report = errors::run(py, move || Ok(acc.finish()))?;
        values::serde_to_py(py, &report)
    }

    /// The partial as compact JSON text (configuration and counters, no records).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Reads a partial written by `to_json` (str or UTF-8 bytes). Raises
    /// `ParseError` for malformed text, `ValidationError` for a partial that does
    /// not fit its own configuration.
    #[staticmethod]
    fn from_json(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = text.py();
        let text: String = if let Ok(b) = text.cast::<PyBytes>() {
            String::from_utf8(b.as_bytes().to_vec())
                .map_err(|e| Error::parse(format!("not UTF-8: {e}")))
                .into_py_result(py)?
        } else {
            text.extract()?
        };
        let inner = errors::run(py, move || MetricsAccumulator::from_json(&text))?;
        Ok(PyMetricsAccumulator { inner })
    }

    /// Pickles as its JSON text (so partials travel between processes).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_json = py.get_type::<Self>().getattr("from_json")?;
        let text = slf.borrow().inner.to_json();
        PyTuple::new(py, [from_json, PyTuple::new(py, [text])?.into_any()])
    }

    fn __copy__(&self) -> Self {
        PyMetricsAccumulator {
            inner: self.inner.clone(),
        }
    }

    fn __deepcopy__(&self, _memo: &Bound<'_, PyAny>) -> Self {
        self.__copy__()
    }

    fn __repr__(&self) -> String {
        let c = self.inner.config();
        format!(
            "MetricsAccumulator(period={:?}, now={:?})",
            c.period.label(),
            c.now.to_rfc3339()
        )
    }

    /// A notebook view: the period, `now` and the stages the funnel counts.
    fn _repr_html_(&self) -> String {
        let c = self.inner.config();
        let o = &c.options;
        let esc = crate::lifecycle::escape_html;
        let rows = [
            ("period", esc(&c.period.label())),
            ("now", esc(&c.now.to_rfc3339())),
            (
                "stages",
                o.ladder
                    .iter()
                    .map(|s| esc(s))
                    .collect::<Vec<_>>()
                    .join(" &rarr; "),
            ),
            (
                "MQL / SQL",
                format!("{} / {}", esc(&o.mql_stage), esc(&o.sql_stage)),
            ),
            ("SLA", format!("{} min", o.sla_minutes)),
        ];
        let mut body = String::new();
        for (k, v) in rows {
            let _ = write!(
                body,
                "<tr><th style=\"text-align:left\">{k}</th><td style=\"text-align:left\">{v}</td></tr>"
            );
        }
        format!("<table><caption>leadflow.MetricsAccumulator</caption>{body}</table>")
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(metrics, m)?)?;
    m.add_class::<PyMetricsAccumulator>()?;
    Ok(())
}
