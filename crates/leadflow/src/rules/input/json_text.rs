//! [`JsonLead`]: a lead read from JSON text for scoring only, borrowing its
//! strings from the text (owned only where the JSON escapes them) and keeping
//! of each activity its kind, time and string `meta` values, in one list per lead.
//!
//! It vouches only for texts that `Lead::from_json` reads to the same lead:
//! every field is read as the lead's type reads it (the same serde impls, or a
//! visitor that accepts what `serde_json::Value` accepts), so a text it reads is
//! one the lead parser accepts. Whatever it cannot vouch for, it refuses
//! (`None`), and the caller takes the lead parser, which gives the precise error:
//! a key given twice (the value tree keeps the last one), a missing `id` or
//! `created_at`. Stored state (`score`, `history` ...) is read through a value
//! tree, as the lead parser reads it (see `stored`).

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::model::fields::TEXT_FIELDS;
use crate::model::{ConversionRef, QualificationState, ScoreState, Transition};
use crate::rules::define::features::LeadField;
use crate::rules::input::lead_view::{ActivityView, LeadView};
use crate::time::Timestamp;

/// The lead's fields other than its text fields, as serde names them, in the
/// order of [`slot`]'s `Slot::Other`. With `TEXT_FIELDS`, exactly the fields of
/// `Lead` (a test holds them to it): any other key is an unknown field, kept in `extra`.
#[cfg(test)]
const OTHER_FIELDS: [&str; 12] = [
    "id",
    "created_at",
    "employees",
    "annual_revenue",
    "custom",
    "activities",
    "attempts",
    "score",
    "qualification",
    "history",
    "conversion",
    "provenance",
];

/// A `meta` entry: its key and its value when that is a string.
type MetaEntry<'a> = (Cow<'a, str>, Option<Cow<'a, str>>);

/// A lead borrowed from JSON text (see the module docs).
#[derive(Debug)]
pub(crate) struct JsonLead<'a> {
    id: Cow<'a, str>,
    created_at: Timestamp,
    /// Indexed like `TEXT_FIELDS`.
    texts: [Option<Cow<'a, str>>; TEXT_FIELDS.len()],
    employees: Option<u64>,
    annual_revenue: Option<f64>,
    custom: Map<String, Value>,
    extra: Map<String, Value>,
    activities: Vec<JsonActivity<'a>>,
    /// Every activity's `meta` entries, in order; an activity holds its range.
    meta: Vec<MetaEntry<'a>>,
    /// A top-level value is an array or an object (the record is not flat).
    nested: bool,
    /// The lead holds a stored `qualification` (not `null`).
    qualified: bool,
}

#[derive(Debug)]
struct JsonActivity<'a> {
    kind: Cow<'a, str>,
    at: Timestamp,
    meta: Range<usize>,
}

/// One activity of a [`JsonLead`], with its `meta` entries.
#[derive(Debug, Clone, Copy)]
pub(crate) struct JsonActivityRef<'s, 'a> {
    act: &'s JsonActivity<'a>,
    meta: &'s [MetaEntry<'a>],
}

impl<'a> JsonLead<'a> {
    /// The lead in `text`, or `None` when the lead parser must read it (the
    /// text is not a lead, or one this reader does not vouch for).
    pub fn read(text: &'a str) -> Option<Self> {
        Self::read_with(text, &mut |_| true)
    }

    /// [`read`](Self::read), refusing a text with a top-level key for which
    /// `key_ok` is false (a host that renames keys reads those itself).
    pub fn read_with(text: &'a str, key_ok: &mut dyn FnMut(&str) -> bool) -> Option<Self> {
        let mut de = serde_json::Deserializer::from_str(text);
        let lead = de.deserialize_map(LeadVisitor { key_ok }).ok()?;
        de.end().ok()?;
        Some(lead)
    }

    /// [`read_with`](Self::read_with) from any deserializer that presents a
    /// lead as `serde_json::Value`'s deserializer presents the value tree of the
    /// same lead (a host's reader over its own objects: Python dicts, JS
    /// objects); `None` when the lead parser must read it.
    pub fn read_from<D: Deserializer<'a>>(
        d: D,
        key_ok: &mut dyn FnMut(&str) -> bool,
    ) -> Option<Self> {
        d.deserialize_map(LeadVisitor { key_ok }).ok()
    }

    /// Whether a top-level value is an array or an object.
    pub fn nested(&self) -> bool {
        self.nested
    }

    /// Whether the lead holds a stored `qualification`.
    pub fn qualified(&self) -> bool {
        self.qualified
    }
}

