//! Metrics: one-shot reports (`metrics(request)`) and the mergeable
//! `MetricsAccumulator` for streams and partitions (see docs/metrics.md).

use leadflow::metrics::{self, MetricsAccumulator as Core};
use leadflow::{Lead, Opportunity, Record};
use napi::Env;
use napi::bindgen_prelude::{Either, Unknown};
use napi_derive::napi;

use crate::errors::OrThrow;
use crate::values::{self, JsonInput, Records};

fn request(env: &Env, input: JsonInput) -> napi::Result<serde_json::Value> {
    match input {
        Either::A(text) => serde_json::from_str(&text)
            .map_err(leadflow::Error::from)
            .or_throw(env),
        Either::B(v) => values::value_from_js(env, &v).or_throw(env),
    }
}

/// Computes a whole report from one request `{leads, opportunities, period,
/// utc_offset?, now, options?}` (an object or JSON text). An invalid record
/// fails the run, naming it (`leads[3].created_at`).
#[napi(
    catch_unwind,
    ts_args_type = "request: MetricsRequest | string",
    ts_return_type = "MetricsReport"
)]
pub fn metrics<'e>(env: &'e Env, request: JsonInput) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let req = self::request(env, request)?;
        let report = metrics::run_request(&req).or_throw(env)?;
        values::to_js(env, &report)
    })
}

/// Accumulates metrics lead by lead in memory proportional to the groups, not
/// the leads; partial accumulators of the same configuration merge exactly.
#[napi]
#[derive(Debug)]
pub struct MetricsAccumulator {
    inner: Core,
}

#[napi]
impl MetricsAccumulator {
    /// `config` is a metrics request without records: `{period, utc_offset?, now, options?}`.
    #[napi(constructor, catch_unwind, ts_args_type = "config: MetricsConfigInput")]
    pub fn new(env: &Env, config: Unknown) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let req: serde_json::Value = values::value_from_js(env, &config).or_throw(env)?;
            let inner = metrics::config_from_request(&req)
                .and_then(Core::new)
                .or_throw(env)?;
            Ok(MetricsAccumulator { inner })
        })
    }

    /// Adds one lead (its stage history, status, owner and touches).
    #[napi(catch_unwind, ts_args_type = "lead: LeadInput")]
    pub fn add_lead(&mut self, env: &Env, lead: Unknown) -> napi::Result<()> {
        crate::errors::guard(env, || {
            let lead: Lead = values::record_from_js(env, Either::B(lead)).or_throw(env)?;
            self.inner.add_lead(&lead);
            Ok(())
        })
    }

    /// Adds many leads (an array or JSON Lines text); all or none: the first
    /// invalid lead throws, naming its index, before any is added.
    #[napi(catch_unwind, ts_args_type = "leads: LeadInput[] | string")]
    pub fn add_leads(&mut self, env: &Env, leads: JsonInput) -> napi::Result<u32> {
        crate::errors::guard(env, || {
            let records = Records::from_js(env, leads, "leads").or_throw(env)?;
            let parsed: Vec<Lead> = records
                .values()
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    r.and_then(Lead::from_value)
                        .map_err(|e| e.with_field(format!("leads[{i}]")))
                })
                .collect::<leadflow::Result<_>>()
                .or_throw(env)?;
            for lead in &parsed {
                self.inner.add_lead(lead);
            }
            Ok(u32::try_from(parsed.len()).unwrap_or(u32::MAX))
        })
    }

    /// Adds one opportunity (pipeline forecast and attribution).
    #[napi(catch_unwind, ts_args_type = "opportunity: Opportunity")]
    pub fn add_opportunity(&mut self, env: &Env, opportunity: Unknown) -> napi::Result<()> {
        crate::errors::guard(env, || {
            let opp: Opportunity =
                values::record_from_js(env, Either::B(opportunity)).or_throw(env)?;
            self.inner.add_opportunity(&opp);
            Ok(())
        })
    }

    /// Adds another accumulator's counts (same configuration, else `ConfigError`).
    #[napi(catch_unwind)]
    pub fn merge(&mut self, env: &Env, other: &MetricsAccumulator) -> napi::Result<()> {
        crate::errors::guard(env, || self.inner.merge(&other.inner).or_throw(env))
    }

    /// The report of everything added so far (the accumulator stays usable).
    #[napi(catch_unwind, ts_return_type = "MetricsReport")]
    pub fn finish<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || values::to_js(env, &self.inner.finish()))
    }

    /// The accumulator's state as a plain object (so `JSON.stringify(acc)` works),
    /// to send a partial to another process or worker.
    #[napi(
        js_name = "toJSON",
        catch_unwind,
        ts_return_type = "MetricsAccumulatorState"
    )]
    pub fn to_json<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || values::to_js(env, &self.inner))
    }

    /// Restores an accumulator from `toJSON()` (the object or its JSON text).
    #[napi(
        js_name = "fromJSON",
        factory,
        catch_unwind,
        ts_args_type = "state: MetricsAccumulatorState | string"
    )]
    pub fn from_json(env: &Env, state: JsonInput) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let inner: Core = match state {
                Either::A(text) => serde_json::from_str(&text).map_err(leadflow::Error::from),
                Either::B(v) => values::value_from_js(env, &v),
            }
            .or_throw(env)?;
            Ok(MetricsAccumulator { inner })
        })
    }
}
