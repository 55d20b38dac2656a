//! Row batches: flat records (Python dicts, JS objects, JSON objects) scored
//! through the columnar path without building a [`Lead`] per row.
//!
//! The host hands each record's values to a [`RowBatch`] key by key. A record
//! whose keys and value types the lead parser would read exactly as plain
//! fields is reduced to the pack's feature values, computed the way
//! `extract::fill` computes them from a parsed lead, into owned columns that
//! [`CompiledPack::score_columns`] scores. Any other record (a wrong type, a
//! nested value, `custom`, `activities`, ...) takes the slow path: it is parsed
//! as a full [`Lead`] and scored normally. Both paths give identical results
//! and errors; the batch keeps the input order.

use std::collections::HashMap;

use rayon::prelude::*;
use serde_json::{Map, Number, Value};

use crate::error::{Error, Result};
use crate::model::{Lead, Record, fields};
use crate::rules::define::features::{Derived, FeatureType, LeadField, Source};
use crate::rules::exec::program::LeadKey;
use crate::rules::helpers;
use crate::rules::input::activity::Aggregate;
use crate::rules::input::columns::{Column, ColumnScores, Columns, Offsets};
use crate::rules::input::json_text::JsonLead;
use crate::rules::input::schema::{InputOptions, KeyNames, field_name};
use crate::rules::input::spelling;
use crate::rules::pack::CompiledPack;
use crate::rules::result::ScoreResult;
use crate::rules::score::ScoreOptions;
use crate::rules::score_read::read_view;
use crate::rules::score_text::{Parsed, read_json_named};
use crate::sandbox::deadline;
use crate::time::{Timestamp, parse_timestamp, whole_days_between};
use serde::Deserializer;

/// One scalar value of a flat record, as the host read it. Hosts pass anything
/// else (arrays, objects, dates, values their JSON conversion rejects) by
/// sending the whole record down the slow path instead.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// A finite float (a non-finite one is not JSON: take the slow path).
    Float(f64),
    Str(&'a str),
}

/// A cell kept for the current row; strings live in the row's text buffer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Held {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(usize, usize),
}

/// How a key of [`RowBatch::keys`] is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Id,
    CreatedAt,
    /// A typed string field of the lead (`Option<String>`).
    Text,
    /// `employees` (`Option<u64>`).
    Employees,
    /// `annual_revenue` (`Option<f64>`).
    Revenue,
    /// An unknown top-level key: it lands in `extra`, any scalar is fine.
    Flat,
}

/// How one feature's value is computed from the row's keys (indices into `keys`).
#[derive(Debug, Clone, Copy)]
enum Calc {
    Text(usize),
    Employees(usize),
    /// `annual_revenue`, else the flat key named like the feature (`revenue`).
    Revenue(usize, Option<usize>),
    FlatNum(Option<usize>),
    FlatStr(Option<usize>),
    Derived(Derived, usize),
    /// A record value (when `record_first`), else the aggregate over no activities.
    Activity(Option<usize>, Fallback),
}

#[derive(Debug, Clone, Copy)]
enum Fallback {
    Zero,
    DaysSinceCreated,
    DaysSince(Option<usize>),
}

/// One output column: numbers or UTF-8 strings.
#[derive(Debug)]
enum Buf {
    Num(Vec<f64>),
    Text(Vec<i64>, String),
}

#[derive(Debug, Clone, Copy)]
enum Entry {
    Fast,
    Slow,
}

