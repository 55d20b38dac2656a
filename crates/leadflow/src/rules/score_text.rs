//! Scoring leads given as JSON text, without building the leads: each text is
//! read by the borrowed reader ([`JsonLead`]) and scored through the same
//! feature fill and activity pass as a parsed lead; a text the reader does not
//! vouch for (a bad record, a duplicate key, stored state) is parsed as a
//! [`Lead`] and scored as one. Either way the result, or the error, is that of
//! `Lead::from_json` then [`CompiledPack::score_with`] (`json_text_tests`).

use rayon::prelude::*;
use serde_json::Value;

use super::define::features::LeadField;
use super::exec::program::LeadKey;
use super::exec::program::Scratch;
use super::input::json_text::JsonLead;
use super::input::lead_view::LeadView;
use super::input::schema::KeyNames;
use super::pack::CompiledPack;
use super::result::ScoreResult;
use crate::error::Result;
use crate::model::{Lead, Record, RecordReader, RecordText};
use crate::sandbox::deadline;
use crate::time::Timestamp;

/// Records per parallel task (as `score_batch`).
const CHUNK: usize = 512;

/// A lead scored from its JSON text by [`CompiledPack::score_json_nested`]:
/// its `id`, its `stage` as given, and the result.
#[derive(Debug)]
pub struct JsonScore {
    pub id: String,
    pub stage: Option<String>,
    pub result: Result<ScoreResult>,
}

/// One record, read for scoring.
#[allow(clippy::large_enum_variant)] // one per record of a chunk, never moved after
pub(crate) enum Parsed<'t> {
    View(JsonLead<'t>),
    /// A lead read elsewhere (a row batch's host-read rows).
    ViewRef(&'t JsonLead<'t>),
    Lead(Lead),
    /// A lead parsed elsewhere (a row batch's slow rows).
    Ref(&'t Lead),
}

impl CompiledPack {
    /// One lead's JSON text, without building the lead.
    pub(crate) fn score_text(
        &self,
        text: &str,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        // One lead, as `score_with`: its own budget, no batch deadline.
        let parsed = read_json(text, self.reads_views())?;
        let mut x = self.scratch(now);
        self.score_one(&mut x, &parsed, now, explain)
    }

    /// Leads' JSON texts on all cores.
    pub(crate) fn score_texts<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        now: Timestamp,
        explain: bool,
    ) -> Vec<Result<ScoreResult>> {
        let views = self.reads_views();
        self.score_chunks(texts, now, explain, |t| read_json(t.as_ref(), views))
    }

    /// Leads' JSON texts on the current thread only.
    pub(crate) fn score_texts_here<S: AsRef<str>>(
        &self,
        texts: &[S],
        now: Timestamp,
        explain: bool,
    ) -> Vec<Result<ScoreResult>> {
        let _batch = deadline::enter_batch(deadline::batch_end(self.0.limits.batch_time()));
        let views = self.reads_views();
        let parsed: Vec<_> = texts.iter().map(|t| read_json(t.as_ref(), views)).collect();
        self.score_parsed(&parsed, now, explain)
    }

    /// A document of leads on all cores, one result per record.
    pub(crate) fn score_document(
        &self,
        text: &str,
        now: Timestamp,
        explain: bool,
    ) -> Vec<Result<ScoreResult>> {
        // Reading from memory cannot fail: every item is a record.
        let records: Vec<Result<RecordText>> = RecordReader::new(text.as_bytes()).texts().collect();
        let views = self.reads_views();
        self.score_chunks(&records, now, explain, |r| {
            let r = r.as_ref().map_err(Clone::clone)?;
            match r.json().filter(|_| views).and_then(JsonLead::read) {
                Some(view) => Ok(Parsed::View(view)),
                None => r.clone().parse().map(Parsed::Lead),
            }
        })
    }

    /// Reads and scores `items` on all cores, a chunk at a time under the
    /// batch deadline; one result per item, in order.
    fn score_chunks<'t, T: Sync>(
        &self,
        items: &'t [T],
        now: Timestamp,
        explain: bool,
        read: impl Fn(&'t T) -> Result<Parsed<'t>> + Sync,
    ) -> Vec<Result<ScoreResult>> {
        let end = deadline::batch_end(self.0.limits.batch_time());
        items
            .par_chunks(CHUNK)
            .flat_map_iter(|chunk| {
                let _batch = deadline::enter_batch(end);
                let parsed: Vec<_> = chunk.iter().map(&read).collect();
                self.score_parsed(&parsed, now, explain)
            })
            .collect()
    }

    /// A nested record's text through the borrowed reader, when it reads it.
    pub(crate) fn score_nested_text(
        &self,
        text: &str,
        now: Timestamp,
        explain: bool,
        key_ok: &mut dyn FnMut(&str) -> bool,
    ) -> Option<JsonScore> {
        if !self.reads_views() {
            return None;
        }
        // The host shows a stored qualification's outcome: such a lead is its own.
        let view = JsonLead::read_with(text, key_ok).filter(|v| v.nested() && !v.qualified())?;
        let mut x = self.scratch(now);
        let result = self.score_view(&mut x, &view, None, now, explain);
        Some(JsonScore {
            id: view.id().to_owned(),
            stage: view.field_str(LeadField::Stage).map(str::to_owned),
            result,
        })
    }

    /// Whether scoring may read a borrowed lead: no script reads the parsed
    /// lead's `custom` or `extra` maps (the feature row holds everything else).
    pub(crate) fn reads_views(&self) -> bool {
        !self
            .0
            .program
            .lead_keys
            .iter()
            .any(|(_, k)| matches!(k, LeadKey::Custom | LeadKey::Extra))
    }

    /// Scores the records of a chunk with one scratch (which borrows from them).
    pub(crate) fn score_parsed(
        &self,
        parsed: &[Result<Parsed<'_>>],
        now: Timestamp,
        explain: bool,
    ) -> Vec<Result<ScoreResult>> {
        let mut x = self.scratch(now);
        parsed
            .iter()
            .map(|p| match p {
                Ok(p) => self.score_one(&mut x, p, now, explain),
                Err(e) => Err(e.clone()),
            })
            .collect()
    }

    fn score_one<'a>(
        &self,
        x: &mut Scratch<'a>,
        parsed: &'a Parsed<'_>,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        match parsed {
            Parsed::View(v) => self.score_view(x, v, None, now, explain),
            Parsed::ViewRef(v) => self.score_view(x, *v, None, now, explain),
            Parsed::Lead(l) => self.score_in(x, l, now, explain),
            Parsed::Ref(l) => self.score_in(x, l, now, explain),
        }
    }
}

