//! Group keys (source, campaign, owner, segment) and the mergeable group maps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::facts::LeadFacts;

/// Key of records that lack the grouping field.
pub const NONE_KEY: &str = "(none)";

/// A partial aggregate that two partitions can combine. Merging must be exact:
/// any split of the input, merged in any order, gives the same value.
pub trait Merge {
    fn merge(&mut self, other: &Self);
}

/// The group keys of one lead.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeadKeys<'a> {
    pub source: &'a str,
    pub campaign: &'a str,
    pub owner: &'a str,
    pub segment: &'a str,
}

impl<'a> LeadKeys<'a> {
    pub fn of<L: LeadFacts + ?Sized>(lead: &'a L, segment_field: &str) -> Self {
        LeadKeys {
            source: lead.source().unwrap_or(NONE_KEY),
            campaign: lead.campaign().unwrap_or(NONE_KEY),
            owner: lead.owner().unwrap_or(NONE_KEY),
            segment: segment(lead, segment_field),
        }
    }
}

/// `custom[segment_field]` when it is a string, else a band of `employees`.
fn segment<'a, L: LeadFacts + ?Sized>(lead: &'a L, field: &str) -> &'a str {
    if let Some(s) = lead.custom_str(field) {
        return s;
    }
    match lead.employees() {
        Some(n) if n >= 1_000 => "enterprise",
        Some(n) if n >= 100 => "mid_market",
        Some(_) => "smb",
        None => NONE_KEY,
    }
}

/// The value for `key`, inserted (default) when missing; allocates only on insert.
pub(crate) fn slot<'m, T: Default>(map: &'m mut BTreeMap<String, T>, key: &str) -> &'m mut T {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), T::default());
    }
    map.get_mut(key)
        .unwrap_or_else(|| unreachable!("inserted above"))
}

/// Merges `other` into `map` key by key.
pub(crate) fn merge_map<T: Merge + Default + Clone>(
    map: &mut BTreeMap<String, T>,
    other: &BTreeMap<String, T>,
) {
    for (k, v) in other {
        match map.get_mut(k) {
            Some(mine) => mine.merge(v),
            None => {
                map.insert(k.clone(), v.clone());
            }
        }
    }
}

/// One partial aggregate for all leads and one per source, campaign, owner and segment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Breakdown<T> {
    pub total: T,
    pub by_source: BTreeMap<String, T>,
    pub by_campaign: BTreeMap<String, T>,
    pub by_owner: BTreeMap<String, T>,
    pub by_segment: BTreeMap<String, T>,
}

impl<T: Default> Breakdown<T> {
    /// Applies `f` to the total and to the lead's group in every breakdown.
    pub(crate) fn add(&mut self, keys: &LeadKeys<'_>, mut f: impl FnMut(&mut T)) {
        f(&mut self.total);
        f(slot(&mut self.by_source, keys.source));
        f(slot(&mut self.by_campaign, keys.campaign));
        f(slot(&mut self.by_owner, keys.owner));
        f(slot(&mut self.by_segment, keys.segment));
    }

    /// Maps every group with `f(key, value)`; groups come out sorted by key and
    /// the total is named `all`.
    pub(crate) fn map<U>(&self, mut f: impl FnMut(&str, &T) -> U) -> Grouped<U> {
        let total = f("all", &self.total);
        let mut list = |m: &BTreeMap<String, T>| m.iter().map(|(k, v)| f(k, v)).collect();
        Grouped {
            total,
            by_source: list(&self.by_source),
            by_campaign: list(&self.by_campaign),
            by_owner: list(&self.by_owner),
            by_segment: list(&self.by_segment),
        }
    }
}

/// A finished result for all leads and per group (lists sorted by key).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grouped<U> {
    pub total: U,
    pub by_source: Vec<U>,
    pub by_campaign: Vec<U>,
    pub by_owner: Vec<U>,
    pub by_segment: Vec<U>,
}

impl<T: Merge + Default + Clone> Merge for Breakdown<T> {
    fn merge(&mut self, other: &Self) {
        self.total.merge(&other.total);
        merge_map(&mut self.by_source, &other.by_source);
        merge_map(&mut self.by_campaign, &other.by_campaign);
        merge_map(&mut self.by_owner, &other.by_owner);
        merge_map(&mut self.by_segment, &other.by_segment);
    }
}

/// `num / den`, or `None` when `den` is zero.
pub(crate) fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}