#[derive(Debug)]
#[allow(clippy::large_enum_variant)] // host-read leads are most slow rows: not boxed
enum SlowRow {
    Value(Result<Value>),
    Json(String),
    /// Read by the host's deserializer (`push_read`).
    View(JsonLead<'static>),
}

/// An owned batch of flat records for one pack and `now`, filled row by row and
/// scored with [`RowBatch::score`].
///
/// Host protocol per record: [`begin_row`](Self::begin_row), then
/// [`set`](Self::set) for each key of [`keys`](Self::keys) the record has and
/// [`set_other`](Self::set_other) for every other key, then
/// [`finish_row`](Self::finish_row). When that returns false (or the host saw a
/// value it cannot express as a [`Cell`]), the host adds the record with
/// [`push_value`](Self::push_value) or [`push_json`](Self::push_json) instead.
#[derive(Debug)]
pub struct RowBatch {
    pack: CompiledPack,
    now: Timestamp,
    explain: bool,
    fast: bool,
    keys: Vec<(String, Role)>,
    by_name: HashMap<String, usize>,
    calcs: Vec<Calc>,
    bufs: Vec<Buf>,
    ids: (Vec<i64>, String),
    order: Vec<Entry>,
    slow: Vec<SlowRow>,
    n_fast: usize,
    row: Vec<Option<Held>>,
    /// Strings of the pending rows and of the current one.
    text: String,
    /// End of the pending rows' strings in `text` (the current row's start).
    text_kept: usize,
    /// Fast rows whose features are not computed yet, `row.len()` cells each,
    /// with their `created_at`: computing them is left to `score_split` (on
    /// whichever thread scores the batch) unless `PENDING_ROWS` pile up.
    pending: Vec<Option<Held>>,
    pending_created: Vec<Timestamp>,
    row_slow: bool,
    created: Option<(String, Timestamp)>,
    /// The name each key reads as (`Title` -> `title`).
    names: KeyNames,
}

/// Fast rows kept before their features are computed: more than a
/// [`RowFeed`](crate::rules::RowFeed) chunk, so that a feed's chunks are computed on
/// its scoring thread, and few enough to bound a large batch's memory.
const PENDING_ROWS: usize = 2 * crate::rules::input::row_feed::CHUNK_ROWS;

/// Lead fields the fast path does not read: a record holding one is slow.
const NESTED_FIELDS: &[&str] = &[
    "custom",
    "activities",
    "score",
    "qualification",
    "history",
    "conversion",
    "provenance",
];

/// True for a name the lead parser reads into a typed field (never into `extra`).
fn is_lead_field(name: &str) -> bool {
    fields::plain_fields().any(|f| f == name) || NESTED_FIELDS.contains(&name)
}

fn role_of(name: &str) -> Role {
    match name {
        "id" => Role::Id,
        "created_at" => Role::CreatedAt,
        "employees" => Role::Employees,
        "annual_revenue" => Role::Revenue,
        n if fields::TEXT_FIELDS.contains(&n) => Role::Text,
        _ => Role::Flat,
    }
}

/// Whether the lead parser accepts `cell` for a key with this role.
fn accepts(role: Role, cell: Cell<'_>) -> bool {
    match role {
        Role::Id | Role::CreatedAt => matches!(cell, Cell::Str(_)),
        Role::Text => matches!(cell, Cell::Str(_) | Cell::Null),
        Role::Employees => match cell {
            Cell::Int(n) => n >= 0,
            Cell::UInt(_) | Cell::Null => true,
            _ => false,
        },
        Role::Revenue => matches!(
            cell,
            Cell::Int(_) | Cell::UInt(_) | Cell::Float(_) | Cell::Null
        ),
        Role::Flat => true,
    }
}

impl RowBatch {
    /// An empty batch for `pack` as of `now`. With `explain`, or for a pack
    /// whose scripts read the `custom`/`extra` maps, every row takes the slow path.
    pub fn new(pack: &CompiledPack, now: Timestamp, explain: bool) -> Self {
        Self::with_options(pack, now, explain, &InputOptions::default())
    }

