//! Routing: `leadflow.Router` (assignment with an explicit, serializable state),
//! `leadflow.SlaPolicy` (speed-to-lead and follow-up SLAs), `leadflow.Triggers`
//! (automation triggers) and `leadflow.record_activity` (touch status).
//!
//! Configurations are dicts, JSON text or files. State (routing positions and
//! capacity counts, one-shot triggers) is a plain dict the caller stores between
//! calls; nothing passed in is modified. Every decision is the core's.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use leadflow::lifecycle::ConfigFormat;
use leadflow::model::{Activity, split_records};
use leadflow::routing::{
    self, Event, ExistingAccounts, RoutingConfig, RoutingState, SlaConfig, Target, TouchPolicy,
    TriggerConfig, TriggerEngine, TriggerState,
};
use leadflow::{Account, Contact, Error, Lead, Record};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::errors::{self, IntoPyResult};
use crate::lifecycle::{PyPipeline, escape_html};
use crate::model::{record_from_py, record_to_py, value_from_py};
use crate::values;

/// A configuration from a dict or JSON text, parsed and checked by `build` without the GIL.
fn config<T: Send>(
    config: &Bound<'_, PyAny>,
    build: impl FnOnce(&str) -> leadflow::Result<T> + Send,
) -> PyResult<T> {
    let py = config.py();
    let text = match config.cast::<PyString>() {
        Ok(text) => text.to_str()?.to_owned(),
        Err(_) => values::from_py(config)
            .map_err(|e| e.with_field("config"))
            .into_py_result(py)?
            .to_string(),
    };
    errors::run(py, move || build(&text))
}

/// An optional argument parsed with serde: its default when absent or None.
fn opt<T: DeserializeOwned + Default>(obj: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<T> {
    match obj {
        Some(o) if !o.is_none() => values::serde_from_py(o, name).into_py_result(o.py()),
        _ => Ok(T::default()),
    }
}

fn now_from_py(now: &Bound<'_, PyAny>) -> PyResult<leadflow::Timestamp> {
    values::timestamp_from_py(now, "now").into_py_result(now.py())
}

/// A `(first, second)` tuple of serializable core values.
fn pair<'py>(
    py: Python<'py>,
    first: Bound<'py, PyAny>,
    second: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, [first, values::serde_to_py(py, second)?])
}

enum Either<'a> {
    Text(&'a str),
    Value(leadflow::Result<Value>),
}

