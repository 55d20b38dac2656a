//! `leadflow.Pack`: a compiled rule pack that scores, explains and evaluates leads,
//! one at a time or in batches (lists of dicts, pandas `DataFrame`s, Arrow tables).

use leadflow::rules::ScoreOptions;
use std::fmt::Write as _;
use std::path::PathBuf;

use leadflow::lifecycle::Pipeline;
use leadflow::model::RecordReader;
use leadflow::rules::{
    Axis, CompiledPack, InputOptions, LoadOptions, PackFormat, PackSources, RowFeed, RowScore,
    RuleKind, ScoreResult, Tier,
};
use leadflow::sandbox::Limits;
use leadflow::{Error, Lead};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::de::PyDe;
use crate::errors::{self, IntoPyResult};
use crate::lifecycle::PyPipeline;
use crate::model::{record_from_py, record_to_py, value_from_py};
use crate::{columnar, input_options, rows, values};

/// A compiled rule pack: immutable, thread-safe, picklable (it is rebuilt from
/// its sources). Build it once and reuse it for every lead.
#[pyclass(frozen, module = "leadflow", name = "Pack")]
#[derive(Debug)]
pub struct PyPack {
    inner: CompiledPack,
}

fn format(name: &str) -> leadflow::Result<PackFormat> {
    PackFormat::from_extension(name).ok_or_else(|| {
        Error::config(format!(
            "unknown pack format {name:?} (expected toml, json, yaml or rhai)"
        ))
        .with_field("format")
    })
}

fn format_name(f: PackFormat) -> &'static str {
    match f {
        PackFormat::Toml => "toml",
        PackFormat::Json => "json",
        PackFormat::Yaml => "yaml",
        PackFormat::Rhai => "rhai",
    }
}

fn now_from_py(now: &Bound<'_, PyAny>) -> PyResult<leadflow::Timestamp> {
    values::timestamp_from_py(now, "now").into_py_result(now.py())
}

/// A score result as a dict; built directly (no JSON value in between) when there
/// is no explanation, as batches return one per lead.
fn result_to_py<'py>(py: Python<'py>, r: &ScoreResult) -> PyResult<Bound<'py, PyAny>> {
    if r.explanation.is_some() {
        return values::serde_to_py(py, r);
    }
    let d = PyDict::new(py);
    d.set_item("lead_id", &r.lead_id)?;
    d.set_item("total", r.total)?;
    d.set_item("fit", r.fit)?;
    d.set_item("engagement", r.engagement)?;
    d.set_item("grade", r.grade.as_str())?;
    d.set_item("temperature", r.temperature.as_str())?;
    Ok(d.into_any())
}

/// Records per chunk of a list of dicts (the core's default is 4,096): a lead
/// with activities is held as the borrowed reader's view (its strings owned)
/// until its chunk is scored, and fewer of them in flight stay in cache and in
/// the allocator's fast paths (5,000 reference leads: 62 us per lead in one
/// chunk, 48 us in chunks of 250).
const DICT_CHUNK_ROWS: usize = 512;

impl PyPack {
    fn new(inner: CompiledPack) -> Self {
        PyPack { inner }
    }

