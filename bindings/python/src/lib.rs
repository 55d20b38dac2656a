//! Python binding of leadflow, imported as `leadflow` (the native part is `leadflow._leadflow`).
//!
//! Thin by design: values and errors are converted here, every decision is the core's.
//! Records go in as dicts (or JSON text) and come out as dicts; core errors become
//! `leadflow.LeadflowError` subclasses named after `leadflow::ErrorKind`.

mod errors;
mod model;
mod values;

use pyo3::prelude::*;

#[pymodule]
fn _leadflow(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_function(wrap_pyfunction!(errors::_error_from_dict, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_panic, m)?)?;
    model::register(m)?;
    Ok(())
}
