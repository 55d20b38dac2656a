//! Planning a conversion: which records to create, link or skip, and what
//! happens to every lead value. Nothing is mutated.

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::build::{Purpose, build};
use super::fields::{FieldMapping, MappingAction};
use super::fingerprint::fingerprint;
use super::index::MatchIndex;
use super::matching::{Candidate, MatchReason, Matches, match_lead};
use super::options::ConvertOptions;
use super::records::Records;
use super::wide_numbers::check_lead_numbers;
use crate::error::{Error, ErrorKind, Result};
use crate::lifecycle::Pipeline;
use crate::model::{Account, Contact, ConversionRef, Lead};
use crate::time::Timestamp;

/// Why a target links to an existing record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkVia {
    /// An id given in the options (`account_id`, `contact_id`).
    Option,
    /// The best match, at or above the link threshold.
    Match,
    /// The account of the linked contact.
    Contact,
}

/// What a conversion does for one target record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TargetAction {
    /// Create a new record with this id.
    Create { id: String },
    /// Update an existing record (only its empty fields are filled).
    Link {
        id: String,
        via: LinkVia,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        confidence: Option<f64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        reasons: Vec<MatchReason>,
    },
    /// No record (only the opportunity can be skipped).
    Skip,
}

impl TargetAction {
    /// The id of the created or linked record.
    pub fn id(&self) -> Option<&str> {
        match self {
            TargetAction::Create { id } | TargetAction::Link { id, .. } => Some(id),
            TargetAction::Skip => None,
        }
    }
    pub fn is_create(&self) -> bool {
        matches!(self, TargetAction::Create { .. })
    }
    fn linked(id: &str, via: LinkVia, candidate: Option<&Candidate>) -> Self {
        TargetAction::Link {
            id: id.to_owned(),
            via,
            confidence: candidate.map(|c| c.confidence),
            reasons: candidate.map(|c| c.reasons.clone()).unwrap_or_default(),
        }
    }
}

/// The result of [`plan`]: reviewable, serializable, and the input of [`super::apply`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionPlan {
    pub lead_id: String,
    /// Fingerprint of the lead as planned; [`super::apply`] refuses a lead that changed since.
    pub lead_fingerprint: String,
    pub planned_at: Timestamp,
    pub account: TargetAction,
    pub contact: TargetAction,
    pub opportunity: TargetAction,
    /// Every non-empty lead value and where it goes (conflicts included).
    pub fields: Vec<FieldMapping>,
    /// Things a reviewer should know: near-duplicates not linked, rerouted values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// All candidates, so a reviewer can pick another one (`account_id`, `contact_id`).
    pub matches: Matches,
}

impl ConversionPlan {
    /// The lead values that cannot be written (the target keeps a different value).
    pub fn conflicts(&self) -> impl Iterator<Item = &FieldMapping> {
        self.fields
            .iter()
            .filter(|f| f.action == MappingAction::Conflict)
    }
}