    /// Scores a list (or any iterable) of lead dicts (or JSON texts). Dicts are
    /// read with the GIL into the core's [`RowFeed`]: flat ones straight into
    /// feature columns, the others as JSON values; each full chunk is scored on
    /// all cores by the feed's thread while the next one is read, and the rest
    /// without the GIL. Results equal scoring each lead on its own.
    #[allow(clippy::too_many_lines)] // one pass over the records, in input order
    fn score_list<'py>(
        &self,
        leads: &Bound<'py, PyAny>,
        now: leadflow::Timestamp,
        explain: bool,
        opts: &InputOptions,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = leads.py();
        // A record may omit any key: only the mapping itself is checked up front.
        let mapped: Vec<&str> = opts.columns.iter().map(|(c, _)| c.as_str()).collect();
        self.inner.record_schema(&mapped, opts).into_py_result(py)?;
        let mut feed = RowFeed::with_options(&self.inner, now, explain, opts, DICT_CHUNK_ROWS);
        let mut keys = rows::KeyMap::new();
        // The id objects of fast rows (over all chunks), reused in their result dicts.
        let mut ids: Vec<Option<Bound<'py, PyAny>>> = Vec::new();
        // A text (str or bytes) is records, not an iterable of characters: JSON Lines
        // or an array, one entry per record (a bad one is its error entry).
        let text = if let Ok(s) = leads.cast::<PyString>() {
            Some(s.to_str()?.as_bytes().to_vec())
        } else if let Ok(b) = leads.cast::<PyBytes>() {
            Some(b.as_bytes().to_vec())
        } else {
            None
        };
        if let Some(bytes) = text {
            for record in RecordReader::new(bytes.as_slice()) {
                feed.batch().push_value(record.and_then(|r| r.value));
                feed.end_record();
            }
        }
        let items = if text_given(leads) {
            None
        } else {
            Some(leads.try_iter()?)
        };
        for item in items.into_iter().flatten() {
            let item = item?;
            let batch = feed.batch();
            if let Ok(text) = item.cast::<PyString>() {
                batch.push_json(text.to_str()?.to_owned());
            } else if let Ok(dict) = item.cast::<PyDict>() {
                // Flat dicts as feature cells; the others (activities ...) element by
                // element into the borrowed lead reader; what it refuses as a value.
                let read = (batch.is_fast() && rows::read_dict(batch, dict, &mut keys, &mut ids))
                    || batch.push_read(PyDe::new(&item));
                if !read {
                    batch.push_value(value_from_py(&item));
                }
            } else {
                batch.push_value(value_from_py(&item));
            }
            feed.end_record();
        }
        let chunks = errors::run(py, move || Ok(feed.finish()))?;
        let names = rows::ResultNames::new(py)?;
        let out = PyList::empty(py);
        let mut first_fast = 0;
        for scores in &chunks {
            for r in scores.iter() {
                match r {
                    RowScore::Fast { error: Some(e), .. } | RowScore::Slow(Err(e)) => {
                        out.append(errors::to_exception(py, e)?)?;
                    }
                    RowScore::Fast { row, error: None } => {
                        let id = match ids.get(first_fast + row) {
                            Some(Some(id)) => id.clone(),
                            _ => PyString::new(py, scores.id(row)).into_any(),
                        };
                        out.append(names.row(&scores.columns, row, id)?)?;
                    }
                    RowScore::Slow(Ok(r)) if r.explanation.is_none() => {
                        out.append(names.result(py, r)?)?;
                    }
                    RowScore::Slow(Ok(r)) => out.append(result_to_py(py, r)?)?,
                }
            }
            first_fast += scores.fast_len();
        }
        Ok(out)
    }
}

/// Whether a batch argument is a text of records (str or bytes).
fn text_given(leads: &Bound<'_, PyAny>) -> bool {
    leads.is_instance_of::<PyString>() || leads.is_instance_of::<PyBytes>()
}

/// The host's load options from a `limits` dict (None: the safe defaults).
fn load_options(py: Python<'_>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<LoadOptions> {
    let Some(limits) = limits.filter(|l| !l.is_none()) else {
        return Ok(LoadOptions::default());
    };
    let value = values::from_py(limits).into_py_result(py)?;
    Limits::from_value(&value)
        .map(LoadOptions::with_limits)
        .into_py_result(py)
}

#[pymethods]
impl PyPack {
    /// Loads and compiles a pack folder (with `pack.toml|json|yaml`), or a single
    /// manifest or `.rhai` file. `limits` are the host's sandbox ceilings (a dict,
    /// `docs/sandbox.md`); the pack's own `[limits]` may only lower them.
    #[staticmethod]
    #[pyo3(signature = (path, *, limits = None))]
    fn from_path(
        py: Python<'_>,
        path: PathBuf,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let options = load_options(py, limits)?;
        errors::run(py, move || CompiledPack::load_with(&path, &options)).map(Self::new)
    }

    /// Compiles a pack given as text: `format` is `toml`, `json`, `yaml` or `rhai`;
    /// `file` names it in errors. Scripts must be inline.
    #[staticmethod]
    #[pyo3(name = "from_str", signature = (text, format = "toml", file = None, *, limits = None))]
    fn from_text(
        py: Python<'_>,
        text: String,
        format: &str,
        file: Option<String>,
        limits: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let format = self::format(format).into_py_result(py)?;
        let file = file.unwrap_or_else(|| format!("<string>.{}", format_name(format)));
        let options = load_options(py, limits)?;
        errors::run(py, move || {
            CompiledPack::from_str_with(&text, format, &file, &options)
        })
        .map(Self::new)
    }

