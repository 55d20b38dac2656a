//! `columns=` and `strict=` of the scoring entries that take flat input, read
//! into the core's [`InputOptions`]. Matching names is the core's job
//! (`CompiledPack::input_schema`, `KeyNames`): nothing here interprets them.

use leadflow::Error;
use leadflow::rules::InputOptions;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::errors;

/// `columns` (a mapping of input column -> feature, or None) and `strict`.
pub fn from_py(columns: Option<&Bound<'_, PyAny>>, strict: bool) -> PyResult<InputOptions> {
    let mut opts = InputOptions {
        columns: Vec::new(),
        strict,
    };
    let Some(columns) = columns.filter(|c| !c.is_none()) else {
        return Ok(opts);
    };
    let py = columns.py();
    // The field names the entry at fault when its key is a name (`columns.title`).
    let invalid = |key: Option<&str>| {
        let field = key.map_or_else(|| "columns".to_owned(), |k| format!("columns.{k}"));
        errors::to_py_err(
            py,
            &Error::validation(
                "`columns` must map input column names to feature names (str -> str)",
            )
            .with_field(field),
        )
    };
    let items = columns.call_method0("items").map_err(|_| invalid(None))?;
    for item in items.try_iter().map_err(|_| invalid(None))? {
        let (from, to): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            item?.extract().map_err(|_| invalid(None))?;
        let Ok(from) = from.cast::<PyString>() else {
            return Err(invalid(None));
        };
        let Ok(to) = to.cast::<PyString>() else {
            return Err(invalid(from.to_str().ok()));
        };
        opts.columns
            .push((from.to_str()?.to_owned(), to.to_str()?.to_owned()));
    }
    Ok(opts)
}
