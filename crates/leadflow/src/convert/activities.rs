//! Copying a lead's activities to a contact or opportunity without duplicates.
//!
//! An activity is a duplicate when its JSON equals the JSON of one already in
//! the list (as conversion always defined it). Activities are bucketed by a
//! hash of their typed fields that equal JSON always shares, and compared only
//! within a bucket: linear in the activities instead of quadratic, and no JSON
//! is built.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use foldhash::fast::FixedState;
use serde_json::{Map, Value};
use smallvec::SmallVec;

use crate::model::{Activity, CompactMap, ValueRef};

/// Buckets of list positions by key: the keys are hashes already, and most
/// buckets hold one activity.
type Buckets = HashMap<u64, SmallVec<[usize; 2]>, foldhash::fast::RandomState>;

/// A lead's activities with their keys (`None` for an odd one), computed once
/// for every list they are appended to.
pub(crate) struct NewActivities<'a> {
    activities: &'a [Activity],
    keys: Vec<Option<u64>>,
}

impl<'a> NewActivities<'a> {
    pub fn new(activities: &'a [Activity]) -> Self {
        let hasher = hasher();
        NewActivities {
            activities,
            keys: activities
                .iter()
                .map(|a| (!is_odd(a)).then(|| key(&hasher, a)))
                .collect(),
        }
    }
}

fn hasher() -> FixedState {
    FixedState::with_seed(0x1ead_f10e)
}

/// Appends the activities of `new` that `list` does not hold yet (nor an
/// earlier one of `new`); returns how many were added.
pub(crate) fn append_new(list: &mut Vec<Activity>, new: &NewActivities<'_>) -> usize {
    if new.activities.is_empty() {
        return 0;
    }
    let hasher = hasher();
    let mut buckets = Buckets::with_capacity_and_hasher(
        list.len() + new.activities.len(),
        foldhash::fast::RandomState::default(),
    );
    // Activities whose unknown fields shadow `type`, `at` or `meta`: compared as JSON.
    let mut odd: Vec<usize> = Vec::new();
    for (i, a) in list.iter().enumerate() {
        if is_odd(a) {
            odd.push(i);
        } else {
            buckets.entry(key(&hasher, a)).or_default().push(i);
        }
    }
    let mut added = 0;
    for (a, k) in new.activities.iter().zip(&new.keys) {
        let duplicate = match k {
            None => {
                let json = to_json(a);
                list.iter().any(|b| to_json(b) == json)
            }
            Some(k) => {
                buckets
                    .get(k)
                    .is_some_and(|ids| ids.iter().any(|&i| plain_eq(a, &list[i])))
                    || (!odd.is_empty() && {
                        let json = to_json(a);
                        odd.iter().any(|&i| to_json(&list[i]) == json)
                    })
            }
        };
        if duplicate {
            continue;
        }
        let i = list.len();
        list.push(a.clone());
        match k {
            None => odd.push(i),
            Some(k) => buckets.entry(*k).or_default().push(i),
        }
        added += 1;
    }
    added
}

/// Unknown fields are written after the known ones: one named like a known
/// field replaces it in the JSON.
fn is_odd(a: &Activity) -> bool {
    !a.extra.is_empty()
        && ["type", "at", "meta"]
            .iter()
            .any(|k| a.extra.contains_key(k))
}

fn to_json(a: &Activity) -> Value {
    serde_json::to_value(a).unwrap_or(Value::Null)
}

/// JSON equality of two activities that are not odd: their JSON objects are
/// `type`, `at` (its text: the instant and the offset), `meta` when not empty,
/// and the unknown fields, with no key in common.
fn plain_eq(a: &Activity, b: &Activity) -> bool {
    a.kind == b.kind
        && a.at == b.at
        && a.at.offset() == b.at.offset()
        && a.meta == b.meta
        && a.extra == b.extra
}

