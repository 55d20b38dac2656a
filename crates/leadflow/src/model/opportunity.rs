//! Opportunities: a deal in the sales pipeline.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::activity::Activity;
use super::history::Transition;
use crate::time::Timestamp;

/// Forecast category of an opportunity stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ForecastCategory {
    Pipeline,
    BestCase,
    Commit,
    Closed,
    /// Excluded from the forecast (closed lost, disqualified).
    Omitted,
}

/// Largest deal amount read: 10^15 (a quadrillion in any currency). Metrics sum
/// money in integer cents; the bound keeps every amount exact in an `i64` of
/// cents and far from the limits of the sums.
pub const MAX_AMOUNT: f64 = 1e15;

fn bounded_amount<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let amount = Option::<f64>::deserialize(d)?;
    match amount {
        Some(a) if !a.is_finite() || a.abs() > MAX_AMOUNT => Err(serde::de::Error::custom(
            format!("amount {a:e} is beyond the supported ±{MAX_AMOUNT:e}"),
        )),
        _ => Ok(amount),
    }
}

/// A deal. `stage`, `probability`, `forecast_category`, `is_closed` and `is_won`
/// are kept consistent with the pipeline configuration by the lifecycle module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: String,
    pub name: String,
    pub account_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact_id: Option<String>,
    /// Finite and within ±[`MAX_AMOUNT`] (checked when read).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "bounded_amount"
    )]
    pub amount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub close_date: Option<NaiveDate>,
    pub stage: String,
    /// Win probability in percent (0 to 100), copied from the stage when entered.
    pub probability: f64,
    pub forecast_category: ForecastCategory,
    #[serde(default)]
    pub is_closed: bool,
    #[serde(default)]
    pub is_won: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lost_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    // Attribution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_lead_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Transition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub custom: Map<String, Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
