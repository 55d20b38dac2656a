//! `leadflow.Pipeline` (lifecycle state machines) and the history queries.
//!
//! Mutators take a lead (or opportunity) dict and return a NEW dict plus the
//! transition(s); the dict passed in is never modified.

use std::path::PathBuf;

use leadflow::lifecycle::{self, Change, ConfigFormat, Pipeline, TouchOutcome};
use leadflow::model::{Dimension, Transition};
use leadflow::{Error, Lead, Opportunity, Record};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use serde::Serialize;
use serde_json::Value;

use crate::errors::{self, IntoPyResult};
use crate::model::{record_from_py, record_to_py};
use crate::values;

/// A validated lifecycle configuration: lead stage ladder, lead statuses and
/// opportunity stages. Immutable and safe to share between threads.
#[pyclass(frozen, module = "leadflow", name = "Pipeline")]
#[derive(Debug)]
pub struct PyPipeline {
    inner: Pipeline,
}

/// The `at`/`actor`/`reason` of a move.
fn change(
    at: &Bound<'_, PyAny>,
    actor: Option<String>,
    reason: Option<String>,
) -> PyResult<Change> {
    let at = values::timestamp_from_py(at, "at").into_py_result(at.py())?;
    let mut change = Change::new(at);
    change.actor = actor;
    change.reason = reason;
    Ok(change)
}

impl PyPipeline {
    /// The core pipeline (conversion takes one).
    pub fn core(&self) -> &Pipeline {
        &self.inner
    }

    /// Runs a move on a parsed copy of `record` without the GIL; returns the new
    /// record dict and the move's result.
    fn apply<'py, T, R, F>(
        &self,
        record: &Bound<'py, PyAny>,
        change: Change,
        step: F,
    ) -> PyResult<Bound<'py, PyTuple>>
    where
        T: Record + Send,
        R: Serialize + Send,
        F: FnOnce(&Pipeline, &mut T, &Change) -> leadflow::Result<R> + Send,
    {
        let py = record.py();
        let mut value: T = record_from_py(record)?;
        let pipeline = &self.inner;
        let (value, result) = errors::run(py, move || {
            let result = step(pipeline, &mut value, &change)?;
            Ok((value, result))
        })?;
        PyTuple::new(
            py,
            [record_to_py(py, &value)?, values::serde_to_py(py, &result)?],
        )
    }
}

#[pymethods]
impl PyPipeline {
    /// The built-in pipeline (subscriber ... evangelist; new ... converted; Prospecting ... Closed).
    #[new]
    fn new() -> Self {
        PyPipeline {
            inner: Pipeline::default(),
        }
    }

