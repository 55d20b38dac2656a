//! `scoreMany` / `evaluateMany` over batches of any size. The leads cross in
//! chunks of [`CHUNK_ROWS`]: each chunk is one `JSON.stringify` text (see
//! [`Records::chunk_from_js`]), split into its elements on all cores, then the
//! core's row batch scores them without building a `Lead`: flat records as
//! columns, records with activities, `custom` ... through the borrowed reader
//! over each one's JSON text (a record it refuses is parsed as a full lead for
//! the precise error). Results go
//! back chunk by chunk too (`values.js`'s `appendScores` / `appendJson`), so no
//! single string ever holds the whole batch (V8 caps strings at about 512 MB).

use leadflow::Timestamp;
use leadflow::model::RecordReader;
use leadflow::rules::{
    CHUNK_ROWS, CompiledPack, Grade, InputOptions, RowBatch, RowScore, ScoreResult, Temperature,
};
use napi::bindgen_prelude::{
    Either, Float64Array, FnArgs, Function, JsObjectValue, JsValue, Object, Uint8Array,
    Uint32Array, Unknown,
};
use napi::{Env, ScopedTask};
use serde::Serialize;

use crate::errors::{self, OrThrow};
use crate::panics;
use crate::values::{self, JsonInput, Records, Row};

/// The leads argument of a batch call, before its elements are read.
pub enum Leads<'a> {
    /// JSON text (as given, or one non-array value written by `JSON.stringify`).
    Text(String),
    /// A JS array and its length.
    Array(Unknown<'a>, usize),
}

/// The leads of a batch read on the JS thread, to parse and score on any thread.
#[derive(Debug)]
pub enum Batch {
    Text(String),
    Chunks(Vec<Records>),
}

impl<'a> Leads<'a> {
    /// Takes the argument: text as given, an array as it is (read later, chunk
    /// by chunk), anything else written by `JSON.stringify` now (its failure
    /// fails the call, as before any other argument is looked at).
    pub fn new(env: &Env, leads: JsonInput<'a>) -> napi::Result<Self> {
        let value = match leads {
            Either::A(text) => return Ok(Leads::Text(text)),
            Either::B(value) => value,
        };
        if value.is_array().unwrap_or(false) {
            let n = values::array_len(&value, "leads").or_throw(env)?;
            return Ok(Leads::Array(value, n));
        }
        let text = values::stringify(env, &value)
            .map_err(|e| e.with_field("leads"))
            .or_throw(env)?;
        Ok(Leads::Text(text))
    }

    /// Calls `f` with each chunk's records (see [`Row`]), in order, reading the next chunk only after `f` returns.
    pub fn for_each(
        self,
        env: &Env,
        mut f: impl FnMut(Vec<Row>) -> napi::Result<()>,
    ) -> napi::Result<()> {
        match self {
            Leads::Text(text) => Batch::Text(text).for_each(f)?,
            Leads::Array(items, n) => {
                let mut start = 0;
                while start < n {
                    let (records, next) = read_chunk(env, &items, start, n)?;
                    f(records.rows_par())?;
                    start = next;
                }
            }
        }
        Ok(())
    }

    /// [`for_each`](Self::for_each) in two halves that overlap: `work` (parse
    /// and score, any thread) runs a chunk on a helper thread while this one
    /// reads the next chunk (`JSON.stringify`, on the JS thread only), then
    /// `done` takes each chunk's output here, in order.
    pub fn pipelined<T: Send>(
        self,
        env: &Env,
        work: impl Fn(Vec<Row>) -> leadflow::Result<T> + Sync,
        mut done: impl FnMut(T) -> napi::Result<()>,
    ) -> napi::Result<()> {
        let (items, n) = match self {
            Leads::Array(items, n) => (items, n),
            text @ Leads::Text(_) => {
                return text.for_each(env, |rows| done(work(rows).or_throw(env)?));
            }
        };
        let work = &work;
        std::thread::scope(|s| {
            let mut running = None;
            let mut start = 0;
            while start < n {
                let (records, next) = read_chunk(env, &items, start, n)?;
                start = next;
                let scoring = s.spawn(move || panics::catch(|| work(records.rows_par())));
                if let Some(previous) = running.replace(scoring) {
                    done(joined(env, previous)?)?;
                }
            }
            running.map_or(Ok(()), |last| done(joined(env, last)?))
        })
    }

