//! Converting many leads against the same existing records: the records are
//! indexed once ([`MatchIndex`]), and each lead gets its own result.

use rayon::prelude::*;

use super::apply::{ConversionResult, convert_indexed};
use super::index::MatchIndex;
use super::options::ConvertOptions;
use super::plan::{ConversionPlan, plan_indexed};
use crate::error::Result;
use crate::lifecycle::Pipeline;
use crate::model::{Account, Contact, Lead};
use crate::time::Timestamp;

/// Plans every lead against `accounts` and `contacts` (one result per lead, in
/// order). Plans are independent: each sees only the given records, so they
/// are computed in parallel.
pub fn plan_batch(
    leads: &[Lead],
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Vec<Result<ConversionPlan>> {
    plan_batch_with(&Pipeline::default(), leads, accounts, contacts, opts, now)
}

/// [`plan_batch`] with a configured [`Pipeline`].
pub fn plan_batch_with(
    pipeline: &Pipeline,
    leads: &[Lead],
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Vec<Result<ConversionPlan>> {
    let index = MatchIndex::new(accounts, contacts, &opts.matching);
    leads
        .par_iter()
        .map(|lead| plan_indexed(pipeline, lead, &index, opts, now))
        .collect()
}

/// Converts every lead in order (one result per lead; a failing lead is left
/// unchanged and the others go on). Each lead sees the accounts and contacts
/// earlier leads of the batch created or updated, so two leads of one new
/// company share one new account. Converted leads are updated in place.
pub fn convert_batch(
    leads: &mut [Lead],
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Vec<Result<ConversionResult>> {
    convert_batch_with(&Pipeline::default(), leads, accounts, contacts, opts, now)
}

/// [`convert_batch`] with a configured [`Pipeline`].
pub fn convert_batch_with(
    pipeline: &Pipeline,
    leads: &mut [Lead],
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Vec<Result<ConversionResult>> {
    let mut index = MatchIndex::new(accounts, contacts, &opts.matching);
    leads
        .iter_mut()
        .map(|lead| {
            let result = convert_indexed(pipeline, lead, &index, opts, now)?;
            index.remember(&result);
            Ok(result)
        })
        .collect()
}

impl MatchIndex<'_> {
    /// Makes the account and contact of a conversion visible to the next leads
    /// (what [`convert_batch`] does after each lead), and remembers the converted
    /// lead and the opportunity it created: the same lead again is `AlreadyConverted`.
    pub fn remember(&mut self, result: &ConversionResult) {
        self.upsert_account(result.account.clone());
        self.upsert_contact(result.contact.clone());
        if let Some(c) = &result.lead.conversion {
            self.remember_conversion(&result.lead.id, c);
        }
    }
}
