//! Rule packs: the `Pack` class (compile once; score, explain, evaluate one lead
//! or many, columnar batches) with async variants that run off the main thread.

use leadflow::lifecycle;
use leadflow::rules::{CompiledPack, Evaluation, InputOptions, KeyNames, LoadOptions, PackFormat};
use leadflow::sandbox::Limits;
use leadflow::{Lead, Record, Timestamp};
use napi::bindgen_prelude::{AsyncTask, FromNapiValue, Object, Unknown};
use napi::{Env, ValueType};
use napi_derive::napi;
use rayon::prelude::*;
use serde::Serialize;

use crate::errors::OrThrow;
use crate::input_options::{self, ColumnOptions, ScoreManyOptions, ScoreOptions};
use crate::lifecycle::Pipeline;
use crate::rows::{Append, ChunksTask, Leads, ScoredChunk, check_mapping};
use crate::rules::{arg, lead_from};
use crate::values::{self, JsonInput, Row};
use crate::{columnar, rows};

/// A compiled rule pack. Immutable and cheap to share: compile once, score many.
#[napi]
#[derive(Debug)]
pub struct Pack {
    inner: CompiledPack,
}

/// `now` as a timestamp string (the fast path) or anything JSON turns into one (a `Date`).
pub(crate) fn now_arg(env: &Env, value: &Unknown) -> napi::Result<Timestamp> {
    if value.get_type()? == ValueType::String {
        let text: String = FromNapiValue::from_unknown(*value)?;
        return leadflow::parse_timestamp(&text)
            .map_err(|e| e.with_field("now"))
            .or_throw(env);
    }
    arg(env, value, "now")
}

/// One entry of a batch result: the value, or `{error}`.
#[derive(Serialize)]
#[serde(untagged)]
pub(crate) enum Entry<T> {
    Ok(T),
    Err { error: leadflow::Error },
}

impl<T> From<leadflow::Result<T>> for Entry<T> {
    fn from(r: leadflow::Result<T>) -> Self {
        match r {
            Ok(v) => Entry::Ok(v),
            Err(error) => Entry::Err { error },
        }
    }
}

/// Parses a chunk of leads and runs `f` over the valid ones (any thread): the
/// JSON text of one entry per input record, in order; a record that does not
/// parse is an `{error}` entry and the others still run.
fn run_batch<T: Serialize>(
    rows: Vec<Row>,
    f: impl FnOnce(&mut [Lead]) -> Vec<leadflow::Result<T>>,
) -> leadflow::Result<String> {
    let parsed: Vec<leadflow::Result<Lead>> = rows
        .into_par_iter()
        .map(|r| r.into_value().and_then(Lead::from_value))
        .collect();
    let mut leads = Vec::new();
    let slots: Vec<Option<leadflow::Error>> = parsed
        .into_iter()
        .map(|r| r.map(|l| leads.push(l)).err())
        .collect();
    let mut done = f(&mut leads).into_iter();
    let entries: Vec<Entry<T>> = slots
        .into_iter()
        .map(|slot| match slot {
            Some(error) => Entry::Err { error },
            None => done.next().map_or_else(
                || Entry::Err {
                    error: leadflow::Error::validation("lead was not processed"),
                },
                Entry::from,
            ),
        })
        .collect();
    Ok(serde_json::to_string(&entries)?)
}

#[derive(Serialize)]
struct Evaluated<'a> {
    lead: &'a Lead,
    evaluation: &'a Evaluation,
}

fn evaluate_all(
    pack: &CompiledPack,
    pipeline: &lifecycle::Pipeline,
    leads: &mut [Lead],
    now: Timestamp,
) -> Vec<leadflow::Result<serde_json::Value>> {
    leads
        .iter_mut()
        .map(|lead| {
            let evaluation = pack.evaluate(lead, pipeline, now)?;
            Ok(serde_json::to_value(Evaluated {
                lead,
                evaluation: &evaluation,
            })?)
        })
        .collect()
}