/// Records of one kind from an iterable of dicts (or JSON texts); an error's field
/// path starts with the record's position (`accounts[1].employees`).
fn records<T: Record>(list: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<T>> {
    let py = list.py();
    let mut out = Vec::new();
    for (i, item) in list.try_iter()?.enumerate() {
        let item = item?;
        let value = match item.cast::<PyString>() {
            Ok(text) => Either::Text(text.to_str()?),
            Err(_) => Either::Value(value_from_py(&item)),
        };
        let record = errors::guard(py, || {
            let record = match value {
                Either::Text(text) => T::from_json(text),
                Either::Value(value) => value.and_then(T::from_value),
            };
            // `with_field` keeps the record's own path: `accounts[1]` + `employees`.
            record.map_err(|e| e.with_field(format!("{field}[{i}]")))
        })?;
        out.push(record);
    }
    Ok(out)
}

/// Existing accounts and contacts, kept as dicts so the router pickles with them.
#[derive(Debug, Clone)]
struct Existing {
    accounts: Vec<Value>,
    contacts: Vec<Value>,
}

/// Assigns leads to reps, teams or queues; never drops a lead (nobody eligible:
/// the fallback queue, with the reason). Deterministic: the same config, state,
/// lead and `now` always give the same assignment. Immutable, thread-safe, picklable.
#[pyclass(frozen, module = "leadflow", name = "Router")]
#[derive(Debug)]
pub struct PyRouter {
    inner: routing::Router,
    existing: Option<Existing>,
}

impl PyRouter {
    fn build(
        py: Python<'_>,
        config: RoutingConfig,
        accounts: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        // Either list turns ownership matching on (the other one is then empty).
        let existing = if accounts.is_none() && contacts.is_none() {
            None
        } else {
            let accounts: Vec<Account> =
                accounts.map_or(Ok(Vec::new()), |a| records(a, "accounts"))?;
            let contacts: Vec<Contact> =
                contacts.map_or(Ok(Vec::new()), |c| records(c, "contacts"))?;
            Some((accounts, contacts))
        };
        let work = move || -> leadflow::Result<Self> {
            let mut inner = routing::Router::new(config)?;
            let Some((accounts, contacts)) = existing else {
                return Ok(PyRouter {
                    inner,
                    existing: None,
                });
            };
            let kept = Existing {
                accounts: accounts.iter().map(Record::to_value).collect(),
                contacts: contacts.iter().map(Record::to_value).collect(),
            };
            inner = inner.with_account_matcher(Arc::new(ExistingAccounts::new(accounts, contacts)));
            Ok(PyRouter {
                inner,
                existing: Some(kept),
            })
        };
        errors::run(py, work)
    }

    /// Leads from JSON text (array, object or JSON Lines) or an iterable of dicts.
    fn leads(leads: &Bound<'_, PyAny>) -> PyResult<Vec<leadflow::Result<Value>>> {
        let py = leads.py();
        if let Ok(text) = leads.cast::<PyString>() {
            let text = text.to_str()?;
            return errors::run(py, move || Ok(split_records(text)));
        }
        let mut out = Vec::new();
        for item in leads.try_iter()? {
            out.push(value_from_py(&item?));
        }
        Ok(out)
    }
}

#[pymethods]
impl PyRouter {
    /// A router from a routing configuration (dict or JSON text). `accounts` and
    /// `contacts` (existing records) turn on ownership routing.
    #[new]
    #[pyo3(signature = (config, *, accounts = None, contacts = None))]
    fn new(
        config: &Bound<'_, PyAny>,
        accounts: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let c = self::config(config, |t| RoutingConfig::from_str(t, ConfigFormat::Json))?;
        Self::build(config.py(), c, accounts, contacts)
    }

    /// Loads a `.json`, `.yaml`/`.yml` or `.toml` routing configuration.
    #[staticmethod]
    #[pyo3(signature = (path, *, accounts = None, contacts = None))]
    fn from_path(
        py: Python<'_>,
        path: PathBuf,
        accounts: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let c = errors::run(py, move || RoutingConfig::from_path(&path))?;
        Self::build(py, c, accounts, contacts)
    }

    /// Parses a routing configuration text; `format` is `json`, `yaml` or `toml`.
    #[staticmethod]
    #[pyo3(name = "from_str", signature = (text, format = "json", *, accounts = None, contacts = None))]
    fn from_text(
        py: Python<'_>,
        text: &str,
        format: &str,
        accounts: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (text, format) = (text.to_owned(), format.to_owned());
        let c = errors::run(py, move || {
            RoutingConfig::from_str(&text, ConfigFormat::from_name(&format)?)
        })?;
        Self::build(py, c, accounts, contacts)
    }

    /// The configuration as a dict, defaults included.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        values::serde_to_py(py, self.inner.config())
    }

    /// Segment, region and territories the configuration derives for a lead.
    fn facts<'py>(&self, lead: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = lead.py();
        let lead: Lead = record_from_py(lead)?;
        let facts = errors::run(py, || Ok(self.inner.facts(&lead)))?;
        values::serde_to_py(py, &facts)
    }

    /// Assigns one lead: `(assignment, state)`; store `state` for the next call
    /// (round-robin positions, capacity counts). The given state is not modified.
    #[pyo3(signature = (lead, state = None, *, now))]
    fn assign<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let py = lead.py();
        let lead: Lead = record_from_py(lead)?;
        let mut state: RoutingState = opt(state, "state")?;
        let now = now_from_py(now)?;
        let router = &self.inner;
        let (assignment, state) = errors::run(py, move || {
            let a = router.assign_mut(&lead, &mut state, now);
            Ok((a, state))
        })?;
        pair(py, values::serde_to_py(py, &assignment)?, &state)
    }

    /// Assigns leads in order, exactly as one by one: `(assignments, state)`. A lead
    /// that does not parse is a `LeadflowError` instance (not raised) in its place
    /// and takes no turn. `leads`: a list of dicts or JSON text (array or JSON Lines).
    #[pyo3(signature = (leads, state = None, *, now))]
    fn assign_many<'py>(
        &self,
        leads: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let py = leads.py();
        let values = Self::leads(leads)?;
        let mut state: RoutingState = opt(state, "state")?;
        let now = now_from_py(now)?;
        let router = &self.inner;
        let (results, state) = errors::run(py, move || {
            let results: Vec<leadflow::Result<Value>> = values
                .into_iter()
                .map(|v| {
                    let lead = v.and_then(Lead::from_value)?;
                    Ok(serde_json::to_value(
                        router.assign_mut(&lead, &mut state, now),
                    )?)
                })
                .collect();
            Ok((results, state))
        })?;
        let out = PyList::empty(py);
        for result in results {
            match result {
                Ok(a) => out.append(values::to_py(py, &a)?)?,
                Err(e) => out.append(errors::to_exception(py, &e)?)?,
            }
        }
        pair(py, out.into_any(), &state)
    }

    /// Pickles as its configuration and existing records (rebuilt and re-validated on load).
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let this = slf.get();
        let class = py.get_type::<Self>().getattr("_restore")?;
        let config = serde_json::to_string(this.inner.config()).map_err(Error::from);
        let config = config.into_py_result(py)?;
        let (accounts, contacts) = match &this.existing {
            Some(e) => (
                values::to_py(py, &Value::Array(e.accounts.clone()))?,
                values::to_py(py, &Value::Array(e.contacts.clone()))?,
            ),
            None => (py.None().into_bound(py), py.None().into_bound(py)),
        };
        let args = PyTuple::new(
            py,
            [PyString::new(py, &config).into_any(), accounts, contacts],
        )?;
        PyTuple::new(py, [class, args.into_any()])
    }

    /// Rebuilds a pickled router (see `__reduce__`).
    #[staticmethod]
    fn _restore(
        config: &Bound<'_, PyAny>,
        accounts: Option<&Bound<'_, PyAny>>,
        contacts: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Self::new(config, accounts, contacts)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = self.inner.config();
        Ok(format!(
            "Router(rules={}, teams={}, reps={}, fallback_queue={}, ownership={})",
            py_list(py, c.rules.iter().map(|r| r.name.as_str()))?,
            py_list(py, c.teams.iter().map(|t| t.name.as_str()))?,
            py_list(py, c.reps.iter().map(|r| r.id.as_str()))?,
            PyString::new(py, &c.fallback_queue).repr()?,
            if self.existing.is_some() && c.ownership.is_some() {
                "True"
            } else {
                "False"
            },
        ))
    }

    /// A notebook view: the ordered rules, then the teams and the reps.
    fn _repr_html_(&self) -> String {
        let c = self.inner.config();
        let mut html = String::from("<table><caption>leadflow.Router</caption>");
        section(&mut html, "rule", "assigns to");
        for r in &c.rules {
            let cond = if r.when.is_some() { " (when ...)" } else { "" };
            row(&mut html, &r.name, &format!("{}{cond}", target(&r.assign)));
        }
        row(
            &mut html,
            "(fallback)",
            &format!("queue {}", c.fallback_queue),
        );
        section(&mut html, "team", "strategy: members");
        for t in &c.teams {
            let detail = format!("{}: {}", t.strategy.name(), t.members.join(", "));
            row(&mut html, &t.name, &detail);
        }
        section(&mut html, "rep", "weight, caps, territories");
        for r in &c.reps {
            let mut detail = format!("weight {}", r.weight);
            if let Some(cap) = r.daily_cap {
                let _ = write!(detail, ", {cap}/day");
            }
            if let Some(cap) = r.weekly_cap {
                let _ = write!(detail, ", {cap}/week");
            }
            if !r.territories.is_empty() {
                let _ = write!(detail, ", {}", r.territories.join(" / "));
            }
            if !r.active {
                detail.push_str(", inactive");
            }
            row(&mut html, &r.id, &detail);
        }
        html.push_str("</table>");
        html
    }
}

