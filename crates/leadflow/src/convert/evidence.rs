//! Collecting and ranking matching evidence. Shared by [`super::match_lead`]
//! (which feeds it every record) and [`super::MatchIndex`] (which feeds it only
//! the records its maps find), so both rank identically.

use std::collections::{BTreeMap, BTreeSet};

use super::keys::{AccountKeys, LeadKeys, person_key};
use super::matching::{Candidate, MatchOptions, MatchReason, Matches, ReasonCode};
use crate::model::{Account, Contact, Lead};

/// The evidence gathered for one lead. Feed accounts first (in input order),
/// then [`Evidence::seal_accounts`], then contacts (in input order).
#[derive(Debug)]
pub(crate) struct Evidence<'r> {
    keys: LeadKeys,
    person: Option<String>,
    accounts: BTreeMap<&'r str, Vec<MatchReason>>,
    contacts: BTreeMap<&'r str, Vec<MatchReason>>,
    /// Accounts with evidence of their own, before contact-derived evidence is added.
    matched_accounts: BTreeSet<&'r str>,
}

impl<'r> Evidence<'r> {
    pub fn new(lead: &Lead, opts: &MatchOptions) -> Self {
        Evidence {
            keys: LeadKeys::new(lead, opts),
            person: person_key(lead.first_name.as_deref(), lead.last_name.as_deref()),
            accounts: BTreeMap::new(),
            contacts: BTreeMap::new(),
            matched_accounts: BTreeSet::new(),
        }
    }

    pub fn keys(&self) -> &LeadKeys {
        &self.keys
    }

    pub fn person(&self) -> Option<&str> {
        self.person.as_deref()
    }

    /// Adds the account-level evidence of one account.
    pub fn account(&mut self, account: &'r Account, keys: &AccountKeys) {
        let reasons = keys.evidence(account, &self.keys);
        if !reasons.is_empty() {
            self.accounts
                .entry(&account.id)
                .or_default()
                .extend(reasons);
        }
    }

    /// Ends the account phase: the accounts matched so far qualify contacts by name.
    pub fn seal_accounts(&mut self) {
        self.matched_accounts = self.accounts.keys().copied().collect();
    }

    /// The accounts matched on their own evidence (after [`Evidence::seal_accounts`]).
    pub fn matched_accounts(&self) -> impl Iterator<Item = &'r str> + '_ {
        self.matched_accounts.iter().copied()
    }

    /// Adds the evidence of one contact, given its normalized e-mail and person key.
    pub fn contact(&mut self, contact: &'r Contact, email: Option<&str>, person: Option<&str>) {
        let mut reasons = Vec::new();
        if let (Some(lead_email), Some(email)) = (&self.keys.email, email)
            && email == lead_email
        {
            reasons.push(MatchReason {
                code: ReasonCode::EmailExact,
                value: lead_email.clone(),
                text: format!("the contact's e-mail equals the lead's ({lead_email})"),
            });
            self.accounts
                .entry(&contact.account_id)
                .or_default()
                .push(MatchReason {
                    code: ReasonCode::ContactAccount,
                    value: contact.id.clone(),
                    text: format!(
                        "account of contact {} whose e-mail equals the lead's",
                        contact.id
                    ),
                });
        }
        if let (Some(lead_person), Some(person)) = (&self.person, person)
            && person == lead_person
            && self.matched_accounts.contains(contact.account_id.as_str())
        {
            reasons.push(MatchReason {
                code: ReasonCode::PersonName,
                value: lead_person.clone(),
                text: format!(
                    "same name as the contact ({lead_person}), at account {} that matches the lead",
                    contact.account_id
                ),
            });
        }
        if !reasons.is_empty() {
            self.contacts
                .entry(&contact.id)
                .or_default()
                .extend(reasons);
        }
    }

    /// Ranks the candidates. Contact evidence may name an account id that is
    /// not among the accounts (`is_known`); only known accounts rank.
    pub fn finish(mut self, is_known: impl Fn(&str) -> bool, opts: &MatchOptions) -> Matches {
        self.accounts.retain(|id, _| is_known(id));
        Matches {
            contacts: rank(self.contacts, opts),
            accounts: rank(self.accounts, opts),
        }
    }
}

/// Noisy-OR of the strongest weight of each reason code.
fn confidence(reasons: &[MatchReason]) -> f64 {
    let mut best: BTreeMap<ReasonCode, f64> = BTreeMap::new();
    for r in reasons {
        best.insert(r.code, r.code.weight());
    }
    let miss: f64 = best.values().map(|w| 1.0 - w).product();
    ((1.0 - miss) * 10_000.0).round() / 10_000.0
}

fn rank(by_id: BTreeMap<&str, Vec<MatchReason>>, opts: &MatchOptions) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = by_id
        .into_iter()
        .map(|(id, mut reasons)| {
            reasons.sort_by(|a, b| a.code.cmp(&b.code).then_with(|| a.value.cmp(&b.value)));
            reasons.dedup_by(|a, b| a.code == b.code && a.value == b.value);
            Candidate {
                id: id.to_owned(),
                confidence: confidence(&reasons),
                reasons,
            }
        })
        .filter(|c| c.confidence >= opts.min_confidence)
        .collect();
    out.sort_by(|a, b| {
        b.confidence
            .total_cmp(&a.confidence)
            .then_with(|| a.id.cmp(&b.id))
    });
    out.truncate(opts.max_candidates);
    out
}
