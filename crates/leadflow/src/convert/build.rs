//! Computing the target records of a conversion from the chosen actions. Shared
//! by `plan` (which keeps the field list) and `apply` (which keeps the records
//! and checks that the field list is still the planned one).

use serde_json::{Map, Value};

use super::fields::{Draft, FieldMapping, Target, is_empty, parse_target};
use super::keys::is_company_domain;
use super::options::ConvertOptions;
use super::plan::TargetAction;
use super::records::Records;
use super::template::render_name;
use crate::error::{Error, ErrorKind, Result};
use crate::lifecycle::{Change, Pipeline};
use crate::model::{Account, Contact, Lead, Opportunity, Record};
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
    /// Activities of the lead newly added to a linked contact.
    pub contact_activities_added: usize,
}

pub(crate) fn build(
    lead: &Lead,
    records: Records<'_>,
    [account, contact, opportunity]: [&TargetAction; 3],
    opts: &ConvertOptions,
    pipeline: &Pipeline,
    now: Timestamp,
) -> Result<Built> {
    let mut acc = draft(Target::Account, account, |id| {
        records.account(id).map(Record::to_value)
    })?
    .ok_or_else(|| Error::new(ErrorKind::Conversion, "the account cannot be skipped"))?;
    let mut con = draft(Target::Contact, contact, |id| {
        records.contact(id).map(Record::to_value)
    })?
    .ok_or_else(|| Error::new(ErrorKind::Conversion, "the contact cannot be skipped"))?;
    let mut opp = draft(Target::Opportunity, opportunity, |_| None)?;
    let account_id = acc.get_str("id").unwrap_or_default().to_owned();
    let contact_id = con.get_str("id").unwrap_or_default().to_owned();
    if !con.created && con.get_str("account_id") != Some(account_id.as_str()) {
        return Err(Error::new(
            ErrorKind::Conversion,
            format!("contact {contact_id} does not belong to account {account_id}"),
        ));
    }

    let (fields, warnings) = map_values(lead, opts, &mut acc, &mut con, opp.as_mut())?;

    // Structural values, written only where the mapping left the field empty.
    if acc.created {
        let name = fallback_account_name(lead, opts).ok_or_else(|| {
            Error::new(
                ErrorKind::Conversion,
                "cannot name the new account: the lead has no company, company e-mail domain or name (set options.account_id or the lead's company)",
            )
            .with_field("company")
        })?;
        acc.default("name", name);
        acc.default("created_at", json_time(now));
    }
    if con.created {
        con.default("account_id", account_id.clone());
        con.default("source_lead_id", lead.id.clone());
        con.default("created_at", json_time(now));
    }
    let contact_activities_added = add_activities(&mut con, lead)?;
    if let Some(o) = opp.as_mut() {
        let account_name = acc.get_str("name").unwrap_or_default().to_owned();
        o.default(
            "name",
            render_name(&opts.opportunity_name, lead, &account_name)?,
        );
        o.default("account_id", account_id.clone());
        o.default("primary_contact_id", contact_id.clone());
        o.default("close_date", end_of_quarter(now).to_string());
        // The pipeline's initial opportunity stage, with its probability, forecast and history entry.
        let change = Change::new(now)
            .actor(opts.actor.clone())
            .reason(format!("converted from lead {}", lead.id));
        let fresh = pipeline.open_opportunity("", "", "", &change);
        o.default("stage", fresh.stage);
        o.default("probability", fresh.probability);
        o.default("forecast_category", to_value(&fresh.forecast_category));
        o.default("source_lead_id", lead.id.clone());
        o.default("created_at", json_time(now));
        o.default("history", to_value(&fresh.history));
        add_activities(o, lead)?;
    }

    Ok(Built {
        fields,
        warnings,
        account: typed(acc)?,
        contact: typed(con)?,
        opportunity: opp.map(typed).transpose()?,
        contact_activities_added,
    })
}

