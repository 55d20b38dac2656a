//! Every way to score with a [`CompiledPack`], one entry per input shape: a
//! parsed lead, a batch of leads, JSON text (one lead, a batch of texts, a
//! document), a lead a host reads with its own deserializer, parsed JSON
//! records, and feature columns. Each takes the same [`ScoreOptions`]; the
//! readers behind them (`input/`) derive the same features by the same code, so
//! the same lead scores bit-identically through any of them.

use serde::Deserializer;
use serde_json::Value;

use super::input::columns::{ColumnScores, Columns};
use super::input::schema::InputOptions;
use super::pack::CompiledPack;
use super::result::ScoreResult;
use super::score_read::ReadLead;
use super::score_text::JsonScore;
use crate::error::Result;
use crate::model::Lead;
use crate::time::Timestamp;

/// How a scoring call runs, the same for every entry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScoreOptions {
    /// Attach an [`Explanation`](super::Explanation) (fired rules, decay, caps,
    /// grade and temperature reasons) to each result. Column scoring never
    /// explains (its results are columns).
    pub explain: bool,
    /// Score batches on the calling thread only (the baseline for the
    /// parallel path; single-lead entries always run on the calling thread).
    pub sequential: bool,
}

impl ScoreOptions {
    /// These options, explained when `explain` is set.
    #[must_use]
    pub fn with_explain(mut self, explain: bool) -> Self {
        self.explain = explain;
        self
    }

    /// These options, on the calling thread only when `sequential` is set.
    #[must_use]
    pub fn with_sequential(mut self, sequential: bool) -> Self {
        self.sequential = sequential;
        self
    }

    /// Explained results.
    #[must_use]
    pub fn explained() -> Self {
        Self::default().with_explain(true)
    }
}

impl CompiledPack {
    /// Scores one lead as of `now`.
    pub fn score(&self, lead: &Lead, now: Timestamp) -> Result<ScoreResult> {
        self.score_lead(lead, now, false)
    }

    /// Scores one lead and explains the score.
    pub fn explain(&self, lead: &Lead, now: Timestamp) -> Result<ScoreResult> {
        self.score_lead(lead, now, true)
    }

    /// Scores one lead as `opts` says.
    pub fn score_with(
        &self,
        lead: &Lead,
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Result<ScoreResult> {
        self.score_lead(lead, now, opts.explain)
    }

    /// Scores `lead` and writes the result into `lead.score`.
    pub fn score_into(&self, lead: &mut Lead, now: Timestamp) -> Result<ScoreResult> {
        let r = self.score(lead, now)?;
        r.write_to(lead, &self.0.id, now);
        Ok(r)
    }

    /// Scores leads (on all cores unless `opts.sequential`); one result per
    /// lead, in order. A failing lead yields an error entry; the others are
    /// scored.
    pub fn score_batch(
        &self,
        leads: &[Lead],
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Vec<Result<ScoreResult>> {
        if opts.sequential {
            self.score_leads_here(leads, now, opts.explain)
        } else {
            self.score_leads(leads, now, opts.explain)
        }
    }

    /// Scores one lead given as JSON text: the result (or error) of
    /// `Lead::from_json` then [`score_with`](Self::score_with), without building
    /// the lead (a borrowed reader; the lead parser only for a record it does
    /// not vouch for, to name the error precisely).
    pub fn score_json(
        &self,
        text: &str,
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Result<ScoreResult> {
        self.score_text(text, now, opts.explain)
    }

    /// Scores leads given as JSON texts (one lead each); one result per text,
    /// in order (see [`score_json`](Self::score_json)).
    pub fn score_json_batch<S: AsRef<str> + Sync>(
        &self,
        texts: &[S],
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Vec<Result<ScoreResult>> {
        if opts.sequential {
            self.score_texts_here(texts, now, opts.explain)
        } else {
            self.score_texts(texts, now, opts.explain)
        }
    }

    /// Scores a document of leads (JSON Lines, a JSON array or one object, as
    /// [`RecordReader`](crate::model::RecordReader) reads it) on all cores: one
    /// result per record, a record that does not parse being its error entry
    /// (naming its line, and in an array its index).
    pub fn score_json_document(
        &self,
        text: &str,
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Vec<Result<ScoreResult>> {
        self.score_document(text, now, opts.explain)
    }

    /// For hosts that send flat records down another path (the CLI's row
    /// batches) and rename keys: scores `text` through the borrowed reader when
    /// it reads it, `key_ok` holds for every top-level key, a top-level value
    /// is an array or an object, and it holds no stored `qualification`; `None`
    /// otherwise (the host parses the record itself). The result is that of
    /// `Lead::from_json` then [`score_with`](Self::score_with).
    pub fn score_json_nested(
        &self,
        text: &str,
        now: Timestamp,
        opts: ScoreOptions,
        key_ok: &mut dyn FnMut(&str) -> bool,
    ) -> Option<JsonScore> {
        self.score_nested_text(text, now, opts.explain, key_ok)
    }

    /// Scores one lead that a host reads with its own serde deserializer (the
    /// Python binding over a dict, the Node binding over an object), presented
    /// as `serde_json::Value`'s deserializer presents the same lead: read
    /// element by element, no value tree built. Keys read as a batch reads them
    /// under the default input options (`Title` as `title`, see
    /// [`KeyNames`](super::KeyNames)). `slow` gives the same lead as a value; it
    /// is called only when the borrowed reader refuses the lead, and the lead
    /// parser then gives the result or the precise error.
    pub fn score_read<'de, D: Deserializer<'de>>(
        &self,
        de: D,
        slow: impl FnOnce() -> Result<Value>,
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Result<ScoreResult> {
        self.score_host(de, slow, now, opts.explain)
    }

    /// [`score_read`](Self::score_read)'s scoring half, for a lead read by
    /// [`read_lead`](Self::read_lead) (a host reads holding its own lock, the
    /// Python binding's GIL, and scores without it): the same result or error.
    pub fn score_lead_read(
        &self,
        lead: &ReadLead,
        now: Timestamp,
        opts: ScoreOptions,
    ) -> Result<ScoreResult> {
        self.score_read_lead(lead, now, opts.explain)
    }

    /// Scores parsed JSON records (objects as a host's plain dicts or objects
    /// would give them) on all cores, their keys read as `input` says: flat
    /// records through the columnar path, the others as full leads; one result
    /// per record, identical either way.
    pub fn score_values(
        &self,
        values: Vec<Result<Value>>,
        now: Timestamp,
        opts: ScoreOptions,
        input: &InputOptions,
    ) -> Vec<Result<ScoreResult>> {
        self.score_records(values, now, opts.explain, input)
    }

    /// Scores flat feature rows held in columns (on all cores unless
    /// `opts.sequential`). Same results as scoring leads whose fields hold the
    /// same values (activity features come from the column of the same name;
    /// without one they are 0).
    pub fn score_columns(
        &self,
        cols: &Columns<'_>,
        now: Timestamp,
        opts: ScoreOptions,
    ) -> ColumnScores {
        let mut out = ColumnScores::default();
        self.score_columns_into(cols, now, opts, &mut out);
        out
    }

    /// [`score_columns`](Self::score_columns) into reused output buffers (no
    /// allocation when their capacity suffices).
    pub fn score_columns_into(
        &self,
        cols: &Columns<'_>,
        now: Timestamp,
        opts: ScoreOptions,
        out: &mut ColumnScores,
    ) {
        if opts.sequential {
            self.score_columns_here(cols, now, out);
        } else {
            self.score_columns_par(cols, now, out);
        }
    }
}
