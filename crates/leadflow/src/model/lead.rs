//! The lead: a person who showed interest, with the engine-managed state that
//! leadflow moves through the process.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::activity::Activity;
use super::history::Transition;
use crate::time::Timestamp;

/// A lead record. Input fields are optional except `id` and `created_at`;
/// engine-managed fields (`stage` ... `conversion`) are written by leadflow.
/// Unknown top-level fields are kept in `extra` and written back unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lead {
    pub id: String,
    pub created_at: Timestamp,

    // Person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,

    // Company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_revenue: Option<f64>,
    /// ISO 3166-1 alpha-2 code (`US`, `JP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,

    // Attribution and ownership.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,

    /// Free-form fields (`custom.budget`), visible to rules.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub custom: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,

    // Engine-managed state.
    /// Lifecycle stage; `None` until the lifecycle places the lead (its initial stage).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Working status; `None` until the lifecycle places the lead (its initial status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Touch attempts without a connect since the last connect or recycle.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<ScoreState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualification: Option<QualificationState>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Transition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversion: Option<ConversionRef>,
    /// Where enriched values came from: field name to provider (`derived`, `clearbit`, ...).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub provenance: Map<String, Value>,

    /// Top-level fields this version does not know, kept for round-trips.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The latest scoring result stored on a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreState {
    pub total: f64,
    pub fit: f64,
    pub engagement: f64,
    /// `A` to `F`, from the fit score.
    pub grade: String,
    /// `cold`, `warm` or `hot`, from the total.
    pub temperature: String,
    /// `name@version` of the pack that scored.
    pub pack: String,
    pub scored_at: Timestamp,
}

/// The latest qualification verdict stored on a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualificationState {
    /// Framework name (`BANT`, `MEDDIC`, ...).
    pub framework: String,
    /// `qualified`, `not_yet` or `disqualified`.
    pub outcome: String,
    /// Criteria still unknown or partial.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
    /// Why the lead was disqualified, when it was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disqualified_by: Vec<String>,
    pub at: Timestamp,
}

/// The records a converted lead became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionRef {
    pub converted_at: Timestamp,
    pub account_id: String,
    pub contact_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity_id: Option<String>,
}

impl Lead {
    /// A lead with only the required fields.
    pub fn new(id: impl Into<String>, created_at: Timestamp) -> Self {
        Lead {
            id: id.into(),
            created_at,
            first_name: None,
            last_name: None,
            email: None,
            phone: None,
            title: None,
            company: None,
            website: None,
            industry: None,
            employees: None,
            annual_revenue: None,
            country: None,
            source: None,
            campaign: None,
            owner: None,
            custom: Map::new(),
            activities: Vec::new(),
            stage: None,
            status: None,
            attempts: 0,
            score: None,
            qualification: None,
            history: Vec::new(),
            conversion: None,
            provenance: Map::new(),
            extra: Map::new(),
        }
    }

    /// True once the lead was converted; a converted lead is read-only.
    pub fn is_converted(&self) -> bool {
        self.conversion.is_some()
    }

    /// `first_name last_name`, whichever parts are present.
    pub fn full_name(&self) -> Option<String> {
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    /// Time of the latest activity at or before `now`, if any.
    pub fn last_activity_at(&self, now: Timestamp) -> Option<Timestamp> {
        self.activities
            .iter()
            .map(|a| a.at)
            .filter(|at| *at <= now)
            .max()
    }
}
