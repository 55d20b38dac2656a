//! Python binding of leadflow, imported as `leadflow` (the native part is `leadflow._leadflow`).
//!
//! Thin by design: values and errors are converted here, every decision is the core's.
//! Records go in as dicts (or JSON text) and come out as dicts; core errors become
//! `leadflow.LeadflowError` subclasses named after `leadflow::ErrorKind`.

mod arrow_ffi;
mod columnar;
mod convert;
mod de;
mod errors;
mod input_options;
mod lifecycle;
mod metrics;
mod model;
mod pack;
mod panics;
mod routing;
mod rows;
mod rules;
mod values;

use pyo3::prelude::*;

#[pymodule]
fn _leadflow(m: &Bound<'_, PyModule>) -> PyResult<()> {
    panics::install_hook();
    errors::register(m)?;
    // `setattr`, not `add`: these stay out of `__all__` (the public API).
    m.setattr("__version__", env!("CARGO_PKG_VERSION"))?;
    m.setattr(
        "_error_from_dict",
        wrap_pyfunction!(errors::_error_from_dict, m)?,
    )?;
    m.setattr("_panic", wrap_pyfunction!(errors::_panic, m)?)?;
    model::register(m)?;
    lifecycle::register(m)?;
    convert::register(m)?;
    rules::register(m)?;
    metrics::register(m)?;
    routing::register(m)?;
    pack::register(m)?;
    Ok(())
}
