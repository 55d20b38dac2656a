//! Computing the target records of a conversion from the chosen actions. Shared
//! by `plan` (which keeps the field list) and `apply` (which keeps the records
//! and checks that the field list is still the planned one).

use serde_json::Value;

use super::activities::{NewActivities, append_new};
use super::draft::{Draft, TargetRecord, Write};
use super::fields::{FieldMapping, Target, is_empty, parse_target};
use super::keys::is_company_domain;
use super::options::ConvertOptions;
use super::plan::TargetAction;
use super::records::Records;
use super::template::render_name;
use crate::error::{Error, ErrorKind, Result};
use crate::lifecycle::{Change, Pipeline};
use crate::model::{Account, Contact, Lead, Opportunity};
use crate::normalize::{email_domain, registrable_domain};
use crate::time::{Timestamp, end_of_quarter};

/// The records a conversion produces and what happened to every lead value.
#[derive(Debug)]
pub(crate) struct Built {
    pub fields: Vec<FieldMapping>,
    pub warnings: Vec<String>,
    pub account: Account,
    pub contact: Contact,
    pub opportunity: Option<Opportunity>,
    /// Activities of the lead newly added to a linked contact (0 for a plan).
    pub contact_activities_added: usize,
}

/// What a build is for: a plan keeps only the field list and warnings, so it
/// skips copying the lead's activities (which cannot fail) to the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Plan,
    Apply,
}

pub(crate) fn build(
    lead: &Lead,
    records: Records<'_>,
    [account, contact, opportunity]: [&TargetAction; 3],
    opts: &ConvertOptions,
    pipeline: &Pipeline,
    now: Timestamp,
    purpose: Purpose,
) -> Result<Built> {
    let mut acc = draft(
        account,
        |id| records.account(id).map(linked_account),
        |id| Account::new(id, ""),
    )?
    .ok_or_else(|| Error::new(ErrorKind::Conversion, "the account cannot be skipped"))?;
    let mut con = draft(
        contact,
        |id| records.contact(id).cloned(),
        |id| Contact::new(id, ""),
    )?
    .ok_or_else(|| Error::new(ErrorKind::Conversion, "the contact cannot be skipped"))?;
    // The pipeline's initial opportunity stage, with its probability, forecast and history entry.
    let change = Change::new(now)
        .actor(opts.actor.clone())
        .reason(format!("converted from lead {}", lead.id));
    let mut opp = draft(
        opportunity,
        |_| None,
        |id| new_opportunity(pipeline, id, &change),
    )?;
    let account_id = acc.record.id.clone();
    let contact_id = con.record.id.clone();
    if !con.created && con.record.account_id != account_id {
        return Err(Error::new(
            ErrorKind::Conversion,
            format!("contact {contact_id} does not belong to account {account_id}"),
        ));
    }

    let domains = CompanyDomains::of(lead, opts);
    let (fields, warnings) = map_values(lead, opts, &domains, &mut acc, &mut con, opp.as_mut())?;

    // Structural values, written only where the mapping left the field empty.
    if acc.created {
        let name = fallback_account_name(lead, &domains).ok_or_else(|| {
            Error::new(
                ErrorKind::Conversion,
                "cannot name the new account: the lead has no company, company e-mail domain or name (set options.account_id or the lead's company)",
            )
            .with_field("company")
        })?;
        let a = &mut acc.record;
        if a.name.trim().is_empty() {
            a.name = name;
        }
        a.created_at.get_or_insert(now);
    }
    if con.created {
        let c = &mut con.record;
        if c.account_id.trim().is_empty() {
            c.account_id.clone_from(&account_id);
        }
        c.source_lead_id.get_or_insert_with(|| lead.id.clone());
        c.created_at.get_or_insert(now);
    }
    let new_activities = (purpose == Purpose::Apply).then(|| NewActivities::new(&lead.activities));
    let contact_activities_added = new_activities
        .as_ref()
        .map_or(0, |new| append_new(&mut con.record.activities, new));
    if let Some(o) = opp.as_mut() {
        let name = render_name(&opts.opportunity_name, lead, &acc.record.name)?;
        let o = &mut o.record;
        if o.name.trim().is_empty() {
            o.name = name;
        }
        o.account_id.clone_from(&account_id);
        o.primary_contact_id = Some(contact_id.clone());
        o.close_date.get_or_insert_with(|| end_of_quarter(now));
        o.source_lead_id = Some(lead.id.clone());
        if let Some(new) = &new_activities {
            append_new(&mut o.activities, new);
        }
    }

    Ok(Built {
        fields,
        warnings,
        account: acc.finish()?,
        contact: con.finish()?,
        opportunity: opp.map(Draft::finish).transpose()?,
        contact_activities_added,
    })
}

/// A linked account as reading its JSON back gave it: a number JSON cannot
/// hold (a non-finite revenue, only possible in records built in code) is unset.
fn linked_account(a: &Account) -> Account {
    let mut a = a.clone();
    if a.annual_revenue.is_some_and(|f| !f.is_finite()) {
        a.annual_revenue = None;
    }
    a
}

/// A new opportunity: only its id and the pipeline's initial stage, probability,
/// forecast category and history entry; the rest comes from the lead.
fn new_opportunity(pipeline: &Pipeline, id: &str, change: &Change) -> Opportunity {
    pipeline.open_opportunity(id, "", "", change)
}

