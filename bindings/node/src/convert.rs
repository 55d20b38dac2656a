//! Conversion and matching: rank existing contacts and accounts for a lead,
//! plan a conversion, apply a plan, or both at once.

use leadflow::convert::{self, ConversionPlan, ConvertOptions, MatchOptions};
use leadflow::model::Record;
use leadflow::{Account, Contact, Lead, Timestamp};
use napi::Env;
use napi::bindgen_prelude::{Either, Unknown};
use napi_derive::napi;

use crate::errors::OrThrow;
use crate::values;

/// The inputs every conversion call shares, parsed with errors that name the
/// argument (`accounts[2].domains`).
struct Inputs {
    lead: Lead,
    accounts: Vec<Account>,
    contacts: Vec<Contact>,
}

fn records<T: Record>(env: &Env, value: &Unknown, name: &str) -> leadflow::Result<Vec<T>> {
    let items: Vec<serde_json::Value> =
        values::value_from_js(env, value).map_err(|e| e.with_field(name))?;
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| T::from_value(v).map_err(|e| e.with_field(format!("{name}[{i}]"))))
        .collect()
}

fn inputs(
    env: &Env,
    lead: &Unknown,
    accounts: &Unknown,
    contacts: &Unknown,
) -> napi::Result<Inputs> {
    let parse = || -> leadflow::Result<Inputs> {
        Ok(Inputs {
            lead: values::record_from_js(env, Either::B(*lead))?,
            accounts: records(env, accounts, "accounts")?,
            contacts: records(env, contacts, "contacts")?,
        })
    };
    parse().or_throw(env)
}

/// Options are optional; `undefined` and `null` take the defaults.
fn options<T: serde::de::DeserializeOwned + Default>(
    env: &Env,
    value: Option<&Unknown>,
) -> napi::Result<T> {
    match value {
        Some(v)
            if !matches!(
                v.get_type()?,
                napi::ValueType::Undefined | napi::ValueType::Null
            ) =>
        {
            values::value_from_js(env, v)
                .map_err(|e| e.with_field("options"))
                .or_throw(env)
        }
        _ => Ok(T::default()),
    }
}

fn now_of(env: &Env, now: &Unknown) -> napi::Result<Timestamp> {
    values::value_from_js(env, now)
        .map_err(|e| e.with_field("now"))
        .or_throw(env)
}

/// Ranks the existing contacts and accounts the lead may correspond to, each
/// with a confidence (0 to 1) and machine-readable reasons.
#[napi(
    catch_unwind,
    ts_args_type = "lead: LeadInput, accounts: Account[], contacts: Contact[], options?: MatchOptions",
    ts_return_type = "Matches"
)]
pub fn match_lead<'e>(
    env: &'e Env,
    lead: Unknown,
    accounts: Unknown,
    contacts: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let i = inputs(env, &lead, &accounts, &contacts)?;
        let opts: MatchOptions = self::options(env, options.as_ref())?;
        values::to_js(
            env,
            &convert::match_lead(&i.lead, &i.accounts, &i.contacts, &opts),
        )
    })
}

/// Plans the conversion of a lead: per target `create`, `link` or `skip`, and
/// where every lead value goes (conflicts included). Changes nothing.
#[napi(
    catch_unwind,
    ts_args_type = "lead: LeadInput, accounts: Account[], contacts: Contact[], now: Timestamp | Date, options?: ConvertOptions",
    ts_return_type = "ConversionPlan"
)]
pub fn plan_conversion<'e>(
    env: &'e Env,
    lead: Unknown,
    accounts: Unknown,
    contacts: Unknown,
    now: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let i = inputs(env, &lead, &accounts, &contacts)?;
        let now = now_of(env, &now)?;
        let opts: ConvertOptions = self::options(env, options.as_ref())?;
        let plan = convert::plan(&i.lead, &i.accounts, &i.contacts, &opts, now).or_throw(env)?;
        values::to_js(env, &plan)
    })
}

/// Applies a plan: all records or nothing. A lead that changed since the plan,
/// or a plan of another lead, is a `ConversionError`; a converted lead is
/// `AlreadyConverted`. Pass the same options as to `planConversion`.
#[napi(
    catch_unwind,
    ts_args_type = "plan: ConversionPlan, lead: LeadInput, accounts: Account[], contacts: Contact[], now: Timestamp | Date, options?: ConvertOptions",
    ts_return_type = "ConversionResult"
)]
pub fn apply_conversion<'e>(
    env: &'e Env,
    plan: Unknown,
    lead: Unknown,
    accounts: Unknown,
    contacts: Unknown,
    now: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let plan: ConversionPlan = values::value_from_js(env, &plan)
            .map_err(|e| e.with_field("plan"))
            .or_throw(env)?;
        let mut i = inputs(env, &lead, &accounts, &contacts)?;
        let now = now_of(env, &now)?;
        let opts: ConvertOptions = self::options(env, options.as_ref())?;
        let result = convert::apply(&plan, &mut i.lead, &i.accounts, &i.contacts, &opts, now)
            .or_throw(env)?;
        values::to_js(env, &result)
    })
}

/// Plans and applies a conversion in one call.
#[napi(
    catch_unwind,
    ts_args_type = "lead: LeadInput, accounts: Account[], contacts: Contact[], now: Timestamp | Date, options?: ConvertOptions",
    ts_return_type = "ConversionResult"
)]
pub fn convert<'e>(
    env: &'e Env,
    lead: Unknown,
    accounts: Unknown,
    contacts: Unknown,
    now: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || {
        let mut i = inputs(env, &lead, &accounts, &contacts)?;
        let now = now_of(env, &now)?;
        let opts: ConvertOptions = self::options(env, options.as_ref())?;
        let result =
            convert::convert(&mut i.lead, &i.accounts, &i.contacts, &opts, now).or_throw(env)?;
        values::to_js(env, &result)
    })
}
