//! [`CompactMap`]: the small JSON objects carried by every activity (`meta`
//! and unknown fields), kept as one boxed slice.
//!
//! A lead carries tens to hundreds of activities, each with a one- or two-entry
//! `meta`. As a `serde_json::Map` (an index map: a hash table plus a 72-byte
//! `Value` per entry) each costs a few hundred bytes; here an entry costs 32
//! bytes plus its text, since almost every `meta` value is a string. Order and
//! duplicates behave as in `serde_json::Map` with `preserve_order`: keys keep
//! the order they were read in, and a key read twice keeps its first place and
//! its last value.

use std::borrow::Cow;
use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// One value: a string inline, anything else boxed.
#[derive(Clone, PartialEq)]
enum Slot {
    Str(Box<str>),
    Json(Box<Value>),
}

impl Slot {
    fn of(v: Value) -> Self {
        match v {
            Value::String(s) => Slot::Str(s.into_boxed_str()),
            other => Slot::Json(Box::new(other)),
        }
    }

    fn value(&self) -> Cow<'_, Value> {
        match self {
            Slot::Str(s) => Cow::Owned(Value::String(s.to_string())),
            Slot::Json(v) => Cow::Borrowed(v),
        }
    }
}

/// A small JSON object, in the order its keys were first written.
#[derive(Clone, Default)]
pub struct CompactMap(Box<[(Box<str>, Slot)]>);

/// Equal as JSON objects are: the same entries, in any order (as `serde_json::Map`).
impl PartialEq for CompactMap {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .all(|(k, v)| other.slot(k).is_some_and(|w| w == v))
    }
}

impl CompactMap {
    pub fn new() -> Self {
        CompactMap::default()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn slot(&self, key: &str) -> Option<&Slot> {
        self.0.iter().find(|(k, _)| &**k == key).map(|(_, s)| s)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.slot(key).is_some()
    }

    /// The value at `key` when it is a string (no allocation).
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.slot(key)? {
            Slot::Str(s) => Some(s),
            Slot::Json(_) => None,
        }
    }

    /// The value at `key` (strings are materialised as a `Value` on demand).
    pub fn get(&self, key: &str) -> Option<Cow<'_, Value>> {
        self.slot(key).map(Slot::value)
    }

    /// Sets `key` (keeping its place when present), returning its previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        let slot = Slot::of(value);
        if let Some(e) = self.0.iter_mut().find(|(k, _)| **k == *key) {
            return Some(std::mem::replace(&mut e.1, slot).value().into_owned());
        }
        let mut v = std::mem::take(&mut self.0).into_vec();
        v.push((key.into_boxed_str(), slot));
        self.0 = v.into_boxed_slice();
        None
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.0.iter().position(|(k, _)| &**k == key)?;
        let mut v = std::mem::take(&mut self.0).into_vec();
        let (_, slot) = v.remove(i);
        self.0 = v.into_boxed_slice();
        Some(slot.value().into_owned())
    }

    /// Entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Cow<'_, Value>)> {
        self.0.iter().map(|(k, s)| (&**k, s.value()))
    }

    /// The same entries as a `serde_json::Map`.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.into_owned()))
            .collect()
    }
}

impl fmt::Debug for CompactMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>> FromIterator<(K, Value)> for CompactMap {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut m: Vec<(Box<str>, Slot)> = Vec::new();
        for (k, v) in iter {
            let k: String = k.into();
            let slot = Slot::of(v);
            match m.iter_mut().find(|(have, _)| **have == *k) {
                Some(e) => e.1 = slot,
                None => m.push((k.into_boxed_str(), slot)),
            }
        }
        CompactMap(m.into_boxed_slice())
    }
}

impl From<Map<String, Value>> for CompactMap {
    fn from(map: Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

impl Serialize for CompactMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, slot) in &*self.0 {
            match slot {
                Slot::Str(v) => m.serialize_entry(&**k, &**v)?,
                Slot::Json(v) => m.serialize_entry(&**k, &**v)?,
            }
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for CompactMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CompactMap;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<CompactMap, A::Error> {
                let mut v: Vec<(String, Value)> = Vec::with_capacity(a.size_hint().unwrap_or(0));
                while let Some(e) = a.next_entry()? {
                    v.push(e);
                }
                Ok(v.into_iter().collect())
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_and_writes_like_a_json_map() {
        let text = r#"{"url":"/pricing","b":1,"a":{"x":[1,2]},"b":"two"}"#;
        let ours: CompactMap = serde_json::from_str(text).unwrap();
        let theirs: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        assert_eq!(ours.get_str("b"), Some("two"));
        assert_eq!(ours.get("a").as_deref(), Some(&json!({"x": [1, 2]})));
        assert_eq!(ours.get_str("a"), None);
        assert_eq!(ours.to_map(), theirs);
        assert_eq!(CompactMap::from(theirs), ours);
    }

    #[test]
    fn insert_and_remove_keep_the_first_place_of_a_key() {
        let mut m = CompactMap::new();
        assert_eq!(m.insert("url", json!("/a")), None);
        assert_eq!(m.insert("form", json!(1)), None);
        assert_eq!(m.insert("url", json!("/b")), Some(json!("/a")));
        assert_eq!(
            m.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            ["url", "form"]
        );
        assert_eq!(m.remove("form"), Some(json!(1)));
        assert_eq!(m.remove("form"), None);
        assert_eq!(m.len(), 1);
        assert!(m.contains_key("url"));
    }

    #[test]
    fn equal_as_json_objects_whatever_the_order() {
        let a: CompactMap = serde_json::from_str(r#"{"url":"/a","n":1}"#).unwrap();
        let b: CompactMap = serde_json::from_str(r#"{"n":1,"url":"/a"}"#).unwrap();
        let c: CompactMap = serde_json::from_str(r#"{"n":1,"url":"/b"}"#).unwrap();
        let d: CompactMap = serde_json::from_str(r#"{"n":1}"#).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
        assert_ne!(d, a);
    }

    #[test]
    fn rejects_what_is_not_an_object() {
        assert!(serde_json::from_str::<CompactMap>("[1]").is_err());
    }

    #[test]
    fn an_entry_costs_far_less_than_a_map_entry() {
        assert_eq!(std::mem::size_of::<CompactMap>(), 16);
        assert!(std::mem::size_of::<(Box<str>, Slot)>() <= 32);
        assert!(std::mem::size_of::<Value>() >= 72);
    }
}
