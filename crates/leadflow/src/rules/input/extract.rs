//! Filling a feature row from a lead (a [`Lead`] or any [`LeadView`]) as of `now`.

use std::borrow::Cow;

use serde_json::Value;

#[cfg(doc)]
use crate::model::Lead;
use crate::rules::define::features::{Derived, FeatureTable, FeatureType, LeadField, Source};
use crate::rules::exec::program::Scratch;
use crate::rules::helpers;
use crate::rules::input::activity::{self, Aggregate};
use crate::rules::input::activity_plan::ActivityPlan;
use crate::rules::input::lead_view::LeadView;
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

fn field_num<L: LeadView + ?Sized>(lead: &L, f: LeadField) -> Option<f64> {
    match f {
        LeadField::Employees => lead.employees().map(|n| n as f64),
        LeadField::Revenue => lead.annual_revenue(),
        _ => None,
    }
}

/// A flat record's top-level (or `custom`) value named like the feature, used
/// when the typed field is absent (`{"revenue": 2e7}` in a flat row).
pub(crate) fn flat<'a, L: LeadView + ?Sized>(lead: &'a L, name: &str) -> Option<&'a Value> {
    lead.extra(name).or_else(|| lead.custom(name))
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
pub(crate) fn fill<'a, L: LeadView + ?Sized>(
    ft: &FeatureTable,
    plan: &ActivityPlan,
    owners: &[usize],
    lead: &'a L,
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
                    x.strs[f.slot] = match lead.field_str(*lf) {
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
                    && let Some(v) = flat(lead, &f.name).and_then(value_num)
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

fn derived<'a, L: LeadView + ?Sized>(lead: &'a L, d: Derived, slot: usize, x: &mut Scratch<'a>) {
    let field = |f| lead.field_str(f);
    match d {
        Derived::EmailDomain => {
            x.strs[slot] = Cow::Owned(helpers::email_domain(text(field(LeadField::Email))));
        }
        Derived::WebsiteDomain => {
            x.strs[slot] = Cow::Owned(helpers::website_domain(text(field(LeadField::Website))));
        }
        Derived::FreeMail => {
            x.num[slot] = f64::from(u8::from(helpers::is_free_mail(text(field(
                LeadField::Email,
            )))));
        }
        Derived::EmployeeBand => {
            x.strs[slot] = Cow::Borrowed(helpers::employee_band(lead.employees()));
        }
        Derived::CompanyNormalized => {
            x.strs[slot] = Cow::Owned(helpers::company_normalized(text(field(LeadField::Company))));
        }
        Derived::Seniority => {
            x.strs[slot] = Cow::Borrowed(helpers::seniority(text(field(LeadField::Title))));
        }
        Derived::Department => {
            x.strs[slot] = Cow::Borrowed(helpers::department(text(field(LeadField::Title))));
        }
    }
}
