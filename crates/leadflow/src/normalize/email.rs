//! E-mail addresses.

use super::domain::website_domain;
use super::fold;

/// The address trimmed and lowercased (after NFKC), or `None` when it is not a
/// plausible address (`local@domain.tld`).
///
/// The local part is lowercased although RFC 5321 lets it be case-sensitive:
/// no mainstream provider treats it so, and people type their address in any
/// case. Plus tags (`jane+news@acme.com`) and Gmail dots are kept on purpose:
/// they are provider-specific, and the same tagged address is what the person
/// will type again, so stripping them would only merge different addresses
/// (shared mailboxes use tags for different people) for little gain.
pub fn normalize_email(email: &str) -> Option<String> {
    let text = fold(email);
    let text = text
        .strip_prefix("mailto:")
        .unwrap_or(&text)
        .trim_start_matches('<')
        .trim_end_matches('>');
    let (local, domain) = text.rsplit_once('@')?;
    if local.is_empty() || local.chars().any(|c| c.is_whitespace() || c == '@') {
        return None;
    }
    let domain = domain.trim_end_matches('.');
    let host = website_domain(domain)?;
    // website_domain drops `www.`; an address at `www.acme.com` is still that host.
    (host == domain || domain.strip_prefix("www.") == Some(host.as_str()))
        .then(|| format!("{local}@{domain}"))
}

/// The domain of an e-mail address, lowercased (`Jane@Mail.ACME.co.uk` gives
/// `mail.acme.co.uk`), or `None` when the address is not plausible. See
/// [`super::registrable_domain`] for the company-level domain.
pub fn email_domain(email: &str) -> Option<String> {
    let email = normalize_email(email)?;
    email.rsplit_once('@').map(|(_, d)| d.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_space_and_width() {
        assert_eq!(
            normalize_email("  Jane.Doe+News@ACME.com ").as_deref(),
            Some("jane.doe+news@acme.com")
        );
        assert_eq!(
            normalize_email("ｊａｎｅ＠ａｃｍｅ．ｃｏ．ｊｐ").as_deref(),
            Some("jane@acme.co.jp")
        );
        assert_eq!(
            normalize_email("mailto:<bob@acme.com>").as_deref(),
            Some("bob@acme.com")
        );
    }

    #[test]
    fn rejects_implausible_addresses() {
        for bad in [
            "",
            "jane",
            "@acme.com",
            "jane@",
            "jane@localhost",
            "ja ne@acme.com",
            "a@b@",
        ] {
            assert_eq!(normalize_email(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn domain_of_an_address() {
        assert_eq!(
            email_domain("Jane@Mail.ACME.co.uk").as_deref(),
            Some("mail.acme.co.uk")
        );
        assert_eq!(
            email_domain("x@www.acme.com").as_deref(),
            Some("www.acme.com")
        );
        assert_eq!(email_domain("nobody"), None);
    }
}
