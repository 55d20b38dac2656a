//! Scoring leads that a host reads with its own serde [`Deserializer`] (the
//! Python binding over dicts, the Node binding over JS objects): the host
//! presents a lead as `serde_json::Value`'s deserializer would present its value
//! tree, the borrowed reader ([`JsonLead`]) reads it element by element, and no
//! value tree or [`Lead`] is built. When the reader does not vouch for the
//! lead (a bad record, stored qualification state aside: see `json_text`), the
//! host's slow path gives the lead as a value, which the lead parser reads for
//! the precise error. Either way the result, or the error, is that of
//! `Lead::from_value` on the renamed value, then [`CompiledPack::score`].

use serde::Deserializer;
use serde_json::Value;

use super::input::json_text::JsonLead;
use super::input::schema::{InputOptions, KeyNames};
use super::pack::CompiledPack;
use super::result::ScoreResult;
use crate::error::Result;
use crate::model::{Lead, Record};
use crate::time::Timestamp;

impl CompiledPack {
    /// One lead a host's deserializer presents (see the module docs).
    pub(crate) fn score_host<'de, D: Deserializer<'de>>(
        &self,
        de: D,
        slow: impl FnOnce() -> Result<Value>,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        self.score_one_read(&self.read(de, slow)?, now, explain)
    }

    /// The lead `de` presents, borrowed when the reader vouches for it, else
    /// parsed from `slow` (renamed the same way).
    fn read<'de, D: Deserializer<'de>>(
        &self,
        de: D,
        slow: impl FnOnce() -> Result<Value>,
    ) -> Result<Read<'de>> {
        let names = self.default_names();
        if let Some(view) = read_view(self, de, names) {
            return Ok(Read::View(view));
        }
        lead_from_value(slow()?, names).map(Read::Lead)
    }

    /// How record keys read under the default input options.
    pub(crate) fn default_names(&self) -> &KeyNames {
        self.0
            .names
            .get_or_init(|| KeyNames::new(self, &InputOptions::default()))
    }
}

/// The lead `de` presents, borrowed, when the pack may score a borrowed lead,
/// no key is renamed explicitly, every key reads as itself and the reader
/// vouches for the lead; `None` otherwise (the caller takes the value path).
pub(crate) fn read_view<'de, D: Deserializer<'de>>(
    pack: &CompiledPack,
    de: D,
    names: &KeyNames,
) -> Option<JsonLead<'de>> {
    if !pack.reads_views() || names.maps() {
        return None;
    }
    JsonLead::read_from(de, &mut |k| names.resolve(k).is_none())
}

/// A lead from a record's value, its keys renamed as `names` reads them.
pub(crate) fn lead_from_value(value: Value, names: &KeyNames) -> Result<Lead> {
    match value {
        Value::Object(map) => names
            .rename_shared(map)
            .and_then(|m| Lead::from_value(Value::Object(m))),
        other => Lead::from_value(other),
    }
}

/// A lead a host has read ([`CompiledPack::read_lead`]), scored later
/// ([`CompiledPack::score_lead_read`]) without the host's objects: the Python
/// binding reads with the GIL and scores without it.
#[derive(Debug)]
pub struct ReadLead(Read<'static>);

#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // one per call, never stored in bulk
enum Read<'de> {
    View(JsonLead<'de>),
    Lead(Lead),
}

impl CompiledPack {
    /// [`score_read`](Self::score_read)'s reading half: the lead `de`
    /// presents, borrowed when the reader vouches for it, else parsed from
    /// `slow` (renamed the same way). Errors are the lead parser's.
    pub fn read_lead<D: Deserializer<'static>>(
        &self,
        de: D,
        slow: impl FnOnce() -> Result<Value>,
    ) -> Result<ReadLead> {
        self.read(de, slow).map(ReadLead)
    }

    /// A lead read by [`read_lead`](Self::read_lead), scored.
    pub(crate) fn score_read_lead(
        &self,
        lead: &ReadLead,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        self.score_one_read(&lead.0, now, explain)
    }

    fn score_one_read(
        &self,
        read: &Read<'_>,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        match read {
            Read::View(view) => {
                let mut x = self.scratch(now);
                self.score_view(&mut x, view, None, now, explain)
            }
            Read::Lead(lead) => self.score_lead(lead, now, explain),
        }
    }
}