/// Names as a Python list literal (`['a', 'b']`), quoted the way Python quotes them.
fn py_list<'a>(py: Python<'_>, names: impl Iterator<Item = &'a str>) -> PyResult<String> {
    Ok(PyList::new(py, names)?.repr()?.to_string())
}

fn target(t: &Target) -> String {
    match t {
        Target::Team(n) => format!("team {n}"),
        Target::Rep(n) => format!("rep {n}"),
        Target::Queue(n) => format!("queue {n}"),
    }
}

/// A header row of a notebook table.
fn section(html: &mut String, name: &str, detail: &str) {
    let _ = write!(
        html,
        "<tr><th style=\"text-align:left\">{name}</th><th style=\"text-align:left\">{detail}</th></tr>"
    );
}

/// A body row of a notebook table; both cells come from user configuration.
fn row(html: &mut String, name: &str, detail: &str) {
    let _ = write!(
        html,
        "<tr><td style=\"text-align:left\">{}</td><td style=\"text-align:left\">{}</td></tr>",
        escape_html(name),
        escape_html(detail)
    );
}

/// Speed-to-lead and follow-up SLAs (business hours, segments). Immutable, thread-safe.
#[pyclass(frozen, module = "leadflow", name = "SlaPolicy")]
#[derive(Debug)]
pub struct PySlaPolicy {
    inner: SlaConfig,
}

