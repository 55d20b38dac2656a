//! A prebuilt matching index for batches: every account and contact is
//! normalized once, and each lead looks up only the records sharing one of its
//! keys instead of scanning (and re-normalizing) them all.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::evidence::Evidence;
use super::keys::{AccountKeys, person_key};
use super::matching::{MatchOptions, Matches};
use crate::model::{Account, Contact, ConversionRef, Lead};
use crate::normalize::normalize_email;

/// Positions of the records with a key, ascending (input order). Only looked
/// up, never iterated: a fast hash is enough.
type Positions = HashMap<String, Vec<usize>, foldhash::fast::RandomState>;

/// Existing accounts and contacts, normalized once, for matching many leads.
///
/// [`MatchIndex::match_lead`] gives exactly the [`Matches`] of
/// [`super::match_lead`] over the same records and options. The index borrows
/// the records; [`MatchIndex::upsert_account`] and
/// [`MatchIndex::upsert_contact`] (used by [`super::convert_batch`] so later
/// leads see the records earlier ones created) copy them on the first change.
pub struct MatchIndex<'a> {
    accounts: Cow<'a, [Account]>,
    contacts: Cow<'a, [Contact]>,
    opts: MatchOptions,
    account_keys: Vec<AccountKeys>,
    contact_emails: Vec<Option<String>>,
    contact_persons: Vec<Option<String>>,
    accounts_by_id: Positions,
    accounts_by_domain: Positions,
    accounts_by_name: Positions,
    contacts_by_id: Positions,
    contacts_by_email: Positions,
    contacts_by_account: Positions,
    /// Leads converted through this index (a batch), by id: a second copy of the
    /// same lead later in the batch is `AlreadyConverted`, not converted again.
    converted: HashMap<String, ConversionRef>,
    /// Opportunities created through this index: their ids are not created twice.
    opportunities: HashSet<String>,
}

impl std::fmt::Debug for MatchIndex<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchIndex")
            .field("accounts", &self.accounts.len())
            .field("contacts", &self.contacts.len())
            .field("domains", &self.accounts_by_domain.len())
            .field("options", &self.opts)
            .finish_non_exhaustive()
    }
}

impl<'a> MatchIndex<'a> {
    /// Normalizes and indexes `accounts` and `contacts` for matching with `opts`.
    pub fn new(accounts: &'a [Account], contacts: &'a [Contact], opts: &MatchOptions) -> Self {
        let mut index = MatchIndex {
            accounts: Cow::Borrowed(accounts),
            contacts: Cow::Borrowed(contacts),
            opts: opts.clone(),
            account_keys: Vec::with_capacity(accounts.len()),
            contact_emails: Vec::with_capacity(contacts.len()),
            contact_persons: Vec::with_capacity(contacts.len()),
            accounts_by_id: positions_with_capacity(accounts.len()),
            accounts_by_domain: positions_with_capacity(accounts.len()),
            accounts_by_name: positions_with_capacity(accounts.len()),
            contacts_by_id: positions_with_capacity(contacts.len()),
            contacts_by_email: positions_with_capacity(contacts.len()),
            contacts_by_account: positions_with_capacity(accounts.len()),
            converted: HashMap::new(),
            opportunities: HashSet::new(),
        };
        for (i, account) in accounts.iter().enumerate() {
            let keys = AccountKeys::new(account);
            index.add_account_keys(i, &account.id, &keys);
            index.account_keys.push(keys);
        }
        for (i, contact) in contacts.iter().enumerate() {
            let (email, person) = contact_keys(contact);
            index.add_contact_keys(i, &contact.id, &contact.account_id, email.as_deref());
            index.contact_emails.push(email);
            index.contact_persons.push(person);
        }
        index
    }

    /// The matching options the index answers with.
    /// The conversion of a lead converted earlier through this index.
    pub(crate) fn converted_lead(&self, lead_id: &str) -> Option<&ConversionRef> {
        self.converted.get(lead_id)
    }

    /// Whether an earlier conversion through this index created opportunity `id`.
    pub(crate) fn created_opportunity(&self, id: &str) -> bool {
        self.opportunities.contains(id)
    }

    /// Records a converted lead and the opportunity it created.
    pub(crate) fn remember_conversion(&mut self, lead_id: &str, conversion: &ConversionRef) {
        if let Some(o) = &conversion.opportunity_id {
            self.opportunities.insert(o.clone());
        }
        self.converted
            .insert(lead_id.to_owned(), conversion.clone());
    }

    pub fn options(&self) -> &MatchOptions {
        &self.opts
    }

    /// The indexed accounts (input order; upserted ones in place or appended).
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The indexed contacts (input order; upserted ones in place or appended).
    pub fn contacts(&self) -> &[Contact] {
        &self.contacts
    }

    /// The first account with this id.
    pub fn account(&self, id: &str) -> Option<&Account> {
        first(&self.accounts_by_id, id).map(|i| &self.accounts[i])
    }

    /// The first contact with this id.
    pub fn contact(&self, id: &str) -> Option<&Contact> {
        first(&self.contacts_by_id, id).map(|i| &self.contacts[i])
    }