    /// [`new`](Self::new) with the input's names resolved as the schema check
    /// resolves them ([`CompiledPack::input_schema`]): `Title` reads as `title`,
    /// `opts.columns` renames keys explicitly. Two keys of one record that read
    /// as one name are that record's error.
    pub fn with_options(
        pack: &CompiledPack,
        now: Timestamp,
        explain: bool,
        opts: &InputOptions,
    ) -> Self {
        let inner = &pack.0;
        let reads_maps = inner
            .program
            .lead_keys
            .iter()
            .any(|(_, k)| matches!(k, LeadKey::Custom | LeadKey::Extra));
        let mut b = RowBatch {
            pack: pack.clone(),
            now,
            explain,
            fast: !explain && !reads_maps,
            keys: Vec::new(),
            by_name: HashMap::new(),
            calcs: Vec::new(),
            bufs: Vec::new(),
            ids: (vec![0], String::new()),
            order: Vec::new(),
            slow: Vec::new(),
            n_fast: 0,
            row: Vec::new(),
            text: String::new(),
            text_kept: 0,
            pending: Vec::new(),
            pending_created: Vec::new(),
            row_slow: false,
            created: None,
            names: KeyNames::new(pack, opts),
        };
        b.key("id");
        b.key("created_at");
        for f in &inner.features.used {
            let calc = b.calc(&f.name, f.ty, &f.source, f.record_first);
            b.calcs.push(calc);
            b.bufs.push(if f.ty == FeatureType::Str {
                Buf::Text(vec![0], String::new())
            } else {
                Buf::Num(Vec::new())
            });
        }
        b.row = vec![None; b.keys.len()];
        b
    }

    fn key(&mut self, name: &str) -> usize {
        if let Some(&i) = self.by_name.get(name) {
            return i;
        }
        self.keys.push((name.to_owned(), role_of(name)));
        self.by_name.insert(name.to_owned(), self.keys.len() - 1);
        self.keys.len() - 1
    }

    /// The key a flat lookup of `name` reads (`extra.name`), if any record can hold it.
    fn flat_key(&mut self, name: &str) -> Option<usize> {
        (!is_lead_field(name)).then(|| self.key(name))
    }

    /// The flat key `lookup_path` reads for `path` when a record's values are scalars.
    fn path_key(&mut self, path: &[String]) -> Option<usize> {
        match path {
            [first, key] if first == "extra" => self.flat_key(key),
            [key] if key != "custom" && key != "extra" => self.flat_key(key),
            _ => None,
        }
    }

    fn calc(&mut self, name: &str, ty: FeatureType, source: &Source, record_first: bool) -> Calc {
        match source {
            Source::Field(LeadField::Employees) => Calc::Employees(self.key("employees")),
            Source::Field(LeadField::Revenue) => {
                Calc::Revenue(self.key("annual_revenue"), self.flat_key(name))
            }
            Source::Field(f) => Calc::Text(self.key(field_name(*f))),
            Source::Path(p) => {
                let k = self.path_key(p);
                if ty == FeatureType::Str {
                    Calc::FlatStr(k)
                } else {
                    Calc::FlatNum(k)
                }
            }
            Source::Derived(d) => {
                let base = match d {
                    Derived::EmailDomain | Derived::FreeMail => "email",
                    Derived::WebsiteDomain => "website",
                    Derived::CompanyNormalized => "company",
                    Derived::EmployeeBand => "employees",
                    Derived::Seniority | Derived::Department => "title",
                };
                Calc::Derived(*d, self.key(base))
            }
            Source::Activity(agg) => {
                let record = if record_first {
                    self.flat_key(name)
                } else {
                    None
                };
                let fallback = match agg {
                    Aggregate::DaysSinceLast => Fallback::DaysSinceCreated,
                    Aggregate::DaysSincePath(p) => Fallback::DaysSince(self.path_key(p)),
                    _ => Fallback::Zero,
                };
                Calc::Activity(record, fallback)
            }
        }
    }

    /// False when every row takes the slow path (`explain`, or a pack reading
    /// `lead.custom`/`lead.extra` in scripts): hosts may then skip the key reads.
    pub fn is_fast(&self) -> bool {
        self.fast
    }

    /// The keys whose values the features depend on (plus `id` and `created_at`), in index order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.keys.iter().map(|(k, _)| k.as_str())
    }

    /// The index in [`keys`](Self::keys) of the key a record's key `name`
    /// reads as (`Title` -> `title`, or its explicit mapping), if the pack
    /// reads it. Hosts that map key names to indexes themselves use this.
    pub fn key_index(&mut self, name: &str) -> Option<usize> {
        // Without a mapping a key named like one of `keys` reads as itself.
        if !self.names.maps()
            && let Some(&i) = self.by_name.get(name)
        {
            return Some(i);
        }
        match self.names.alias_of(name) {
            Some(to) => self.by_name.get(to).copied(),
            None => self.by_name.get(name).copied(),
        }
    }