/// Plans the conversion of `lead`: matches it against `accounts` and `contacts`,
/// chooses per target `create`, `link` or `skip`, and maps every lead value.
pub fn plan(
    lead: &Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionPlan> {
    plan_with(&Pipeline::default(), lead, accounts, contacts, opts, now)
}

/// [`plan`] with a configured [`Pipeline`].
pub fn plan_with(
    pipeline: &Pipeline,
    lead: &Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionPlan> {
    if lead.is_converted() {
        return Err(already_converted(lead));
    }
    let matches = match_lead(lead, accounts, contacts, &opts.matching);
    plan_matched(
        pipeline,
        lead,
        Records::Slices(accounts, contacts),
        matches,
        opts,
        now,
    )
}

/// [`plan_with`] against a prebuilt [`MatchIndex`] (for batches: the records
/// are normalized once, not once per lead). The index must have been built
/// with `opts.matching`.
pub fn plan_indexed(
    pipeline: &Pipeline,
    lead: &Lead,
    index: &MatchIndex<'_>,
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionPlan> {
    check_index(index, opts)?;
    check_not_converted(lead, index)?;
    let plan = plan_matched(
        pipeline,
        lead,
        Records::Index(index),
        index.match_lead(lead),
        opts,
        now,
    )?;
    if let TargetAction::Create { id } = &plan.opportunity
        && index.created_opportunity(id)
    {
        return Err(Error::new(
            ErrorKind::Conversion,
            format!(
                "cannot create opportunity {id}: an earlier lead of this batch created it (options.ids.opportunity must differ per lead)"
            ),
        )
        .with_record(&lead.id));
    }
    Ok(plan)
}

/// Refuses a converted lead, or a copy of a lead that an earlier conversion of
/// the batch (through `index`) converted.
pub(crate) fn check_not_converted(lead: &Lead, index: &MatchIndex<'_>) -> Result<()> {
    if lead.is_converted() {
        return Err(already_converted(lead));
    }
    match index.converted_lead(&lead.id) {
        Some(c) => Err(already_converted_as(&lead.id, c)),
        None => Ok(()),
    }
}

/// Refuses an index built for other matching options than the conversion's.
pub(crate) fn check_index(index: &MatchIndex<'_>, opts: &ConvertOptions) -> Result<()> {
    if index.options() == &opts.matching {
        Ok(())
    } else {
        Err(Error::config(
            "the match index was built with other matching options than options.matching",
        )
        .with_field("options.matching"))
    }
}

fn plan_matched(
    pipeline: &Pipeline,
    lead: &Lead,
    records: Records<'_>,
    matches: Matches,
    opts: &ConvertOptions,
    now: Timestamp,
) -> Result<ConversionPlan> {
    check_lead_numbers(lead)?;
    let mut warnings = Vec::new();
    let (account, contact) = choose(lead, records, opts, &matches, &mut warnings)
        .map_err(|e| e.with_record(&lead.id))?;
    let opportunity = if opts.create_opportunity {
        TargetAction::Create {
            id: opts.ids.opportunity_for(&lead.id),
        }
    } else {
        TargetAction::Skip
    };
    let built = build(
        lead,
        records,
        [&account, &contact, &opportunity],
        opts,
        pipeline,
        now,
        Purpose::Plan,
    )
    .map_err(|e| e.with_record(&lead.id))?;
    warnings.extend(built.warnings);
    Ok(ConversionPlan {
        lead_id: lead.id.clone(),
        lead_fingerprint: fingerprint(lead),
        planned_at: now,
        account,
        contact,
        opportunity,
        fields: built.fields,
        warnings,
        matches,
    })
}

/// Chooses the account and contact actions (see `docs/conversion.md`).
fn choose(
    lead: &Lead,
    records: Records<'_>,
    opts: &ConvertOptions,
    matches: &Matches,
    warnings: &mut Vec<String>,
) -> Result<(TargetAction, TargetAction)> {
    let find_account = |id: &str| records.account(id);
    let find_contact = |id: &str| records.contact(id);
    let candidate = |list: &[Candidate], id: &str| list.iter().find(|c| c.id == id).cloned();

    let explicit_account = match &opts.account_id {
        Some(id) => Some(find_account(id).ok_or_else(|| {
            Error::not_found(format!("account {id} (options.account_id) does not exist"))
                .with_field("options.account_id")
        })?),
        None => None,
    };
    // The contact: explicit, else the best match at or above the threshold.
    let mut contact_link: Option<(&Contact, LinkVia)> = None;
    if let Some(id) = &opts.contact_id {
        let c = find_contact(id).ok_or_else(|| {
            Error::not_found(format!("contact {id} (options.contact_id) does not exist"))
                .with_field("options.contact_id")
        })?;
        if let Some(a) = explicit_account
            && a.id != c.account_id
        {
            return Err(Error::new(
                ErrorKind::Conversion,
                format!(
                    "contact {} belongs to account {}, not to {}",
                    c.id, c.account_id, a.id
                ),
            )
            .with_field("options.contact_id"));
        }
        contact_link = Some((c, LinkVia::Option));
    } else if opts.auto_link
        && let Some(best) = matches.best_contact()
        && best.confidence >= opts.link_threshold
        && let Some(c) = find_contact(&best.id)
    {
        if explicit_account.is_some_and(|a| a.id != c.account_id) {
            warnings.push(format!(
                "contact {} matches (confidence {}) but belongs to account {}, not the chosen account; a new contact is created",
                c.id, best.confidence, c.account_id
            ));
        } else if find_account(&c.account_id).is_none() {
            warnings.push(format!(
                "contact {} matches (confidence {}) but its account {} is not among the accounts given; a new contact is created",
                c.id, best.confidence, c.account_id
            ));
        } else {
            contact_link = Some((c, LinkVia::Match));
        }
    }

    let account = if let Some(a) = explicit_account {
        TargetAction::linked(
            &a.id,
            LinkVia::Option,
            candidate(&matches.accounts, &a.id).as_ref(),
        )
    } else if let Some((c, _)) = contact_link {
        let a = find_account(&c.account_id).ok_or_else(|| {
            Error::not_found(format!(
                "account {} of contact {} does not exist",
                c.account_id, c.id
            ))
        })?;
        TargetAction::linked(
            &a.id,
            LinkVia::Contact,
            candidate(&matches.accounts, &a.id).as_ref(),
        )
    } else if let Some(best) = matches
        .best_account()
        .filter(|b| opts.auto_link && b.confidence >= opts.link_threshold)
    {
        TargetAction::linked(&best.id, LinkVia::Match, Some(best))
    } else {
        if let Some(best) = matches.best_account() {
            warnings.push(format!(
                "account {} may be the same company (confidence {}, below the link threshold {}); a new account is created",
                best.id, best.confidence, opts.link_threshold
            ));
        }
        create(
            opts.ids.account_for(&lead.id),
            "account",
            find_account(&opts.ids.account_for(&lead.id)).is_some(),
        )?
    };
    let contact = match contact_link {
        Some((c, via)) => {
            TargetAction::linked(&c.id, via, candidate(&matches.contacts, &c.id).as_ref())
        }
        None => create(
            opts.ids.contact_for(&lead.id),
            "contact",
            find_contact(&opts.ids.contact_for(&lead.id)).is_some(),
        )?,
    };
    Ok((account, contact))
}

/// A `create` action, refused when a record with the id already exists.
fn create(id: String, what: &str, exists: bool) -> Result<TargetAction> {
    if exists {
        return Err(Error::new(
            ErrorKind::Conversion,
            format!(
                "cannot create {what} {id}: a {what} with this id exists (set options.ids.{what}, or link it with options.{what}_id)"
            ),
        ));
    }
    Ok(TargetAction::Create { id })
}

/// The `AlreadyConverted` error of a converted lead; details carry the earlier ids.
pub(crate) fn already_converted(lead: &Lead) -> Error {
    match &lead.conversion {
        Some(c) => already_converted_as(&lead.id, c),
        None => Error::new(ErrorKind::Conversion, "lead is not converted"),
    }
}

fn already_converted_as(lead_id: &str, c: &ConversionRef) -> Error {
    Error::new(
        ErrorKind::AlreadyConverted,
        format!(
            "lead {lead_id} was converted at {}",
            c.converted_at.to_rfc3339()
        ),
    )
    .with_record(lead_id)
    .with_details(json!({
        "account_id": c.account_id,
        "contact_id": c.contact_id,
        "opportunity_id": c.opportunity_id,
        "converted_at": c.converted_at,
    }))
}