fn text_index(f: LeadField) -> Option<usize> {
    // Positions in `TEXT_FIELDS` (a test checks each name).
    Some(match f {
        LeadField::FirstName => 0,
        LeadField::LastName => 1,
        LeadField::Email => 2,
        LeadField::Phone => 3,
        LeadField::Title => 4,
        LeadField::Company => 5,
        LeadField::Website => 6,
        LeadField::Industry => 7,
        LeadField::Country => 8,
        LeadField::Source => 9,
        LeadField::Campaign => 10,
        LeadField::Owner => 11,
        LeadField::Stage => 12,
        LeadField::Status => 13,
        LeadField::Employees | LeadField::Revenue => return None,
    })
}

impl<'a> LeadView for JsonLead<'a> {
    type Activity<'s>
        = JsonActivityRef<'s, 'a>
    where
        Self: 's;

    fn id(&self) -> &str {
        &self.id
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn field_str(&self, f: LeadField) -> Option<&str> {
        self.texts[text_index(f)?].as_deref()
    }
    fn employees(&self) -> Option<u64> {
        self.employees
    }
    fn annual_revenue(&self) -> Option<f64> {
        self.annual_revenue
    }
    fn custom(&self, key: &str) -> Option<&Value> {
        self.custom.get(key)
    }
    fn extra(&self, key: &str) -> Option<&Value> {
        self.extra.get(key)
    }
    fn activities(&self) -> impl Iterator<Item = JsonActivityRef<'_, 'a>> {
        self.activities.iter().map(|act| JsonActivityRef {
            act,
            meta: &self.meta[act.meta.clone()],
        })
    }
}

impl ActivityView for JsonActivityRef<'_, '_> {
    fn kind(&self) -> &str {
        &self.act.kind
    }
    fn at(&self) -> Timestamp {
        self.act.at
    }
    fn meta_str(&self, key: &str) -> Option<&str> {
        // A key given twice keeps its last value (as `CompactMap`).
        self.meta
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_deref())
    }
}

/// A string, borrowed from the text unless the JSON escapes it.
struct Str<'a>(Cow<'a, str>);

impl<'a> Deserialize<'a> for Str<'a> {
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(StrVisitor)
    }
}

struct StrVisitor;

impl<'a> Visitor<'a> for StrVisitor {
    type Value = Str<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<Str<'a>, E> {
        Ok(Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Str<'a>, E> {
        Ok(Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Str<'a>, E> {
        Ok(Str(Cow::Owned(v)))
    }
}

/// A timestamp as the lead's serde reads it (chrono's `FromStr`, a relaxed RFC
/// 3339), through chrono's strict RFC 3339 parser first: several times faster,
/// and where it accepts a text it reads the same instant and offset (a property
/// test holds it to `FromStr`); anything else goes to `FromStr` itself.
struct Ts(Timestamp);

impl<'a> Deserialize<'a> for Ts {
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(TsVisitor)
    }
}

pub(crate) fn timestamp(text: &str) -> Result<Timestamp, chrono::ParseError> {
    Timestamp::parse_from_rfc3339(text).or_else(|_| text.parse())
}

struct TsVisitor;

impl Visitor<'_> for TsVisitor {
    type Value = Ts;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Ts, E> {
        timestamp(v).map(Ts).map_err(E::custom)
    }
}

/// Any JSON value, checked as `serde_json::Value` checks it (numbers in range,
/// escapes, nesting) and dropped: unlike `IgnoredAny`, which checks only syntax.
/// `Some` holds a string.
struct Checked<'a>(Option<Cow<'a, str>>);

