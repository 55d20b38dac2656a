//! Free and consumer mailbox providers: their domains say nothing about the
//! company a person works for, so they never match an account by domain.

use super::domain::{registrable_domain, website_domain};

/// Built-in free-mail domains, sorted (binary-searched). Covers the large global
/// providers and the big regional ones (Japan's carriers, China, Korea, Russia,
/// Germany, France, Italy, Brazil, India).
pub const FREE_MAIL_DOMAINS: &[&str] = &[
    "126.com",
    "139.com",
    "163.com",
    "aim.com",
    "aol.com",
    "att.net",
    "au.com",
    "bigpond.com",
    "bol.com.br",
    "btinternet.com",
    "comcast.net",
    "daum.net",
    "docomo.ne.jp",
    "email.com",
    "ezweb.ne.jp",
    "fastmail.com",
    "free.fr",
    "freenet.de",
    "gmail.com",
    "gmx.at",
    "gmx.ch",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hanmail.net",
    "hey.com",
    "hotmail.co.jp",
    "hotmail.co.uk",
    "hotmail.com",
    "hotmail.de",
    "hotmail.fr",
    "i.softbank.jp",
    "icloud.com",
    "inbox.ru",
    "laposte.net",
    "libero.it",
    "list.ru",
    "live.com",
    "live.jp",
    "mac.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "nate.com",
    "naver.com",
    "orange.fr",
    "outlook.com",
    "outlook.jp",
    "pm.me",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "rambler.ru",
    "rediffmail.com",
    "rocketmail.com",
    "sbcglobal.net",
    "sfr.fr",
    "sina.com",
    "softbank.ne.jp",
    "t-online.de",
    "terra.com.br",
    "tutanota.com",
    "uol.com.br",
    "verizon.net",
    "wanadoo.fr",
    "web.de",
    "ya.ru",
    "yahoo.co.jp",
    "yahoo.co.uk",
    "yahoo.com",
    "yahoo.de",
    "yahoo.fr",
    "yandex.com",
    "yandex.ru",
    "ymail.com",
    "zoho.com",
];

/// True when the domain (or the registrable domain it belongs to) is a free or
/// consumer mail provider: `gmail.com`, `yahoo.co.jp`, `docomo.ne.jp`, `mail.yahoo.com`.
/// Input is normalized first (`" GMail.com "` counts).
pub fn is_free_mail(domain: &str) -> bool {
    let Some(host) = website_domain(domain) else {
        return false;
    };
    let known = |d: &str| FREE_MAIL_DOMAINS.binary_search(&d).is_ok();
    known(&host) || registrable_domain(&host).is_some_and(|r| known(&r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_unique() {
        assert!(FREE_MAIL_DOMAINS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn recognizes_providers_and_their_subdomains() {
        for d in [
            "gmail.com",
            " GMail.com ",
            "googlemail.com",
            "yahoo.co.jp",
            "docomo.ne.jp",
            "ezweb.ne.jp",
            "softbank.ne.jp",
            "mail.yahoo.com",
            "qq.com",
            "web.de",
            "proton.me",
        ] {
            assert!(is_free_mail(d), "{d}");
        }
        for d in ["acme.com", "ne.jp", "co.jp", "example.co.jp", "", "gmail"] {
            assert!(!is_free_mail(d), "{d}");
        }
    }
}
