//! The sandbox the host owns: limits, time budgets, native stack and file access for
//! everything a rule pack or a routing script runs.
//!
//! The host sets [`Limits`] (safe defaults, hard ceilings it cannot exceed); a pack's
//! `[limits]` may lower them, never raise or disable them. Each lead's script work
//! has a CPU budget and each batch call an optional wall-clock budget; both end in
//! `LimitExceeded` for the lead concerned. A pack reads only regular files inside its
//! own folder, with capped sizes. See `docs/sandbox.md` for the threat model.

pub(crate) mod deadline;
pub(crate) mod files;
mod limits;
pub(crate) mod stack;

pub use limits::Limits;
