//! The rules engine: sandboxed rule packs that score, explain and qualify leads.
//!
//! A pack (manifest + rhai scripts) is compiled once into a [`CompiledPack`].
//! Rules run in two tiers: simple rules (field tests, comparisons, string tests,
//! constant or proportional points, decay, caps), whether written declaratively
//! or recognised in the rhai source, run as native predicates over a
//! pre-extracted feature row; everything else runs in a sandboxed rhai engine.
//! See `docs/rules.md` for the pack format, the helper API and the limits.

mod activity;
mod columns;
mod compile;
mod conditions;
mod declarative;
pub mod enrich;
mod evaluate;
mod extract;
mod features;
pub mod helpers;
mod lint;
mod load;
mod lower;
pub mod manifest;
mod native;
mod pack;
mod program;
pub mod qualify;
mod recognize;
mod render;
mod result;
mod row_feed;
mod rows;
mod script;
mod sources;
mod vector;

pub use columns::{Bitmap, Column, ColumnScores, Columns, Offsets};
pub use conditions::ScriptConditions;
pub use evaluate::Evaluation;
pub use features::{Axis, BUILTIN_FEATURES, FeatureType};
pub use lint::{Lint, LintKind};
pub use load::PackFormat;
pub use manifest::Manifest;
pub use pack::{CompiledPack, LoadOptions};
pub use program::{RuleInfo, RuleKind};
pub use result::{AppliedCap, Explanation, FiredRule, Grade, ScoreResult, Temperature, Tier};
pub use row_feed::{CHUNK_ROWS, RowFeed};
pub use rows::{Cell, RowBatch, RowScore, RowScores};
pub use script::ScriptLog;
pub use sources::{PackSources, ScriptText};

#[cfg(test)]
mod reason_tests;
#[cfg(test)]
mod tests;
