//! Lead conversion into account, contact and opportunity, and matching of leads
//! to existing records.
//!
//! - [`match_lead`] ranks existing contacts and accounts with a confidence and
//!   machine-readable reasons.
//! - [`plan`] decides, per target, to `create`, `link` or `skip`, and lists
//!   every field value it will write, fill or could not write (a conflict).
//! - [`apply`] executes a plan atomically and idempotently; [`convert`] is both.
//! - [`MatchIndex`] normalizes existing records once for many leads;
//!   [`plan_batch`] and [`convert_batch`] use it.
//!
//! See `docs/conversion.md` for the concepts and JSON shapes.

mod activities;
mod apply;
mod batch;
mod build;
mod draft;
mod evidence;
mod fields;
mod fingerprint;
mod index;
mod keys;
mod matching;
mod options;
mod plan;
mod records;
mod template;
mod wide_numbers;

pub use apply::{
    ConversionResult, RecordChange, apply, apply_indexed, apply_with, convert, convert_indexed,
    convert_with,
};
pub use batch::{convert_batch, convert_batch_with, plan_batch, plan_batch_with};
pub use fields::{FieldMapping, MappingAction, Target};
pub use index::MatchIndex;
pub use matching::{Candidate, MatchOptions, MatchReason, Matches, ReasonCode, match_lead};
pub use options::{ConvertOptions, NewIds};
pub use plan::{ConversionPlan, LinkVia, TargetAction, plan, plan_indexed, plan_with};

#[cfg(test)]
mod tests;