/// `text` read for scoring: borrowed when `views` allows it and the reader
/// vouches for it, else parsed as a lead.
pub(crate) fn read_json(text: &str, views: bool) -> Result<Parsed<'_>> {
    if views && let Some(view) = JsonLead::read(text) {
        return Ok(Parsed::View(view));
    }
    Lead::from_json(text).map(Parsed::Lead)
}

/// [`read_json`] for a row batch's text rows, whose keys read as `names`
/// renames them (`Title` as `title`, `columns=` mappings), exactly as the
/// batch's dict rows do: a text with a key to rename is read as a value,
/// renamed, then parsed.
pub(crate) fn read_json_named<'a>(
    text: &'a str,
    views: bool,
    names: &KeyNames,
) -> Result<Parsed<'a>> {
    let mut to_rename = names.maps();
    if views
        && !to_rename
        && let Some(view) = JsonLead::read_with(text, &mut |k| {
            let r = names.resolve(k).is_some();
            to_rename |= r;
            !r
        })
    {
        return Ok(Parsed::View(view));
    }
    let renamed = |value: Value| match value {
        Value::Object(map) => names
            .rename_shared(map)
            .and_then(|m| Lead::from_value(Value::Object(m))),
        other => Lead::from_value(other),
    };
    if to_rename && let Ok(value) = serde_json::from_str::<Value>(text) {
        return renamed(value).map(Parsed::Lead);
    }
    // Known keys are read into their fields (spelled as the pack spells
    // them, so never renamed): only unknown ones, kept in `extra`, may rename.
    match Lead::from_json(text) {
        Ok(lead) if !lead.extra.keys().any(|k| names.resolve(k).is_some()) => {
            Ok(Parsed::Lead(lead))
        }
        // A key to rename may also be why the record failed (`"EMPLOYEES": "x"`).
        Ok(_) | Err(_) if !to_rename => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) if map.keys().any(|k| names.resolve(k).is_some()) => {
                renamed(Value::Object(map)).map(Parsed::Lead)
            }
            _ => Lead::from_json(text).map(Parsed::Lead),
        },
        other => other.map(Parsed::Lead),
    }
}
