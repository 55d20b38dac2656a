//! A target record being built, held as its typed record.
//!
//! Values are checked and compared as the JSON they read and write (see
//! [`super::fields`]), but stored straight into the typed fields: no record is
//! turned into JSON and back.

use chrono::NaiveDate;
use serde_json::{Map, Value};

use super::fields::{FieldMapping, Kind, MappingAction, Target, coerce, is_empty, kind_of, same};
use crate::error::{Error, ErrorKind, Result};
use crate::model::{Account, Contact, MAX_AMOUNT, Opportunity};

/// A record a conversion writes lead values to.
pub(crate) trait TargetRecord {
    const TARGET: Target;
    /// A mappable field (see `kind_of`) as its JSON value, `Null` when unset.
    fn value(&self, field: &str) -> Value;
    /// Stores a value [`coerce`] accepted for `field`. A value the typed record
    /// cannot hold is an error, reported when the record is complete.
    fn store(&mut self, field: &str, value: Value) -> std::result::Result<(), Error>;
    fn custom(&mut self) -> &mut Map<String, Value>;
    /// The domain list, for the records that have one.
    fn domains(&mut self) -> Option<&mut Vec<String>> {
        None
    }
}

/// A target record being built: an existing record (`created == false`) or a new one.
#[derive(Debug, Clone)]
pub(crate) struct Draft<R> {
    pub created: bool,
    pub record: R,
    /// The values written, as written: a later value for the same field is
    /// compared with (and a conflict reports) this JSON, not its typed form
    /// (`1000` stays `1000`, not `1000.0`; a date keeps its text).
    written: Vec<(String, Value)>,
    /// The first value the record could not hold. The JSON drafts this replaces
    /// found it when reading the finished record back, after every other check,
    /// so it is reported at that point too.
    invalid: Option<Error>,
}

/// Writing a lead value to a draft, whatever its record type.
pub(crate) trait Write {
    fn target(&self) -> Target;
    /// Writes `value` to `field` unless the record holds a different value there,
    /// and says what happened. Invalid values are a `ValidationError` naming the lead field.
    fn write(&mut self, field: &str, value: Value, from: &str) -> Result<FieldMapping>;
}

impl<R: TargetRecord> Draft<R> {
    pub fn new(created: bool, record: R) -> Self {
        Draft {
            created,
            record,
            written: Vec::new(),
            invalid: None,
        }
    }

    /// The finished record, or the first value it could not hold.
    pub fn finish(self) -> Result<R> {
        match self.invalid {
            Some(e) => Err(e),
            None => Ok(self.record),
        }
    }
}

impl<R: TargetRecord> Write for Draft<R> {
    fn target(&self) -> Target {
        R::TARGET
    }

    fn write(&mut self, field: &str, value: Value, from: &str) -> Result<FieldMapping> {
        let target = R::TARGET;
        let kind = kind_of(target, field)
            .ok_or_else(|| Error::config(format!("{}.{field} is not a field", target.name())))?;
        let value = coerce(kind, value).map_err(|msg| {
            Error::validation(format!(
                "{from} cannot go to {}.{field}: {msg}",
                target.name()
            ))
            .with_field(from)
        })?;
        let fresh = if self.created {
            MappingAction::Set
        } else {
            MappingAction::Fill
        };
        let (action, existing) = if kind == Kind::Domains {
            let Some(list) = self.record.domains() else {
                return Err(Error::validation(format!("{field} is not a list")));
            };
            if list
                .iter()
                .any(|d| same(kind, &Value::String(d.clone()), &value))
            {
                (MappingAction::Unchanged, None)
            } else {
                list.push(value.as_str().unwrap_or_default().to_owned());
                (fresh, None)
            }
        } else if let Some(key) = field.strip_prefix("custom.") {
            let slot = self.record.custom().entry(key).or_insert(Value::Null);
            if is_empty(slot) {
                *slot = value.clone();
                (fresh, None)
            } else if same(kind, slot, &value) {
                (MappingAction::Unchanged, None)
            } else {
                (MappingAction::Conflict, Some(slot.clone()))
            }
        } else {
            let current = match self.written.iter().find(|(f, _)| f == field) {
                Some((_, v)) => v.clone(),
                None => self.record.value(field),
            };
            if is_empty(&current) {
                if let Err(e) = self.record.store(field, value.clone()) {
                    self.invalid.get_or_insert(e);
                }
                self.written.push((field.to_owned(), value.clone()));
                (fresh, None)
            } else if same(kind, &current, &value) {
                (MappingAction::Unchanged, None)
            } else {
                (MappingAction::Conflict, Some(current))
            }
        };
        Ok(FieldMapping {
            target,
            field: field.to_owned(),
            value,
            from_lead_field: from.to_owned(),
            action,
            existing,
        })
    }
}

