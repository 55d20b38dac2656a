//! SLA policies as data: first touch, follow-up cadence, maximum time in a status.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::business_hours::BusinessHours;
use crate::error::{Error, Result};
use std::sync::Arc;

use crate::routing::condition::{Condition, ScriptHost};
use crate::routing::load::{ConfigFormat, parse_config, read_config};
use crate::routing::scripts::Scripts;
use crate::routing::territory::Segmentation;
use crate::routing::touch::TouchPolicy;

/// When the first-touch clock starts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStart {
    /// The lead's `created_at`.
    #[default]
    Created,
    /// The first time the lead entered one of `mql_stages` (from its history).
    Mql,
}

/// First touch within `within_minutes` of creation or MQL. The first policy whose
/// `segments` (empty = any) and `when` match the lead applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FirstTouchPolicy {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    #[serde(default)]
    pub from: ClockStart,
    pub within_minutes: i64,
    /// Count only business hours (when `business_hours` is configured).
    #[serde(default = "yes")]
    pub business_hours: bool,
}

/// While a lead is in one of `statuses`, the next touch is due `within_minutes` after the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpPolicy {
    pub within_minutes: i64,
    #[serde(default = "attempting")]
    pub statuses: Vec<String>,
    #[serde(default = "yes")]
    pub business_hours: bool,
}

/// The whole SLA setup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaConfig {
    #[serde(default)]
    pub segmentation: Segmentation,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_hours: Option<BusinessHours>,
    /// Which activities are touches.
    #[serde(default)]
    pub touch: TouchPolicy,
    #[serde(default)]
    pub first_touch: Vec<FirstTouchPolicy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up: Option<FollowUpPolicy>,
    /// Status name to the maximum days a lead may stay in it (wall-clock days).
    #[serde(default)]
    pub max_days_in_status: BTreeMap<String, f64>,
    /// Stages that count as "reached MQL" for `from: mql`.
    #[serde(default = "mql_stages")]
    pub mql_stages: Vec<String>,
    /// Statuses in which a missing first touch is waived rather than breached.
    #[serde(default = "closed_statuses")]
    pub closed_statuses: Vec<String>,
    /// Runs `script` conditions (compiled once, at `validate` or first use).
    #[serde(skip)]
    pub(crate) scripts: Scripts,
}

/// Longest first-touch or follow-up deadline: one (leap) year of minutes. Longer
/// is not a speed-to-lead SLA, and the bound keeps deadline arithmetic in range.
pub const MAX_WITHIN_MINUTES: i64 = 366 * 24 * 60;

/// Longest `max_days_in_status`: ten years (with leap days).
pub const MAX_DAYS_IN_STATUS: f64 = 3653.0;

fn yes() -> bool {
    true
}
fn attempting() -> Vec<String> {
    vec!["attempting".into()]
}
fn mql_stages() -> Vec<String> {
    ["mql", "sal", "sql", "opportunity", "customer", "evangelist"]
        .map(String::from)
        .to_vec()
}
fn closed_statuses() -> Vec<String> {
    ["qualified", "unqualified", "nurture", "converted"]
        .map(String::from)
        .to_vec()
}

impl SlaConfig {
    pub fn from_str(text: &str, format: ConfigFormat) -> Result<Self> {
        parse_config(text, format, "SLA config")
    }

    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        read_config(path.as_ref(), "SLA config")
    }

    /// Uses `host` for `script` conditions instead of the rules engine's sandbox.
    #[must_use]
    pub fn with_scripts(mut self, host: Arc<dyn ScriptHost>) -> Self {
        self.scripts = Scripts::with(host);
        self
    }

    /// Checks durations, names and conditions (compiling script conditions:
    /// a syntax error is a `ScriptError` with the path, line and column);
    /// errors name the policy.
    pub fn validate(&self) -> Result<()> {
        self.segmentation
            .validate()
            .map_err(|e| e.with_field("segmentation"))?;
        if let Some(bh) = &self.business_hours {
            bh.validate()?;
        }
        let segments: BTreeSet<&str> = self
            .segmentation
            .segments
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        let mut names = BTreeSet::new();
        for (i, p) in self.first_touch.iter().enumerate() {
            let at = format!("first_touch[{i}]");
            let err =
                |m: String, f: String| Error::config(m).with_rule(p.name.clone()).with_field(f);
            if !names.insert(p.name.as_str()) {
                return Err(err(format!("SLA policy {:?} is defined twice", p.name), at));
            }
            if !(1..=MAX_WITHIN_MINUTES).contains(&p.within_minutes) {
                return Err(err(
                    format!(
                        "SLA policy {:?}: within_minutes is {}, allowed 1 to {MAX_WITHIN_MINUTES} (one year)",
                        p.name, p.within_minutes
                    ),
                    format!("{at}.within_minutes"),
                ));
            }
            if let Some(s) = p.segments.iter().find(|s| !segments.contains(s.as_str())) {
                return Err(err(
                    format!("SLA policy {:?} uses unknown segment {s:?}", p.name),
                    format!("{at}.segments"),
                ));
            }
            if let Some(c) = &p.when {
                c.validate(&format!("{at}.when"), Some(&self.scripts))
                    .map_err(|e| e.with_rule(p.name.clone()))?;
            }
        }
        if let Some(f) = &self.follow_up
            && !(1..=MAX_WITHIN_MINUTES).contains(&f.within_minutes)
        {
            return Err(Error::config(format!(
                "follow_up.within_minutes is {}, allowed 1 to {MAX_WITHIN_MINUTES} (one year)",
                f.within_minutes
            ))
            .with_field("follow_up.within_minutes"));
        }
        for (status, days) in &self.max_days_in_status {
            if !days.is_finite() || *days <= 0.0 || *days > MAX_DAYS_IN_STATUS {
                return Err(Error::config(format!(
                    "max_days_in_status.{status} must be above 0 and at most {MAX_DAYS_IN_STATUS} days (ten years)"
                ))
                .with_field(format!("max_days_in_status.{status}")));
            }
        }
        Ok(())
    }
}
