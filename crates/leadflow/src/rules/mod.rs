//! The rules engine: sandboxed rule packs that score and explain leads.
//!
//! A pack (manifest + rhai scripts) is compiled once into a [`CompiledPack`].
//! Rules run in two tiers: simple rules (field tests, comparisons, string tests,
//! constant or proportional points, decay, caps), whether written declaratively
//! or recognised in the rhai source, run as native predicates over a
//! pre-extracted feature row; everything else runs in a sandboxed rhai engine.
//! See `docs/rules.md` for the pack format, the helper API and the limits.
//!
//! The wing is split by stage:
//! - `define`: what a pack is (manifest, loading, sources, features, lint);
//! - `compile`: the front-ends (declarative rules, rules recognised in rhai
//!   source, scripts lowered to closures) that produce one program;
//! - `exec`: the evaluators (native rows and blocks, compiled closures, the
//!   rhai interpreter) and the lifecycle moves a score triggers;
//! - `input`: the one way leads, rows and columns become feature values.

pub(crate) mod compile;
pub(crate) mod define;
pub(crate) mod exec;
pub mod helpers;
pub(crate) mod input;
mod pack;
mod result;
pub(crate) mod score;
pub(crate) mod score_read;
pub(crate) mod score_text;

pub use define::features::{Axis, BUILTIN_FEATURES, FeatureType};
pub use define::lint::{Lint, LintKind};
pub use define::load::PackFormat;
pub use define::manifest::{self, Manifest};
pub use define::sources::{PackSources, ScriptText};
pub use exec::evaluate::Evaluation;
pub use exec::program::{RuleInfo, RuleKind};
pub use exec::script::ScriptLog;
pub use input::columns::{Bitmap, Column, ColumnScores, Columns, Offsets};
pub use input::row_feed::{CHUNK_ROWS, RowFeed};
pub use input::rows::{Cell, RowBatch, RowScore, RowScores};
pub use input::schema::{InputOptions, KeyNames, Schema, fold as fold_column_name};
pub use input::spelling::{text_cell, value_cell};
pub use pack::{CompiledPack, LoadOptions};
pub use result::{AppliedCap, Explanation, FiredRule, Grade, ScoreResult, Temperature, Tier};
pub use score::ScoreOptions;
pub use score_read::ReadLead;
pub use score_text::JsonScore;

#[cfg(test)]
mod reason_tests;
#[cfg(test)]
mod tests;
