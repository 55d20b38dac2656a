//! Normalization of the identifiers leads are matched on: e-mail addresses,
//! web domains and company names.
//!
//! Every function is total: bad or empty input gives `None` (or `false`), never
//! an error or a panic, so callers can normalize untrusted data freely. All
//! functions apply Unicode NFKC first, so full-width input typed on Japanese
//! keyboards (`ｉｎｆｏ＠ａｃｍｅ．ｃｏ．ｊｐ`) normalizes like its ASCII form.

mod company;
mod domain;
mod email;
mod free_mail;

pub use company::normalize_company;
pub use domain::{registrable_domain, website_domain};
pub use email::{email_domain, normalize_email};
pub use free_mail::{FREE_MAIL_DOMAINS, is_free_mail};

use unicode_normalization::UnicodeNormalization;

/// NFKC, trimmed and lowercased: the common first step of every normalizer.
fn fold(text: &str) -> String {
    // NFKC leaves ASCII unchanged: skip the decomposition for the usual input.
    if text.is_ascii() {
        return text.trim().to_ascii_lowercase();
    }
    text.nfkc().collect::<String>().trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The definition `fold` had before its ASCII shortcut.
    fn by_nfkc(text: &str) -> String {
        text.nfkc().collect::<String>().trim().to_lowercase()
    }

    proptest! {
        #[test]
        fn ascii_shortcut_equals_nfkc(text in "[\\x00-\\x7f]{0,24}", any in "\\PC{0,12}") {
            prop_assert_eq!(fold(&text), by_nfkc(&text));
            prop_assert_eq!(fold(&any), by_nfkc(&any));
        }
    }
}