    /// Reads every chunk (for the async variants: the JS values can only be
    /// read on this thread).
    pub fn read(self, env: &Env) -> napi::Result<Batch> {
        match self {
            Leads::Text(text) => Ok(Batch::Text(text)),
            Leads::Array(items, n) => {
                let (mut chunks, mut start) = (Vec::new(), 0);
                while start < n {
                    let (records, next) = read_chunk(env, &items, start, n)?;
                    chunks.push(records);
                    start = next;
                }
                Ok(Batch::Chunks(chunks))
            }
        }
    }
}

/// The output of a chunk's helper thread; a panic there is an `InternalError`.
fn joined<T>(
    env: &Env,
    thread: std::thread::ScopedJoinHandle<'_, Result<leadflow::Result<T>, String>>,
) -> napi::Result<T> {
    thread
        .join()
        .unwrap_or_else(|_| Err("a scoring thread panicked".to_owned()))
        .map_err(|message| errors::internal(env, &message))?
        .or_throw(env)
}

/// The chunk of `items` from `start` (at most [`CHUNK_ROWS`] of the `n`
/// elements) and where the next one starts.
fn read_chunk(
    env: &Env,
    items: &Unknown,
    start: usize,
    n: usize,
) -> napi::Result<(Records, usize)> {
    let end = (start + CHUNK_ROWS).min(n);
    Records::chunk_from_js(env, items, (start, end), "leads")
        .map_err(|e| e.with_field("leads"))
        .or_throw(env)
}

impl Batch {
    /// Calls `f` with each chunk's records, in order; stops at `f`'s first error.
    pub fn for_each<E>(self, mut f: impl FnMut(Vec<Row>) -> Result<(), E>) -> Result<(), E> {
        match self {
            Batch::Chunks(chunks) => {
                for records in chunks {
                    f(records.rows_par())?;
                }
            }
            Batch::Text(text) => {
                let mut reader = RecordReader::new(text.as_bytes());
                loop {
                    let values: Vec<_> = reader
                        .by_ref()
                        .take(CHUNK_ROWS)
                        .map(|r| Row::Value(r.and_then(|raw| raw.value)))
                        .collect();
                    if values.is_empty() {
                        break;
                    }
                    f(values)?;
                }
            }
        }
        Ok(())
    }
}

/// One entry of a batch result given by reference: the value, or `{error}`.
#[derive(Serialize)]
#[serde(untagged)]
enum EntryRef<'a, T> {
    Ok(&'a T),
    Err { error: &'a leadflow::Error },
}

/// One chunk of `scoreMany` results: plain results as columns, the others
/// (`{error}` entries, explained results) as JSON text; see `appendScores`.
#[derive(Debug, Default)]
pub struct ScoredChunk {
    ids: String,
    /// End of each id in `ids`, in UTF-16 units (JS string indexes).
    ends: Vec<u32>,
    total: Vec<f64>,
    fit: Vec<f64>,
    engagement: Vec<f64>,
    grade: Vec<u8>,
    temperature: Vec<u8>,
    others: Option<String>,
}

impl ScoredChunk {
    fn push(&mut self, id: &str, sums: (f64, f64, f64), grade: Grade, temperature: Temperature) {
        let end = self.ends.last().copied().unwrap_or(0) as usize + id.encode_utf16().count();
        self.ids.push_str(id);
        self.ends.push(u32::try_from(end).unwrap_or(u32::MAX));
        self.total.push(sums.0);
        self.fit.push(sums.1);
        self.engagement.push(sums.2);
        self.grade.push(grade.code());
        self.temperature.push(temperature.code());
    }
}

/// Fails the call when `opts` maps a key the pack cannot read (a record may
/// omit any key: only the mapping itself is checked up front).
pub fn check_mapping(pack: &CompiledPack, opts: &InputOptions) -> leadflow::Result<()> {
    let mapped: Vec<&str> = opts.columns.iter().map(|(c, _)| c.as_str()).collect();
    pack.record_schema(&mapped, opts).map(drop)
}

/// Scores one chunk (any thread), identical to scoring each lead on its own.
/// Keys read as `opts` says (`Title` is `title`, explicit mappings win).
pub fn score_chunk(
    pack: &CompiledPack,
    rows: Vec<Row>,
    now: Timestamp,
    explain: bool,
    opts: &InputOptions,
) -> leadflow::Result<ScoredChunk> {
    let mut batch = RowBatch::with_options(pack, now, explain, opts);
    for row in rows {
        match row {
            Row::Value(Ok(v)) => batch.push_object(v),
            Row::Value(Err(e)) => batch.push_value(Err(e)),
            Row::Text(text) => batch.push_json(text),
        }
    }
    let scores = batch.score_split();
    let c = &scores.columns;
    let mut out = ScoredChunk::default();
    let mut others = Vec::new();
    for (i, r) in scores.iter().enumerate() {
        match r {
            RowScore::Fast { row, error: None } => {
                let at = |v: &[f64]| v.get(row).copied().unwrap_or(f64::NAN);
                out.push(
                    scores.id(row),
                    (at(&c.total), at(&c.fit), at(&c.engagement)),
                    c.grade.get(row).copied().unwrap_or(Grade::F),
                    c.temperature.get(row).copied().unwrap_or(Temperature::Cold),
                );
            }
            RowScore::Slow(Ok(r)) if r.explanation.is_none() => {
                out.push(
                    &r.lead_id,
                    (r.total, r.fit, r.engagement),
                    r.grade,
                    r.temperature,
                );
            }
            RowScore::Slow(Ok(r)) => others.push((i, EntryRef::<ScoreResult>::Ok(r))),
            RowScore::Fast { error: Some(e), .. } | RowScore::Slow(Err(e)) => {
                others.push((i, EntryRef::Err { error: e }));
            }
        }
    }
    if !others.is_empty() {
        out.others = Some(serde_json::to_string(&others)?);
    }
    Ok(out)
}

/// A new empty JS array.
pub fn new_array(env: &Env) -> napi::Result<Unknown<'_>> {
    let f: Function<(), Unknown> = values::helper(env)?.get_named_property_unchecked("newArray")?;
    f.call(())
}

