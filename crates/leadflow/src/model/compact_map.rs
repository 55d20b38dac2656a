//! [`CompactMap`]: the small JSON objects carried by every activity (`meta`
//! and unknown fields), with the first entry inline.
//!
//! A lead carries tens to hundreds of activities, each with a one- or two-entry
//! `meta`. As a `serde_json::Map` (an index map: a hash table plus a 72-byte
//! `Value` per entry) each costs a few hundred bytes; here an entry costs 48
//! bytes, the first one inside the map itself, with keys and short strings
//! inline: scoring reads `meta.url` of a one-entry `meta` without following a
//! pointer (a cache miss per activity otherwise), since almost every `meta` is
//! one short string. Order and
//! duplicates behave as in `serde_json::Map` with `preserve_order`: keys keep
//! the order they were read in, and a key read twice keeps its first place and
//! its last value.

use std::borrow::Cow;
use std::fmt;

use compact_str::CompactString;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use smallvec::SmallVec;

/// One value: a string inline (when short), anything else boxed.
#[derive(Clone, PartialEq)]
enum Slot {
    Str(CompactString),
    Json(Box<Value>),
}

impl Slot {
    fn of(v: Value) -> Self {
        match v {
            Value::String(s) => Slot::Str(CompactString::from(s)),
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

/// A borrowed value of a [`CompactMap`]. A string is always `Str`, never a
/// `Json` holding a string, so equal values have equal variants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ValueRef<'a> {
    Str(&'a str),
    Json(&'a Value),
}

/// A small JSON object, in the order its keys were first written, with its
/// first `N` entries inline (`meta` keeps one; an activity's unknown fields,
/// almost always none, keep none and cost 24 bytes).
#[derive(Clone, Default)]
pub struct CompactMap<const N: usize = 1>(Entries<N>);

type Entries<const N: usize> = SmallVec<[(CompactString, Slot); N]>;

/// Equal as JSON objects are: the same entries, in any order (as `serde_json::Map`).
impl<const N: usize> PartialEq for CompactMap<N> {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len()
            && self
                .0
                .iter()
                .all(|(k, v)| other.slot(k).is_some_and(|w| w == v))
    }
}

impl CompactMap {
    /// An empty map (one entry inline; `CompactMap::<0>::default()` for none).
    pub fn new() -> Self {
        CompactMap::default()
    }
}

impl<const N: usize> CompactMap<N> {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn slot(&self, key: &str) -> Option<&Slot> {
        let key = key.as_bytes();
        self.0
            .iter()
            .find(|(k, _)| crate::bytes::eq(k.as_bytes(), key))
            .map(|(_, s)| s)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.slot(key).is_some()
    }

    /// The value at `key` when it is a string (no allocation).
    pub fn get_str(&self, key: &str) -> Option<&str> {
        match self.slot(key)? {
            Slot::Str(s) => Some(s.as_str()),
            Slot::Json(_) => None,
        }
    }

    /// The value at `key` (strings are materialised as a `Value` on demand).
    pub fn get(&self, key: &str) -> Option<Cow<'_, Value>> {
        self.slot(key).map(Slot::value)
    }

    /// Sets `key` (keeping its place when present), returning its previous value.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key: String = key.into();
        let slot = Slot::of(value);
        if let Some(e) = self.0.iter_mut().find(|(k, _)| *k == key) {
            return Some(std::mem::replace(&mut e.1, slot).value().into_owned());
        }
        self.0.push((CompactString::from(key), slot));
        None
    }

    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.0.iter().position(|(k, _)| k == key)?;
        let (_, slot) = self.0.remove(i);
        Some(slot.value().into_owned())
    }

    /// Entries in order, borrowed: a string stays a `&str` (no `Value` built).
    pub fn iter_refs(&self) -> impl ExactSizeIterator<Item = (&str, ValueRef<'_>)> {
        self.0.iter().map(|(k, s)| {
            let v = match s {
                Slot::Str(v) => ValueRef::Str(v.as_str()),
                Slot::Json(v) => ValueRef::Json(v),
            };
            (k.as_str(), v)
        })
    }

    /// Entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, Cow<'_, Value>)> {
        self.0.iter().map(|(k, s)| (k.as_str(), s.value()))
    }

    /// The same entries as a `serde_json::Map`.
    pub fn to_map(&self) -> Map<String, Value> {
        self.iter()
            .map(|(k, v)| (k.to_owned(), v.into_owned()))
            .collect()
    }
}

