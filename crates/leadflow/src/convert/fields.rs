//! Field-level mapping: which lead value goes to which target field, and what
//! happened to it (`set`, `fill`, `unchanged` or `conflict`).
//!
//! Values are checked and compared as JSON values (a lead's `custom` value can
//! be anything); the records themselves stay typed (see [`super::draft`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::normalize::{normalize_company, normalize_email, registrable_domain, website_domain};

/// The record a value is written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Account,
    Contact,
    Opportunity,
}

impl Target {
    pub const fn name(self) -> &'static str {
        match self {
            Target::Account => "account",
            Target::Contact => "contact",
            Target::Opportunity => "opportunity",
        }
    }
}

/// What a conversion does with one lead value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingAction {
    /// Written to a record the conversion creates.
    Set,
    /// Written to an empty field of an existing record (existing values are never overwritten).
    Fill,
    /// The target already holds the same value (compared normalized).
    Unchanged,
    /// The target holds a different value, which is kept; the lead value is
    /// reported here (and stays on the lead), never silently dropped.
    Conflict,
}

/// One lead value and where it goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldMapping {
    pub target: Target,
    /// Field of the target: `industry`, `domains`, `custom.budget`.
    pub field: String,
    /// The value written (or that could not be written).
    pub value: Value,
    /// Where the value comes from: `company`, `email`, `custom.budget`.
    pub from_lead_field: String,
    pub action: MappingAction,
    /// For a conflict: the value the target keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing: Option<Value>,
}

/// How values of a field are checked and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    CompanyName,
    Website,
    Email,
    Count,
    Amount,
    Date,
    /// A list of registrable domains.
    Domains,
    /// `custom.*`: any JSON value.
    Any,
}

pub(crate) fn kind_of(target: Target, field: &str) -> Option<Kind> {
    if field.strip_prefix("custom.").is_some_and(|k| !k.is_empty()) {
        return Some(Kind::Any);
    }
    let kind = match (target, field) {
        (Target::Account, "name") => Kind::CompanyName,
        (Target::Account, "website") => Kind::Website,
        (Target::Account, "domains") => Kind::Domains,
        (Target::Account, "employees") => Kind::Count,
        (Target::Account | Target::Opportunity, "annual_revenue" | "amount") => Kind::Amount,
        (Target::Account, "industry" | "country" | "owner")
        | (Target::Contact, "first_name" | "last_name" | "phone" | "title" | "owner")
        | (Target::Opportunity, "name" | "currency" | "owner" | "source" | "campaign") => {
            Kind::Text
        }
        (Target::Contact, "email") => Kind::Email,
        (Target::Opportunity, "close_date") => Kind::Date,
        _ => return None,
    };
    // `amount` is an opportunity field and `annual_revenue` an account field only.
    match (target, field) {
        (Target::Account, "amount") | (Target::Opportunity, "annual_revenue") => None,
        _ => Some(kind),
    }
}

/// Parses a `field_map` target (`opportunity.amount`, `account.custom.segment`).
pub(crate) fn parse_target(spec: &str) -> Result<(Target, String)> {
    let (t, field) = spec.split_once('.').unwrap_or((spec, ""));
    let target = match t {
        "account" => Target::Account,
        "contact" => Target::Contact,
        "opportunity" => Target::Opportunity,
        _ => {
            return Err(Error::config(format!(
                "unknown target {spec:?}: expected account.<field>, contact.<field> or opportunity.<field>"
            )));
        }
    };
    match kind_of(target, field) {
        Some(Kind::Domains) | None => Err(Error::config(format!(
            "{spec:?} is not a mappable field of the {}",
            target.name()
        ))),
        Some(_) => Ok((target, field.to_owned())),
    }
}

/// True for values that carry nothing (`null`, blank strings, empty lists and objects).
pub(crate) fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// Checks (and where lossless, converts) a value for a field's type.
pub(crate) fn coerce(kind: Kind, value: Value) -> std::result::Result<Value, String> {
    let bad = |what: &str| Err(format!("expected {what}, found {value}"));
    match kind {
        Kind::Any => Ok(value),
        Kind::Text | Kind::CompanyName | Kind::Website | Kind::Email | Kind::Domains => {
            match &value {
                Value::String(_) => Ok(value),
                Value::Number(n) => Ok(Value::String(n.to_string())),
                _ => bad("a string"),
            }
        }
        Kind::Count => match &value {
            Value::Number(n) if n.as_u64().is_some() => Ok(value),
            Value::String(s) => s
                .trim()
                .parse::<u64>()
                .map(Value::from)
                .or_else(|_| bad("a whole number")),
            _ => bad("a whole number"),
        },
        Kind::Amount => match &value {
            Value::Number(_) => Ok(value),
            Value::String(s) => match s.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(Value::from(f)),
                _ => bad("a number"),
            },
            _ => bad("a number"),
        },
        Kind::Date => match &value {
            Value::String(s) if crate::time::parse_date(s).is_ok() => {
                Ok(Value::String(s.trim().to_owned()))
            }
            _ => bad("a date (YYYY-MM-DD)"),
        },
    }
}

/// True when two values of a field mean the same (compared normalized).
pub(crate) fn same(kind: Kind, a: &Value, b: &Value) -> bool {
    let text = |v: &Value| v.as_str().map(|s| s.trim().to_lowercase());
    let by = |f: fn(&str) -> Option<String>| match (a.as_str().and_then(f), b.as_str().and_then(f))
    {
        (Some(x), Some(y)) => x == y,
        _ => text(a) == text(b),
    };
    match kind {
        Kind::CompanyName => by(normalize_company),
        Kind::Website => by(website_domain),
        Kind::Email => by(normalize_email),
        Kind::Text | Kind::Date => text(a) == text(b),
        Kind::Count | Kind::Amount => a.as_f64() == b.as_f64(),
        Kind::Domains => by(registrable_domain),
        Kind::Any => a == b || (a.is_string() && text(a) == text(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_map_targets() {
        assert_eq!(
            parse_target("opportunity.amount").unwrap(),
            (Target::Opportunity, "amount".into())
        );
        assert_eq!(
            parse_target("account.custom.tier").unwrap().1,
            "custom.tier"
        );
        for bad in [
            "opportunity.annual_revenue",
            "account.domains",
            "lead.x",
            "account.custom.",
            "contact",
        ] {
            assert_eq!(
                parse_target(bad).unwrap_err().kind(),
                crate::ErrorKind::Config,
                "{bad}"
            );
        }
    }
}