/// A hash that [`plain_eq`] activities share.
fn key(hasher: &FixedState, a: &Activity) -> u64 {
    let mut h = hasher.build_hasher();
    a.kind.hash(&mut h);
    a.at.timestamp().hash(&mut h);
    a.at.timestamp_subsec_nanos().hash(&mut h);
    a.at.offset().local_minus_utc().hash(&mut h);
    compact_hash(hasher, &a.meta).hash(&mut h);
    compact_hash(hasher, &a.extra).hash(&mut h);
    h.finish()
}

/// Order-insensitive (JSON objects compare without order).
fn map_hash(hasher: &FixedState, map: &Map<String, Value>) -> u64 {
    entries_hash(
        hasher,
        map.len(),
        map.iter().map(|(k, v)| (k.as_str(), ValueRef::Json(v))),
    )
}

fn compact_hash<const N: usize>(hasher: &FixedState, map: &CompactMap<N>) -> u64 {
    entries_hash(hasher, map.len(), map.iter_refs())
}

fn entries_hash<'a>(
    hasher: &FixedState,
    len: usize,
    entries: impl Iterator<Item = (&'a str, ValueRef<'a>)>,
) -> u64 {
    entries.fold(len as u64, |acc, (k, v)| {
        let mut h = hasher.build_hasher();
        k.hash(&mut h);
        match v {
            // As `value_hash` hashes `Value::String`, without building one.
            ValueRef::Str(s) => (5u8, s).hash(&mut h),
            ValueRef::Json(v) => value_hash(hasher, v, &mut h),
        }
        acc.wrapping_add(h.finish())
    })
}

/// A hash equal JSON values share (numbers compare by kind and value, `0.0 == -0.0`).
fn value_hash(hasher: &FixedState, v: &Value, h: &mut impl Hasher) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                (2u8, u).hash(h);
            } else if let Some(i) = n.as_i64() {
                (3u8, i).hash(h);
            } else {
                let f = n.as_f64().unwrap_or_default();
                (4u8, if f == 0.0 { 0 } else { f.to_bits() }).hash(h);
            }
        }
        Value::String(s) => (5u8, s).hash(h),
        Value::Array(items) => {
            (6u8, items.len()).hash(h);
            for x in items {
                value_hash(hasher, x, h);
            }
        }
        Value::Object(m) => (7u8, map_hash(hasher, m)).hash(h),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::time::parse_timestamp;

    fn act(kind: &str, at: &str) -> Activity {
        Activity::new(kind, parse_timestamp(at).unwrap())
    }

    /// The definition: an activity is new when no JSON in the list equals its JSON.
    fn by_json(list: &mut Vec<Activity>, new: &[Activity]) -> usize {
        let mut added = 0;
        for a in new {
            if !list.iter().any(|b| to_json(b) == to_json(a)) {
                list.push(a.clone());
                added += 1;
            }
        }
        added
    }

    #[test]
    fn duplicates_are_json_equal_activities() {
        let z = "2026-02-01T00:00:00Z";
        let tokyo = "2026-02-01T09:00:00+09:00";
        let list = vec![
            act("page_view", z).with_meta("url", "/a").with_meta("n", 1),
            act("webinar", z),
        ];
        let mut odd = act("page_view", z);
        odd.extra.insert("type", json!("webinar"));
        let new = [
            // Same JSON, meta in another order: a duplicate.
            act("page_view", z).with_meta("n", 1).with_meta("url", "/a"),
            // The same instant in another offset is another JSON text: new.
            act("webinar", tokyo),
            // 1 and 1.0 are different JSON numbers; 0.0 and -0.0 are not.
            act("page_view", z)
                .with_meta("url", "/a")
                .with_meta("n", 1.0),
            act("x", z).with_meta("f", 0.0),
            act("x", z).with_meta("f", -0.0),
            // Repeated within the new activities.
            act("email_open", z),
            act("email_open", z),
            // An unknown `type` field replaces the kind in the JSON: equals `webinar`.
            odd,
        ];
        let (mut typed, mut json) = (list.clone(), list);
        assert_eq!(
            append_new(&mut typed, &NewActivities::new(&new)),
            by_json(&mut json, &new)
        );
        assert_eq!(typed, json);
        assert_eq!(typed.len(), 6);
    }
}
