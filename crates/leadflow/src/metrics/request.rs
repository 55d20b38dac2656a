//! A whole metrics run described as one JSON document: what the bindings and the
//! shared fixtures call.
//!
//! ```json
//! {"leads": [...], "opportunities": [...], "period": "2026-Q3", "utc_offset": "+00:00",
//!  "now": "2026-10-01T00:00:00Z", "options": {"sla_minutes": 15}}
//! ```
//! `period` is a string ([`Period::parse`], read in `utc_offset`, default UTC) or
//! `{"from": RFC 3339, "to": RFC 3339}` (half-open). An optional `pipeline` (a
//! lifecycle configuration object, as in `examples/pipelines/default.yaml`) gives
//! the stage ladder ([`MetricsOptions::apply_pipeline`]).

use serde::Deserialize;
use serde_json::Value;

use super::aggregate::{MetricsAccumulator, MetricsReport};
use super::options::{MetricsConfig, MetricsOptions};
use super::period::{Period, parse_offset};
use crate::error::{Error, Result};
use crate::lifecycle::{ConfigFormat, Pipeline};
use crate::model::{Lead, Opportunity, Record};
use crate::time::Timestamp;

/// A period given as text (`2026-Q3`) or as two instants.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum PeriodSpec {
    Text(String),
    Range { from: Timestamp, to: Timestamp },
}

impl PeriodSpec {
    /// The period, reading dates in `utc_offset` (`None`: UTC).
    pub fn resolve(&self, utc_offset: Option<&str>) -> Result<Period> {
        match self {
            PeriodSpec::Text(t) => Period::parse(t, parse_offset(utc_offset.unwrap_or("Z"))?),
            PeriodSpec::Range { from, to } => Period::new(*from, *to),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    #[serde(default)]
    leads: Vec<Value>,
    #[serde(default)]
    opportunities: Vec<Value>,
    period: PeriodSpec,
    #[serde(default)]
    utc_offset: Option<String>,
    now: Timestamp,
    #[serde(default)]
    options: MetricsOptions,
    #[serde(default)]
    pipeline: Option<Value>,
}

/// Reads a request's period, `now` and options (not its records).
pub fn config_from_request(input: &Value) -> Result<MetricsConfig> {
    parse(input).map(|(c, _)| c)
}

fn parse(input: &Value) -> Result<(MetricsConfig, Request)> {
    let mut req: Request = serde_path_to_error::deserialize(input.clone()).map_err(|e| {
        let path = e.path().to_string();
        Error::validation(e.into_inner().to_string()).with_field(path)
    })?;
    let period = req.period.resolve(req.utc_offset.as_deref())?;
    let mut options = std::mem::take(&mut req.options);
    if let Some(p) = req.pipeline.take() {
        let pipeline = Pipeline::from_str(&p.to_string(), ConfigFormat::Json)
            .map_err(|e| e.with_field("pipeline"))?;
        options
            .apply_pipeline(&pipeline)
            .map_err(|e| e.with_field("options"))?;
    }
    Ok((
        MetricsConfig::new(period, req.now).with_options(options),
        req,
    ))
}

/// Runs a request. Unlike batch operations, an invalid record fails the run:
/// a report silently missing records would be wrong without saying so.
pub fn run_request(input: &Value) -> Result<MetricsReport> {
    let (config, req) = parse(input)?;
    let mut acc = MetricsAccumulator::new(config)?;
    for (i, v) in req.leads.into_iter().enumerate() {
        let lead = Lead::from_value(v).map_err(|e| e.with_field(format!("leads[{i}]")))?;
        acc.add_lead(&lead);
    }
    for (i, v) in req.opportunities.into_iter().enumerate() {
        let opp =
            Opportunity::from_value(v).map_err(|e| e.with_field(format!("opportunities[{i}]")))?;
        acc.try_add_opportunity(&opp)
            .map_err(|e| e.with_field(format!("opportunities[{i}]")))?;
    }
    Ok(acc.finish())
}
