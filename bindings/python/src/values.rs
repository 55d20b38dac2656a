//! JSON values <-> Python objects, converted directly (no JSON text in between).
//!
//! Python -> JSON accepts `dict` (string keys), `list`, `tuple`, `str`, `int`,
//! `float`, `bool`, `None`, timezone-aware `datetime` (RFC 3339 text) and `date`
//! (`YYYY-MM-DD`), plus anything with `__index__` or `__float__` (`NumPy` scalars).
//! Anything else, a naive `datetime`, NaN and infinities are a `ValidationError`
//! naming the field path, as are containers nested as deep as the core's JSON
//! limit ([`MAX_JSON_DEPTH`]) and a container that holds itself (a cycle): the
//! walk is recursive, so without these checks such a value would overflow the
//! stack and kill the interpreter.

use leadflow::model::parse::MAX_JSON_DEPTH;
use leadflow::{Error, Timestamp};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple, PyType};
use serde::Serialize;
use serde_json::{Map, Number, Value};

static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static DATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `datetime.datetime` (imported once).
pub fn datetime_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATETIME.import(py, "datetime", "datetime")
}

/// `datetime.date` (imported once).
pub fn date_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    DATE.import(py, "datetime", "date")
}

/// A JSON value as a Python object (`dict` keeps the key order).
pub fn to_py<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, to_py(py, v)?)?;
            }
            dict.into_any()
        }
    })
}

/// A Python object as a JSON value; errors are `ValidationError`s with the field path.
pub fn from_py(obj: &Bound<'_, PyAny>) -> Result<Value, Error> {
    convert(obj, &mut Vec::new()).map_err(PathError::into_error)
}

/// Any serializable core value (results, plans, transitions) as a Python object.
pub fn serde_to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    // Core result types are plain data with string keys: serializing them cannot fail.
    let value = serde_json::to_value(value).unwrap_or(Value::Null);
    to_py(py, &value)
}

/// A serde value (options, plans, enums) from a Python object; errors name `field`.
pub fn serde_from_py<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    field: &str,
) -> Result<T, Error> {
    let value = from_py(obj).map_err(|e| e.with_field(field))?;
    serde_json::from_value(value)
        .map_err(|e| Error::validation(format!("{field}: {e}")).with_field(field))
}

/// A timestamp from RFC 3339 text or a timezone-aware `datetime`; errors name `field`.
pub fn timestamp_from_py(obj: &Bound<'_, PyAny>, field: &str) -> Result<Timestamp, Error> {
    match from_py(obj).map_err(|e| e.with_field(field))? {
        Value::String(s) => leadflow::parse_timestamp(&s).map_err(|e| e.with_field(field)),
        _ => Err(Error::validation(format!(
            "{field} must be an RFC 3339 string or a timezone-aware datetime"
        ))
        .with_field(field)),
    }
}

/// A conversion error with the path collected while unwinding (innermost first).
struct PathError {
    message: String,
    path: Vec<Segment>,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl PathError {
    fn new(message: impl Into<String>) -> Self {
        PathError {
            message: message.into(),
            path: Vec::new(),
        }
    }

    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    fn into_error(self) -> Error {
        let mut path = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(k) if path.is_empty() => path.push_str(k),
                Segment::Key(k) => {
                    path.push('.');
                    path.push_str(k);
                }
                Segment::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        let err = Error::validation(self.message);
        if path.is_empty() {
            err
        } else {
            err.with_field(path)
        }
    }
}

/// Enters a container: `open` holds the addresses of the containers on the
/// current path (their ids), so that a cycle is found as soon as it closes and
/// the depth is the path's length.
fn enter(obj: &Bound<'_, PyAny>, open: &mut Vec<usize>) -> Result<(), PathError> {
    let id = obj.as_ptr() as usize;
    if open.contains(&id) {
        return Err(PathError::new(
            "cyclic value: a list or dict contains itself (JSON cannot represent it)",
        ));
    }
    if open.len() + 1 >= MAX_JSON_DEPTH {
        return Err(PathError::new(format!(
            "value nested too deep: lists and dicts may nest at most {} levels",
            MAX_JSON_DEPTH - 1
        )));
    }
    open.push(id);
    Ok(())
}

/// `open`: the containers on the current path (see [`enter`]).
fn convert(obj: &Bound<'_, PyAny>, open: &mut Vec<usize>) -> Result<Value, PathError> {
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str().map_err(py_err)?.to_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        enter(obj, open)?;
        let mut map = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let Ok(key) = k.cast::<PyString>() else {
                return Err(PathError::new(format!(
                    "object keys must be strings, found {}",
                    type_name(&k)
                )));
            };
            let key = key.to_str().map_err(py_err)?;
            let value = convert(&v, open).map_err(|e| e.at(Segment::Key(key.to_owned())))?;
            map.insert(key.to_owned(), value);
        }
        open.pop();
        return Ok(Value::Object(map));
    }
    if let Ok(l) = obj.cast::<PyList>() {
        return sequence(obj, l.iter(), open);
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        return integer(obj);
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return float(f.value());
    }
    if let Ok(t) = obj.cast::<PyTuple>() {
        return sequence(obj, t.iter(), open);
    }
    let py = obj.py();
    if obj
        .is_instance(datetime_type(py).map_err(py_err)?)
        .map_err(py_err)?
    {
        if obj.call_method0("utcoffset").map_err(py_err)?.is_none() {
            return Err(PathError::new(
                "naive datetime: give it a timezone (e.g. tzinfo=datetime.timezone.utc)",
            ));
        }
        return isoformat(obj);
    }
    if obj
        .is_instance(date_type(py).map_err(py_err)?)
        .map_err(py_err)?
    {
        return isoformat(obj);
    }
    // NumPy and other numeric scalars.
    if obj.hasattr("__index__").map_err(py_err)? {
        return integer(obj);
    }
    if obj.hasattr("__float__").map_err(py_err)? {
        return float(obj.extract::<f64>().map_err(py_err)?);
    }
    Err(PathError::new(format!(
        "unsupported value of type {} (expected a JSON-like value)",
        type_name(obj)
    )))
}

fn sequence<'py>(
    obj: &Bound<'py, PyAny>,
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    open: &mut Vec<usize>,
) -> Result<Value, PathError> {
    enter(obj, open)?;
    let out = items
        .enumerate()
        .map(|(i, item)| convert(&item, open).map_err(|e| e.at(Segment::Index(i))))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)?;
    open.pop();
    Ok(out)
}

fn integer(obj: &Bound<'_, PyAny>) -> Result<Value, PathError> {
    if let Ok(i) = obj.extract::<i64>() {
        return Ok(Value::Number(i.into()));
    }
    obj.extract::<u64>()
        .map(|u| Value::Number(u.into()))
        .map_err(|_| PathError::new("integer out of the 64-bit range"))
}

fn float(f: f64) -> Result<Value, PathError> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| PathError::new(format!("{f} is not a finite number")))
}

fn isoformat(obj: &Bound<'_, PyAny>) -> Result<Value, PathError> {
    let text = obj.call_method0("isoformat").map_err(py_err)?;
    Ok(Value::String(text.extract::<String>().map_err(py_err)?))
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

fn py_err(e: impl std::fmt::Display) -> PathError {
    PathError::new(e.to_string())
}
