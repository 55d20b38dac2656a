//! Error mapping: one Python exception class per core [`ErrorKind`], all deriving
//! from `leadflow.LeadflowError`, built from [`ErrorKind::ALL`] so the list can never
//! drift from the core. A panic caught at the boundary becomes `leadflow.InternalError`.

use std::ffi::CString;

use leadflow::{Error, ErrorKind};
use pyo3::exceptions::{PyException, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyTuple, PyType};

use crate::{panics, values};

pyo3::create_exception!(
    leadflow,
    LeadflowError,
    PyException,
    "Base class of every leadflow error.\n\nAttributes: kind (the class name), message, and where known \
     record, field, rule, file, line, column and details (a dict)."
);

/// Name of the class raised for a panic caught at the binding boundary (a leadflow bug).
pub const INTERNAL_ERROR: &str = "InternalError";

/// The attributes every leadflow exception carries (None when unknown).
const ATTRIBUTES: [&str; 8] = [
    "message", "record", "field", "rule", "file", "line", "column", "details",
];

/// One subclass per kind, in the order of [`ErrorKind::ALL`], then `InternalError`.
static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();

/// Short docstring per kind; the exhaustive match makes a new core kind a compile error here.
fn kind_doc(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Parse => "Input that is not well-formed JSON, YAML, TOML or CSV.",
        ErrorKind::Validation => {
            "Well-formed input with a wrong type, a missing field or an invalid value."
        }
        ErrorKind::Config => "An invalid pipeline configuration, rule pack or routing setup.",
        ErrorKind::InvalidTransition => "A lifecycle transition the state machine does not allow.",
        ErrorKind::AlreadyConverted => "The lead was converted before; details carry the ids.",
        ErrorKind::Conversion => "A conversion plan that cannot be applied.",
        ErrorKind::NotFound => "A referenced record (account, contact, rep, stage) does not exist.",
        ErrorKind::Script => "A rule script failed to compile or to run.",
        ErrorKind::LimitExceeded => "A sandbox limit (operations, depth, sizes) stopped a script.",
        ErrorKind::TriggerLoop => "An automation trigger would fire again on its own output.",
        ErrorKind::Io => "Reading or writing a file failed.",
    }
}

fn classes(py: Python<'_>) -> PyResult<&Vec<Py<PyType>>> {
    CLASSES.get_or_try_init(py, || {
        let base = py.get_type::<LeadflowError>();
        let named = ErrorKind::ALL
            .iter()
            .map(|k| (k.name(), kind_doc(*k)))
            .chain([(
                INTERNAL_ERROR,
                "A bug in leadflow (a Rust panic caught at the binding boundary); please report it.",
            )]);
        named
            .map(|(name, doc)| new_class(py, &base, name, doc))
            .collect()
    })
}

fn new_class(
    py: Python<'_>,
    base: &Bound<'_, PyType>,
    name: &str,
    doc: &str,
) -> PyResult<Py<PyType>> {
    let qualified = CString::new(format!("leadflow.{name}"))?;
    let doc = CString::new(doc)?;
    // No class dict here: pyo3 0.30's `new_type` drops the dict it is given before
    // CPython reads it (a use-after-free), so the attribute is set afterwards.
    let class = PyErr::new_type(py, &qualified, Some(&doc), Some(base), None)?;
    class.bind(py).setattr("kind", name)?;
    Ok(class)
}

/// Adds `LeadflowError`, its subclasses and `ERROR_KINDS` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = py.get_type::<LeadflowError>();
    // Class-level defaults, so the attributes exist on errors users construct themselves.
    base.setattr("kind", "LeadflowError")?;
    for attr in ATTRIBUTES {
        base.setattr(attr, py.None())?;
    }
    m.add("LeadflowError", &base)?;
    for class in classes(py)? {
        let class = class.bind(py);
        m.add(class.name()?, class)?;
    }
    let kinds: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.name()).collect();
    m.add("ERROR_KINDS", PyTuple::new(py, kinds)?)?;
    Ok(())
}