impl<'a> Deserialize<'a> for Checked<'a> {
    fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'a> Visitor<'a> for CheckedVisitor {
    type Value = Checked<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Checked<'a>, E> {
        Ok(Checked(None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Checked<'a>, E> {
        Ok(Checked(None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Checked<'a>, E> {
        Ok(Checked(None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Checked<'a>, E> {
        Ok(Checked(None))
    }
    fn visit_unit<E>(self) -> Result<Checked<'a>, E> {
        Ok(Checked(None))
    }
    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<Checked<'a>, E> {
        Ok(Checked(Some(Cow::Borrowed(v))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Checked<'a>, E> {
        Ok(Checked(Some(Cow::Owned(v.to_owned()))))
    }
    fn visit_string<E>(self, v: String) -> Result<Checked<'a>, E> {
        Ok(Checked(Some(Cow::Owned(v))))
    }
    fn visit_seq<A: SeqAccess<'a>>(self, mut a: A) -> Result<Checked<'a>, A::Error> {
        while a.next_element::<Checked<'a>>()?.is_some() {}
        Ok(Checked(None))
    }
    fn visit_map<A: MapAccess<'a>>(self, mut a: A) -> Result<Checked<'a>, A::Error> {
        while a.next_entry::<Str<'a>, Checked<'a>>()?.is_some() {}
        Ok(Checked(None))
    }
}

/// Refuses the text: the lead parser decides (the message is never shown).
fn refuse<E: de::Error>() -> E {
    E::custom("left to the lead parser")
}

/// Reads state a lead stores (`score`, `qualification`, `history`,
/// `conversion`) as the lead parser does: as a value tree first, which checks
/// every value (also the unknown fields the struct skips), then the struct from
/// that tree. Scoring never reads it; a value the struct refuses is refused.
/// True when it is an object or an array (not `null`).
fn stored<'a, T: DeserializeOwned, A: MapAccess<'a>>(m: &mut A) -> Result<bool, A::Error> {
    let v: Value = m.next_value()?;
    let nested = v.is_array() || v.is_object();
    serde_json::from_value::<T>(v)
        .map(|_| nested)
        .map_err(|_| refuse())
}

/// Where a top-level key goes: a text field, another field (both by their
/// index in `TEXT_FIELDS` / `OTHER_FIELDS`), or `extra`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Text(usize),
    Other(usize),
    Unknown,
}

fn slot(key: &str) -> Slot {
    // Spelled out (not searched) so that the compiler dispatches on the length
    // first; a test holds it to the two tables.
    match key {
        "first_name" => Slot::Text(0),
        "last_name" => Slot::Text(1),
        "email" => Slot::Text(2),
        "phone" => Slot::Text(3),
        "title" => Slot::Text(4),
        "company" => Slot::Text(5),
        "website" => Slot::Text(6),
        "industry" => Slot::Text(7),
        "country" => Slot::Text(8),
        "source" => Slot::Text(9),
        "campaign" => Slot::Text(10),
        "owner" => Slot::Text(11),
        "stage" => Slot::Text(12),
        "status" => Slot::Text(13),
        "id" => Slot::Other(0),
        "created_at" => Slot::Other(1),
        "employees" => Slot::Other(2),
        "annual_revenue" => Slot::Other(3),
        "custom" => Slot::Other(4),
        "activities" => Slot::Other(5),
        "attempts" => Slot::Other(6),
        "score" => Slot::Other(7),
        "qualification" => Slot::Other(8),
        "history" => Slot::Other(9),
        "conversion" => Slot::Other(10),
        "provenance" => Slot::Other(11),
        _ => Slot::Unknown,
    }
}

struct LeadVisitor<'k> {
    key_ok: &'k mut dyn FnMut(&str) -> bool,
}

impl<'a> Visitor<'a> for LeadVisitor<'_> {
    type Value = JsonLead<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a lead object")
    }

    fn visit_map<A: MapAccess<'a>>(self, mut m: A) -> Result<JsonLead<'a>, A::Error> {
        let mut id = None;
        let mut created_at = None;
        let mut lead = JsonLead {
            id: Cow::Borrowed(""),
            created_at: Timestamp::default(),
            texts: Default::default(),
            employees: None,
            annual_revenue: None,
            custom: Map::new(),
            extra: Map::new(),
            activities: Vec::new(),
            meta: Vec::new(),
            nested: false,
            qualified: false,
        };
        // Known keys seen: bit `i` for `Slot::Text(i)`, bit 16 + `i` for `Slot::Other(i)`.
        let mut seen = 0u32;
        while let Some(Str(key)) = m.next_key::<Str<'a>>()? {
            if !(self.key_ok)(&key) {
                return Err(refuse());
            }
            let slot = slot(&key);
            // `custom`, `activities` and `provenance` are read only as an object
            // or an array (stored state may be `null`: see below).
            lead.nested |= matches!(slot, Slot::Other(4 | 5 | 11));
            let bit = match slot {
                Slot::Text(i) => 1 << i,
                Slot::Other(i) => 1 << (16 + i),
                Slot::Unknown => 0,
            };
            if seen & bit != 0 {
                return Err(refuse());
            }
            seen |= bit;
            match slot {
                Slot::Text(i) => lead.texts[i] = m.next_value::<Option<Str<'a>>>()?.map(|s| s.0),
                Slot::Other(0) => id = Some(m.next_value::<Str<'a>>()?.0),
                Slot::Other(1) => created_at = Some(m.next_value::<Ts>()?.0),
                Slot::Other(2) => lead.employees = m.next_value()?,
                Slot::Other(3) => lead.annual_revenue = m.next_value()?,
                Slot::Other(4) => lead.custom = m.next_value()?,
                Slot::Other(5) => m.next_value_seed(Activities {
                    acts: &mut lead.activities,
                    meta: &mut lead.meta,
                })?,
                Slot::Other(6) => {
                    m.next_value::<u32>()?;
                }
                Slot::Other(7) => lead.nested |= stored::<Option<ScoreState>, _>(&mut m)?,
                Slot::Other(8) => {
                    lead.qualified = stored::<Option<QualificationState>, _>(&mut m)?;
                    lead.nested |= lead.qualified;
                }
                Slot::Other(9) => lead.nested |= stored::<Vec<Transition>, _>(&mut m)?,
                Slot::Other(10) => lead.nested |= stored::<Option<ConversionRef>, _>(&mut m)?,
                Slot::Other(_) => {
                    m.next_value::<Map<String, Value>>()?;
                }
                Slot::Unknown => {
                    // The value tree's `insert`: a key given twice keeps its first
                    // place and its last value, as in the lead's `extra`.
                    let v: Value = m.next_value()?;
                    lead.nested |= v.is_array() || v.is_object();
                    lead.extra.insert(key.into_owned(), v);
                }
            }
        }
        let (Some(id), Some(created_at)) = (id, created_at) else {
            return Err(refuse());
        };
        lead.id = id;
        lead.created_at = created_at;
        Ok(lead)
    }
}

