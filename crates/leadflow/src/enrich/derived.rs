//! Fields computed from a lead before rules run.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::band::EmployeeBand;
use super::role::{Department, Seniority};
use super::title::parse_title;
use crate::model::Lead;
use crate::normalize::{email_domain, is_free_mail, normalize_company, registrable_domain};

/// The provenance value of derived fields.
pub const DERIVED_PROVIDER: &str = "derived";

/// Values derived from a lead's own fields. Every key is always present in JSON
/// (`null` when the input field is missing or unusable), so the shape is stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derived {
    /// Domain of the e-mail address, lowercased (`mail.acme.co.uk`).
    pub email_domain: Option<String>,
    /// Registrable domain of the website (`https://www.shop.acme.co.uk/x` gives `acme.co.uk`).
    pub website_domain: Option<String>,
    /// The company's domain: `website_domain`, else the registrable domain of a
    /// business (not free-mail) e-mail address.
    pub company_domain: Option<String>,
    /// The e-mail address is at a free or consumer provider (gmail.com, yahoo.co.jp).
    pub free_mail: bool,
    /// Company name as a comparison key (legal forms removed: `株式会社サンプル` gives `サンプル`).
    pub company_normalized: Option<String>,
    /// Size band of `employees` (`"51-200"`); `null` when unknown or 0.
    pub employee_band: Option<EmployeeBand>,
    pub seniority: Seniority,
    pub department: Department,
}

/// Computes the derived fields of a lead. Pure and total: bad input gives
/// `null` / `unknown`, never an error. Title parsing does not allocate for
/// ASCII titles; the domain and company normalizers allocate their results.
pub fn derive(lead: &Lead) -> Derived {
    let email_domain = lead.email.as_deref().and_then(email_domain);
    let free_mail = email_domain.as_deref().is_some_and(is_free_mail);
    let website_domain = lead.website.as_deref().and_then(registrable_domain);
    let company_domain = website_domain.clone().or_else(|| {
        email_domain
            .as_deref()
            .filter(|_| !free_mail)
            .and_then(registrable_domain)
    });
    let title = lead
        .title
        .as_deref()
        .map_or(super::TitleInfo::UNKNOWN, parse_title);
    Derived {
        email_domain,
        website_domain,
        company_domain,
        free_mail,
        company_normalized: lead.company.as_deref().and_then(normalize_company),
        employee_band: lead.employees.and_then(EmployeeBand::of),
        seniority: title.seniority,
        department: title.department,
    }
}

impl Derived {
    /// The derived values as a JSON object (every key present).
    pub fn to_value(&self) -> Value {
        // Plain strings, booleans and unit enums: serialization cannot fail.
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Names of the fields that have a value (not `null`, not `unknown`).
    pub fn known_fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            ("email_domain", self.email_domain.is_some()),
            ("website_domain", self.website_domain.is_some()),
            ("company_domain", self.company_domain.is_some()),
            ("free_mail", self.email_domain.is_some()),
            ("company_normalized", self.company_normalized.is_some()),
            ("employee_band", self.employee_band.is_some()),
            ("seniority", self.seniority != Seniority::Unknown),
            ("department", self.department != Department::Unknown),
        ]
        .into_iter()
        .filter_map(|(name, known)| known.then_some(name))
    }

    /// Stores the derived values on the lead, under the top-level `derived` key
    /// (kept in `extra`, so it round-trips), and records `derived.<field>` ->
    /// `"derived"` in `provenance` for every known value. Replaces an earlier
    /// `derived` object: derived values always follow the lead's current fields.
    pub fn store(&self, lead: &mut Lead) {
        let stale: Vec<String> = lead
            .provenance
            .keys()
            .filter(|k| k.starts_with("derived."))
            .cloned()
            .collect();
        for key in stale {
            lead.provenance.remove(&key);
        }
        for field in self.known_fields() {
            lead.provenance.insert(
                format!("derived.{field}"),
                Value::String(DERIVED_PROVIDER.to_owned()),
            );
        }
        lead.extra.insert("derived".to_owned(), self.to_value());
    }
}