#[pymethods]
impl PySlaPolicy {
    /// An SLA configuration (dict or JSON text).
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner = self::config(config, |t| {
            let c = SlaConfig::from_str(t, ConfigFormat::Json)?;
            c.validate()?;
            Ok(c)
        })?;
        Ok(PySlaPolicy { inner })
    }

    /// The SLA report of one lead as of `now`: `{lead_id, segment?, first_touch_at?,
    /// speed_to_lead_seconds?, slas: [...]}`.
    #[pyo3(signature = (lead, *, now))]
    fn evaluate<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = lead.py();
        let lead: Lead = record_from_py(lead)?;
        let now = now_from_py(now)?;
        let report = errors::run(py, || Ok(self.inner.evaluate(&lead, now)))?;
        values::serde_to_py(py, &report)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = &self.inner;
        Ok(format!(
            "SlaPolicy(first_touch={}, follow_up_minutes={}, business_hours={})",
            py_list(py, c.first_touch.iter().map(|p| p.name.as_str()))?,
            c.follow_up
                .as_ref()
                .map_or("None".to_owned(), |f| f.within_minutes.to_string()),
            if c.business_hours.is_some() {
                "True"
            } else {
                "False"
            },
        ))
    }

    /// A notebook view: one row per SLA with its deadline.
    fn _repr_html_(&self) -> String {
        let c = &self.inner;
        let mut html = String::from("<table><caption>leadflow.SlaPolicy</caption>");
        section(&mut html, "sla", "due within");
        for p in &c.first_touch {
            let mut detail = format!("{} min", p.within_minutes);
            if p.business_hours {
                detail.push_str(" (business hours)");
            }
            if !p.segments.is_empty() {
                let _ = write!(detail, ", segments {}", p.segments.join(" / "));
            }
            row(&mut html, &format!("first touch: {}", p.name), &detail);
        }
        if let Some(f) = &c.follow_up {
            let hours = if f.business_hours {
                " (business hours)"
            } else {
                ""
            };
            row(
                &mut html,
                "follow-up",
                &format!("{} min{hours}", f.within_minutes),
            );
        }
        for (status, days) in &c.max_days_in_status {
            row(
                &mut html,
                &format!("in status {status}"),
                &format!("{days} days"),
            );
        }
        html.push_str("</table>");
        html
    }
}

/// Automation triggers: events in, planned actions out (the host performs them).
/// Immutable, thread-safe.
#[pyclass(frozen, module = "leadflow", name = "Triggers")]
#[derive(Debug)]
pub struct PyTriggers {
    inner: TriggerEngine,
}

