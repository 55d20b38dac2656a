//! Filling a lead's empty fields from a provider's data, with provenance.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::model::Lead;
use crate::normalize::website_domain;

/// What a provider knows about a lead's person and company. Every field is
/// optional; unknown keys are an error (a provider writing `revenue` instead of
/// `annual_revenue` should hear about it, not lose the value).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrichmentData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_revenue: Option<f64>,
    /// ISO 3166-1 alpha-2 (`us` is accepted and stored as `US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Fills `lead.custom.<key>`.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub custom: Map<String, Value>,
}

/// Why an offered value was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The lead already has a different value; leadflow never overwrites.
    Conflict,
    /// The value is not valid for the field (a country that is not two letters,
    /// a negative revenue, zero employees).
    Invalid,
}

/// An offered value that was not applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    /// `industry`, or `custom.<key>`.
    pub field: String,
    pub provider: String,
    pub reason: RejectReason,
    /// The value offered.
    pub value: Value,
    /// The lead's value (for conflicts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<Value>,
}

/// What [`apply_enrichment`] did.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EnrichmentReport {
    /// Fields filled (each now has a provenance entry).
    pub applied: Vec<String>,
    /// Values offered but not applied.
    pub rejected: Vec<Rejected>,
}

impl EnrichmentReport {
    pub(crate) fn extend(&mut self, other: EnrichmentReport) {
        self.applied.extend(other.applied);
        self.rejected.extend(other.rejected);
    }
}

struct Filler<'a> {
    provider: &'a str,
    provenance: &'a mut Map<String, Value>,
    report: EnrichmentReport,
}

impl Filler<'_> {
    fn reject(&mut self, field: &str, reason: RejectReason, value: Value, existing: Option<Value>) {
        self.report.rejected.push(Rejected {
            field: field.to_owned(),
            provider: self.provider.to_owned(),
            reason,
            value,
            existing,
        });
    }

    fn applied(&mut self, field: &str) {
        self.provenance
            .insert(field.to_owned(), Value::String(self.provider.to_owned()));
        self.report.applied.push(field.to_owned());
    }

    /// Fills a text field; `same` says whether two non-empty values agree.
    fn text(
        &mut self,
        field: &str,
        slot: &mut Option<String>,
        offered: Option<&str>,
        same: fn(&str, &str) -> bool,
    ) {
        let Some(offered) = offered.map(str::trim).filter(|s| !s.is_empty()) else {
            return;
        };
        match slot.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                *slot = Some(offered.to_owned());
                self.applied(field);
            }
            Some(existing) if same(existing, offered) => {}
            Some(existing) => {
                let existing = Value::String(existing.to_owned());
                self.reject(
                    field,
                    RejectReason::Conflict,
                    offered.into(),
                    Some(existing),
                );
            }
        }
    }

    fn number<T: Copy + PartialEq + Into<Value>>(
        &mut self,
        field: &str,
        slot: &mut Option<T>,
        offered: Option<T>,
        valid: fn(T) -> bool,
    ) {
        let Some(offered) = offered else { return };
        if !valid(offered) {
            self.reject(field, RejectReason::Invalid, offered.into(), None);
            return;
        }
        match *slot {
            None => {
                *slot = Some(offered);
                self.applied(field);
            }
            Some(existing) if existing == offered => {}
            Some(existing) => {
                self.reject(
                    field,
                    RejectReason::Conflict,
                    offered.into(),
                    Some(existing.into()),
                );
            }
        }
    }
}

fn same_text(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn same_site(a: &str, b: &str) -> bool {
    match (website_domain(a), website_domain(b)) {
        (Some(x), Some(y)) => x == y,
        _ => same_text(a, b),
    }
}

fn is_empty_value(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// Fills the lead's EMPTY fields from `data` and records `field -> provider`
/// in `lead.provenance` for each value applied. Never overwrites: a field that
/// already holds a different value is reported in `rejected` (reason
/// `conflict`), as is an invalid value (reason `invalid`). A value equal to the
/// lead's (case-insensitively; websites by domain) is neither applied nor rejected.
///
/// A string is empty when it is missing or blank; a custom field when it is
/// missing, `null` or a blank string. A converted lead is read-only:
/// `InvalidTransition`.
pub fn apply_enrichment(
    lead: &mut Lead,
    data: &EnrichmentData,
    provider: &str,
) -> Result<EnrichmentReport> {
    if lead.is_converted() {
        return Err(Error::new(
            ErrorKind::InvalidTransition,
            "a converted lead is read-only; enrichment was not applied",
        )
        .with_record(&lead.id));
    }
    let mut f = Filler {
        provider,
        provenance: &mut lead.provenance,
        report: EnrichmentReport::default(),
    };
    f.text(
        "first_name",
        &mut lead.first_name,
        data.first_name.as_deref(),
        same_text,
    );
    f.text(
        "last_name",
        &mut lead.last_name,
        data.last_name.as_deref(),
        same_text,
    );
    f.text("phone", &mut lead.phone, data.phone.as_deref(), same_text);
    f.text("title", &mut lead.title, data.title.as_deref(), same_text);
    f.text(
        "company",
        &mut lead.company,
        data.company.as_deref(),
        same_text,
    );
    f.text(
        "website",
        &mut lead.website,
        data.website.as_deref(),
        same_site,
    );
    f.text(
        "industry",
        &mut lead.industry,
        data.industry.as_deref(),
        same_text,
    );
    f.number("employees", &mut lead.employees, data.employees, |n| n > 0);
    f.number(
        "annual_revenue",
        &mut lead.annual_revenue,
        data.annual_revenue,
        |x| x.is_finite() && x >= 0.0,
    );
    if let Some(country) = data
        .country
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()) {
            let upper = country.to_ascii_uppercase();
            f.text("country", &mut lead.country, Some(&upper), same_text);
        } else {
            f.reject("country", RejectReason::Invalid, country.into(), None);
        }
    }
    for (key, offered) in &data.custom {
        if is_empty_value(offered) {
            continue;
        }
        let field = format!("custom.{key}");
        match lead.custom.get(key) {
            Some(existing) if !is_empty_value(existing) => {
                if existing != offered {
                    let existing = Some(existing.clone());
                    f.reject(&field, RejectReason::Conflict, offered.clone(), existing);
                }
            }
            _ => {
                lead.custom.insert(key.clone(), offered.clone());
                f.applied(&field);
            }
        }
    }
    Ok(f.report)
}

#[cfg(test)]
mod tests;