/// Fills an empty `website` from the company's e-mail domain (never a free-mail
/// one), recording `website` -> `"derived"` in provenance. Returns whether it filled.
pub fn fill_website_from_email(lead: &mut Lead, derived: &Derived) -> bool {
    if lead
        .website
        .as_deref()
        .is_some_and(|w| !w.trim().is_empty())
        || derived.free_mail
    {
        return false;
    }
    let Some(domain) = derived.company_domain.as_deref() else {
        return false;
    };
    lead.website = Some(domain.to_owned());
    lead.provenance.insert(
        "website".to_owned(),
        Value::String(DERIVED_PROVIDER.to_owned()),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;

    fn lead() -> Lead {
        Lead::new("L-1", parse_timestamp("2026-01-01T00:00:00Z").unwrap())
    }

    #[test]
    fn derives_every_field() {
        let mut l = lead();
        l.email = Some(" Jane@Mail.ACME.co.uk ".into());
        l.website = Some("https://www.shop.acme.co.uk/pricing".into());
        l.company = Some("ACME, Inc.".into());
        l.employees = Some(120);
        l.title = Some("VP of Sales".into());
        let d = derive(&l);
        assert_eq!(d.email_domain.as_deref(), Some("mail.acme.co.uk"));
        assert_eq!(d.website_domain.as_deref(), Some("acme.co.uk"));
        assert_eq!(d.company_domain.as_deref(), Some("acme.co.uk"));
        assert!(!d.free_mail);
        assert_eq!(d.company_normalized.as_deref(), Some("acme"));
        assert_eq!(d.employee_band, Some(EmployeeBand::UpTo200));
        assert_eq!(d.seniority, Seniority::Vp);
        assert_eq!(d.department, Department::Sales);
    }

    #[test]
    fn empty_lead_gives_nulls_with_a_stable_shape() {
        let d = derive(&lead());
        let v = d.to_value();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "email_domain",
                "website_domain",
                "company_domain",
                "free_mail",
                "company_normalized",
                "employee_band",
                "seniority",
                "department"
            ]
        );
        assert_eq!(v["seniority"], "unknown");
        assert!(v["email_domain"].is_null());
        assert_eq!(d.known_fields().count(), 0);
    }

    #[test]
    fn company_domain_falls_back_to_business_email_only() {
        let mut l = lead();
        l.email = Some("jane@sub.example.co.jp".into());
        assert_eq!(derive(&l).company_domain.as_deref(), Some("example.co.jp"));
        l.email = Some("jane@gmail.com".into());
        let d = derive(&l);
        assert!(d.free_mail);
        assert_eq!(d.company_domain, None);
    }

    #[test]
    fn japanese_lead() {
        let mut l = lead();
        l.company = Some("株式会社サンプル".into());
        l.title = Some("営業部 部長".into());
        l.email = Some("taro@yahoo.co.jp".into());
        let d = derive(&l);
        assert_eq!(d.company_normalized.as_deref(), Some("サンプル"));
        assert_eq!(d.seniority, Seniority::Director);
        assert_eq!(d.department, Department::Sales);
        assert!(d.free_mail);
    }

    #[test]
    fn store_records_provenance_and_replaces_stale_entries() {
        let mut l = lead();
        l.title = Some("CEO".into());
        l.provenance
            .insert("derived.employee_band".into(), "derived".into());
        derive(&l).store(&mut l);
        assert_eq!(l.extra["derived"]["seniority"], "c_level");
        assert_eq!(l.provenance["derived.seniority"], "derived");
        assert!(!l.provenance.contains_key("derived.employee_band"));
    }

    #[test]
    fn fills_website_from_business_email_only() {
        let mut l = lead();
        l.email = Some("jane@eu.acme.com".into());
        let d = derive(&l);
        assert!(fill_website_from_email(&mut l, &d));
        assert_eq!(l.website.as_deref(), Some("acme.com"));
        assert_eq!(l.provenance["website"], "derived");

        let mut free = lead();
        free.email = Some("jane@gmail.com".into());
        let d = derive(&free);
        assert!(!fill_website_from_email(&mut free, &d));
        assert_eq!(free.website, None);
    }
}