/// Results of one chunk, appended to the JS array of the batch's results.
pub trait Append: Send {
    fn append(self, env: &Env, out: Unknown) -> napi::Result<()>;
}

impl Append for ScoredChunk {
    fn append(self, env: &Env, out: Unknown) -> napi::Result<()> {
        let mut c = Object::new(env)?;
        c.set_named_property("ids", self.ids)?;
        c.set_named_property("ends", Uint32Array::new(self.ends))?;
        c.set_named_property("total", Float64Array::new(self.total))?;
        c.set_named_property("fit", Float64Array::new(self.fit))?;
        c.set_named_property("engagement", Float64Array::new(self.engagement))?;
        c.set_named_property("grade", Uint8Array::new(self.grade))?;
        c.set_named_property("temperature", Uint8Array::new(self.temperature))?;
        c.set_named_property("grades", Grade::ALL.map(Grade::as_str).to_vec())?;
        c.set_named_property(
            "temperatures",
            Temperature::ALL.map(Temperature::as_str).to_vec(),
        )?;
        c.set_named_property("others", self.others)?;
        let f: Function<FnArgs<(Unknown, Object)>, Unknown> =
            values::helper(env)?.get_named_property_unchecked("appendScores")?;
        f.call((out, c).into()).map(drop)
    }
}

/// The JSON text of an array of entries (`evaluateMany`'s chunks).
impl Append for String {
    fn append(self, env: &Env, out: Unknown) -> napi::Result<()> {
        let f: Function<FnArgs<(Unknown, String)>, Unknown> =
            values::helper(env)?.get_named_property_unchecked("appendJson")?;
        f.call((out, self).into()).map(drop)
    }
}

/// A batch parsed and scored off the main thread, chunk by chunk; its results
/// cross back chunk by chunk too.
pub struct ChunksTask<T>(Option<Box<dyn FnOnce() -> leadflow::Result<Vec<T>> + Send>>);

impl<T> std::fmt::Debug for ChunksTask<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChunksTask")
    }
}

impl<T> ChunksTask<T> {
    pub fn new(f: impl FnOnce() -> leadflow::Result<Vec<T>> + Send + 'static) -> Self {
        ChunksTask(Some(Box::new(f)))
    }
}

impl<'task, T: Append + 'static> ScopedTask<'task> for ChunksTask<T> {
    /// `Err`: the message of a panic caught on the worker.
    type Output = Result<leadflow::Result<Vec<T>>, String>;
    type JsValue = Unknown<'task>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let f = self.0.take().ok_or_else(|| {
            napi::Error::new(napi::Status::GenericFailure, "task ran twice".to_owned())
        })?;
        // A panic must not unwind out of the worker (it would abort Node).
        Ok(panics::catch(f))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        let chunks = output
            .map_err(|message| errors::internal(env, &message))?
            .or_throw(env)?;
        let out = new_array(env)?;
        for chunk in chunks {
            chunk.append(env, out)?;
        }
        Ok(out)
    }
}
