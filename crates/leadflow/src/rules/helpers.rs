//! Small pure helpers shared by the native tier and the rhai helper API.

/// Well-known free-mail domains (consumer mailboxes, not company addresses).
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.jp",
    "ymail.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mail.com",
    "gmx.com",
    "gmx.de",
    "web.de",
    "proton.me",
    "protonmail.com",
    "yandex.ru",
    "qq.com",
    "163.com",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "softbank.ne.jp",
];

/// The domain of an email address, lower-cased only when needed (`a@Acme.com` -> `acme.com`).
pub fn email_domain(email: &str) -> &str {
    email
        .rsplit_once('@')
        .map_or("", |(_, d)| d.trim().trim_end_matches('.'))
}

/// The host of a website (`https://www.acme.com/x` -> `acme.com`).
pub fn website_domain(url: &str) -> &str {
    let s = url.trim();
    let s = s.find("://").map_or(s, |i| &s[i + 3..]);
    let s = s.split(['/', '?', '#']).next().unwrap_or("");
    let s = s.rsplit_once('@').map_or(s, |(_, h)| h);
    let s = s.split(':').next().unwrap_or("");
    s.strip_prefix("www.").unwrap_or(s).trim_end_matches('.')
}

/// Whether an email address (or bare domain) is a free-mail provider.
pub fn is_free_mail(email_or_domain: &str) -> bool {
    let d = if email_or_domain.contains('@') {
        email_domain(email_or_domain)
    } else {
        email_or_domain.trim()
    };
    FREE_MAIL.iter().any(|f| f.eq_ignore_ascii_case(d))
}

/// Employee band used by the `employee_band` feature.
pub fn employee_band(employees: Option<u64>) -> &'static str {
    match employees {
        None => "",
        Some(0..=10) => "1-10",
        Some(11..=50) => "11-50",
        Some(51..=200) => "51-200",
        Some(201..=1000) => "201-1000",
        Some(1001..=5000) => "1001-5000",
        Some(_) => "5001+",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains() {
        assert_eq!(email_domain("Jo@Acme.com"), "Acme.com");
        assert_eq!(email_domain("nope"), "");
        assert_eq!(
            website_domain("https://www.acme.co.jp/about?x"),
            "acme.co.jp"
        );
        assert_eq!(website_domain("acme.io:8080"), "acme.io");
        assert!(is_free_mail("x@GMAIL.com"));
        assert!(is_free_mail("yahoo.co.jp"));
        assert!(!is_free_mail("x@acme.com"));
        assert_eq!(employee_band(Some(250)), "201-1000");
    }
}

/// Text-derived fields that need the enrichment module (normalised company,
/// seniority and department from the title). Empty until `rules::enrich` is wired in.
pub(crate) fn derived_text(_lead: &crate::Lead, _d: super::features::Derived) -> String {
    String::new()
}