/// The host's load options from `{ limits }` (absent: the safe defaults); unknown
/// keys and out-of-range limits are a `ConfigError`.
fn load_options(env: &Env, options: Option<Unknown>) -> napi::Result<LoadOptions> {
    let Some(options) =
        options.filter(|o| !matches!(o.get_type(), Ok(ValueType::Undefined | ValueType::Null)))
    else {
        return Ok(LoadOptions::default());
    };
    let text = values::stringify(env, &options)
        .map_err(|e| leadflow::Error::config(e.message().to_owned()))
        .or_throw(env)?;
    let parsed = serde_json::from_str::<serde_json::Value>(&text)
        .map_err(|e| leadflow::Error::config(format!("invalid pack options: {e}")))
        .and_then(|v| match v {
            serde_json::Value::Object(mut map) => {
                let limits = map.remove("limits");
                if let Some(key) = map.keys().next() {
                    return Err(leadflow::Error::config(format!(
                        "unknown pack option {key:?} (expected limits)"
                    )));
                }
                match limits {
                    None | Some(serde_json::Value::Null) => Ok(LoadOptions::default()),
                    Some(l) => Limits::from_value(&l).map(LoadOptions::with_limits),
                }
            }
            _ => Err(leadflow::Error::config("pack options must be an object")),
        });
    parsed.or_throw(env)
}

