//! Matching a lead to existing contacts and accounts.
//!
//! Evidence is collected as [`MatchReason`]s, each with a fixed weight, and
//! combined per candidate as a noisy-OR (`1 - Π(1 - w)`): two independent
//! signals (domain and name) give more confidence than either alone, and no
//! amount of evidence reaches 1. Each reason code counts once per candidate.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::evidence::Evidence;
use super::keys::{AccountKeys, person_key};
use crate::model::{Account, Contact, Lead};

/// Options of [`match_lead`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchOptions {
    /// Your own company's domains: leads from them (colleagues, test sign-ups)
    /// never match an account by domain. Subdomains are covered.
    pub own_domains: Vec<String>,
    /// Free-mail domains on top of the built-in list ([`crate::normalize::FREE_MAIL_DOMAINS`]).
    pub free_mail_domains: Vec<String>,
    /// Candidates with a lower confidence are left out.
    pub min_confidence: f64,
    /// At most this many candidates of each kind are returned.
    pub max_candidates: usize,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            own_domains: Vec::new(),
            free_mail_domains: Vec::new(),
            min_confidence: 0.0,
            max_candidates: 10,
        }
    }
}

/// Machine-readable kind of a piece of matching evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Contact: its normalized e-mail equals the lead's.
    EmailExact,
    /// Contact: same first and last name, at an account the lead matches.
    PersonName,
    /// Account: it is the account of a contact whose e-mail equals the lead's.
    ContactAccount,
    /// Account: one of its domains is the registrable domain of the lead's website.
    DomainWebsite,
    /// Account: one of its domains is the registrable domain of the lead's e-mail.
    DomainEmail,
    /// Account: its normalized name equals the lead's normalized company.
    CompanyName,
}

impl ReasonCode {
    /// The weight of this evidence alone (its confidence when it is the only reason).
    pub const fn weight(self) -> f64 {
        match self {
            ReasonCode::EmailExact => 0.99,
            ReasonCode::ContactAccount => 0.9,
            ReasonCode::DomainWebsite => 0.85,
            ReasonCode::DomainEmail => 0.8,
            ReasonCode::CompanyName => 0.7,
            ReasonCode::PersonName => 0.5,
        }
    }
}

/// One piece of evidence for a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchReason {
    pub code: ReasonCode,
    /// The normalized value that matched (`acme.com`, `jane@acme.com`, `acme`).
    pub value: String,
    /// Human-readable explanation.
    pub text: String,
}

/// An existing record the lead may correspond to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: String,
    /// 0 to 1, rounded to 4 decimals.
    pub confidence: f64,
    pub reasons: Vec<MatchReason>,
}

/// Ranked candidates (confidence descending, then id ascending).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Matches {
    pub contacts: Vec<Candidate>,
    pub accounts: Vec<Candidate>,
}

impl Matches {
    /// The best contact candidate, if any.
    pub fn best_contact(&self) -> Option<&Candidate> {
        self.contacts.first()
    }
    /// The best account candidate, if any.
    pub fn best_account(&self) -> Option<&Candidate> {
        self.accounts.first()
    }
}

/// Ranks the existing contacts and accounts a lead may correspond to.
///
/// Rules: an equal normalized e-mail matches a contact (and its account); the
/// registrable domain of the lead's e-mail and of its website match accounts
/// owning that domain (in `domains` or `website`); an equal normalized company
/// name matches an account. Free-mail domains and `own_domains` are never used
/// as domain evidence. Records without any evidence are not candidates.
///
/// This scans (and normalizes) every record: right for one lead. For a batch,
/// build a [`super::MatchIndex`] once; it gives the same `Matches`.
pub fn match_lead(
    lead: &Lead,
    accounts: &[Account],
    contacts: &[Contact],
    opts: &MatchOptions,
) -> Matches {
    let mut evidence = Evidence::new(lead, opts);
    for account in accounts {
        evidence.account(account, &AccountKeys::new(account));
    }
    evidence.seal_accounts();
    for contact in contacts {
        let email = contact
            .email
            .as_deref()
            .and_then(crate::normalize::normalize_email);
        let person = person_key(contact.first_name.as_deref(), contact.last_name.as_deref());
        evidence.contact(contact, email.as_deref(), person.as_deref());
    }
    let known: BTreeSet<&str> = accounts.iter().map(|a| a.id.as_str()).collect();
    evidence.finish(|id| known.contains(id), opts)
}

#[cfg(test)]
mod tests;