    /// Loads a `.json`, `.yaml`/`.yml` or `.toml` configuration file.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = errors::run(py, move || Pipeline::from_path(&path))?;
        Ok(PyPipeline { inner })
    }

    /// Parses a configuration text; `format` is `json`, `yaml` or `toml`.
    #[staticmethod]
    #[pyo3(name = "from_str", signature = (text, format = "json"))]
    fn from_text(py: Python<'_>, text: &str, format: &str) -> PyResult<Self> {
        let text = text.to_owned();
        let format = format.to_owned();
        let inner = errors::run(py, move || {
            Pipeline::from_str(&text, ConfigFormat::from_name(&format)?)
        })?;
        Ok(PyPipeline { inner })
    }

    /// Builds a pipeline from a configuration dict (missing sections take the defaults).
    #[staticmethod]
    fn from_dict(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = config.py();
        let text = values::from_py(config).into_py_result(py)?.to_string();
        let inner = errors::run(py, move || Pipeline::from_str(&text, ConfigFormat::Json))?;
        Ok(PyPipeline { inner })
    }

    /// The whole configuration as a dict (the shape `from_dict` accepts).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        values::serde_to_py(py, self.inner.config())
    }

    /// The lead stage ladder, earliest first.
    #[getter]
    fn stage_ladder(&self) -> Vec<String> {
        self.inner.stage_ladder().to_vec()
    }

    #[getter]
    fn initial_stage(&self) -> &str {
        self.inner.initial_stage()
    }

    #[getter]
    fn initial_status(&self) -> &str {
        self.inner.initial_status()
    }

    /// Position of a stage on the ladder; None for off-ladder or unknown stages.
    fn stage_rank(&self, stage: &str) -> Option<usize> {
        self.inner.stage_rank(stage)
    }

    /// True for a ladder or off-ladder stage of this pipeline.
    fn is_stage(&self, stage: &str) -> bool {
        self.inner.is_stage(stage)
    }

    /// The definition of an opportunity stage (probability, forecast category, ...), or None.
    fn opportunity_stage<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.inner
            .opportunity_stage(name)
            .map(|d| values::serde_to_py(py, d))
            .transpose()
    }

    /// Gives a lead its initial stage and status if unset: `(lead, [transitions])`.
    #[pyo3(signature = (lead, *, at, actor = None, reason = None))]
    fn place<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let ch = change(at, actor, reason)?;
        self.apply(lead, ch, |p, l: &mut Lead, c| p.place(l, c))
    }

    /// Moves a lead forward (skips are recorded as `skip`): `(lead, transition)`.
    /// A backward move raises `InvalidTransition`: use `recycle_stage`.
    #[pyo3(signature = (lead, to, *, at, actor = None, reason = None))]
    fn advance_stage<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        to: String,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let ch = change(at, actor, reason)?;
        self.apply(lead, ch, move |p, l: &mut Lead, c| {
            p.advance_stage(l, &to, c)
        })
    }

    /// Moves a lead back to an earlier stage: `(lead, transition)`. A `reason` is
    /// required (the core raises `InvalidTransition` without one).
    #[pyo3(signature = (lead, to, *, at, actor = None, reason = None))]
    fn recycle_stage<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        to: String,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let ch = change(at, actor, reason)?;
        self.apply(lead, ch, move |p, l: &mut Lead, c| {
            p.recycle_stage(l, &to, c)
        })
    }

    /// Moves the working status along a configured transition: `(lead, transition)`.
    #[pyo3(signature = (lead, to, *, at, actor = None, reason = None))]
    fn set_status<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        to: String,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let ch = change(at, actor, reason)?;
        self.apply(lead, ch, move |p, l: &mut Lead, c| p.set_status(l, &to, c))
    }

    /// Records a touch, `outcome` is `"attempt"` or `"connected"`:
    /// `(lead, transition or None)`.
    #[pyo3(signature = (lead, outcome, *, at, actor = None, reason = None))]
    fn record_touch<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        outcome: &Bound<'py, PyAny>,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let outcome: TouchOutcome =
            values::serde_from_py(outcome, "outcome").into_py_result(lead.py())?;
        let ch = change(at, actor, reason)?;
        self.apply(lead, ch, move |p, l: &mut Lead, c| {
            p.record_touch(l, outcome, c)
        })
    }

    /// A new opportunity in the initial stage, with an `initial` history entry.
    #[pyo3(signature = (id, name, account_id, *, at, actor = None, reason = None))]
    fn open_opportunity<'py>(
        &self,
        id: &str,
        name: &str,
        account_id: &str,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = at.py();
        let ch = change(at, actor, reason)?;
        let opp = errors::run_attached(py, || {
            Ok(self.inner.open_opportunity(id, name, account_id, &ch))
        })?;
        record_to_py(py, &opp)
    }

    /// Moves an opportunity and copies the stage's probability, forecast category and
    /// closed/won flags: `(opportunity, transition)`. Closed Lost needs a `reason`.
    #[pyo3(signature = (opportunity, to, *, at, actor = None, reason = None))]
    fn move_opportunity<'py>(
        &self,
        opportunity: &Bound<'py, PyAny>,
        to: String,
        at: &Bound<'py, PyAny>,
        actor: Option<String>,
        reason: Option<String>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let ch = change(at, actor, reason)?;
        self.apply(opportunity, ch, move |p, o: &mut Opportunity, c| {
            p.move_opportunity(o, &to, c)
        })
    }

    /// A notebook view: one table row per dimension.
    fn _repr_html_(&self) -> String {
        let cfg = self.inner.config();
        let row = |name: &str, states: Vec<String>| {
            format!(
                "<tr><th style=\"text-align:left\">{name}</th><td style=\"text-align:left\">{}</td></tr>",
                states.join(" &rarr; ")
            )
        };
        let stages = cfg
            .lead_stages
            .ladder
            .iter()
            .map(|s| escape_html(s))
            .collect();
        let statuses = cfg
            .lead_statuses
            .states
            .iter()
            .map(|s| escape_html(s))
            .collect();
        let opps = cfg
            .opportunity_stages
            .stages
            .iter()
            .map(|d| format!("{} ({}%)", escape_html(&d.name), d.probability))
            .collect();
        format!(
            "<table><caption>leadflow.Pipeline</caption>{}{}{}</table>",
            row("lead stages", stages),
            row("lead statuses", statuses),
            row("opportunity stages", opps)
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let cfg = self.inner.config();
        let opp = cfg
            .opportunity_stages
            .stages
            .iter()
            .map(|d| d.name.as_str());
        Ok(format!(
            "Pipeline(stages={}, statuses={}, opportunity_stages={})",
            PyList::new(py, &cfg.lead_stages.ladder)?.repr()?,
            PyList::new(py, &cfg.lead_statuses.states)?.repr()?,
            PyList::new(py, opp)?.repr()?,
        ))
    }
}

