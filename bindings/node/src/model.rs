//! Records: parse and validate leads, accounts, contacts and opportunities.

use leadflow::model::Record;
use leadflow::{Account, Contact, Lead, Opportunity};
use napi::Env;
use napi::bindgen_prelude::Unknown;
use napi_derive::napi;

use crate::errors::{self, OrThrow};
use crate::values::{self, JsonInput, Records};

fn parse_one<'e, T: Record>(env: &'e Env, input: JsonInput) -> napi::Result<Unknown<'e>> {
    let record: T = values::record_from_js(env, input).or_throw(env)?;
    values::to_js(env, &record)
}

/// Validates one lead (JSON text or a plain object) and returns it as written
/// back by the core: lossless, unknown fields kept, timestamps as given.
#[napi(
    catch_unwind,
    ts_args_type = "input: string | object",
    ts_return_type = "Lead"
)]
pub fn parse_lead<'e>(env: &'e Env, input: JsonInput) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || parse_one::<Lead>(env, input))
}

/// Validates one account.
#[napi(
    catch_unwind,
    ts_args_type = "input: string | object",
    ts_return_type = "Account"
)]
pub fn parse_account<'e>(env: &'e Env, input: JsonInput) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || parse_one::<Account>(env, input))
}

/// Validates one contact.
#[napi(
    catch_unwind,
    ts_args_type = "input: string | object",
    ts_return_type = "Contact"
)]
pub fn parse_contact<'e>(env: &'e Env, input: JsonInput) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || parse_one::<Contact>(env, input))
}

/// Validates one opportunity.
#[napi(
    catch_unwind,
    ts_args_type = "input: string | object",
    ts_return_type = "Opportunity"
)]
pub fn parse_opportunity<'e>(env: &'e Env, input: JsonInput) -> napi::Result<Unknown<'e>> {
    crate::errors::guard(env, || parse_one::<Opportunity>(env, input))
}

fn parse_many<'e, T: Record>(env: &'e Env, input: JsonInput) -> napi::Result<Vec<Unknown<'e>>> {
    let records = Records::from_js(env, input, "input").or_throw(env)?;
    records
        .values()
        .into_iter()
        .map(|r| match r.and_then(T::from_value) {
            Ok(record) => values::to_js(env, &record),
            Err(e) => errors::entry(env, &e),
        })
        .collect()
}

/// Parses a batch of leads: JSON Lines, a JSON array or one object as text, or
/// an array of plain objects. One entry per record: the lead, or `{error}` for a
/// record that failed; one bad record never fails the batch.
#[napi(
    catch_unwind,
    ts_args_type = "input: string | object[]",
    ts_return_type = "Array<Lead | ErrorEntry>"
)]
pub fn parse_leads<'e>(env: &'e Env, input: JsonInput) -> napi::Result<Vec<Unknown<'e>>> {
    crate::errors::guard(env, || parse_many::<Lead>(env, input))
}
