//! Rules: enrichment (derived fields, provider data) and qualification
//! frameworks (BANT, CHAMP, MEDDIC, MEDDPICC or your own). Rule packs: `pack.rs`.

use leadflow::enrich::{self, EnrichmentData};
use leadflow::qualify::{self, Evidence, Framework, Policy};
use leadflow::{Lead, Timestamp};
use napi::Env;
use napi::bindgen_prelude::{Either, Unknown};
use napi_derive::napi;
use serde::Serialize;

use crate::errors::OrThrow;
use crate::values;

pub(crate) fn lead_from(env: &Env, value: &Unknown) -> napi::Result<Lead> {
    values::record_from_js(env, Either::B(*value)).or_throw(env)
}

/// Parses an argument with `serde`, naming it in the error's field path.
pub(crate) fn arg<T: serde::de::DeserializeOwned>(
    env: &Env,
    value: &Unknown,
    name: &str,
) -> napi::Result<T> {
    values::value_from_js(env, value)
        .map_err(|e| e.with_field(name))
        .or_throw(env)
}

/// A framework: a built-in name (`"BANT"`, case-insensitive) or an inline definition.
fn framework(env: &Env, value: &Unknown) -> napi::Result<Framework> {
    let raw: serde_json::Value = arg(env, value, "framework")?;
    Framework::resolve(&raw).or_throw(env)
}

/// Values derived from the lead's own fields (domains, free mail, normalized
/// company, employee band, seniority, department). Never fails on odd values.
#[napi(
    js_name = "derive",
    catch_unwind,
    ts_args_type = "lead: LeadInput",
    ts_return_type = "Derived"
)]
pub fn derive_fields<'e>(env: &'e Env, lead: Unknown) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let lead = lead_from(env, &lead)?;
        values::to_js(env, &enrich::derive(&lead))
    })
}

#[derive(Serialize)]
struct Enriched<'a> {
    lead: &'a Lead,
    #[serde(flatten)]
    report: enrich::EnrichmentReport,
}

/// Fills the lead's empty fields from a provider's data, recording provenance.
/// Never overwrites: differing values come back in `rejected` (`conflict`), as
/// do invalid ones (`invalid`).
#[napi(
    catch_unwind,
    ts_args_type = "lead: LeadInput, data: EnrichmentData, provider: string",
    ts_return_type = "EnrichmentResult"
)]
pub fn apply_enrichment<'e>(
    env: &'e Env,
    lead: Unknown,
    data: Unknown,
    provider: String,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let mut lead = lead_from(env, &lead)?;
        let data: EnrichmentData = arg(env, &data, "data")?;
        let report = enrich::apply_enrichment(&mut lead, &data, &provider).or_throw(env)?;
        values::to_js(
            env,
            &Enriched {
                lead: &lead,
                report,
            },
        )
    })
}

/// Evaluates evidence against a framework under a policy (the framework's
/// default when omitted).
#[napi(
    catch_unwind,
    ts_args_type = "framework: FrameworkInput, evidence?: EvidenceInput | null, policy?: QualificationPolicy | null",
    ts_return_type = "QualificationResult"
)]
pub fn qualify<'e>(
    env: &'e Env,
    framework: Unknown,
    evidence: Option<Unknown>,
    policy: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let fw = self::framework(env, &framework)?;
        let evidence: Evidence = match evidence {
            Some(v) => arg(env, &v, "evidence")?,
            None => Evidence::new(),
        };
        let policy: Policy = match policy {
            Some(v) => arg(env, &v, "policy")?,
            None => fw.default_policy(),
        };
        let result = qualify::evaluate(&fw, &evidence, &policy).or_throw(env)?;
        values::to_js(env, &result)
    })
}

#[derive(Serialize)]
struct LeadQualification<'a> {
    evidence: &'a Evidence,
    result: &'a qualify::QualificationResult,
    state: leadflow::model::QualificationState,
}

/// Reads a lead's evidence for a framework (`custom.qualification.<key>`, then
/// each criterion's mapped field), evaluates it, and returns the
/// `QualificationState` to store as `lead.qualification`.
#[napi(
    catch_unwind,
    ts_args_type = "lead: LeadInput, framework: FrameworkInput, now: Timestamp | Date, policy?: QualificationPolicy | null",
    ts_return_type = "LeadQualification"
)]
pub fn qualify_lead<'e>(
    env: &'e Env,
    lead: Unknown,
    framework: Unknown,
    now: Unknown,
    policy: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let lead = lead_from(env, &lead)?;
        let fw = self::framework(env, &framework)?;
        let now: Timestamp = arg(env, &now, "now")?;
        let policy: Policy = match policy {
            Some(v) => arg(env, &v, "policy")?,
            None => fw.default_policy(),
        };
        let evidence = Evidence::from_lead(&lead, &fw).or_throw(env)?;
        let result = qualify::evaluate(&fw, &evidence, &policy).or_throw(env)?;
        let state = result.to_state(now);
        values::to_js(
            env,
            &LeadQualification {
                evidence: &evidence,
                result: &result,
                state,
            },
        )
    })
}

/// The grade of each `grade` code of columnar results (0 is `A`): the core's
/// list, read once by `columns.js` into `GRADES`.
#[napi(ts_return_type = "Grade[]")]
pub fn grades() -> Vec<&'static str> {
    leadflow::rules::Grade::ALL
        .map(leadflow::rules::Grade::as_str)
        .to_vec()
}

/// The temperature of each `temperature` code of columnar results (0 is
/// `cold`): the core's list, read once by `columns.js` into `TEMPERATURES`.
#[napi(ts_return_type = "Temperature[]")]
pub fn temperatures() -> Vec<&'static str> {
    leadflow::rules::Temperature::ALL
        .map(leadflow::rules::Temperature::as_str)
        .to_vec()
}