fn text(v: Option<&String>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.clone()))
}

/// A coerced text value (see `coerce`: always a string).
fn into_text(value: Value) -> String {
    match value {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

/// A mappable field the record type does not have: `kind_of` rules it out.
fn no_field(target: Target, field: &str) -> Error {
    Error::config(format!("{}.{field} is not a field", target.name()))
}

impl TargetRecord for Account {
    const TARGET: Target = Target::Account;

    fn value(&self, field: &str) -> Value {
        match field {
            "name" => Value::String(self.name.clone()),
            "website" => text(self.website.as_ref()),
            "industry" => text(self.industry.as_ref()),
            "country" => text(self.country.as_ref()),
            "owner" => text(self.owner.as_ref()),
            "employees" => self.employees.map_or(Value::Null, Value::from),
            "annual_revenue" => self.annual_revenue.map_or(Value::Null, Value::from),
            _ => Value::Null,
        }
    }

    fn store(&mut self, field: &str, value: Value) -> std::result::Result<(), Error> {
        match field {
            "name" => self.name = into_text(value),
            "website" => self.website = Some(into_text(value)),
            "industry" => self.industry = Some(into_text(value)),
            "country" => self.country = Some(into_text(value)),
            "owner" => self.owner = Some(into_text(value)),
            "employees" => self.employees = value.as_u64(),
            "annual_revenue" => self.annual_revenue = value.as_f64(),
            _ => return Err(no_field(Self::TARGET, field)),
        }
        Ok(())
    }

    fn custom(&mut self) -> &mut Map<String, Value> {
        &mut self.custom
    }

    fn domains(&mut self) -> Option<&mut Vec<String>> {
        Some(&mut self.domains)
    }
}

impl TargetRecord for Contact {
    const TARGET: Target = Target::Contact;

    fn value(&self, field: &str) -> Value {
        match field {
            "first_name" => text(self.first_name.as_ref()),
            "last_name" => text(self.last_name.as_ref()),
            "email" => text(self.email.as_ref()),
            "phone" => text(self.phone.as_ref()),
            "title" => text(self.title.as_ref()),
            "owner" => text(self.owner.as_ref()),
            _ => Value::Null,
        }
    }

    fn store(&mut self, field: &str, value: Value) -> std::result::Result<(), Error> {
        let slot = match field {
            "first_name" => &mut self.first_name,
            "last_name" => &mut self.last_name,
            "email" => &mut self.email,
            "phone" => &mut self.phone,
            "title" => &mut self.title,
            "owner" => &mut self.owner,
            _ => return Err(no_field(Self::TARGET, field)),
        };
        *slot = Some(into_text(value));
        Ok(())
    }

    fn custom(&mut self) -> &mut Map<String, Value> {
        &mut self.custom
    }
}

impl TargetRecord for Opportunity {
    const TARGET: Target = Target::Opportunity;

    fn value(&self, field: &str) -> Value {
        match field {
            "name" => Value::String(self.name.clone()),
            "currency" => text(self.currency.as_ref()),
            "owner" => text(self.owner.as_ref()),
            "source" => text(self.source.as_ref()),
            "campaign" => text(self.campaign.as_ref()),
            "amount" => self.amount.map_or(Value::Null, Value::from),
            "close_date" => self
                .close_date
                .map_or(Value::Null, |d| Value::String(d.to_string())),
            _ => Value::Null,
        }
    }

    fn store(&mut self, field: &str, value: Value) -> std::result::Result<(), Error> {
        match field {
            "name" => self.name = into_text(value),
            "currency" => self.currency = Some(into_text(value)),
            "owner" => self.owner = Some(into_text(value)),
            "source" => self.source = Some(into_text(value)),
            "campaign" => self.campaign = Some(into_text(value)),
            "amount" => {
                let a = value.as_f64().unwrap_or(f64::NAN);
                if !a.is_finite() || a.abs() > MAX_AMOUNT {
                    // The wording of the record reader's check (`Opportunity`'s
                    // `bounded_amount`), as the JSON draft reported it.
                    return Err(unreadable(&format!(
                        "amount {a:e} is beyond the supported ±{MAX_AMOUNT:e}"
                    )));
                }
                self.amount = Some(a);
            }
            "close_date" => {
                let text = value.as_str().unwrap_or_default();
                // What the record reader accepts (chrono's `FromStr`).
                self.close_date = Some(
                    text.parse::<NaiveDate>()
                        .map_err(|e| unreadable(&e.to_string()))?,
                );
            }
            _ => return Err(no_field(Self::TARGET, field)),
        }
        Ok(())
    }

    fn custom(&mut self) -> &mut Map<String, Value> {
        &mut self.custom
    }
}

/// An opportunity value its reader refuses, worded as reading the record back
/// reported it (`opportunity: ` for the record, then the reader's own prefix).
fn unreadable(message: &str) -> Error {
    Error::new(
        ErrorKind::Validation,
        format!("opportunity: opportunity: {message}"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn set_fill_unchanged_conflict() {
        let mut a = Account::new("A", "ACME Corp");
        a.industry = Some("Software".into());
        let mut d = Draft::new(false, a);
        let m = d.write("name", json!("Acme, Inc."), "company").unwrap();
        assert_eq!(m.action, MappingAction::Unchanged);
        let m = d.write("industry", json!("Retail"), "industry").unwrap();
        assert_eq!(m.action, MappingAction::Conflict);
        assert_eq!(m.existing, Some(json!("Software")));
        assert_eq!(d.record.industry.as_deref(), Some("Software"));
        let m = d.write("country", json!("JP"), "country").unwrap();
        assert_eq!(m.action, MappingAction::Fill);
        let m = d
            .write("custom.segment", json!("smb"), "custom.segment")
            .unwrap();
        assert_eq!(m.action, MappingAction::Fill);
        assert_eq!(d.record.custom["segment"], "smb");
        let mut d = Draft::new(true, Account::new("A", ""));
        assert_eq!(
            d.write("industry", json!("Retail"), "industry")
                .unwrap()
                .action,
            MappingAction::Set
        );
    }

    #[test]
    fn domains_append_without_duplicates() {
        let mut a = Account::new("A", "Acme");
        a.domains = vec!["acme.com".into()];
        let mut d = Draft::new(false, a);
        assert_eq!(
            d.write("domains", json!("acme.com"), "email")
                .unwrap()
                .action,
            MappingAction::Unchanged
        );
        assert_eq!(
            d.write("domains", json!("acme.co.jp"), "website")
                .unwrap()
                .action,
            MappingAction::Fill
        );
        assert_eq!(d.record.domains, ["acme.com", "acme.co.jp"]);
    }

    #[test]
    fn values_are_checked_against_the_field_type() {
        let mut d = Draft::new(true, Account::new("A", ""));
        assert_eq!(
            d.write("employees", json!("250"), "custom.size")
                .unwrap()
                .value,
            json!(250)
        );
        assert_eq!(d.record.employees, Some(250));
        let e = d
            .write("annual_revenue", json!("lots"), "custom.rev")
            .unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        assert_eq!(e.field(), Some("custom.rev"));
    }

    fn opportunity() -> Opportunity {
        crate::lifecycle::Pipeline::default().open_opportunity(
            "O",
            "",
            "A",
            &crate::lifecycle::Change::new(
                crate::time::parse_timestamp("2026-01-01T00:00:00Z").unwrap(),
            ),
        )
    }

    #[test]
    fn a_second_value_meets_the_first_as_it_was_written() {
        let mut d = Draft::new(true, opportunity());
        d.write("amount", json!(1000), "custom.budget").unwrap();
        let m = d.write("amount", json!(2000), "custom.size").unwrap();
        assert_eq!(m.action, MappingAction::Conflict);
        // The integer written, not the typed field's 1000.0.
        assert_eq!(serde_json::to_string(&m.existing).unwrap(), "1000");
        d.write("close_date", json!(" 2026-3-5 "), "custom.due")
            .unwrap();
        let m = d
            .write("close_date", json!("2026-3-5"), "custom.close")
            .unwrap();
        assert_eq!(m.action, MappingAction::Unchanged);
        let o = d.finish().unwrap();
        assert_eq!(o.amount, Some(1000.0));
        assert_eq!(
            o.close_date.map(|d| d.to_string()).as_deref(),
            Some("2026-03-05")
        );
    }

    #[test]
    fn an_amount_beyond_the_range_is_reported_when_the_record_is_finished() {
        let mut d = Draft::new(true, opportunity());
        let m = d.write("amount", json!(1e16), "custom.budget").unwrap();
        assert_eq!(m.action, MappingAction::Set);
        d.write("currency", json!("EUR"), "custom.currency")
            .unwrap();
        let e = d.finish().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Validation);
        assert_eq!(
            e.message(),
            "opportunity: opportunity: amount 1e16 is beyond the supported ±1e15"
        );
    }
}