impl<const N: usize> fmt::Debug for CompactMap<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<String>, const N: usize> FromIterator<(K, Value)> for CompactMap<N> {
    fn from_iter<I: IntoIterator<Item = (K, Value)>>(iter: I) -> Self {
        let mut m = Entries::new();
        for (k, v) in iter {
            put(&mut m, CompactString::from(k.into()), Slot::of(v));
        }
        CompactMap(m)
    }
}

/// Adds an entry as a JSON map with `preserve_order` would: a key seen before
/// keeps its first place and takes the new value.
fn put<const N: usize>(m: &mut Entries<N>, key: CompactString, slot: Slot) {
    match m.iter_mut().find(|(have, _)| *have == key) {
        Some(e) => e.1 = slot,
        None => m.push((key, slot)),
    }
}

impl<const N: usize> From<Map<String, Value>> for CompactMap<N> {
    fn from(map: Map<String, Value>) -> Self {
        map.into_iter().collect()
    }
}

impl<const N: usize> Serialize for CompactMap<N> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, slot) in &*self.0 {
            match slot {
                Slot::Str(v) => m.serialize_entry(k.as_str(), v.as_str())?,
                Slot::Json(v) => m.serialize_entry(k.as_str(), &**v)?,
            }
        }
        m.end()
    }
}

impl<'de, const N: usize> Deserialize<'de> for CompactMap<N> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const N: usize>;
        impl<'de, const N: usize> Visitor<'de> for V<N> {
            type Value = CompactMap<N>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<CompactMap<N>, A::Error> {
                let mut m = Entries::new();
                while let Some((k, slot)) = a.next_entry::<CompactString, Slot>()? {
                    put(&mut m, k, slot);
                }
                Ok(CompactMap(m))
            }
        }
        d.deserialize_map(V::<N>)
    }
}

/// A value read straight into its slot: a string never becomes a `Value`
/// first, and anything else reads exactly as `serde_json::Value` reads it.
impl<'de> Deserialize<'de> for Slot {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        fn json(v: Value) -> Slot {
            Slot::Json(Box::new(v))
        }
        impl<'de> Visitor<'de> for V {
            type Value = Slot;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, s: &str) -> Result<Slot, E> {
                Ok(Slot::Str(CompactString::from(s)))
            }
            fn visit_string<E>(self, s: String) -> Result<Slot, E> {
                Ok(Slot::Str(CompactString::from(s)))
            }
            fn visit_bool<E>(self, b: bool) -> Result<Slot, E> {
                Ok(json(Value::Bool(b)))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Slot, E> {
                Ok(json(Value::from(n)))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Slot, E> {
                Ok(json(Value::from(n)))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Slot, E> {
                // As `Value` reads it: a number that is not finite is null.
                Ok(json(
                    serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number),
                ))
            }
            fn visit_unit<E>(self) -> Result<Slot, E> {
                Ok(json(Value::Null))
            }
            fn visit_none<E>(self) -> Result<Slot, E> {
                Ok(json(Value::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Slot, D::Error> {
                Value::deserialize(d).map(Slot::of)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, a: A) -> Result<Slot, A::Error> {
                Value::deserialize(SeqAccessDeserializer::new(a)).map(Slot::of)
            }
            fn visit_map<A: MapAccess<'de>>(self, a: A) -> Result<Slot, A::Error> {
                Value::deserialize(MapAccessDeserializer::new(a)).map(Slot::of)
            }
        }
        d.deserialize_any(V)
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
    fn every_json_value_reads_as_a_json_map_reads_it() {
        let text = r#"{"a":1.5,"b":-3,"c":18446744073709551615,"d":null,"e":true,
            "f":[1,{"x":"y"}],"g":"a string longer than twenty-four bytes, é","h":"",
            "i":-0.0,"a":0.1}"#;
        let ours: CompactMap = serde_json::from_str(text).unwrap();
        let theirs: Map<String, Value> = serde_json::from_str(text).unwrap();
        assert_eq!(ours.to_map(), theirs);
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
        let via_value: CompactMap = serde_json::from_value(Value::Object(theirs)).unwrap();
        assert_eq!(via_value, ours);
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
        assert!(std::mem::size_of::<CompactMap>() <= 56);
        assert!(std::mem::size_of::<CompactMap<0>>() <= 24);
        assert!(std::mem::size_of::<(CompactString, Slot)>() <= 48);
        assert!(std::mem::size_of::<Value>() >= 72);
    }
}