fn class_for(py: Python<'_>, kind: Option<ErrorKind>) -> PyResult<&Bound<'_, PyType>> {
    let all = classes(py)?;
    let index = kind
        .and_then(|k| ErrorKind::ALL.iter().position(|x| *x == k))
        .unwrap_or(all.len() - 1);
    Ok(all[index].bind(py))
}

/// The exception instance for a core error, with every attribute set.
pub fn to_exception<'py>(py: Python<'py>, err: &Error) -> PyResult<Bound<'py, PyAny>> {
    let exc = class_for(py, Some(err.kind()))?.call1((err.to_string(),))?;
    exc.setattr("message", err.message())?;
    exc.setattr("record", err.record())?;
    exc.setattr("field", err.field())?;
    exc.setattr("rule", err.rule())?;
    exc.setattr("file", err.file())?;
    exc.setattr("line", err.line())?;
    exc.setattr("column", err.column())?;
    match err.details() {
        Some(d) => exc.setattr("details", values::to_py(py, d)?)?,
        None => exc.setattr("details", py.None())?,
    }
    Ok(exc)
}

/// The Python exception to raise for a core error.
pub fn to_py_err(py: Python<'_>, err: &Error) -> PyErr {
    match to_exception(py, err) {
        Ok(exc) => PyErr::from_value(exc),
        // Only reachable if the interpreter cannot allocate the exception object.
        Err(e) => PyRuntimeError::new_err(format!("{err} (while raising it: {e})")),
    }
}

/// `leadflow::Result<T>` -> `PyResult<T>`.
pub trait IntoPyResult<T> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for leadflow::Result<T> {
    fn into_py_result(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_py_err(py, &e))
    }
}

/// Runs core work without the GIL, turning a panic into `leadflow.InternalError`.
pub fn run<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    F: FnOnce() -> leadflow::Result<T> + Send,
    T: Send,
{
    match py.detach(|| panics::catch(work)) {
        Ok(result) => result.into_py_result(py),
        Err(message) => Err(internal_error(py, &message)),
    }
}

/// Like [`run`] but keeps the GIL (for work that touches Python objects).
pub fn run_attached<T>(py: Python<'_>, work: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    panics::catch(work).unwrap_or_else(|message| Err(internal_error(py, &message)))
}

/// Core work done with the GIL (parsing one record), guarded like [`run`].
pub fn guard<T>(py: Python<'_>, work: impl FnOnce() -> leadflow::Result<T>) -> PyResult<T> {
    run_attached(py, || work().into_py_result(py))
}

fn internal_error(py: Python<'_>, message: &str) -> PyErr {
    let text =
        format!("{INTERNAL_ERROR}: leadflow panicked: {message} (this is a bug, please report it)");
    let raised = class_for(py, None).and_then(|class| {
        let exc = class.call1((text.clone(),))?;
        exc.setattr("message", format!("leadflow panicked: {message}"))?;
        Ok(PyErr::from_value(exc))
    });
    raised.unwrap_or_else(|e| PyRuntimeError::new_err(format!("{text} (while raising it: {e})")))
}

/// Builds the exception a core error serialized as JSON maps to (used by the tests to
/// check every kind, and useful to re-raise errors read from CLI output).
#[pyfunction]
pub fn _error_from_dict<'py>(
    py: Python<'py>,
    error: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let value = values::from_py(error).map_err(|e| to_py_err(py, &e))?;
    let err: Error = serde_json::from_value(value)
        .map_err(|e| to_py_err(py, &Error::validation(format!("not a leadflow error: {e}"))))?;
    to_exception(py, &err)
}

/// Panics inside core-style work, to test that panics surface as `InternalError`.
#[pyfunction]
pub fn _panic(py: Python<'_>, message: &str) -> PyResult<()> {
    let message = message.to_owned();
    run(py, move || -> leadflow::Result<()> { panic!("{message}") })
}