#[napi]
impl Pack {
    /// Loads and compiles a pack folder (with `pack.toml|json|yaml`) or a single
    /// manifest or `.rhai` file. `options.limits` are the host's sandbox ceilings
    /// (`docs/sandbox.md`); the pack's own `[limits]` may only lower them.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "path: string, options?: PackOptions"
    )]
    pub fn from_path(env: &Env, path: String, options: Option<Unknown>) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let options = load_options(env, options)?;
            let inner = CompiledPack::load_with(path, &options).or_throw(env)?;
            Ok(Pack { inner })
        })
    }

    /// Compiles a pack given as text in `format`; `file` names it in errors.
    /// Scripts must be inline.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "text: string, format: PackFormat, file?: string, options?: PackOptions"
    )]
    pub fn from_string(
        env: &Env,
        text: String,
        format: String,
        file: Option<String>,
        options: Option<Unknown>,
    ) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let options = load_options(env, options)?;
            let inner = PackFormat::from_extension(&format)
                .ok_or_else(|| {
                    leadflow::Error::config(format!(
                        "unknown pack format {format:?} (expected toml, json, yaml or rhai)"
                    ))
                })
                .and_then(|f| {
                    let file = file.as_deref().unwrap_or("<string>");
                    CompiledPack::from_str_with(&text, f, file, &options)
                })
                .or_throw(env)?;
            Ok(Pack { inner })
        })
    }

    /// Compiles a pack given as a manifest object with inline scripts.
    #[napi(
        factory,
        catch_unwind,
        ts_args_type = "manifest: PackManifest, options?: PackOptions"
    )]
    pub fn from_object(
        env: &Env,
        manifest: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<Self> {
        crate::errors::guard(env, || {
            let options = load_options(env, options)?;
            let text = values::stringify(env, &manifest)
                .map_err(|e| leadflow::Error::config(e.message().to_owned()))
                .or_throw(env)?;
            let inner = CompiledPack::from_str_with(&text, PackFormat::Json, "<inline>", &options)
                .or_throw(env)?;
            Ok(Pack { inner })
        })
    }

    /// The sandbox limits the pack runs under: the host's, lowered by the pack.
    #[napi(getter, ts_return_type = "Limits")]
    pub fn limits<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        let value = serde_json::to_value(self.inner.limits())
            .map_err(|e| napi::Error::from_reason(e.to_string()))?;
        values::to_js(env, &value)
    }

    #[napi(getter)]
    pub fn name(&self) -> String {
        self.inner.name().to_owned()
    }

    #[napi(getter)]
    pub fn version(&self) -> String {
        self.inner.version().to_owned()
    }

    /// `name@version`, as stored in `lead.score.pack`.
    #[napi(getter)]
    pub fn id(&self) -> String {
        self.inner.id().to_owned()
    }

    /// Every rule and setup statement, in evaluation order, with its tier.
    #[napi(getter, ts_return_type = "RuleInfo[]")]
    pub fn rules<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        values::to_js(env, self.inner.rules())
    }

    /// Names of the features the pack reads (the column names `scoreColumns` looks for).
    #[napi(getter)]
    pub fn features(&self) -> Vec<String> {
        self.inner
            .features()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// Scores one lead as of `now`; `{explain: true}` adds the explanation.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, now: Timestamp | Date, options?: ScoreOptions",
        ts_return_type = "ScoreResult"
    )]
    pub fn score<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        now: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            // The lead's JSON text is scored without building the lead (the same
            // result or error), its keys read as `scoreMany` reads them (`Title`
            // is `title`); a bad `now` or option is reported after the lead's own
            // error, as before.
            let text = values::stringify(env, &lead).or_throw(env)?;
            let value = || serde_json::from_str(&text).map_err(leadflow::Error::from);
            let options = input_options::read::<ScoreOptions>(env, options.as_ref());
            let (now, explain) = match (now_arg(env, &now), options) {
                (Ok(now), Ok(o)) => (now, o.explain),
                (now, o) => {
                    let names = KeyNames::new(&self.inner, &InputOptions::default());
                    match value().or_throw(env)? {
                        serde_json::Value::Object(map) => names
                            .rename_shared(map)
                            .and_then(|m| Lead::from_value(serde_json::Value::Object(m))),
                        other => Lead::from_value(other),
                    }
                    .or_throw(env)?;
                    (now?, o?.explain)
                }
            };
            let de = &mut serde_json::Deserializer::from_str(&text);
            let r = self
                .inner
                .score_read(
                    de,
                    value,
                    now,
                    leadflow::rules::ScoreOptions::default().with_explain(explain),
                )
                .or_throw(env)?;
            values::to_js(env, &r)
        })
    }

    /// Scores one lead and explains every fired rule, cap, grade and temperature.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, now: Timestamp | Date",
        ts_return_type = "ExplainedScore"
    )]
    pub fn explain<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        now: Unknown,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let lead = lead_from(env, &lead)?;
            let now = now_arg(env, &now)?;
            let r = self.inner.explain(&lead, now).or_throw(env)?;
            values::to_js(env, &r)
        })
    }

    /// Scores the lead, evaluates the pack's qualification framework and applies
    /// its lifecycle thresholds (built-in pipeline unless one is given). Returns
    /// the updated lead (score, qualification, stage, history) and what happened.
    #[napi(
        catch_unwind,
        ts_args_type = "lead: LeadInput, now: Timestamp | Date, pipeline?: Pipeline | null",
        ts_return_type = "Evaluated"
    )]
    pub fn evaluate<'e>(
        &self,
        env: &'e Env,
        lead: Unknown,
        now: Unknown,
        pipeline: Option<&Pipeline>,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let mut lead = lead_from(env, &lead)?;
            let now = now_arg(env, &now)?;
            let default = lifecycle::Pipeline::default();
            let p = pipeline.map_or(&default, Pipeline::core);
            let evaluation = self.inner.evaluate(&mut lead, p, now).or_throw(env)?;
            values::to_js(
                env,
                &Evaluated {
                    lead: &lead,
                    evaluation: &evaluation,
                },
            )
        })
    }

    /// Scores many leads (an array of lead objects, or a JSON array / JSON Lines
    /// text) on all cores. One entry per lead, in order; a lead that fails is an
    /// `{error}` entry and never fails the batch.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: LeadInput[] | string, now: Timestamp | Date, options?: ScoreManyOptions",
        ts_return_type = "Array<ScoreResult | ErrorEntry>"
    )]
    pub fn score_many<'e>(
        &self,
        env: &'e Env,
        leads: JsonInput,
        now: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let leads = Leads::new(env, leads)?;
            let now = now_arg(env, &now)?;
            let o: ScoreManyOptions = input_options::read(env, options.as_ref())?;
            let opts = o.input();
            check_mapping(&self.inner, &opts).or_throw(env)?;
            let out = rows::new_array(env)?;
            leads.pipelined(
                env,
                |chunk| rows::score_chunk(&self.inner, chunk, now, o.explain, &opts),
                |scored| scored.append(env, out),
            )?;
            Ok(out)
        })
    }

    /// `scoreMany` off the main thread: the leads are serialized on the calling
    /// thread (chunk by chunk), then parsed and scored on a worker; resolves
    /// with the same entries.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: LeadInput[] | string, now: Timestamp | Date, options?: ScoreManyOptions",
        ts_return_type = "Promise<Array<ScoreResult | ErrorEntry>>"
    )]
    pub fn score_many_async(
        &self,
        env: &Env,
        leads: JsonInput,
        now: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<ChunksTask<ScoredChunk>>> {
        crate::errors::guard(env, || {
            let leads = Leads::new(env, leads)?;
            let now = now_arg(env, &now)?;
            let o: ScoreManyOptions = input_options::read(env, options.as_ref())?;
            let opts = o.input();
            let batch = leads.read(env)?;
            let pack = self.inner.clone();
            Ok(AsyncTask::new(ChunksTask::new(move || {
                check_mapping(&pack, &opts)?;
                let mut out = Vec::new();
                batch.for_each(|chunk| {
                    out.push(rows::score_chunk(&pack, chunk, now, o.explain, &opts)?);
                    Ok::<_, leadflow::Error>(())
                })?;
                Ok(out)
            })))
        })
    }

    /// `evaluate` for many leads: one `{lead, evaluation}` or `{error}` entry per lead.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: LeadInput[] | string, now: Timestamp | Date, pipeline?: Pipeline | null",
        ts_return_type = "Array<Evaluated | ErrorEntry>"
    )]
    pub fn evaluate_many<'e>(
        &self,
        env: &'e Env,
        leads: JsonInput,
        now: Unknown,
        pipeline: Option<&Pipeline>,
    ) -> napi::Result<Unknown<'e>> {
        crate::errors::guard(env, || {
            let leads = Leads::new(env, leads)?;
            let now = now_arg(env, &now)?;
            let p = pipeline.map(|p| p.core().clone()).unwrap_or_default();
            let out = rows::new_array(env)?;
            leads.for_each(env, |rows| {
                run_batch(rows, |l| evaluate_all(&self.inner, &p, l, now))
                    .or_throw(env)?
                    .append(env, out)
            })?;
            Ok(out)
        })
    }

    /// `evaluateMany` off the main thread.
    #[napi(
        catch_unwind,
        ts_args_type = "leads: LeadInput[] | string, now: Timestamp | Date, pipeline?: Pipeline | null",
        ts_return_type = "Promise<Array<Evaluated | ErrorEntry>>"
    )]
    pub fn evaluate_many_async(
        &self,
        env: &Env,
        leads: JsonInput,
        now: Unknown,
        pipeline: Option<&Pipeline>,
    ) -> napi::Result<AsyncTask<ChunksTask<String>>> {
        crate::errors::guard(env, || {
            let leads = Leads::new(env, leads)?;
            let now = now_arg(env, &now)?;
            let p = pipeline.map(|p| p.core().clone()).unwrap_or_default();
            let batch = leads.read(env)?;
            let pack = self.inner.clone();
            Ok(AsyncTask::new(ChunksTask::new(move || {
                let mut out = Vec::new();
                batch.for_each(|rows| {
                    out.push(run_batch(rows, |l| evaluate_all(&pack, &p, l, now))?);
                    Ok::<_, leadflow::Error>(())
                })?;
                Ok(out)
            })))
        })
    }

    /// Scores a columnar batch (see `ColumnBatch`): numeric typed arrays are read
    /// in place, string columns cross once per column. Runs on all cores.
    /// Column names are matched by the core's schema check (`Title` reads as
    /// `title`; `options.columns` maps names explicitly); a feature column the
    /// batch lacks throws, or with `strict: false` is listed in `warnings`.
    #[napi(
        catch_unwind,
        ts_args_type = "batch: ColumnBatch, now: Timestamp | Date, options?: ColumnOptions",
        ts_return_type = "ColumnScores"
    )]
    pub fn score_columns<'e>(
        &self,
        env: &'e Env,
        batch: Object,
        now: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<Object<'e>> {
        crate::errors::guard(env, || {
            let now = now_arg(env, &now)?;
            let opts = input_options::read::<ColumnOptions>(env, options.as_ref())?.input();
            let batch = columnar::Batch::from_js(env, &batch)?;
            let cols = batch.columns(&self.inner, &opts).or_throw(env)?;
            let scores =
                self.inner
                    .score_columns(&cols, now, leadflow::rules::ScoreOptions::default());
            columnar::scores_to_js(env, scores)
        })
    }

    /// `scoreColumns` off the main thread. The typed arrays are read in place:
    /// do not modify them until the promise settles.
    #[napi(
        catch_unwind,
        ts_args_type = "batch: ColumnBatch, now: Timestamp | Date, options?: ColumnOptions",
        ts_return_type = "Promise<ColumnScores>"
    )]
    pub fn score_columns_async(
        &self,
        env: &Env,
        batch: Object,
        now: Unknown,
        options: Option<Unknown>,
    ) -> napi::Result<AsyncTask<columnar::ScoreColumnsTask>> {
        crate::errors::guard(env, || {
            let now = now_arg(env, &now)?;
            let opts = input_options::read::<ColumnOptions>(env, options.as_ref())?.input();
            let batch = columnar::Batch::from_js(env, &batch)?;
            Ok(AsyncTask::new(columnar::ScoreColumnsTask::new(
                self.inner.clone(),
                batch,
                now,
                opts,
            )))
        })
    }
}
