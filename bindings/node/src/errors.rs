//! Error mapping: a `leadflow::Error` becomes a thrown JS `Error` whose `code` is
//! the core's stable kind name (the Python exception class names are the same),
//! carrying `record`, `field`, `rule`, `file`, `line`, `column` and `details`
//! when the core knows them. A panic caught at the boundary (a leadflow bug) is
//! thrown the same way with `code = 'InternalError'`, the extra code of
//! `isLeadflowError` (Python's `leadflow.InternalError`); `errorCodes()` stays
//! the core's list.

use leadflow::ErrorKind;
use napi::bindgen_prelude::{JsObjectValue, JsValue, Object, Unknown};
use napi::{Env, Status, ValueType};
use napi_derive::napi;

use crate::{panics, values};

/// The stable error codes (`err.code` of every leadflow error); the Python
/// binding's exception classes have the same names.
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    ParseError,
    ValidationError,
    ConfigError,
    InvalidTransition,
    AlreadyConverted,
    ConversionError,
    NotFound,
    ScriptError,
    LimitExceeded,
    TriggerLoop,
    IoError,
}

/// Every error code, in the core's stable order. Built from the core's own list;
/// `tests/test_errors.mjs` checks that `ErrorCode` above matches it.
#[napi(ts_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<&'static str> {
    ErrorKind::ALL.iter().map(|k| k.name()).collect()
}

/// True when `err` is an error thrown by leadflow (in TypeScript it narrows
/// to `LeadflowError`).
#[napi(ts_args_type = "err: unknown", ts_return_type = "err is LeadflowError")]
pub fn is_leadflow_error(err: Unknown) -> napi::Result<bool> {
    if err.get_type()? != ValueType::Object {
        return Ok(false);
    }
    let obj = err.coerce_to_object()?;
    let name: Option<String> = obj.get("name").unwrap_or(None);
    let code: Option<String> = obj.get("code").unwrap_or(None);
    Ok(name.as_deref() == Some(ERROR_NAME)
        && code
            .is_some_and(|c| c == INTERNAL_ERROR || ErrorKind::ALL.iter().any(|k| k.name() == c)))
}

/// `err.name` of every error thrown by leadflow.
const ERROR_NAME: &str = "LeadflowError";

/// `err.code` of a panic caught at the binding boundary (not a core kind).
pub const INTERNAL_ERROR: &str = "InternalError";

/// Runs the body of an entry point, throwing a panic as `InternalError`.
pub fn guard<T>(env: &Env, work: impl FnOnce() -> napi::Result<T>) -> napi::Result<T> {
    panics::catch(work).unwrap_or_else(|message| Err(internal(env, &message)))
}

/// The `InternalError` thrown for a caught panic.
pub fn internal(env: &Env, message: &str) -> napi::Error {
    let text =
        format!("{INTERNAL_ERROR}: leadflow panicked: {message} (this is a bug, please report it)");
    let build = || -> napi::Result<napi::Error> {
        let mut obj: Object = env.create_error(napi::Error::new(Status::GenericFailure, &text))?;
        obj.set_named_property("name", ERROR_NAME)?;
        obj.set_named_property("code", INTERNAL_ERROR)?;
        Ok(napi::Error::from(obj.to_unknown()))
    };
    build().unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, text.clone()))
}

/// Panics inside a binding call, to test that panics reach JS as `InternalError`.
#[napi(js_name = "_panic", catch_unwind)]
pub fn panic_for_tests(env: &Env, message: String) -> napi::Result<()> {
    crate::errors::guard(env, || guard(env, || panic!("{message}")))
}

/// Builds the JS error object for a core error; returning the result from a
/// `#[napi]` function throws exactly that object.
pub fn to_napi(env: &Env, err: &leadflow::Error) -> napi::Error {
    match build(env, err) {
        Ok(error) => error,
        // Creating the object failed (out of memory, pending exception): still
        // throw something that names the kind.
        Err(_) => napi::Error::new(Status::GenericFailure, err.to_string()),
    }
}

fn build(env: &Env, err: &leadflow::Error) -> napi::Result<napi::Error> {
    let mut obj: Object =
        env.create_error(napi::Error::new(Status::GenericFailure, err.to_string()))?;
    obj.set_named_property("name", ERROR_NAME)?;
    obj.set_named_property("code", err.kind().name())?;
    if let Some(record) = err.record() {
        obj.set_named_property("record", record)?;
    }
    if let Some(field) = err.field() {
        obj.set_named_property("field", field)?;
    }
    if let Some(rule) = err.rule() {
        obj.set_named_property("rule", rule)?;
    }
    if let Some(file) = err.file() {
        obj.set_named_property("file", file)?;
    }
    if let Some(line) = err.line() {
        obj.set_named_property("line", line)?;
    }
    if let Some(column) = err.column() {
        obj.set_named_property("column", column)?;
    }
    if let Some(details) = err.details() {
        obj.set_named_property("details", values::to_js(env, details)?)?;
    }
    Ok(napi::Error::from(obj.to_unknown()))
}

/// `result.or_throw(env)?`: converts a core result into one napi throws from.
pub trait OrThrow<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T>;
}

impl<T> OrThrow<T> for leadflow::Result<T> {
    fn or_throw(self, env: &Env) -> napi::Result<T> {
        self.map_err(|e| to_napi(env, &e))
    }
}

/// The JSON shape of an error entry in batch results (`{"kind", "message", "record", ...}`,
/// the core's own serialization, identical in Rust, Python and Node).
pub fn entry<'e>(env: &'e Env, err: &leadflow::Error) -> napi::Result<Unknown<'e>> {
    values::to_js(env, &serde_json::json!({ "error": err }))
}
