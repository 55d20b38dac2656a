//! Filling a feature row from a [`Lead`] as of `now`.

use std::borrow::Cow;

use serde_json::Value;

use crate::model::Lead;
use crate::rules::define::features::{Derived, FeatureTable, FeatureType, LeadField, Source};
use crate::rules::exec::program::Scratch;
use crate::rules::helpers;
use crate::rules::input::activity::{self, Aggregate};
use crate::rules::input::activity_plan::ActivityPlan;
use crate::time::Timestamp;

/// The activity aggregates of a table, in one list (computed in one pass per lead).
pub(crate) fn aggregates(ft: &FeatureTable) -> (Vec<Aggregate>, Vec<usize>) {
    let mut aggs = Vec::new();
    let mut owners = Vec::new();
    for (i, f) in ft.used.iter().enumerate() {
        if let Source::Activity(a) = &f.source {
            aggs.push(a.clone());
            owners.push(i);
        }
    }
    (aggs, owners)
}

fn field_str(lead: &Lead, f: LeadField) -> Option<&str> {
    let v = match f {
        LeadField::Title => &lead.title,
        LeadField::Industry => &lead.industry,
        LeadField::Country => &lead.country,
        LeadField::Email => &lead.email,
        LeadField::Source => &lead.source,
        LeadField::Company => &lead.company,
        LeadField::Website => &lead.website,
        LeadField::FirstName => &lead.first_name,
        LeadField::LastName => &lead.last_name,
        LeadField::Phone => &lead.phone,
        LeadField::Campaign => &lead.campaign,
        LeadField::Owner => &lead.owner,
        LeadField::Stage => &lead.stage,
        LeadField::Status => &lead.status,
        LeadField::Employees | LeadField::Revenue => return None,
    };
    v.as_deref()
}

fn field_num(lead: &Lead, f: LeadField) -> Option<f64> {
    match f {
        LeadField::Employees => lead.employees.map(|n| n as f64),
        LeadField::Revenue => lead.annual_revenue,
        _ => None,
    }
}

/// A flat record's top-level (or `custom`) value named like the feature, used
/// when the typed field is absent (`{"revenue": 2e7}` in a flat row).
fn flat<'a>(lead: &'a Lead, name: &str) -> Option<&'a Value> {
    lead.extra.get(name).or_else(|| lead.custom.get(name))
}

fn value_num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
        _ => None,
    }
}

fn value_str(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s.as_str()),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        _ => Cow::Borrowed(""),
    }
}

/// Fills `x.num` / `x.strs` for `lead` as of `now`. Missing numbers are 0, missing strings "".
pub(crate) fn fill<'a>(
    ft: &FeatureTable,
    plan: &ActivityPlan,
    owners: &[usize],
    lead: &'a Lead,
    now: Timestamp,
    x: &mut Scratch<'a>,
) {
    if !plan.is_empty() {
        plan.run(lead, now, &mut x.aggs);
        for (k, &i) in owners.iter().enumerate() {
            let f = &ft.used[i];
            x.num[f.slot] = x.aggs[k];
        }
    }
    for f in &ft.used {
        match &f.source {
            Source::Field(lf) => {
                if f.ty == FeatureType::Str {
                    x.strs[f.slot] = match field_str(lead, *lf) {
                        Some(s) => Cow::Borrowed(s),
                        None => flat(lead, &f.name).map_or(Cow::Borrowed(""), value_str),
                    };
                } else {
                    x.num[f.slot] = field_num(lead, *lf)
                        .or_else(|| flat(lead, &f.name).and_then(value_num))
                        .unwrap_or(0.0);
                }
            }
            Source::Path(path) => {
                let v = activity::lookup_path(lead, path);
                if f.ty == FeatureType::Str {
                    x.strs[f.slot] = v.map_or(Cow::Borrowed(""), value_str);
                } else {
                    x.num[f.slot] = v.and_then(value_num).unwrap_or(0.0);
                }
            }
            Source::Derived(d) => derived(lead, *d, f.slot, x),
            Source::Activity(_) => {
                if f.record_first
                    && let Some(v) = lead
                        .extra
                        .get(&f.name)
                        .or_else(|| lead.custom.get(&f.name))
                        .and_then(value_num)
                {
                    x.num[f.slot] = v;
                }
            }
        }
    }
}

fn text(v: Option<&str>) -> &str {
    v.unwrap_or("")
}

fn derived<'a>(lead: &'a Lead, d: Derived, slot: usize, x: &mut Scratch<'a>) {
    match d {
        Derived::EmailDomain => {
            x.strs[slot] = Cow::Owned(helpers::email_domain(text(lead.email.as_deref())));
        }
        Derived::WebsiteDomain => {
            x.strs[slot] = Cow::Owned(helpers::website_domain(text(lead.website.as_deref())));
        }
        Derived::FreeMail => {
            x.num[slot] = f64::from(u8::from(helpers::is_free_mail(text(lead.email.as_deref()))));
        }
        Derived::EmployeeBand => {
            x.strs[slot] = Cow::Borrowed(helpers::employee_band(lead.employees));
        }
        Derived::CompanyNormalized => {
            x.strs[slot] = Cow::Owned(helpers::company_normalized(text(lead.company.as_deref())));
        }
        Derived::Seniority => {
            x.strs[slot] = Cow::Borrowed(helpers::seniority(text(lead.title.as_deref())));
        }
        Derived::Department => {
            x.strs[slot] = Cow::Borrowed(helpers::department(text(lead.title.as_deref())));
        }
    }
}