    /// Number of rows added so far (both paths).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Starts a record.
    pub fn begin_row(&mut self) {
        self.row.fill(None);
        // Drops the strings of a record that was not finished on the fast path.
        self.text.truncate(self.text_kept);
        self.row_slow = !self.fast;
    }

    /// Sets the value of `keys()[key]` for the current record.
    pub fn set(&mut self, key: usize, cell: Cell<'_>) {
        let Some((_, role)) = self.keys.get(key) else {
            return;
        };
        // A second value for one key: two keys read as one name (the slow path names them).
        if self.row_slow || !accepts(*role, cell) || self.row[key].is_some() {
            self.row_slow = true;
            return;
        }
        let held = match cell {
            Cell::Null => Held::Null,
            Cell::Bool(b) => Held::Bool(b),
            Cell::Int(n) => Held::Int(n),
            Cell::UInt(n) => Held::UInt(n),
            Cell::Float(v) => Held::Float(v),
            Cell::Str(s) => {
                let start = self.text.len();
                self.text.push_str(s);
                Held::Str(start, self.text.len())
            }
        };
        self.row[key] = Some(held);
    }

    /// A key of the current record that is not one of [`keys`](Self::keys):
    /// checked (a lead field of the wrong type, or a nested one, makes the row slow).
    pub fn set_other(&mut self, name: &str, cell: Cell<'_>) {
        if let Some(i) = self.key_index(name) {
            self.set(i, cell);
            return;
        }
        let alias = self.names.alias_of(name).map(str::to_owned);
        // Any other key is checked under the name it reads as.
        let name = alias.as_deref().unwrap_or(name);
        let ok = match name {
            n if NESTED_FIELDS.contains(&n) => false,
            "attempts" => match cell {
                Cell::Int(n) => u32::try_from(n).is_ok(),
                Cell::UInt(n) => u32::try_from(n).is_ok(),
                _ => false,
            },
            n => accepts(role_of(n), cell),
        };
        if !ok {
            self.row_slow = true;
        }
    }

    /// True when the flat values the features read are readable as their types
    /// (else the lead path gives the record its error).
    fn readable_row(&self) -> bool {
        let held = |k: Option<usize>| k.and_then(|k| self.row.get(k).copied().flatten());
        for (calc, f) in self.calcs.iter().zip(&self.pack.0.features.used) {
            if !f.ty.is_num() {
                continue;
            }
            let k = match *calc {
                Calc::Revenue(main, flat) => match held(Some(main)) {
                    Some(Held::Null) | None => flat,
                    Some(_) => continue,
                },
                Calc::FlatNum(k) | Calc::Activity(k, _) => k,
                _ => continue,
            };
            let cell = match held(k) {
                None | Some(Held::Null) => continue,
                Some(Held::Bool(b)) => Cell::Bool(b),
                Some(Held::Int(n)) => Cell::Int(n),
                Some(Held::UInt(n)) => Cell::UInt(n),
                Some(Held::Float(v)) => Cell::Float(v),
                Some(Held::Str(..)) => Cell::Str(""),
            };
            if spelling::feature_num(f.ty, cell).is_err() {
                return false;
            }
        }
        true
    }

    /// Marks the current record for the slow path.
    pub fn mark_slow(&mut self) {
        self.row_slow = true;
    }

    /// Ends the current record: true when it was added on the fast path; false
    /// when the host must add it with `push_value`/`push_json`.
    pub fn finish_row(&mut self) -> bool {
        if self.row_slow {
            return false;
        }
        let (Some(Some(Held::Str(i0, i1))), Some(Some(Held::Str(c0, c1)))) =
            (self.row.first().copied(), self.row.get(1).copied())
        else {
            return false;
        };
        // An empty id names no record in the lead path's errors: keep it there.
        if i0 == i1 {
            return false;
        }
        let Some(created_at) = self.created_at(c0, c1) else {
            return false;
        };
        if !self.readable_row() {
            return false;
        }
        self.pending.extend_from_slice(&self.row);
        self.pending_created.push(created_at);
        self.ids.1.push_str(&self.text[i0..i1]);
        self.ids.0.push(offset(self.ids.1.len()));
        self.order.push(Entry::Fast);
        self.n_fast += 1;
        self.text_kept = self.text.len();
        if self.pending_created.len() >= PENDING_ROWS {
            self.compute_pending();
        }
        true
    }