/// The `snake_case` name of a serde enum value (`{"score_crossed": {...}}` -> `score_crossed`).
fn variant(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

#[pymethods]
impl PyTriggers {
    /// A trigger configuration (dict or JSON text); an invalid one is a `ConfigError`.
    /// A trigger that would fire again on its own output is a `TriggerLoop` at evaluation.
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<Self> {
        let inner = self::config(config, |t| {
            TriggerEngine::new(TriggerConfig::from_str(t, ConfigFormat::Json)?)
        })?;
        Ok(PyTriggers { inner })
    }

    /// Plans the actions for `event` on `lead`: `(actions, state)`; keep `state`
    /// (one-shot triggers) for the next call. The given state is not modified.
    #[pyo3(signature = (lead, event, state = None))]
    fn evaluate<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        event: &Bound<'py, PyAny>,
        state: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let py = lead.py();
        let lead: Lead = record_from_py(lead)?;
        let event: Event = values::serde_from_py(event, "event").into_py_result(py)?;
        let mut state: TriggerState = opt(state, "state")?;
        let engine = &self.inner;
        let (actions, state) = errors::run(py, move || {
            let actions = engine.evaluate(&lead, &event, &mut state)?;
            Ok((actions, state))
        })?;
        pair(py, values::serde_to_py(py, &actions)?, &state)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let c = self.inner.config();
        Ok(format!(
            "Triggers({}, recycle_status={}, max_depth={})",
            py_list(py, c.triggers.iter().map(|t| t.name.as_str()))?,
            PyString::new(py, &c.recycle_status).repr()?,
            c.max_depth
        ))
    }

    /// A notebook view: one row per trigger with its event and actions.
    fn _repr_html_(&self) -> String {
        let c = self.inner.config();
        let mut html = String::from("<table><caption>leadflow.Triggers</caption>");
        section(&mut html, "trigger", "on: actions");
        for t in &c.triggers {
            let actions: Vec<String> = t.actions.iter().map(variant).collect();
            let mut detail = variant(&t.on);
            if t.when.is_some() {
                detail.push_str(" (when ...)");
            }
            let _ = write!(detail, ": {}", actions.join(", "));
            if t.one_shot {
                detail.push_str(" (once per lead)");
            }
            row(&mut html, &t.name, &detail);
        }
        html.push_str("</table>");
        html
    }
}

/// Records an activity on a lead and moves its touch status by `policy`
/// (`new -> attempting -> connected`, recycling after `max_attempts`):
/// `(lead, result)`. Atomic: on error nothing changes; the dict passed in is never
/// modified. `pipeline`: the lifecycle to move the lead in (the built-in one by default).
#[pyfunction]
#[pyo3(signature = (lead, activity, *, policy = None, actor = None, pipeline = None))]
pub fn record_activity<'py>(
    lead: &Bound<'py, PyAny>,
    activity: &Bound<'py, PyAny>,
    policy: Option<&Bound<'py, PyAny>>,
    actor: Option<String>,
    pipeline: Option<&Bound<'py, PyPipeline>>,
) -> PyResult<Bound<'py, PyTuple>> {
    let py = lead.py();
    let mut lead: Lead = record_from_py(lead)?;
    let activity: Activity = values::serde_from_py(activity, "activity").into_py_result(py)?;
    let policy: TouchPolicy = opt(policy, "policy")?;
    let pipeline = pipeline.map(|p| p.get().core());
    let (lead, result) = errors::run(py, move || {
        let default = leadflow::lifecycle::Pipeline::default();
        let p = pipeline.unwrap_or(&default);
        let actor = actor.as_deref().unwrap_or("system");
        let result = policy.record(p, &mut lead, activity, actor)?;
        Ok((lead, result))
    })?;
    pair(py, record_to_py(py, &lead)?, &result)
}

/// Adds `Router`, `SlaPolicy`, `Triggers` and `record_activity` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRouter>()?;
    m.add_class::<PySlaPolicy>()?;
    m.add_class::<PyTriggers>()?;
    m.add_function(wrap_pyfunction!(record_activity, m)?)?;
    Ok(())
}