/// Escapes text for HTML (stage names come from user configuration).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The history of a lead or opportunity dict, or a list of transitions.
fn history(record: &Bound<'_, PyAny>) -> PyResult<Vec<Transition>> {
    let py = record.py();
    let list = if record.is_instance_of::<PyList>() || record.is_instance_of::<PyTuple>() {
        record.clone()
    } else if record.is_instance_of::<PyString>() {
        return Err(errors::to_py_err(
            py,
            &Error::validation("expected a record dict or a list of transitions, found a string"),
        ));
    } else {
        match record.get_item("history") {
            Ok(h) => h,
            Err(_) => return Ok(Vec::new()),
        }
    };
    values::serde_from_py(&list, "history").into_py_result(py)
}

fn dimension(obj: &Bound<'_, PyAny>) -> PyResult<Dimension> {
    values::serde_from_py(obj, "dimension").into_py_result(obj.py())
}

fn timestamp_to_py(ts: Option<leadflow::Timestamp>) -> Option<String> {
    ts.map(|t| match serde_json::to_value(t) {
        Ok(Value::String(s)) => s,
        _ => t.to_rfc3339(),
    })
}

/// When `record` (lead/opportunity dict or history list) first entered `state`, or None.
#[pyfunction]
#[pyo3(signature = (record, state, *, dimension = None))]
pub fn entered_at(
    record: &Bound<'_, PyAny>,
    state: &str,
    dimension: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    let dim = dimension.map_or(Ok(Dimension::Stage), self::dimension)?;
    Ok(timestamp_to_py(lifecycle::history::entered_at(
        &history(record)?,
        dim,
        state,
    )))
}

/// When `record` most recently entered `state`, or None.
#[pyfunction]
#[pyo3(signature = (record, state, *, dimension = None))]
pub fn last_entered_at(
    record: &Bound<'_, PyAny>,
    state: &str,
    dimension: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<String>> {
    let dim = dimension.map_or(Ok(Dimension::Stage), self::dimension)?;
    Ok(timestamp_to_py(lifecycle::history::last_entered_at(
        &history(record)?,
        dim,
        state,
    )))
}

/// Days since the latest transition of `dimension` as of `now`, or None without history.
#[pyfunction]
#[pyo3(signature = (record, *, now, dimension = None))]
pub fn time_in_current(
    record: &Bound<'_, PyAny>,
    now: &Bound<'_, PyAny>,
    dimension: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<f64>> {
    let dim = dimension.map_or(Ok(Dimension::Stage), self::dimension)?;
    let now = values::timestamp_from_py(now, "now").into_py_result(record.py())?;
    Ok(lifecycle::history::time_in_current(
        &history(record)?,
        dim,
        now,
    ))
}

/// Days spent in each state of `dimension` up to `now`, summed over every visit.
#[pyfunction]
#[pyo3(signature = (record, *, now, dimension = None))]
pub fn cumulative_time<'py>(
    record: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    dimension: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = record.py();
    let dim = dimension.map_or(Ok(Dimension::Stage), self::dimension)?;
    let now = values::timestamp_from_py(now, "now").into_py_result(py)?;
    let totals = lifecycle::history::cumulative_time(&history(record)?, dim, now);
    values::serde_to_py(py, &totals)
}

/// Every state visited in `dimension`, in order of first entry:
/// `[{state, first_entered_at, last_entered_at, days}]`.
#[pyfunction]
#[pyo3(signature = (record, *, now, dimension = None))]
pub fn timeline<'py>(
    record: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    dimension: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = record.py();
    let dim = dimension.map_or(Ok(Dimension::Stage), self::dimension)?;
    let now = values::timestamp_from_py(now, "now").into_py_result(py)?;
    let rows = lifecycle::history::timeline(&history(record)?, dim, now);
    values::serde_to_py(py, &rows)
}

/// Adds `Pipeline` and the history queries to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPipeline>()?;
    m.add_function(wrap_pyfunction!(entered_at, m)?)?;
    m.add_function(wrap_pyfunction!(last_entered_at, m)?)?;
    m.add_function(wrap_pyfunction!(time_in_current, m)?)?;
    m.add_function(wrap_pyfunction!(cumulative_time, m)?)?;
    m.add_function(wrap_pyfunction!(timeline, m)?)?;
    Ok(())
}
