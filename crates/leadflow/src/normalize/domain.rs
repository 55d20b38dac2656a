//! Web domains: hosts from URLs and the registrable domain (`acme.co.uk`) a host
//! belongs to, per the Public Suffix List.

use super::fold;

/// The host of a URL or bare host name, lowercased, without scheme, user info,
/// port, path, query, trailing dot and a leading `www.`.
///
/// `"https://www.Acme.com:8443/pricing?x=1"` gives `acme.com`. Returns `None`
/// for input that is not a plausible DNS host (no dot, spaces, IP literals in
/// brackets, bad characters).
pub fn website_domain(url_or_host: &str) -> Option<String> {
    let text = fold(url_or_host);
    // Strip a scheme (`https://`) or a protocol-relative prefix (`//`).
    let rest = match text.find("://") {
        Some(i) => &text[i + 3..],
        None => text.strip_prefix("//").unwrap_or(&text),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        Some(_) => return None,
        None => host_port,
    };
    let host = host.trim_end_matches('.');
    let host = host.strip_prefix("www.").unwrap_or(host);
    is_host(host).then(|| host.to_owned())
}

/// The registrable domain (public suffix plus one label) of a host:
/// `mail.acme.co.uk` gives `acme.co.uk`, `sub.example.co.jp` gives `example.co.jp`.
///
/// The host may also be given as a URL (it goes through [`website_domain`]).
/// Returns `None` when the host is itself a public suffix (`co.uk`), has a
/// suffix the Public Suffix List does not know (`intranet.local`), or is an IP address.
pub fn registrable_domain(host: &str) -> Option<String> {
    let host = website_domain(host)?;
    if host
        .split('.')
        .all(|l| l.chars().all(|c| c.is_ascii_digit()))
    {
        return None; // IPv4 address
    }
    let domain = psl::domain(host.as_bytes())?;
    if !domain.suffix().is_known() {
        return None;
    }
    std::str::from_utf8(domain.as_bytes())
        .ok()
        .map(str::to_owned)
}

/// A syntactically plausible DNS name: at least two non-empty labels of letters
/// (any script, for IDNs), digits and inner hyphens.
fn is_host(host: &str) -> bool {
    if host.len() > 253 || !host.contains('.') {
        return false;
    }
    host.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn website_domain_strips_url_parts() {
        let cases = [
            (
                "https://www.Acme.com:8443/pricing?x=1#top",
                Some("acme.com"),
            ),
            ("acme.com", Some("acme.com")),
            ("  WWW.ACME.COM.  ", Some("acme.com")),
            ("//cdn.acme.io/x", Some("cdn.acme.io")),
            ("http://user:pw@acme.de/", Some("acme.de")),
            ("ａｃｍｅ．ｃｏ．ｊｐ", Some("acme.co.jp")),
            ("localhost", None),
            ("", None),
            ("not a domain.com", None),
            ("http://[::1]:80/", None),
            ("acme.com:http", None),
            ("-bad.com", None),
        ];
        for (input, want) in cases {
            assert_eq!(website_domain(input).as_deref(), want, "{input:?}");
        }
    }

    #[test]
    fn registrable_domain_uses_the_public_suffix_list() {
        let cases = [
            ("mail.acme.co.uk", Some("acme.co.uk")),
            ("sub.example.co.jp", Some("example.co.jp")),
            ("https://www.shop.acme.com/cart", Some("acme.com")),
            ("acme.com", Some("acme.com")),
            ("foo.github.io", Some("foo.github.io")),
            ("co.uk", None),
            ("intranet.local", None),
            ("10.0.0.1", None),
            ("例え.jp", Some("例え.jp")),
            ("www.例え.jp", Some("例え.jp")),
        ];
        for (input, want) in cases {
            assert_eq!(registrable_domain(input).as_deref(), want, "{input:?}");
        }
    }
}
