//! Applying a conversion plan: all targets or nothing, and never twice.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::build::{Built, Purpose, build};
use super::fields::{FieldMapping, MappingAction};
use super::fingerprint::fingerprint;
use super::index::MatchIndex;
use super::options::ConvertOptions;
use super::plan::{
    ConversionPlan, TargetAction, already_converted, check_index, check_not_converted,
    plan_indexed, plan_with,
};
use super::records::Records;
use super::wide_numbers::check_lead_numbers;
use crate::error::{Error, ErrorKind, Result};
use crate::lifecycle::{Change, Pipeline};
use crate::model::{Account, Contact, ConversionRef, Lead, Opportunity};
use crate::time::Timestamp;

/// What happened to a target record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordChange {
    Created,
    /// An existing record got filled fields, domains or activities.
    Updated,
    /// An existing record is linked as it is.
    Unchanged,
}

/// The outcome of a conversion. The caller persists `account`, `contact`,
/// `opportunity` and `lead` together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionResult {
    /// The lead as converted: `conversion` set, status `converted`, history appended.
    pub lead: Lead,
    pub account: Account,
    pub account_change: RecordChange,
    pub contact: Contact,
    pub contact_change: RecordChange,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opportunity: Option<Opportunity>,
    /// Every lead value and where it went (as planned).
    pub fields: Vec<FieldMapping>,
    /// The lead values the targets kept a different value for; they stay on the lead too.
    pub conflicts: Vec<FieldMapping>,
}

/// Applies `plan` to `lead`. Everything is computed first; `lead` is only
/// updated when the whole conversion succeeded (the records are returned, the
/// inputs are not touched).
///
/// Errors: `AlreadyConverted` (details: `account_id`, `contact_id`,
/// `opportunity_id`, `converted_at`) for a converted lead; `ConversionError`
/// for a plan of another lead or a stale plan (the lead changed, a linked
/// record is missing, or the planned field list no longer holds).
pub fn apply(
    plan: &ConversionPlan,
    lead: &mut Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    apply_with(
        &Pipeline::default(),
        plan,
        lead,
        accounts,
        contacts,
        opts,
        now,
    )
}

/// [`apply`] with a configured [`Pipeline`] (initial opportunity stage, lead
/// stage ladder and converted status come from it).
pub fn apply_with(
    pipeline: &Pipeline,
    plan: &ConversionPlan,
    lead: &mut Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    apply_in(
        pipeline,
        plan,
        lead,
        Records::Slices(accounts, contacts),
        opts,
        now,
    )
}

/// [`apply_with`] against a prebuilt [`MatchIndex`] (records found by id in
/// constant time). The index must have been built with `opts.matching`.
pub fn apply_indexed(
    pipeline: &Pipeline,
    plan: &ConversionPlan,
    lead: &mut Lead,
    index: &MatchIndex<'_>,
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    check_index(index, opts)?;
    check_not_converted(lead, index)?;
    apply_in(pipeline, plan, lead, Records::Index(index), opts, now)
}

fn apply_in(
    pipeline: &Pipeline,
    plan: &ConversionPlan,
    lead: &mut Lead,
    records: Records<'_>,
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    if lead.is_converted() {
        return Err(already_converted(lead));
    }
    check_lead_numbers(lead)?;
    let built = fresh_build(pipeline, plan, lead, records, opts, now)?;

    let conflicts: Vec<FieldMapping> = built
        .fields
        .iter()
        .filter(|f| f.action == MappingAction::Conflict)
        .cloned()
        .collect();
    let change = |action: &TargetAction, filled: bool| match action {
        TargetAction::Create { .. } => RecordChange::Created,
        _ if filled => RecordChange::Updated,
        _ => RecordChange::Unchanged,
    };
    let filled = |t: super::Target| {
        built
            .fields
            .iter()
            .any(|f| f.target == t && f.action == MappingAction::Fill)
    };
    let account_change = change(&plan.account, filled(super::Target::Account));
    let contact_change = change(
        &plan.contact,
        filled(super::Target::Contact) || built.contact_activities_added > 0,
    );

    let conversion = ConversionRef {
        converted_at: now,
        account_id: built.account.id.clone(),
        contact_id: built.contact.id.clone(),
        opportunity_id: built.opportunity.as_ref().map(|o| o.id.clone()),
    };
    let change = Change::new(now)
        .actor(opts.actor.clone())
        .reason("lead converted");
    // `mark_converted` checks everything before it changes the lead: on an
    // error the lead is untouched.
    pipeline
        .mark_converted(lead, conversion, &change)
        .map_err(|e| e.with_record(&lead.id))?;
    let converted = lead.clone();

    Ok(ConversionResult {
        lead: converted,
        account: built.account,
        account_change,
        contact: built.contact,
        contact_change,
        opportunity: built.opportunity,
        fields: built.fields,
        conflicts,
    })
}

/// [`plan`] then [`apply`], with the default pipeline.
pub fn convert(
    lead: &mut Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    convert_with(&Pipeline::default(), lead, accounts, contacts, opts, now)
}

/// [`convert`] with a configured [`Pipeline`].
pub fn convert_with(
    pipeline: &Pipeline,
    lead: &mut Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    let p = plan_with(pipeline, lead, accounts, contacts, opts, now)?;
    apply_with(pipeline, &p, lead, accounts, contacts, opts, now)
}

/// [`convert_with`] against a prebuilt [`MatchIndex`]; see [`super::convert_batch`]
/// for a whole batch.
pub fn convert_indexed(
    pipeline: &Pipeline,
    lead: &mut Lead,
    index: &MatchIndex<'_>,
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionResult> {
    let p = plan_indexed(pipeline, lead, index, opts, now)?;
    apply_indexed(pipeline, &p, lead, index, opts, now)
}

/// Rebuilds the planned conversion and checks that the plan still holds.
fn fresh_build(
    pipeline: &Pipeline,
    plan: &ConversionPlan,
    lead: &Lead,
    records: Records<'_>,
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<Built> {
    let stale = |msg: String| Error::new(ErrorKind::Conversion, msg).with_record(&lead.id);
    if plan.lead_id != lead.id {
        return Err(stale(format!("the plan is for lead {}", plan.lead_id)));
    }
    if plan.lead_fingerprint != fingerprint(lead) {
        return Err(stale(
            "stale plan: the lead changed since it was planned".into(),
        ));
    }
    let built = build(
        lead,
        records,
        [&plan.account, &plan.contact, &plan.opportunity],
        opts,
        pipeline,
        now,
        Purpose::Apply,
    )
    .map_err(|e| e.with_record(&lead.id))?;
    for (what, action, exists) in [
        (
            "account",
            &plan.account,
            plan.account
                .id()
                .and_then(|id| records.account(id))
                .is_some(),
        ),
        (
            "contact",
            &plan.contact,
            plan.contact
                .id()
                .and_then(|id| records.contact(id))
                .is_some(),
        ),
    ] {
        if action.is_create() && exists {
            return Err(stale(format!(
                "stale plan: {what} {} was created since the plan",
                action.id().unwrap_or_default()
            )));
        }
    }
    if built.fields != plan.fields {
        let first = built
            .fields
            .iter()
            .zip(&plan.fields)
            .find(|(a, b)| a != b)
            .map(|(now, planned)| json!({"planned": planned, "now": now}));
        return Err(stale(
            "stale plan: the target records or options changed since the plan (plan again)".into(),
        )
        .with_details(first.unwrap_or(json!({}))));
    }

    Ok(built)
}
