//! The pack manifest: the declarative part of a rule pack as written by its
//! author (`pack.toml`, `pack.json` or `pack.yaml`). Plain serde data; checked
//! and compiled by [`crate::rules::compile`].

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A rule pack manifest. Unknown keys are rejected so that typos surface at load time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where activity features come from by default (see [`FeaturesFrom`]).
    #[serde(default)]
    pub features_from: FeaturesFrom,
    /// Features the pack defines in addition to the built-in ones, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub features: BTreeMap<String, FeatureSpec>,
    /// Named decay curves that rules refer to with `decay = "<name>"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub decay: BTreeMap<String, DecaySpec>,
    /// Declarative rules, evaluated in order before the scripts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleSpec>,
    /// rhai files, relative to the manifest; default: every `*.rhai` beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scripts: Option<Vec<String>>,
    /// An inline rhai script (after `scripts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Run recognisable script statements as native predicates (default true).
    /// `false` keeps every script statement in rhai (useful to compare tiers).
    #[serde(default = "yes")]
    pub recognize: bool,
    /// Compile the script statements that stay in rhai to closures where the
    /// lowering supports them (default true); `false` interprets every one.
    #[serde(default = "yes")]
    pub lower: bool,
    #[serde(default)]
    pub grades: GradesSpec,
    #[serde(default)]
    pub temperature: TemperatureSpec,
    #[serde(default)]
    pub caps: CapsSpec,
    #[serde(default)]
    pub limits: LimitsSpec,
    /// Qualification framework evaluated by `evaluate` (see [`QualificationSpec`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<QualificationSpec>,
    /// Stage moves applied by `evaluate`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lifecycle: Vec<StageRuleSpec>,
}

fn yes() -> bool {
    true
}

/// Where activity-derived features (page views, opens, ...) come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeaturesFrom {
    /// A value present on the record (`extra` or `custom` field of the same name,
    /// or a column of a flat batch) wins; otherwise it is derived from activities.
    #[default]
    RecordOrActivities,
    /// Always derived from the lead's activities as of `now`.
    Activities,
}

/// A pack-defined feature: exactly one of `field`, `count`, `any`, `decayed`, `days_since`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    /// `int`, `float`, `bool` or `string` (inferred when omitted).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub ty: Option<String>,
    /// A record path: `custom.budget`, `extra.utm_term`, or a top-level field name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Number of activities of these types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<OneOrMany>,
    /// Whether any activity of these types exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<OneOrMany>,
    /// Sum over activities of these types of `0.5 ^ (age_days / half_life_days)`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decayed: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
    /// Whole days since the timestamp at this record path (0 when missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days_since: Option<String>,
    /// Activity filter: only activities within this many days before `now`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<f64>,
    /// Activity filter: `meta.url` path starts with this prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url_prefix: Option<String>,
    /// Activity filter: `meta` entries that must equal these strings.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta: BTreeMap<String, String>,
    /// Overrides the pack's `features_from` for this feature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<FeaturesFrom>,
}

/// One string or a list of strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// A decay curve over an age in days. Exactly one of `time_constant_days`
/// (`exp(-age / t)`), `half_life_days` (`0.5 ^ (age / h)`) or `linear`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecaySpec {
    /// The feature holding the age in days (default `days_since_activity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_constant_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub half_life_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linear: Option<LinearDecay>,
}

/// `max(0, 1 - rate * floor(age / per_days))`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinearDecay {
    pub per_days: f64,
    pub rate: f64,
}

/// A declarative rule: `when` it holds, add `points` (or `value * per`), times the
/// decay, clipped to `min`/`max`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub name: String,
    /// `fit` or `engagement`; inferred from the features read when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axis: Option<String>,
    /// Cap group (see `caps.groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// Constant points (also the multiplier base when `value` is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<f64>,
    /// Points proportional to a numeric feature: `value * per`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<ValueSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<f64>,
    /// Name of a `[decay.<name>]` curve applied to the points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<String>,
    /// Rule cap: the points are clipped to `min..=max`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// rhai source for this rule instead of `when`/`points` (adds to `score`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<String>,
    /// Human-readable reason shown by explain (default: generated from `when`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The numeric input of a proportional rule, optionally clipped before use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ValueSpec {
    Field(String),
    Clipped(ClippedValue),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClippedValue {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
}

/// A condition. A `field` with one or more tests (all must hold), or a
/// combination `all` / `any` / `not`. Tests on a field: `equals`, `not_equals`,
/// `in`, `not_in`, `contains`, `starts_with`, `ends_with` (a list means any of),
/// `gt`, `gte`, `lt`, `lte`, `is` (booleans).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<Scalar>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_equals: Option<Scalar>,
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub in_set: Option<Vec<Scalar>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<Scalar>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_with: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_with: Option<OneOrMany>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gt: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lt: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lte: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any: Option<Vec<Condition>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// A constant in a condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    Bool(bool),
    Num(f64),
    Str(String),
}

/// Minimum fit score per grade, best first; below `D` (or `E` when set) is `F`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradesSpec {
    #[serde(rename = "A")]
    pub a: f64,
    #[serde(rename = "B")]
    pub b: f64,
    #[serde(rename = "C")]
    pub c: f64,
    #[serde(rename = "D")]
    pub d: f64,
    #[serde(rename = "E", default, skip_serializing_if = "Option::is_none")]
    pub e: Option<f64>,
}

impl Default for GradesSpec {
    fn default() -> Self {
        GradesSpec {
            a: 40.0,
            b: 30.0,
            c: 20.0,
            d: 10.0,
            e: None,
        }
    }
}

/// Minimum total score for `hot` and `warm`; below `warm` is `cold`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemperatureSpec {
    pub hot: f64,
    pub warm: f64,
}

impl Default for TemperatureSpec {
    fn default() -> Self {
        TemperatureSpec {
            hot: 70.0,
            warm: 40.0,
        }
    }
}

/// Caps on the axes, on named rule groups and on the total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapsSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<Range>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engagement: Option<Range>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Range>,
    /// Default `0..=100`.
    #[serde(default = "total_default")]
    pub total: Range,
}

impl Default for CapsSpec {
    fn default() -> Self {
        CapsSpec {
            fit: None,
            engagement: None,
            groups: BTreeMap::new(),
            total: total_default(),
        }
    }
}

fn total_default() -> Range {
    Range {
        min: Some(0.0),
        max: Some(100.0),
    }
}

/// An inclusive range; a missing bound is open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// The `[limits]` a pack asks for (all per lead). Each one given lowers the host's
/// ceiling ([`crate::sandbox::Limits`]); a value of 0 or above the host's ceiling is
/// a `ConfigError`. Absent values keep the host's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_operations: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_call_depth: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_expr_depth: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_string_size: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_array_size: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_map_size: Option<usize>,
    /// CPU milliseconds one lead may spend in scripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_time_ms: Option<u64>,
}

/// A lifecycle threshold: when the lead meets every given bound, advance it to `to`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageRuleSpec {
    pub name: String,
    /// Target stage (`mql`, `sql`, ...).
    pub to: String,
    /// Minimum fit grade (`A` best).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_grade: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_fit: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_engagement: Option<f64>,
    /// Qualification outcome required (`qualified`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<String>,
    /// Only leads currently in one of these stages move (default: any earlier stage).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub from: Vec<String>,
}

/// The qualification framework a pack evaluates: a built-in name (`"BANT"`) or
/// an inline definition, with an optional policy (default: the framework's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualificationSpec {
    pub framework: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<crate::qualify::Policy>,
}
