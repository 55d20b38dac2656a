//! A borrowed, metrics-only view of a lead parsed straight from JSON.
//!
//! Parsing a full [`Lead`](crate::Lead) allocates every string, builds the
//! `custom`/`meta` maps and buffers unknown fields for `extra`; metrics need a
//! dozen fields. [`LeadView`] borrows the strings metrics read from the input
//! text, parses timestamps with a fast path, and only *checks* the other known
//! fields (types, required fields) without keeping them.
//!
//! The view is never more permissive than [`Lead`](crate::Lead): every JSON object
//! it accepts also deserializes as a `Lead`, with the same values in the fields
//! metrics read, so `add_lead_view(&view)` gives exactly what `add_lead(&lead)`
//! gives. It is sometimes stricter (it rejects duplicate fields, and a
//! `record_type` that is not a string); callers that must accept everything a
//! `Lead` accepts fall back to parsing a `Lead` when the view fails, which is
//! also how they get an error that names the record and field.
//!
//! ```
//! use leadflow::metrics::{LeadFacts, LeadView};
//! let line = r#"{"id":"L-1","created_at":"2026-07-01T09:00:00Z","source":"webinar","record_type":"lead"}"#;
//! let view: LeadView = serde_json::from_str(line)?;
//! assert_eq!(view.source(), Some("webinar"));
//! assert_eq!(view.record_type(), Some("lead"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::facts::LeadFacts;
use super::fast_time::parse_rfc3339;
use crate::model::{ConversionRef, Dimension, QualificationState, ScoreState, TransitionKind};
use crate::time::Timestamp;

/// A string borrowed from the input when it has no escapes (else owned).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Str<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_string(V)
    }
}

/// Checks that a value is a string (as a `String` field would), keeps nothing.
#[derive(Debug, Clone, Copy, Default)]
struct AnyStr;

impl<'de> Deserialize<'de> for AnyStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = AnyStr;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<AnyStr, E> {
                Ok(AnyStr)
            }
        }
        d.deserialize_string(V)
    }
}

/// Checks that a value is an object (as a `Map<String, Value>` field would), keeps nothing.
#[derive(Debug, Clone, Copy, Default)]
struct AnyObject;

impl<'de> Deserialize<'de> for AnyObject {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyObject;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<AnyObject, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(AnyObject)
            }
        }
        d.deserialize_map(V)
    }
}

/// A string, or `None` for any other JSON value (consumed and dropped).
struct MaybeStr<'a>(Option<Str<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for MaybeStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeStr<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Str(Cow::Borrowed(v)))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Str(Cow::Owned(v.to_owned())))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(MaybeStr(Some(Str(Cow::Owned(v)))))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeStr(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeStr(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// The string-valued entries of `custom` (the last one wins for a repeated key,
/// as in `serde_json::Map`). Non-string values are checked as JSON and dropped,
/// so the common all-numeric `custom` allocates nothing.
#[derive(Debug, Clone, Default)]
struct Custom<'a>(Vec<(Str<'a>, Str<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Custom<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Custom<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries: Vec<(Str<'de>, Str<'de>)> = Vec::new();
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    let value = map.next_value::<MaybeStr<'de>>()?.0;
                    entries.retain(|(k, _)| *k != key);
                    if let Some(v) = value {
                        entries.push((key, v));
                    }
                }
                Ok(Custom(entries))
            }
        }
        d.deserialize_map(V)
    }
}

fn timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    let s = Str::deserialize(d)?;
    parse_rfc3339(&s.0).map_err(de::Error::custom)
}

/// One activity: its type and instant (`meta` and other fields checked, not kept).
#[derive(Debug, Clone)]
pub struct ActivityView<'a> {
    kind: Str<'a>,
    at: Timestamp,
}

impl<'de: 'a, 'a> Deserialize<'de> for ActivityView<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ActivityView<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an activity object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut kind, mut at, mut meta) = (None, None, false);
                while let Some(key) = map.next_key::<Str<'de>>()? {
                    match key.0.as_ref() {
                        "type" if kind.is_none() => kind = Some(map.next_value::<Str<'de>>()?),
                        "at" if at.is_none() => {
                            let s = map.next_value::<Str<'de>>()?;
                            at = Some(parse_rfc3339(&s.0).map_err(de::Error::custom)?);
                        }
                        "meta" if !meta => {
                            map.next_value::<AnyObject>()?;
                            meta = true;
                        }
                        "type" | "at" | "meta" => {
                            return Err(de::Error::custom("duplicate activity field"));
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(ActivityView {
                    kind: kind.ok_or_else(|| de::Error::missing_field("type"))?,
                    at: at.ok_or_else(|| de::Error::missing_field("at"))?,
                })
            }
        }
        // Map only: `Activity` (with its flattened `extra`) accepts no array form.
        d.deserialize_map(V)
    }
}

/// One history entry: the fields of [`Transition`](crate::model::Transition), in
/// its order (so the array form parses alike); `from`, `actor` and `reason` checked only.
#[derive(Debug, Clone, Deserialize)]
struct TransitionView<'a> {
    dimension: Dimension,
    #[serde(default)]
    #[allow(dead_code)] // checked, not read
    from: Option<AnyStr>,
    #[serde(borrow)]
    to: Str<'a>,
    #[serde(deserialize_with = "timestamp")]
    at: Timestamp,
    #[allow(dead_code)] // checked, not read
    kind: TransitionKind,
    #[serde(default)]
    #[allow(dead_code)]
    actor: Option<AnyStr>,
    #[serde(default)]
    #[allow(dead_code)]
    reason: Option<AnyStr>,
}