/// The `activities` array, read into the lead's lists.
struct Activities<'l, 'a> {
    acts: &'l mut Vec<JsonActivity<'a>>,
    meta: &'l mut Vec<MetaEntry<'a>>,
}

impl<'a> DeserializeSeed<'a> for Activities<'_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'a> Visitor<'a> for Activities<'_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of activities")
    }
    fn visit_seq<S: SeqAccess<'a>>(self, mut s: S) -> Result<(), S::Error> {
        while let Some(act) = s.next_element_seed(ActivitySeed { meta: self.meta })? {
            self.acts.push(act);
        }
        Ok(())
    }
}

struct ActivitySeed<'l, 'a> {
    meta: &'l mut Vec<MetaEntry<'a>>,
}

impl<'a> DeserializeSeed<'a> for ActivitySeed<'_, 'a> {
    type Value = JsonActivity<'a>;
    fn deserialize<D: Deserializer<'a>>(self, d: D) -> Result<JsonActivity<'a>, D::Error> {
        // As `Activity` (it flattens `extra`): an object only.
        d.deserialize_map(self)
    }
}

impl<'a> Visitor<'a> for ActivitySeed<'_, 'a> {
    type Value = JsonActivity<'a>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an activity object")
    }
    fn visit_map<A: MapAccess<'a>>(self, mut m: A) -> Result<JsonActivity<'a>, A::Error> {
        let (mut kind, mut at, mut has_meta) = (None, None, false);
        let start = self.meta.len();
        while let Some(Str(key)) = m.next_key::<Str<'a>>()? {
            match &*key {
                "type" if kind.is_none() => kind = Some(m.next_value::<Str<'a>>()?.0),
                "at" if at.is_none() => at = Some(m.next_value::<Ts>()?.0),
                "meta" if !has_meta => {
                    has_meta = true;
                    m.next_value_seed(Meta { meta: self.meta })?;
                }
                "type" | "at" | "meta" => return Err(refuse()),
                // Unknown fields: checked, not kept (scoring never reads them).
                _ => {
                    m.next_value::<Checked<'a>>()?;
                }
            }
        }
        let (Some(kind), Some(at)) = (kind, at) else {
            return Err(refuse());
        };
        Ok(JsonActivity {
            kind,
            at,
            meta: start..self.meta.len(),
        })
    }
}

/// An activity's `meta` object, appended to the lead's list.
struct Meta<'l, 'a> {
    meta: &'l mut Vec<MetaEntry<'a>>,
}

impl<'a> DeserializeSeed<'a> for Meta<'_, 'a> {
    type Value = ();
    fn deserialize<D: Deserializer<'a>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'a> Visitor<'a> for Meta<'_, 'a> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'a>>(self, mut m: A) -> Result<(), A::Error> {
        while let Some((Str(k), Checked(v))) = m.next_entry::<Str<'a>, Checked<'a>>()? {
            self.meta.push((k, v));
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "json_text_tests.rs"]
mod tests;
