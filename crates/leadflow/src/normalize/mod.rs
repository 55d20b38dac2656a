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
    text.nfkc().collect::<String>().trim().to_lowercase()
}
