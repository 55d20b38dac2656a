//! Derived-field helpers shared by the native tier, the columnar path and the
//! rhai helper API. They delegate to [`crate::normalize`] and
//! [`crate::enrich`], so scripts, features and enrichment agree.

use crate::enrich::{EmployeeBand, parse_title};
use crate::normalize;

/// Lower-cased domain of an email address (`Jo@Acme.COM` -> `acme.com`); "" when invalid.
pub fn email_domain(email: &str) -> String {
    normalize::email_domain(email).unwrap_or_default()
}

/// Registrable domain of a website (`https://www.shop.acme.co.uk/x` -> `acme.co.uk`); "" when invalid.
pub fn website_domain(url: &str) -> String {
    normalize::registrable_domain(url).unwrap_or_default()
}

/// Whether an email address (or a bare domain) is at a free-mail provider.
pub fn is_free_mail(email_or_domain: &str) -> bool {
    if email_or_domain.contains('@') {
        normalize::email_domain(email_or_domain).is_some_and(|d| normalize::is_free_mail(&d))
    } else {
        normalize::is_free_mail(&email_or_domain.trim().to_ascii_lowercase())
    }
}

/// Employee band label (`"51-200"`); "" when unknown or 0.
pub fn employee_band(employees: Option<u64>) -> &'static str {
    employees
        .and_then(EmployeeBand::of)
        .map_or("", EmployeeBand::as_str)
}

/// Normalised company name (legal forms removed); "" when empty.
pub fn company_normalized(name: &str) -> String {
    normalize::normalize_company(name).unwrap_or_default()
}

/// Seniority parsed from an EN/JA title (`vp`, `director`, ..., `unknown`).
pub fn seniority(title: &str) -> &'static str {
    parse_title(title).seniority.as_str()
}

/// Department parsed from an EN/JA title (`sales`, `engineering`, ..., `unknown`).
pub fn department(title: &str) -> &'static str {
    parse_title(title).department.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_follow_enrichment() {
        assert_eq!(email_domain("Jo@Acme.com"), "acme.com");
        assert_eq!(email_domain("nope"), "");
        assert_eq!(
            website_domain("https://www.acme.co.jp/about?x"),
            "acme.co.jp"
        );
        assert!(is_free_mail("x@GMAIL.com"));
        assert!(is_free_mail("yahoo.co.jp"));
        assert!(!is_free_mail("x@acme.com"));
        assert_eq!(employee_band(Some(250)), "201-1000");
        assert_eq!(
            seniority("VP of Sales"),
            parse_title("VP of Sales").seniority.as_str()
        );
    }
}