/// Every known field of [`Lead`](crate::Lead), in its order; the ones metrics do
/// not read are type-checked into zero-sized values.
#[derive(Deserialize)]
#[allow(dead_code)] // the check-only fields are never read
struct Fields<'a> {
    #[serde(borrow)]
    id: Str<'a>,
    #[serde(deserialize_with = "timestamp")]
    created_at: Timestamp,
    #[serde(default)]
    first_name: Option<AnyStr>,
    #[serde(default)]
    last_name: Option<AnyStr>,
    #[serde(default)]
    email: Option<AnyStr>,
    #[serde(default)]
    phone: Option<AnyStr>,
    #[serde(default)]
    title: Option<AnyStr>,
    #[serde(default)]
    company: Option<AnyStr>,
    #[serde(default)]
    website: Option<AnyStr>,
    #[serde(default)]
    industry: Option<AnyStr>,
    #[serde(default)]
    employees: Option<u64>,
    #[serde(default)]
    annual_revenue: Option<f64>,
    #[serde(default)]
    country: Option<AnyStr>,
    #[serde(default, borrow)]
    source: Option<Str<'a>>,
    #[serde(default, borrow)]
    campaign: Option<Str<'a>>,
    #[serde(default, borrow)]
    owner: Option<Str<'a>>,
    #[serde(default, borrow)]
    custom: Custom<'a>,
    #[serde(default, borrow)]
    activities: Vec<ActivityView<'a>>,
    #[serde(default, borrow)]
    stage: Option<Str<'a>>,
    #[serde(default, borrow)]
    status: Option<Str<'a>>,
    #[serde(default)]
    attempts: u32,
    #[serde(default)]
    score: Option<ScoreState>,
    #[serde(default)]
    qualification: Option<QualificationState>,
    #[serde(default, borrow)]
    history: Vec<TransitionView<'a>>,
    #[serde(default)]
    conversion: Option<ConversionRef>,
    #[serde(default)]
    provenance: AnyObject,
    /// Not a `Lead` field (it lands in `extra`); read for tagged input files.
    #[serde(default, borrow)]
    record_type: Option<Str<'a>>,
}

/// The fields of one lead that metrics read, borrowed from the JSON text.
/// Deserialize it with `serde_json::from_str` (or any self-describing format);
/// feed it to [`MetricsAccumulator::add_lead_view`](super::MetricsAccumulator::add_lead_view).
#[derive(Debug, Clone)]
pub struct LeadView<'a> {
    id: Str<'a>,
    created_at: Timestamp,
    employees: Option<u64>,
    source: Option<Str<'a>>,
    campaign: Option<Str<'a>>,
    owner: Option<Str<'a>>,
    custom: Custom<'a>,
    activities: Vec<ActivityView<'a>>,
    stage: Option<Str<'a>>,
    status: Option<Str<'a>>,
    history: Vec<TransitionView<'a>>,
    record_type: Option<Str<'a>>,
}

impl<'a> LeadView<'a> {
    /// The record's `record_type` (`lead`, `opportunity`), when it has one.
    pub fn record_type(&self) -> Option<&str> {
        self.record_type.as_ref().map(|s| s.0.as_ref())
    }

    fn from_fields(f: Fields<'a>) -> Self {
        LeadView {
            id: f.id,
            created_at: f.created_at,
            employees: f.employees,
            source: f.source,
            campaign: f.campaign,
            owner: f.owner,
            custom: f.custom,
            activities: f.activities,
            stage: f.stage,
            status: f.status,
            history: f.history,
            record_type: f.record_type,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for LeadView<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LeadView<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a lead object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Fields::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(LeadView::from_fields)
            }
        }
        // Map only: `Lead` (with its flattened `extra`) accepts no array form.
        d.deserialize_map(V)
    }
}

fn opt<'s>(s: Option<&'s Str<'_>>) -> Option<&'s str> {
    s.map(|s| s.0.as_ref())
}

impl LeadFacts for LeadView<'_> {
    fn id(&self) -> &str {
        &self.id.0
    }
    fn created_at(&self) -> Timestamp {
        self.created_at
    }
    fn source(&self) -> Option<&str> {
        opt(self.source.as_ref())
    }
    fn campaign(&self) -> Option<&str> {
        opt(self.campaign.as_ref())
    }
    fn owner(&self) -> Option<&str> {
        opt(self.owner.as_ref())
    }
    fn employees(&self) -> Option<u64> {
        self.employees
    }
    fn custom_str(&self, field: &str) -> Option<&str> {
        self.custom
            .0
            .iter()
            .rev()
            .find(|(k, _)| k.0 == field)
            .map(|(_, v)| v.0.as_ref())
    }
    fn stage(&self) -> Option<&str> {
        opt(self.stage.as_ref())
    }
    fn status(&self) -> Option<&str> {
        opt(self.status.as_ref())
    }
    fn history(&self) -> impl Iterator<Item = (Dimension, &str, Timestamp)> {
        self.history
            .iter()
            .map(|t| (t.dimension, t.to.0.as_ref(), t.at))
    }
    fn activities(&self) -> impl Iterator<Item = (&str, Timestamp)> {
        self.activities.iter().map(|a| (a.kind.0.as_ref(), a.at))
    }
}
