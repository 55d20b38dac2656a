//! The normalized keys of leads and accounts that matching compares.

use std::collections::BTreeSet;

use super::matching::{MatchOptions, MatchReason, ReasonCode};
use crate::model::{Account, Lead};
use crate::normalize::{
    email_domain, is_free_mail, normalize_company, normalize_email, registrable_domain,
};

/// What a lead is matched on.
#[derive(Debug)]
pub(crate) struct LeadKeys {
    pub email: Option<String>,
    /// Registrable domain of the e-mail, unless free-mail or own.
    pub email_domain: Option<String>,
    /// Registrable domain of the website, unless free-mail or own.
    pub website_domain: Option<String>,
    pub company: Option<String>,
    pub company_raw: Option<String>,
}

impl LeadKeys {
    pub fn new(lead: &Lead, opts: &MatchOptions) -> Self {
        let email = lead.email.as_deref().and_then(normalize_email);
        let usable = |d: Option<String>| d.filter(|d| is_company_domain(d, opts));
        LeadKeys {
            email_domain: usable(
                email
                    .as_deref()
                    .and_then(email_domain)
                    .and_then(|d| registrable_domain(&d)),
            ),
            website_domain: usable(lead.website.as_deref().and_then(registrable_domain)),
            email,
            company: lead.company.as_deref().and_then(normalize_company),
            company_raw: lead.company.clone(),
        }
    }
}

/// True when a registrable domain may identify a company: not free-mail (built-in
/// or configured) and not one of the user's own domains.
pub(crate) fn is_company_domain(domain: &str, opts: &MatchOptions) -> bool {
    let listed = |list: &[String]| {
        list.iter()
            .filter_map(|d| registrable_domain(d))
            .any(|d| d == domain)
    };
    !is_free_mail(domain) && !listed(&opts.free_mail_domains) && !listed(&opts.own_domains)
}

/// What an account is matched on (computed once per account by [`super::MatchIndex`]).
#[derive(Debug, Clone)]
pub(crate) struct AccountKeys {
    /// Registrable domains of `domains` and `website`.
    pub domains: BTreeSet<String>,
    /// Normalized name.
    pub name: Option<String>,
}

impl AccountKeys {
    pub fn new(account: &Account) -> Self {
        let domains = account
            .domains
            .iter()
            .chain(account.website.as_ref())
            .filter_map(|d| registrable_domain(d))
            .collect();
        AccountKeys {
            domains,
            name: normalize_company(&account.name),
        }
    }

    /// The account-level evidence for a lead (`account` is the record these keys are of).
    pub fn evidence(&self, account: &Account, lead: &LeadKeys) -> Vec<MatchReason> {
        let mut out = Vec::new();
        if let Some(d) = &lead.website_domain
            && self.domains.contains(d)
        {
            out.push(MatchReason {
                code: ReasonCode::DomainWebsite,
                value: d.clone(),
                text: format!("the lead's website domain {d} is a domain of the account"),
            });
        }
        if let Some(d) = &lead.email_domain
            && self.domains.contains(d)
        {
            out.push(MatchReason {
                code: ReasonCode::DomainEmail,
                value: d.clone(),
                text: format!("the lead's e-mail domain {d} is a domain of the account"),
            });
        }
        if let (Some(key), Some(name)) = (&lead.company, &self.name)
            && key == name
        {
            out.push(MatchReason {
                code: ReasonCode::CompanyName,
                value: key.clone(),
                text: format!(
                    "company {:?} matches account name {:?}",
                    lead.company_raw.as_deref().unwrap_or_default(),
                    account.name
                ),
            });
        }
        out
    }
}

/// `first last`, folded, when both parts are present.
pub(crate) fn person_key(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let fold = |s: &str| {
        use unicode_normalization::UnicodeNormalization;
        // NFKC leaves ASCII unchanged.
        let t = if s.is_ascii() {
            s.to_ascii_lowercase()
        } else {
            s.nfkc().collect::<String>().to_lowercase()
        };
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let (first, last) = (fold(first?), fold(last?));
    (!first.is_empty() && !last.is_empty()).then(|| format!("{first} {last}"))
}