    /// Ranks the indexed contacts and accounts the lead may correspond to;
    /// the same result as [`super::match_lead`] over the indexed records.
    pub fn match_lead(&self, lead: &Lead) -> Matches {
        let mut evidence = Evidence::new(lead, &self.opts);
        let keys = evidence.keys();
        let mut found: Vec<usize> = [&keys.website_domain, &keys.email_domain]
            .into_iter()
            .flatten()
            .flat_map(|d| positions(&self.accounts_by_domain, d))
            .chain(
                keys.company
                    .iter()
                    .flat_map(|c| positions(&self.accounts_by_name, c)),
            )
            .copied()
            .collect();
        // Input order, as a scan would see them: reason texts of duplicate ids stay identical.
        found.sort_unstable();
        found.dedup();
        for i in found {
            evidence.account(&self.accounts[i], &self.account_keys[i]);
        }
        evidence.seal_accounts();

        let mut found: Vec<usize> = evidence
            .keys()
            .email
            .iter()
            .flat_map(|e| positions(&self.contacts_by_email, e))
            .copied()
            .collect();
        if evidence.person().is_some() {
            for account_id in evidence.matched_accounts() {
                found.extend(positions(&self.contacts_by_account, account_id));
            }
        }
        found.sort_unstable();
        found.dedup();
        for i in found {
            evidence.contact(
                &self.contacts[i],
                self.contact_emails[i].as_deref(),
                self.contact_persons[i].as_deref(),
            );
        }
        evidence.finish(|id| self.accounts_by_id.contains_key(id), &self.opts)
    }

    /// Replaces the first account with the same id, or appends it.
    pub fn upsert_account(&mut self, account: Account) {
        let keys = AccountKeys::new(&account);
        let id = account.id.clone();
        let i = if let Some(i) = first(&self.accounts_by_id, &id) {
            let old_keys = std::mem::replace(&mut self.account_keys[i], keys.clone());
            self.remove_account_keys(i, &id, &old_keys);
            self.accounts.to_mut()[i] = account;
            i
        } else {
            self.account_keys.push(keys.clone());
            self.accounts.to_mut().push(account);
            self.accounts.len() - 1
        };
        self.add_account_keys(i, &id, &keys);
    }

    /// Replaces the first contact with the same id, or appends it.
    pub fn upsert_contact(&mut self, contact: Contact) {
        let (email, person) = contact_keys(&contact);
        let (id, account_id) = (contact.id.clone(), contact.account_id.clone());
        let i = if let Some(i) = first(&self.contacts_by_id, &id) {
            let old_account = self.contacts[i].account_id.clone();
            let old_email = self.contact_emails[i].take();
            remove(&mut self.contacts_by_id, &id, i);
            remove(&mut self.contacts_by_account, &old_account, i);
            if let Some(e) = old_email {
                remove(&mut self.contacts_by_email, &e, i);
            }
            self.contact_emails[i].clone_from(&email);
            self.contact_persons[i].clone_from(&person);
            self.contacts.to_mut()[i] = contact;
            i
        } else {
            self.contact_emails.push(email.clone());
            self.contact_persons.push(person);
            self.contacts.to_mut().push(contact);
            self.contacts.len() - 1
        };
        self.add_contact_keys(i, &id, &account_id, email.as_deref());
    }

    fn add_account_keys(&mut self, i: usize, id: &str, keys: &AccountKeys) {
        add(&mut self.accounts_by_id, id, i);
        for d in &keys.domains {
            add(&mut self.accounts_by_domain, d, i);
        }
        if let Some(name) = &keys.name {
            add(&mut self.accounts_by_name, name, i);
        }
    }

    fn remove_account_keys(&mut self, i: usize, id: &str, keys: &AccountKeys) {
        remove(&mut self.accounts_by_id, id, i);
        for d in &keys.domains {
            remove(&mut self.accounts_by_domain, d, i);
        }
        if let Some(name) = &keys.name {
            remove(&mut self.accounts_by_name, name, i);
        }
    }

    fn add_contact_keys(&mut self, i: usize, id: &str, account_id: &str, email: Option<&str>) {
        add(&mut self.contacts_by_id, id, i);
        add(&mut self.contacts_by_account, account_id, i);
        if let Some(e) = email {
            add(&mut self.contacts_by_email, e, i);
        }
    }
}

/// A contact's normalized e-mail and person key.
fn contact_keys(contact: &Contact) -> (Option<String>, Option<String>) {
    (
        contact.email.as_deref().and_then(normalize_email),
        person_key(contact.first_name.as_deref(), contact.last_name.as_deref()),
    )
}

fn positions<'m>(map: &'m Positions, key: &str) -> &'m [usize] {
    map.get(key).map_or(&[], Vec::as_slice)
}

fn first(map: &Positions, key: &str) -> Option<usize> {
    positions(map, key).first().copied()
}

fn positions_with_capacity(n: usize) -> Positions {
    HashMap::with_capacity_and_hasher(n, foldhash::fast::RandomState::default())
}

/// Inserts a position, keeping the list ascending and free of duplicates (the
/// key is copied only when it is new).
fn add(map: &mut Positions, key: &str, i: usize) {
    match map.get_mut(key) {
        Some(list) => {
            if let Err(at) = list.binary_search(&i) {
                list.insert(at, i);
            }
        }
        None => {
            map.insert(key.to_owned(), vec![i]);
        }
    }
}

fn remove(map: &mut Positions, key: &str, i: usize) {
    if let Some(list) = map.get_mut(key) {
        if let Ok(at) = list.binary_search(&i) {
            list.remove(at);
        }
        if list.is_empty() {
            map.remove(key);
        }
    }
}
