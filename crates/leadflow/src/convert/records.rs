//! Lookup of existing records by id, over plain slices (one lead) or a
//! [`MatchIndex`] (batches, where a scan per lead would be quadratic).

use super::index::MatchIndex;
use crate::model::{Account, Contact};

#[derive(Debug, Clone, Copy)]
pub(crate) enum Records<'r> {
    Slices(&'r [Account], &'r [Contact]),
    Index(&'r MatchIndex<'r>),
}

impl<'r> Records<'r> {
    /// The first account with this id.
    pub fn account(self, id: &str) -> Option<&'r Account> {
        match self {
            Records::Slices(accounts, _) => accounts.iter().find(|a| a.id == id),
            Records::Index(index) => index.account(id),
        }
    }

    /// The first contact with this id.
    pub fn contact(self, id: &str) -> Option<&'r Contact> {
        match self {
            Records::Slices(_, contacts) => contacts.iter().find(|c| c.id == id),
            Records::Index(index) => index.contact(id),
        }
    }
}