/// Maps every non-empty lead value (typed fields, custom, then unknown
/// top-level fields) onto the drafts.
fn map_values(
    lead: &Lead,
    opts: &ConvertOptions,
    acc: &mut Draft,
    con: &mut Draft,
    mut opp: Option<&mut Draft>,
) -> Result<(Vec<FieldMapping>, Vec<String>)> {
    let mut fields = Vec::new();
    let mut warnings = Vec::new();
    for (target, field, from, value) in lead_values(lead, opts) {
        let draft = match target {
            Target::Account => &mut *acc,
            Target::Contact => &mut *con,
            Target::Opportunity => match opp.as_deref_mut() {
                Some(d) => d,
                // Source, campaign and owner also go to the contact: nothing is lost.
                None => continue,
            },
        };
        fields.push(draft.write(&field, value, &from)?);
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
        let draft = match target {
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
        let field = if draft.target == target {
            field
        } else {
            format!("custom.{key}")
        };
        fields.push(draft.write(&field, value.clone(), &from)?);
    }

    Ok((fields, warnings))
}

/// The draft of a target: the existing record for `link` (`existing` finds it
/// by id, as JSON), a new one for `create`.
fn draft(
    target: Target,
    action: &TargetAction,
    existing: impl Fn(&str) -> Option<Value>,
) -> Result<Option<Draft>> {
    match action {
        TargetAction::Skip => Ok(None),
        TargetAction::Create { id } => {
            let mut obj = Map::new();
            obj.insert("id".into(), Value::String(id.clone()));
            Ok(Some(Draft::new(target, true, obj)))
        }
        TargetAction::Link { id, .. } => {
            let record = existing(id).ok_or_else(|| {
                Error::new(
                    ErrorKind::Conversion,
                    format!("linked {} {id} does not exist (stale plan?)", target.name()),
                )
            })?;
            match record {
                Value::Object(obj) => Ok(Some(Draft::new(target, false, obj))),
                _ => Err(Error::new(ErrorKind::Conversion, "record is not an object")),
            }
        }
    }
}

/// Every non-empty typed lead value with its target field, in a stable order.
fn lead_values(lead: &Lead, opts: &ConvertOptions) -> Vec<(Target, String, String, Value)> {
    use Target::{Account as A, Contact as C, Opportunity as O};
    let mut out = Vec::new();
    let mut push = |t: Target, field: &str, from: &str, v: Option<Value>| {
        if let Some(v) = v.filter(|v| !is_empty(v)) {
            out.push((t, field.to_owned(), from.to_owned(), v));
        }
    };
    let s = |v: &Option<String>| v.clone().map(Value::String);
    let company_domain = |d: Option<String>| {
        d.filter(|d| is_company_domain(d, &opts.matching))
            .map(Value::String)
    };
    push(A, "name", "company", s(&lead.company));
    push(A, "website", "website", s(&lead.website));
    push(
        A,
        "domains",
        "website",
        company_domain(lead.website.as_deref().and_then(registrable_domain)),
    );
    push(
        A,
        "domains",
        "email",
        company_domain(
            lead.email
                .as_deref()
                .and_then(email_domain)
                .and_then(|d| registrable_domain(&d)),
        ),
    );
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
fn fallback_account_name(lead: &Lead, opts: &ConvertOptions) -> Option<String> {
    let domain = |d: Option<String>| d.filter(|d| is_company_domain(d, &opts.matching));
    domain(
        lead.email
            .as_deref()
            .and_then(email_domain)
            .and_then(|d| registrable_domain(&d)),
    )
    .or_else(|| domain(lead.website.as_deref().and_then(registrable_domain)))
    .or_else(|| lead.full_name())
}

/// Appends the lead's activities the record does not have yet; returns how many.
fn add_activities(draft: &mut Draft, lead: &Lead) -> Result<usize> {
    if lead.activities.is_empty() {
        return Ok(0);
    }
    let slot = draft
        .obj
        .entry("activities")
        .or_insert_with(|| Value::Array(Vec::new()));
    if slot.is_null() {
        *slot = Value::Array(Vec::new());
    }
    let Value::Array(list) = slot else {
        return Err(Error::validation("activities is not a list"));
    };
    let mut added = 0;
    for a in &lead.activities {
        let v = to_value(a);
        if !list.contains(&v) {
            list.push(v);
            added += 1;
        }
    }
    Ok(added)
}

fn to_value<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn json_time(t: Timestamp) -> Value {
    to_value(&t)
}

/// Turns a draft back into its typed record (checking every written value's type).
fn typed<T: Record>(draft: Draft) -> Result<T> {
    T::from_value(Value::Object(draft.obj)).map_err(|e| {
        Error::new(
            ErrorKind::Validation,
            format!("{}: {}", draft.target.name(), e.message()),
        )
    })
}