    /// Computes the features of the pending rows into the output columns.
    fn compute_pending(&mut self) {
        let width = self.row.len().max(1);
        for (row, &created_at) in self.pending.chunks(width).zip(&self.pending_created) {
            let v = RowView::new(row, &self.text);
            for (calc, buf) in self.calcs.iter().zip(&mut self.bufs) {
                match buf {
                    Buf::Num(out) => out.push(v.num(*calc, created_at, self.now)),
                    Buf::Text(offsets, data) => {
                        v.text(*calc, data);
                        offsets.push(offset(data.len()));
                    }
                }
            }
        }
        self.pending.clear();
        self.pending_created.clear();
        self.text.clear();
        self.text_kept = 0;
    }

    /// `created_at` as the lead parser reads it (chrono's `FromStr`), cached for
    /// the common case of one timestamp shared by many rows.
    fn created_at(&mut self, start: usize, end: usize) -> Option<Timestamp> {
        let s = &self.text[start..end];
        if let Some((text, t)) = &self.created
            && text == s
        {
            return Some(*t);
        }
        let t: Timestamp = s.parse().ok()?;
        self.created = Some((s.to_owned(), t));
        Some(t)
    }

    /// Adds a record (any JSON value) for the slow path; a conversion error
    /// becomes that row's error entry.
    pub fn push_value(&mut self, value: Result<Value>) {
        let value = match value {
            Ok(Value::Object(map)) => self.names.rename(map).map(Value::Object),
            other => other,
        };
        self.order.push(Entry::Slow);
        self.slow.push(SlowRow::Value(value));
    }

    /// Adds a record given as JSON text for the slow path.
    pub fn push_json(&mut self, text: String) {
        self.order.push(Entry::Slow);
        self.slow.push(SlowRow::Json(text));
    }

    /// Adds a record that `de` presents (as `serde_json::Value`'s deserializer
    /// presents the record's value tree) for the slow path, read element by
    /// element with no value tree built. False when the borrowed reader does
    /// not vouch for it (or a key renames): nothing is added, and the host adds
    /// the record with [`push_value`](Self::push_value), whose lead parser
    /// gives its result or precise error. See [`CompiledPack::score_read`].
    pub fn push_read<D: Deserializer<'static>>(&mut self, de: D) -> bool {
        match read_view(&self.pack, de, &self.names) {
            Some(view) => {
                self.order.push(Entry::Slow);
                self.slow.push(SlowRow::View(view));
                true
            }
            None => false,
        }
    }

    /// Adds a parsed JSON record, on the fast path when it allows it.
    pub fn push_object(&mut self, value: Value) {
        if let Value::Object(map) = &value
            && self.fast
            && self.try_map(map)
        {
            return;
        }
        self.push_value(Ok(value));
    }

    fn try_map(&mut self, map: &Map<String, Value>) -> bool {
        self.begin_row();
        for (k, v) in map {
            let cell = match v {
                Value::Null => Cell::Null,
                Value::Bool(b) => Cell::Bool(*b),
                Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                    (Some(i), _, _) => Cell::Int(i),
                    (None, Some(u), _) => Cell::UInt(u),
                    (None, None, Some(f)) => Cell::Float(f),
                    _ => return false,
                },
                Value::String(s) => Cell::Str(s),
                Value::Array(_) | Value::Object(_) => return false,
            };
            self.set_other(k, cell);
        }
        self.finish_row()
    }

    /// Scores every row on all cores: one result per row, in the order added.
    pub fn score(self) -> Vec<Result<ScoreResult>> {
        self.score_split().results()
    }

    /// Scores every row on all cores, keeping the fast rows' results as columns
    /// (hosts build their own result objects from them without a `ScoreResult`
    /// per row). See [`RowScores::iter`].
    pub fn score_split(mut self) -> RowScores {
        self.compute_pending();
        let fast = if self.n_fast == 0 {
            Ok(ColumnScores::default())
        } else {
            self.columns().map(|cols| {
                self.pack
                    .score_columns(&cols, self.now, ScoreOptions::default())
            })
        };
        let slow = score_slow(&self.pack, self.slow, &self.names, self.now, self.explain);
        let (columns, failed) = match fast {
            Ok(c) => (c, None),
            Err(e) => (ColumnScores::default(), Some(e)),
        };
        RowScores {
            columns,
            failed,
            n_fast: self.n_fast,
            ids: self.ids,
            slow,
            order: self.order,
            lost: Err(Error::validation("row batch lost a result")),
        }
    }

    fn columns(&self) -> Result<Columns<'_>> {
        let mut cols = Columns::new(self.n_fast).with_ids(utf8(&self.ids.0, &self.ids.1)?)?;
        for (f, buf) in self.pack.0.features.used.iter().zip(&self.bufs) {
            let col = match buf {
                Buf::Num(v) => Column::f64(v, None),
                Buf::Text(o, d) => utf8(o, d)?,
            };
            cols = cols.with(&f.name, col)?;
        }
        Ok(cols)
    }
}

