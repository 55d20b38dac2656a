//! Account ownership: a lead that matches an existing account goes to that
//! account's owner. Matching itself is the conversion module's job; routing
//! only needs this seam, so hosts and tests can plug in any matcher.

use serde::{Deserialize, Serialize};

use crate::model::Lead;

/// An existing account a lead belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountMatch {
    pub account_id: String,
    /// The account owner (a rep id), if the account has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default)]
    pub is_customer: bool,
}

/// Finds the existing account of a lead.
pub trait AccountMatcher: Send + Sync {
    fn match_account(&self, lead: &Lead) -> Option<AccountMatch>;
}

impl<F> AccountMatcher for F
where
    F: Fn(&Lead) -> Option<AccountMatch> + Send + Sync,
{
    fn match_account(&self, lead: &Lead) -> Option<AccountMatch> {
        self(lead)
    }
}

/// The standard matcher: [`crate::convert::match_lead`] against known accounts
/// and contacts; the best account at or above `min_confidence` wins.
#[derive(Debug, Clone)]
pub struct ExistingAccounts {
    accounts: Vec<crate::model::Account>,
    contacts: Vec<crate::model::Contact>,
    options: crate::convert::MatchOptions,
    min_confidence: f64,
}

impl ExistingAccounts {
    /// Matches against `accounts` (and `contacts`, whose e-mails point to their
    /// account); by default a match needs a confidence of at least 0.7 (an exact
    /// company name, or any domain evidence).
    pub fn new(accounts: Vec<crate::model::Account>, contacts: Vec<crate::model::Contact>) -> Self {
        ExistingAccounts {
            accounts,
            contacts,
            options: crate::convert::MatchOptions::default(),
            min_confidence: 0.7,
        }
    }

    #[must_use]
    pub fn with_options(mut self, options: crate::convert::MatchOptions) -> Self {
        self.options = options;
        self
    }

    #[must_use]
    pub fn with_min_confidence(mut self, min: f64) -> Self {
        self.min_confidence = min;
        self
    }
}

impl AccountMatcher for ExistingAccounts {
    fn match_account(&self, lead: &Lead) -> Option<AccountMatch> {
        let matches =
            crate::convert::match_lead(lead, &self.accounts, &self.contacts, &self.options);
        let best = matches
            .best_account()
            .filter(|c| c.confidence >= self.min_confidence)?;
        let account = self.accounts.iter().find(|a| a.id == best.id)?;
        Some(AccountMatch {
            account_id: account.id.clone(),
            owner: account.owner.clone(),
            is_customer: account.is_customer,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Account;
    use crate::time::parse_timestamp;

    #[test]
    fn matches_by_email_domain_through_convert() {
        let mut acme = Account::new("A1", "Acme Inc");
        acme.domains = vec!["acme.com".into()];
        acme.owner = Some("ana".into());
        acme.is_customer = true;
        let m = ExistingAccounts::new(vec![acme], Vec::new());
        let mut lead = Lead::new("L", parse_timestamp("2026-03-02T09:00:00Z").unwrap());
        lead.email = Some("bob@acme.com".into());
        let got = m.match_account(&lead).unwrap();
        assert_eq!(
            (
                got.account_id.as_str(),
                got.owner.as_deref(),
                got.is_customer
            ),
            ("A1", Some("ana"), true)
        );
        lead.email = Some("bob@gmail.com".into());
        assert_eq!(m.match_account(&lead), None);
    }
}
