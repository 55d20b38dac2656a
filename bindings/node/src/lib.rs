//! Node binding of leadflow, built with napi-rs.
//!
//! Thin by design: every function converts its arguments (see [`values`]), calls
//! the core, and converts the result or the error (see [`errors`]). Behaviour
//! belongs in the `leadflow` crate, so Rust, Python and Node stay identical.
//! Every exported function runs its body in [`errors::guard`]: a panic in the
//! core becomes a thrown `InternalError` instead of aborting the Node process,
//! and the panic hook ([`panics`]) keeps it off stderr. `#[napi(catch_unwind)]`
//! stays as a second net for napi's own argument conversion.

// napi ties the lifetime of returned JS values to `&'env Env`, so helpers take
// the (pointer-sized) `Env` by reference like the generated glue does.
#![allow(clippy::trivially_copy_pass_by_ref)]
// napi registers exports only outside `cfg(test)`, so the (empty) unit-test build
// of this cdylib would see every export as dead code.
#![cfg_attr(test, allow(dead_code))]
// Exported functions receive JS arguments as owned values (napi-rs converts them
// before the call), whether or not the body consumes them.
#![allow(clippy::needless_pass_by_value)]

mod columnar;
mod convert;
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

use napi_derive::napi;

/// Installs the panic hook when the addon loads (once per process).
#[napi_derive::module_init]
fn init() {
    panics::install_hook();
}

/// Version of the leadflow core this binding was built from.
#[napi]
pub fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}