    /// Compiles a pack from a manifest dict (scripts inline).
    #[staticmethod]
    #[pyo3(signature = (pack, *, limits = None))]
    fn from_dict(pack: &Bound<'_, PyAny>, limits: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let py = pack.py();
        let value = values::from_py(pack).into_py_result(py)?;
        let options = load_options(py, limits)?;
        errors::run(py, move || CompiledPack::from_value_with(&value, &options)).map(Self::new)
    }

    /// The sandbox limits the pack runs under: the host's, lowered by the pack.
    #[getter]
    fn limits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = serde_json::to_value(self.inner.limits())
            .map_err(|e| errors::to_py_err(py, &Error::validation(e.to_string())))?;
        values::to_py(py, &value)
    }

    /// Rebuilds a pickled pack (see `__reduce__`).
    #[staticmethod]
    fn _from_sources(py: Python<'_>, sources: String, version: String) -> PyResult<Self> {
        errors::run(py, move || {
            let sources: PackSources = serde_json::from_str(&sources).map_err(|e| {
                Error::config(format!(
                    "cannot read a pack pickled by leadflow {version} with leadflow {}: {e}",
                    env!("CARGO_PKG_VERSION")
                ))
            })?;
            CompiledPack::from_sources(&sources)
        })
        .map(Self::new)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let sources = serde_json::to_string(slf.get().inner.sources())
            .map_err(|e| errors::to_py_err(py, &Error::validation(e.to_string())))?;
        let rebuild = slf.get_type().getattr("_from_sources")?;
        (rebuild, (sources, env!("CARGO_PKG_VERSION"))).into_pyobject(py)
    }

    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    #[getter]
    fn version(&self) -> &str {
        self.inner.version()
    }

    /// `name@version`, as stored in `lead["score"]["pack"]`.
    #[getter]
    fn id(&self) -> &str {
        self.inner.id()
    }

    /// Every rule (and setup statement), in evaluation order, with its tier.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        values::serde_to_py(py, &self.inner.rules())
    }

    /// Names of the features the pack reads (also the column names batches may hold).
    #[getter]
    fn features(&self) -> Vec<&str> {
        self.inner.features()
    }

    /// Scores one lead as of `now`; with `explain`, the result has an `explanation`.
    /// Keys read as in `score_many` (`Title` as `title`).
    #[pyo3(signature = (lead, now, explain = false))]
    fn score<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        explain: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = lead.py();
        let pack = &self.inner;
        let at = now_from_py(now);
        // JSON text is scored without building the lead (the same result or error).
        if let (Ok(text), Ok(now)) = (lead.cast::<PyString>(), &at) {
            let (text, now) = (text.to_str()?, *now);
            let r = errors::run(py, move || {
                pack.score_json(text, now, ScoreOptions::default().with_explain(explain))
            })?;
            return result_to_py(py, &r);
        }
        // Read with the GIL (element by element, or as a value when the reader
        // refuses it: the precise error), scored without it. Keys read as
        // `score_many` reads them (`Title` as `title`).
        let read = errors::guard(py, || {
            pack.read_lead(PyDe::new(lead), || value_from_py(lead))
        })?;
        let now = at?;
        let r = errors::run(py, move || {
            pack.score_lead_read(&read, now, ScoreOptions::default().with_explain(explain))
        })?;
        result_to_py(py, &r)
    }

    /// Scores one lead and explains why: fired rules, caps, grade and temperature reasons.
    fn explain<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.score(lead, now, true)
    }

    /// Scores the lead, evaluates the pack's qualification framework, and moves it
    /// through the lifecycle by the pack's thresholds: `(lead, evaluation)`. The
    /// lead passed in is not modified.
    #[pyo3(signature = (lead, now, pipeline = None))]
    fn evaluate<'py>(
        &self,
        lead: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        pipeline: Option<&Bound<'py, PyPipeline>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let py = lead.py();
        let mut lead: Lead = record_from_py(lead)?;
        let now = now_from_py(now)?;
        let default;
        let pipeline = if let Some(p) = pipeline {
            p.get().core()
        } else {
            default = Pipeline::default();
            &default
        };
        let pack = &self.inner;
        let (lead, evaluation) = errors::run(py, move || {
            let e = pack.evaluate(&mut lead, pipeline, now)?;
            Ok((lead, e))
        })?;
        PyTuple::new(
            py,
            [
                record_to_py(py, &lead)?,
                values::serde_to_py(py, &evaluation)?,
            ],
        )
    }

    /// Scores many leads on all cores, returning the same kind as given:
    /// a list of dicts (or JSON texts) -> a list of results, where a bad record
    /// is a `LeadflowError` instance (not raised); a pandas `DataFrame` -> a
    /// `DataFrame` with `score`, `fit`, `engagement`, `grade`, `temperature` and
    /// `error` columns added; a pyarrow `Table`/`RecordBatch` (or any object with
    /// `__arrow_c_stream__`) -> a `Table` with those columns appended. Columns are
    /// read without per-row Python objects.
    ///
    /// Column and key names are matched to the pack's features by the core's
    /// schema check: `Title`, `TITLE` and ` title ` read as `title`; `columns`
    /// maps names explicitly (`{"Job Title": "title"}`) and wins. A feature
    /// column a table lacks is a `ValidationError`, or with `strict=False` a
    /// warning listed in the result (`DataFrame.attrs["warnings"]`, the Arrow
    /// schema metadata `warnings`). Dict rows may omit keys: `strict` does not
    /// apply to them.
    #[pyo3(signature = (leads, now, explain = false, *, columns = None, strict = true))]
    fn score_many<'py>(
        slf: &Bound<'py, Self>,
        leads: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        explain: bool,
        columns: Option<&Bound<'py, PyAny>>,
        strict: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = leads.py();
        let ts = now_from_py(now)?;
        let opts = input_options::from_py(columns, strict)?;
        let columnar = leads.hasattr("__arrow_c_stream__")? || leads.hasattr("columns")?;
        if columnar && !leads.is_instance_of::<PyList>() {
            if explain {
                return Err(errors::to_py_err(
                    py,
                    &Error::validation("explain=True needs a list of leads, not a table")
                        .with_field("explain"),
                ));
            }
            let score = py.import("leadflow._columnar")?.getattr("score_many")?;
            return score.call1((slf, leads, now, columns, strict));
        }
        // The feed reads dicts with the GIL and may score a chunk inline: guarded too.
        errors::run_attached(py, || slf.get().score_list(leads, ts, explain, &opts))
            .map(Bound::into_any)
    }

    /// Scores an Arrow stream (used by `score_many`; see `leadflow._columnar`).
    #[pyo3(signature = (data, now, columns = None, strict = true))]
    fn _score_arrow<'py>(
        &self,
        data: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        columns: Option<&Bound<'py, PyAny>>,
        strict: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let now = now_from_py(now)?;
        let opts = input_options::from_py(columns, strict)?;
        errors::run_attached(data.py(), || {
            columnar::score_stream(&self.inner, data, now, &opts)
        })
    }

    fn __repr__(&self) -> String {
        let (native, script) = self.tiers();
        format!(
            "Pack('{}', rules={} ({native} native, {script} script), features={:?})",
            self.inner.id(),
            native + script,
            self.inner.features()
        )
    }

    /// A notebook view: one row per rule with its axis and tier.
    fn _repr_html_(&self) -> String {
        let mut rows = String::new();
        for r in self
            .inner
            .rules()
            .iter()
            .filter(|r| r.kind == RuleKind::Rule)
        {
            let _ = write!(
                rows,
                "<tr><td style=\"text-align:left\">{}</td><td>{}</td><td>{}</td>\
                     <td style=\"text-align:left\">{}</td></tr>",
                crate::lifecycle::escape_html(&r.name),
                if r.axis == Axis::Fit {
                    "fit"
                } else {
                    "engagement"
                },
                if r.tier == Tier::Native {
                    "native"
                } else {
                    "script"
                },
                crate::lifecycle::escape_html(&r.reason)
            );
        }
        format!(
            "<table><caption>leadflow.Pack {}</caption>\
             <tr><th>rule</th><th>axis</th><th>tier</th><th>reason</th></tr>{rows}</table>",
            crate::lifecycle::escape_html(self.inner.id())
        )
    }
}

impl PyPack {
    fn tiers(&self) -> (usize, usize) {
        let rules = self
            .inner
            .rules()
            .iter()
            .filter(|r| r.kind == RuleKind::Rule);
        let native = rules.clone().filter(|r| r.tier == Tier::Native).count();
        let all = rules.count();
        (native, all - native)
    }
}

/// Adds `Pack` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPack>()
}