/// The results of a [`RowBatch`]: fast rows as columns, slow rows as results.
#[derive(Debug)]
pub struct RowScores {
    /// Scores of the fast rows, in their order (`RowScore::Fast::row` indexes them).
    pub columns: ColumnScores,
    /// Set when the fast rows' columns could not be built (every fast row fails with it).
    failed: Option<Error>,
    n_fast: usize,
    ids: (Vec<i64>, String),
    slow: Vec<Result<ScoreResult>>,
    order: Vec<Entry>,
    lost: Result<ScoreResult>,
}

/// One row of [`RowScores`], in input order.
#[derive(Debug)]
pub enum RowScore<'a> {
    /// A fast row: its index in `columns`, and its error if it failed.
    Fast {
        row: usize,
        error: Option<&'a Error>,
    },
    /// A slow row's result.
    Slow(&'a Result<ScoreResult>),
}

impl RowScores {
    /// Number of rows (both paths).
    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Number of fast rows (`RowScore::Fast::row` runs from 0 below it).
    pub fn fast_len(&self) -> usize {
        self.n_fast
    }

    /// The lead id of fast row `row`.
    pub fn id(&self, row: usize) -> &str {
        text_at(&self.ids.0, &self.ids.1, row)
    }

    /// The result of fast row `row` (which did not fail) as a [`ScoreResult`].
    pub fn result(&self, row: usize) -> ScoreResult {
        let c = &self.columns;
        ScoreResult {
            lead_id: self.id(row).to_owned(),
            total: c.total.get(row).copied().unwrap_or(f64::NAN),
            fit: c.fit.get(row).copied().unwrap_or(f64::NAN),
            engagement: c.engagement.get(row).copied().unwrap_or(f64::NAN),
            grade: c
                .grade
                .get(row)
                .copied()
                .unwrap_or(crate::rules::result::Grade::F),
            temperature: c
                .temperature
                .get(row)
                .copied()
                .unwrap_or(crate::rules::result::Temperature::Cold),
            explanation: None,
        }
    }

    /// Every row's result in input order (a [`ScoreResult`] per fast row).
    pub fn results(&self) -> Vec<Result<ScoreResult>> {
        self.iter()
            .map(|r| match r {
                RowScore::Fast { error: Some(e), .. } => Err(e.clone()),
                RowScore::Fast { row, error: None } => Ok(self.result(row)),
                RowScore::Slow(r) => r.clone(),
            })
            .collect()
    }

    /// Every row in input order.
    pub fn iter(&self) -> impl Iterator<Item = RowScore<'_>> + '_ {
        let mut fast = 0;
        let mut slow = 0;
        let mut errors = self.columns.errors.iter().peekable();
        self.order.iter().map(move |e| match e {
            Entry::Fast => {
                let row = fast;
                fast += 1;
                let error = if let Some(e) = &self.failed {
                    Some(e)
                } else if errors.peek().is_some_and(|(r, _)| *r == row) {
                    errors.next().map(|(_, e)| e)
                } else {
                    None
                };
                RowScore::Fast { row, error }
            }
            Entry::Slow => {
                slow += 1;
                RowScore::Slow(self.slow.get(slow - 1).unwrap_or(&self.lost))
            }
        })
    }
}

