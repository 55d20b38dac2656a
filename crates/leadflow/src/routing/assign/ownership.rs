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
