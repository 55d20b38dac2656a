//! The script tier: one sandboxed rhai `Engine` per pack, configured once.
//!
//! Limits (operations, call depth, expression depth, string/array/map sizes) are
//! always on and come from the host ([`Limits`], lowered by the pack); the time
//! budgets are checked from the progress callback (`sandbox::deadline`); modules are compiled out (`no_module`), `eval` is disabled, and the
//! only clock function of the standard library is removed (the core never reads
//! the clock). `print` and `debug` go to a bounded in-memory [`ScriptLog`].

use std::sync::{Arc, Mutex};

use rhai::{Engine, EvalAltResult, ParseError, Position};

use crate::error::{Error, ErrorKind};
use crate::rules::exec::program::MAX_MARKS;
use crate::rules::helpers;
use crate::sandbox::{Limits, deadline};
use crate::time::{days_between, parse_timestamp};

/// The function recording `score` at the end of a segment (`Program::run`).
pub(crate) const MARK_FN: &str = "__lf_mark";

thread_local! {
    /// `score` per segment mark of the interpreter run in progress on this thread
    /// (`None`: not a number).
    static MARKS: std::cell::Cell<[Option<f64>; MAX_MARKS]> =
        const { std::cell::Cell::new([None; MAX_MARKS]) };
}

/// Clears the marks before an interpreter run.
pub(crate) fn reset_marks() {
    MARKS.with(|m| m.set([None; MAX_MARKS]));
}

/// The marks the last interpreter run on this thread recorded.
pub(crate) fn take_marks() -> [Option<f64>; MAX_MARKS] {
    MARKS.with(std::cell::Cell::get)
}

#[allow(clippy::cast_precision_loss, clippy::needless_pass_by_value)] // an int score reads as `program::number` does; rhai passes arguments by value
fn mark(k: rhai::INT, score: rhai::Dynamic) {
    let v = score
        .as_float()
        .ok()
        .or_else(|| score.as_int().ok().map(|i| i as f64));
    if let Ok(k) = usize::try_from(k)
        && k < MAX_MARKS
    {
        MARKS.with(|m| {
            let mut all = m.get();
            all[k] = v;
            m.set(all);
        });
    }
}

/// At most this many log lines are kept; later lines are counted, not stored.
const LOG_CAPACITY: usize = 1_000;

/// Lines scripts wrote with `print` / `debug`, shared by all clones of a pack.
#[derive(Debug, Clone, Default)]
pub struct ScriptLog(Arc<Mutex<LogInner>>);

#[derive(Debug, Default)]
struct LogInner {
    lines: Vec<String>,
    dropped: u64,
}

impl ScriptLog {
    fn push(&self, line: String) {
        // A poisoned lock only means another thread panicked mid-push; the Vec is still valid.
        let mut inner = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if inner.lines.len() < LOG_CAPACITY {
            inner.lines.push(line);
        } else {
            inner.dropped += 1;
        }
    }

    /// Takes the collected lines (oldest first) and the number of lines dropped.
    pub fn take(&self) -> (Vec<String>, u64) {
        let mut inner = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let dropped = std::mem::take(&mut inner.dropped);
        (std::mem::take(&mut inner.lines), dropped)
    }
}

/// Builds the sandboxed engine for a pack.
pub(crate) fn engine(limits: &Limits, log: &ScriptLog) -> Engine {
    let mut e = Engine::new();
    // Every value is at least 1 (`Limits` refuses 0, which rhai reads as "unlimited").
    e.set_optimization_level(rhai::OptimizationLevel::None)
        .set_max_operations(limits.max_operations)
        .set_max_call_levels(limits.max_call_depth)
        .set_max_expr_depths(limits.max_expr_depth, limits.max_expr_depth)
        .set_max_string_size(limits.max_string_size)
        .set_max_array_size(limits.max_array_size)
        .set_max_map_size(limits.max_map_size)
        .set_max_variables(256)
        .set_max_functions(256);
    e.on_progress(|ops| deadline::expired(ops).then_some(rhai::Dynamic::UNIT));
    e.disable_symbol("eval");
    e.disable_symbol("timestamp");
    let l = log.clone();
    e.on_print(move |s| l.push(s.to_owned()));
    let l = log.clone();
    e.on_debug(move |s, src, pos| {
        l.push(match (src, pos.line()) {
            (Some(src), Some(line)) => format!("[{src}:{line}] {s}"),
            (None, Some(line)) => format!("[line {line}] {s}"),
            _ => s.to_owned(),
        });
    });
    register_helpers(&mut e);
    e
}

/// The helper API documented in `docs/rules.md`.
fn register_helpers(e: &mut Engine) {
    e.register_fn(MARK_FN, mark);
    e.register_fn("email_domain", |s: &str| helpers::email_domain(s).clone());
    e.register_fn("website_domain", |s: &str| {
        helpers::website_domain(s).clone()
    });
    e.register_fn("is_free_mail", helpers::is_free_mail);
    e.register_fn("url_path", |s: &str| {
        crate::rules::input::activity::url_path(s).to_owned()
    });
    // Fractional days from `from` to `to` (RFC 3339 strings); () when either is invalid.
    e.register_fn("days_between", |from: &str, to: &str| -> rhai::Dynamic {
        match (parse_timestamp(from), parse_timestamp(to)) {
            (Ok(a), Ok(b)) => days_between(a, b).into(),
            _ => rhai::Dynamic::UNIT,
        }
    });
}

fn line_col(pos: Position, line_offset: u32) -> Option<(u32, u32)> {
    let line = u32::try_from(pos.line()?).ok()?;
    let col = u32::try_from(pos.position().unwrap_or(0)).unwrap_or(0);
    Some((line + line_offset, col))
}

/// A compile error naming the file and position.
pub(crate) fn compile_error(e: &ParseError, file: &str, line_offset: u32) -> Error {
    let err =
        Error::new(ErrorKind::Script, format!("syntax error: {}", e.err_type())).with_file(file);
    match line_col(e.position(), line_offset) {
        Some((l, c)) => err.at(l, c),
        None => err,
    }
}

/// A runtime error of a script for one lead; sandbox limits map to `LimitExceeded`.
pub(crate) fn runtime_error(e: &EvalAltResult, file: &str, line_offset: u32) -> Error {
    if let EvalAltResult::ErrorTerminated(..) = e.unwrap_inner() {
        // The rule is named by the caller, from rhai's position.
        return deadline::stop_error().with_file(file);
    }
    let kind = match e.unwrap_inner() {
        EvalAltResult::ErrorTooManyOperations(_)
        | EvalAltResult::ErrorStackOverflow(_)
        | EvalAltResult::ErrorDataTooLarge(..)
        | EvalAltResult::ErrorTooManyVariables(_) => ErrorKind::LimitExceeded,
        _ => ErrorKind::Script,
    };
    let msg = match kind {
        ErrorKind::LimitExceeded => format!("sandbox limit exceeded: {e}"),
        _ => format!("script error: {e}"),
    };
    let err = Error::new(kind, msg).with_file(file);
    match line_col(e.position(), line_offset) {
        Some((l, c)) => err.at(l, c),
        None => err,
    }
}