fn utf8<'a>(offsets: &'a [i64], data: &'a str) -> Result<Column<'a>> {
    Column::utf8(Offsets::I64(offsets), data.as_bytes(), None)
}

fn offset(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn text_at<'a>(offsets: &[i64], data: &'a str, i: usize) -> &'a str {
    let at = |k: usize| offsets.get(k).and_then(|o| usize::try_from(*o).ok());
    match (at(i), at(i + 1)) {
        (Some(a), Some(b)) => data.get(a..b).unwrap_or(""),
        _ => "",
    }
}

/// A slow row of a chunk, ready to be borrowed for scoring.
#[allow(clippy::large_enum_variant)] // one per row of a chunk, never moved after
enum Ready {
    Lead(Lead),
    Text(String),
    View(JsonLead<'static>),
}

/// Parses and scores the slow rows on all cores, a chunk at a time (the leads
/// of a chunk live while its scratch borrows them: no clone).
fn score_slow(
    pack: &CompiledPack,
    rows: Vec<SlowRow>,
    names: &KeyNames,
    now: Timestamp,
    explain: bool,
) -> Vec<Result<ScoreResult>> {
    const CHUNK: usize = 256;
    let mut rows = rows;
    let mut chunks = Vec::new();
    while rows.len() > CHUNK {
        let rest = rows.split_off(CHUNK);
        chunks.push(std::mem::replace(&mut rows, rest));
    }
    chunks.push(rows);
    let end = deadline::batch_end(pack.0.limits.batch_time());
    chunks
        .into_par_iter()
        .flat_map_iter(|chunk| {
            let _batch = deadline::enter_batch(end);
            // Values become leads; texts are read in place (`CompiledPack::score_json`).
            let read: Vec<Result<Ready>> = chunk
                .into_iter()
                .map(|r| match r {
                    SlowRow::Value(v) => v.and_then(Lead::from_value).map(Ready::Lead),
                    SlowRow::Json(t) => Ok(Ready::Text(t)),
                    SlowRow::View(v) => Ok(Ready::View(v)),
                })
                .collect();
            let views = pack.reads_views();
            let parsed: Vec<Result<Parsed<'_>>> = read
                .iter()
                .map(|r| match r {
                    Ok(Ready::Lead(lead)) => Ok(Parsed::Ref(lead)),
                    Ok(Ready::Text(text)) => read_json_named(text, views, names),
                    Ok(Ready::View(view)) => Ok(Parsed::ViewRef(view)),
                    Err(e) => Err(e.clone()),
                })
                .collect();
            pack.score_parsed(&parsed, now, explain)
        })
        .collect()
}

/// Reads a row's held values the way `extract::fill` reads a parsed lead.
struct RowView<'r> {
    row: &'r [Option<Held>],
    text: &'r str,
}

impl<'r> RowView<'r> {
    fn new(row: &'r [Option<Held>], text: &'r str) -> Self {
        RowView { row, text }
    }

    fn held(&self, k: Option<usize>) -> Option<Held> {
        k.and_then(|k| self.row.get(k).copied().flatten())
    }

