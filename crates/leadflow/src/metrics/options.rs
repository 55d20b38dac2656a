//! What to compute: the period, `now`, and the options every metric reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::ladder::default_ladder;
use super::period::Period;
use crate::error::{Error, Result};
use crate::lifecycle::Pipeline;
use crate::time::Timestamp;

/// Activity types that count as a sales touch for speed-to-lead.
pub const DEFAULT_TOUCH_TYPES: [&str; 4] =
    ["call_attempt", "call_connected", "email_sent", "meeting"];

/// Options of a metrics run. Every field has a default, so `{}` is valid JSON input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsOptions {
    /// Stage ladder, earliest first (default: subscriber < lead < mql < sal < sql <
    /// opportunity < customer < evangelist).
    pub ladder: Vec<String>,
    /// `None`: the cohort is the leads created in the period. `Some(stage)`: the
    /// leads that first reached `stage` (or a later one) in the period.
    pub cohort_stage: Option<String>,
    /// Stage pairs for conversion rates and stage-to-stage times; empty means every
    /// consecutive pair of the ladder.
    pub conversions: Vec<(String, String)>,
    /// Speed-to-lead SLA in minutes.
    pub sla_minutes: u32,
    /// Activity types that count as a touch.
    pub touch_types: Vec<String>,
    /// A lead is stalled after this many days in its current (open) status.
    pub stall_days: f64,
    /// Statuses that are not worked any more: left off the status board.
    pub closed_statuses: Vec<String>,
    /// How many stalled leads the board lists per owner (the longest stalled; the
    /// count of stalled leads is always exact).
    pub stalled_limit: usize,
    /// `custom` field holding a lead's segment; without it the segment comes from
    /// `employees` (`smb` < 100 <= `mid_market` < 1000 <= `enterprise`).
    pub segment_field: String,
    /// Stages that count as MQL and SQL in attribution.
    pub mql_stage: String,
    pub sql_stage: String,
    /// Sales hierarchy: rep (or manager) -> their manager.
    pub hierarchy: BTreeMap<String, String>,
    /// Spend per source and/or campaign, for cost per lead / MQL / SQL.
    pub costs: Vec<Cost>,
}

/// Spend attributed to a source, a campaign, or both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cost {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    pub cost: f64,
}

impl MetricsOptions {
    /// Takes the stage ladder from a lifecycle pipeline, so metrics order stages
    /// exactly as the lifecycle moves leads. A `ladder` already set to something
    /// other than the default or the pipeline's own is a `ConfigError`: two
    /// different ladders for one report is a mistake, not a preference.
    pub fn apply_pipeline(&mut self, pipeline: &Pipeline) -> Result<()> {
        let theirs = pipeline.stage_ladder();
        if self.ladder != theirs && self.ladder != default_ladder() {
            return Err(Error::config(format!(
                "the options' ladder ({}) differs from the pipeline's ({}); give one of them",
                self.ladder.join(", "),
                theirs.join(", ")
            ))
            .with_field("ladder"));
        }
        self.ladder = theirs.to_vec();
        Ok(())
    }

    /// [`apply_pipeline`](Self::apply_pipeline) in builder style.
    pub fn with_pipeline(mut self, pipeline: &Pipeline) -> Result<Self> {
        self.apply_pipeline(pipeline)?;
        Ok(self)
    }
}

impl Default for MetricsOptions {
    fn default() -> Self {
        MetricsOptions {
            ladder: default_ladder(),
            cohort_stage: None,
            conversions: Vec::new(),
            sla_minutes: 30,
            touch_types: DEFAULT_TOUCH_TYPES
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            stall_days: 7.0,
            closed_statuses: ["converted", "unqualified", "nurture"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            stalled_limit: 20,
            segment_field: "segment".to_owned(),
            mql_stage: "mql".to_owned(),
            sql_stage: "sql".to_owned(),
            hierarchy: BTreeMap::new(),
            costs: Vec::new(),
        }
    }
}

/// A complete metrics request: the period, the instant the numbers are "as of",
/// and the options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsConfig {
    pub period: Period,
    pub now: Timestamp,
    #[serde(default)]
    pub options: MetricsOptions,
}

impl MetricsConfig {
    pub fn new(period: Period, now: Timestamp) -> Self {
        MetricsConfig {
            period,
            now,
            options: MetricsOptions::default(),
        }
    }

    #[must_use]
    pub fn with_options(mut self, options: MetricsOptions) -> Self {
        self.options = options;
        self
    }
}
