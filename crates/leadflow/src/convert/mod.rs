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

mod keys;
mod matching;

pub use matching::{Candidate, MatchOptions, MatchReason, Matches, ReasonCode, match_lead};
mod fields;
mod options;
pub use fields::{FieldMapping, MappingAction, Target};
pub use options::{ConvertOptions, NewIds};