    fn str_of(&self, k: usize) -> &'r str {
        match self.held(Some(k)) {
            Some(Held::Str(a, b)) => self.text.get(a..b).unwrap_or(""),
            _ => "",
        }
    }

    /// `extract::value_num` of a flat (`extra`) value.
    #[allow(clippy::cast_precision_loss)] // as serde_json's `as_f64`
    fn flat_num(&self, k: Option<usize>) -> Option<f64> {
        match self.held(k)? {
            Held::Bool(b) => Some(f64::from(u8::from(b))),
            Held::Int(n) => Some(n as f64),
            Held::UInt(n) => Some(n as f64),
            Held::Float(v) => Some(v),
            Held::Null | Held::Str(..) => None,
        }
    }

    #[allow(clippy::cast_precision_loss)] // as the lead path's `n as f64`
    fn num(&self, calc: Calc, created_at: Timestamp, now: Timestamp) -> f64 {
        match calc {
            Calc::Employees(k) => match self.held(Some(k)) {
                Some(Held::Int(n)) => n as f64,
                Some(Held::UInt(n)) => n as f64,
                _ => 0.0,
            },
            Calc::Revenue(k, flat) => self
                .flat_num(Some(k))
                .or_else(|| self.flat_num(flat))
                .unwrap_or(0.0),
            Calc::FlatNum(k) => self.flat_num(k).unwrap_or(0.0),
            Calc::Derived(Derived::FreeMail, k) => {
                f64::from(u8::from(helpers::is_free_mail(self.str_of(k))))
            }
            Calc::Activity(record, fallback) => {
                self.flat_num(record).unwrap_or_else(|| match fallback {
                    Fallback::Zero => 0.0,
                    Fallback::DaysSinceCreated => whole_days_between(created_at, now) as f64,
                    Fallback::DaysSince(k) => match self.held(k) {
                        Some(Held::Str(a, b)) => self
                            .text
                            .get(a..b)
                            .and_then(|s| parse_timestamp(s).ok())
                            .map_or(0.0, |t| whole_days_between(t, now) as f64),
                        _ => 0.0,
                    },
                })
            }
            Calc::Text(_) | Calc::FlatStr(_) | Calc::Derived(..) => 0.0,
        }
    }

    /// Appends the string value of a feature to `out`.
    fn text(&self, calc: Calc, out: &mut String) {
        match calc {
            Calc::Text(k) => out.push_str(self.str_of(k)),
            Calc::FlatStr(k) => match self.held(k) {
                Some(Held::Str(a, b)) => out.push_str(self.text.get(a..b).unwrap_or("")),
                Some(Held::Bool(b)) => out.push_str(if b { "true" } else { "false" }),
                Some(Held::Int(n)) => out.push_str(&Number::from(n).to_string()),
                Some(Held::UInt(n)) => out.push_str(&Number::from(n).to_string()),
                Some(Held::Float(v)) => {
                    if let Some(n) = Number::from_f64(v) {
                        out.push_str(&n.to_string());
                    }
                }
                Some(Held::Null) | None => {}
            },
            Calc::Derived(d, k) => {
                let s = self.str_of(k);
                match d {
                    Derived::EmailDomain => out.push_str(&helpers::email_domain(s)),
                    Derived::WebsiteDomain => out.push_str(&helpers::website_domain(s)),
                    Derived::CompanyNormalized => out.push_str(&helpers::company_normalized(s)),
                    Derived::Seniority => out.push_str(helpers::seniority(s)),
                    Derived::Department => out.push_str(helpers::department(s)),
                    Derived::EmployeeBand => {
                        let e = match self.held(Some(k)) {
                            Some(Held::Int(n)) => u64::try_from(n).ok(),
                            Some(Held::UInt(n)) => Some(n),
                            _ => None,
                        };
                        out.push_str(helpers::employee_band(e));
                    }
                    Derived::FreeMail => {}
                }
            }
            Calc::Employees(_) | Calc::Revenue(..) | Calc::FlatNum(_) | Calc::Activity(..) => {}
        }
    }
}

impl CompiledPack {
    /// True when [`evaluate`](Self::evaluate) only scores (no qualification
    /// framework, no lifecycle thresholds): a flat record's evaluation is then
    /// its row-batch score, with its stage unchanged.
    pub fn only_scores(&self) -> bool {
        self.0.qualification.is_none() && self.0.manifest.lifecycle.is_empty()
    }

    /// Parsed JSON records through a row batch.
    pub(crate) fn score_records(
        &self,
        values: Vec<Result<Value>>,
        now: Timestamp,
        explain: bool,
        opts: &InputOptions,
    ) -> Vec<Result<ScoreResult>> {
        let mut batch = RowBatch::with_options(self, now, explain, opts);
        for v in values {
            match v {
                Ok(v) => batch.push_object(v),
                Err(e) => batch.push_value(Err(e)),
            }
        }
        batch.score()
    }
}

#[cfg(test)]
#[path = "rows_tests.rs"]
mod tests;