/// Maps every non-empty lead value (typed fields, custom, then unknown
/// top-level fields) onto the drafts.
fn map_values(
    lead: &Lead,
    opts: &ConvertOptions,
    domains: &CompanyDomains,
    acc: &mut Draft<Account>,
    con: &mut Draft<Contact>,
    mut opp: Option<&mut Draft<Opportunity>>,
) -> Result<(Vec<FieldMapping>, Vec<String>)> {
    let mut fields = Vec::new();
    let mut warnings = Vec::new();
    for (target, field, from, value) in lead_values(lead, domains) {
        let draft: &mut dyn Write = match target {
            Target::Account => &mut *acc,
            Target::Contact => &mut *con,
            Target::Opportunity => match opp.as_deref_mut() {
                Some(d) => d,
                // Source, campaign and owner also go to the contact: nothing is lost.
                None => continue,
            },
        };
        fields.push(draft.write(field, value, from)?);
    }
    // Custom fields, then unknown top-level fields (`extra`): both default to the
    // contact's `custom.<key>`. `field_map` keys: `custom.<key>` or `<key>` for a
    // custom field, `<key>` for a top-level one.
    let free_form = lead
        .custom
        .iter()
        .map(|(key, v)| (key, v, format!("custom.{key}")))
        .chain(lead.extra.iter().map(|(key, v)| (key, v, key.clone())));
    for (key, value, from) in free_form {
        if is_empty(value) {
            continue;
        }
        let mapped = opts
            .field_map
            .get_key_value(&from)
            .or_else(|| opts.field_map.get_key_value(key));
        let (target, field) = match mapped {
            Some((map_key, spec)) => {
                parse_target(spec).map_err(|e| e.with_field(format!("field_map.{map_key}")))?
            }
            None => (Target::Contact, format!("custom.{key}")),
        };
        let draft: &mut dyn Write = match target {
            Target::Account => &mut *acc,
            Target::Contact => &mut *con,
            Target::Opportunity => {
                if let Some(d) = opp.as_deref_mut() {
                    d
                } else {
                    warnings.push(format!(
                        "{from} is mapped to opportunity.{field} but no opportunity is created; it goes to the contact's custom.{key}"
                    ));
                    &mut *con
                }
            }
        };
        let field = if draft.target() == target {
            field
        } else {
            format!("custom.{key}")
        };
        fields.push(draft.write(&field, value.clone(), &from)?);
    }

    Ok((fields, warnings))
}

/// The draft of a target: the existing record for `link` (`existing` finds it
/// by id), a new one (`new` makes it from its id) for `create`.
fn draft<R: TargetRecord>(
    action: &TargetAction,
    existing: impl Fn(&str) -> Option<R>,
    new: impl Fn(&str) -> R,
) -> Result<Option<Draft<R>>> {
    match action {
        TargetAction::Skip => Ok(None),
        TargetAction::Create { id } => Ok(Some(Draft::new(true, new(id)))),
        TargetAction::Link { id, .. } => {
            let record = existing(id).ok_or_else(|| {
                Error::new(
                    ErrorKind::Conversion,
                    format!(
                        "linked {} {id} does not exist (stale plan?)",
                        R::TARGET.name()
                    ),
                )
            })?;
            Ok(Some(Draft::new(false, record)))
        }
    }
}

/// The registrable domains of the lead's e-mail and website when they may
/// identify a company (not free-mail, not own): computed once per build.
struct CompanyDomains {
    email: Option<String>,
    website: Option<String>,
}

impl CompanyDomains {
    fn of(lead: &Lead, opts: &ConvertOptions) -> Self {
        let company = |d: Option<String>| d.filter(|d| is_company_domain(d, &opts.matching));
        CompanyDomains {
            email: company(
                lead.email
                    .as_deref()
                    .and_then(email_domain)
                    .and_then(|d| registrable_domain(&d)),
            ),
            website: company(lead.website.as_deref().and_then(registrable_domain)),
        }
    }
}

/// Every non-empty typed lead value with its target field, in a stable order.
fn lead_values(
    lead: &Lead,
    domains: &CompanyDomains,
) -> Vec<(Target, &'static str, &'static str, Value)> {
    use Target::{Account as A, Contact as C, Opportunity as O};
    let mut out = Vec::with_capacity(20);
    let mut push = |t: Target, field: &'static str, from: &'static str, v: Option<Value>| {
        if let Some(v) = v.filter(|v| !is_empty(v)) {
            out.push((t, field, from, v));
        }
    };
    let s = |v: &Option<String>| v.clone().map(Value::String);
    push(A, "name", "company", s(&lead.company));
    push(A, "website", "website", s(&lead.website));
    push(A, "domains", "website", s(&domains.website));
    push(A, "domains", "email", s(&domains.email));
    push(A, "industry", "industry", s(&lead.industry));
    push(A, "employees", "employees", lead.employees.map(Value::from));
    push(
        A,
        "annual_revenue",
        "annual_revenue",
        lead.annual_revenue.map(Value::from),
    );
    push(A, "country", "country", s(&lead.country));
    push(A, "owner", "owner", s(&lead.owner));
    push(C, "first_name", "first_name", s(&lead.first_name));
    push(C, "last_name", "last_name", s(&lead.last_name));
    push(C, "email", "email", s(&lead.email));
    push(C, "phone", "phone", s(&lead.phone));
    push(C, "title", "title", s(&lead.title));
    push(C, "owner", "owner", s(&lead.owner));
    push(C, "custom.lead_source", "source", s(&lead.source));
    push(C, "custom.lead_campaign", "campaign", s(&lead.campaign));
    push(O, "owner", "owner", s(&lead.owner));
    push(O, "source", "source", s(&lead.source));
    push(O, "campaign", "campaign", s(&lead.campaign));
    out
}

/// Name of a new account when the lead has no company: its company e-mail or
/// website domain, else the person's name (a one-person account, as CRMs do).
fn fallback_account_name(lead: &Lead, domains: &CompanyDomains) -> Option<String> {
    domains
        .email
        .clone()
        .or_else(|| domains.website.clone())
        .or_else(|| lead.full_name())
}
