//! Lead conversion into account, contact and opportunity, and matching of leads
//! to existing records.
//!
//! - [`match_lead`] ranks existing contacts and accounts with a confidence and
//!   machine-readable reasons.
//! - [`plan`] decides, per target, to `create`, `link` or `skip`, and lists
//!   every field value it will write, fill or could not write (a conflict).
//! - [`apply`] executes a plan atomically and idempotently; [`convert`] is both.
//!
//! See `docs/conversion.md` for the concepts and JSON shapes.

mod apply;
mod build;
mod fields;
mod keys;
mod matching;
mod options;
mod plan;
mod template;

pub use apply::{ConversionResult, RecordChange, apply, apply_with, convert, convert_with};
pub use fields::{FieldMapping, MappingAction, Target};
pub use matching::{Candidate, MatchOptions, MatchReason, Matches, ReasonCode, match_lead};
pub use options::{ConvertOptions, NewIds};
pub use plan::{ConversionPlan, LinkVia, TargetAction, plan, plan_with};

#[cfg(test)]
mod tests;
