//! [`CompiledPack`]: a rule pack compiled once, shared across threads, reused for every lead.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use rhai::Engine;

use super::compile;
use super::compile::render;
use super::define::features::FeatureTable;
use super::define::load::{self, PackFormat, PackSource};
use super::define::manifest::{GradesSpec, Manifest, TemperatureSpec};
use super::exec::program::{Program, RuleInfo, Scratch, Sums, Trace};
use super::exec::script::{self, ScriptLog};
use super::input::activity_plan::ActivityPlan;
use super::input::extract;
use super::input::lead_view::LeadView;
use super::result::{Explanation, Grade, ScoreResult, Temperature};
use crate::error::Result;
use crate::model::Lead;
use crate::sandbox::{Limits, deadline, stack};
use crate::time::Timestamp;

/// A compiled rule pack. Immutable, `Send + Sync`, cheap to clone (an `Arc`).
#[derive(Debug, Clone)]
pub struct CompiledPack(pub(crate) Arc<Inner>);

#[derive(Debug)]
pub(crate) struct Inner {
    pub id: String,
    pub manifest: Manifest,
    pub features: FeatureTable,
    pub aggs: ActivityPlan,
    pub agg_owners: Vec<usize>,
    pub program: Program,
    pub engine: Engine,
    pub log: ScriptLog,
    pub qualification: Option<super::exec::evaluate::Qualification>,
    pub sources: super::define::sources::PackSources,
    /// The limits the pack runs under: the host's, lowered by the pack.
    pub limits: Limits,
    /// How record keys read under the default input options (built on first use).
    pub names: std::sync::OnceLock<super::input::schema::KeyNames>,
}

/// How the host loads a pack. The host owns the sandbox: `limits` are ceilings
/// that the pack's own `[limits]` may lower, never raise or disable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoadOptions {
    pub limits: Limits,
}

impl LoadOptions {
    /// Options with these host limits.
    pub fn with_limits(limits: Limits) -> Self {
        LoadOptions { limits }
    }
}

/// Leads per parallel task: large enough to amortise scheduling, small enough to balance.
const CHUNK: usize = 512;

impl CompiledPack {
    /// Loads and compiles a pack folder (with `pack.toml|json|yaml`) or a single
    /// manifest or `.rhai` file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        Self::load_with(path, &LoadOptions::default())
    }

    /// [`load`](Self::load) under the host's options (limits).
    pub fn load_with(path: impl AsRef<Path>, options: &LoadOptions) -> Result<Self> {
        options.limits.validate()?;
        // Parsing recurses like scripts do: the same known stack (see `from_str_with`).
        let src = stack::with_stack(|| load::from_path(path.as_ref(), &options.limits))?;
        Self::compile(src, options)
    }

    /// Compiles a pack given as text (`file` names it in errors). Scripts must be
    /// inline (`script`, or `script` on a rule).
    pub fn from_str(text: &str, format: PackFormat, file: &str) -> Result<Self> {
        Self::from_str_with(text, format, file, &LoadOptions::default())
    }

    /// [`from_str`](Self::from_str) under the host's options (limits).
    pub fn from_str_with(
        text: &str,
        format: PackFormat,
        file: &str,
        options: &LoadOptions,
    ) -> Result<Self> {
        options.limits.validate()?;
        let src = stack::with_stack(|| load::from_text(text, format, file, None))?;
        Self::compile(src, options)
    }

    /// Compiles a pack from a manifest text and named script texts, e.g. a pack
    /// embedded with `include_str!` (`scripts` entries name the given scripts).
    pub fn from_parts(
        manifest: &str,
        format: PackFormat,
        file: &str,
        scripts: &[(&str, &str)],
    ) -> Result<Self> {
        Self::compile(
            load::from_parts(manifest, format, file, scripts)?,
            &LoadOptions::default(),
        )
    }

    /// Compiles a pack given as a JSON value (a manifest with inline scripts).
    pub fn from_value(value: &serde_json::Value) -> Result<Self> {
        Self::from_value_with(value, &LoadOptions::default())
    }

    /// [`from_value`](Self::from_value) under the host's options (limits).
    pub fn from_value_with(value: &serde_json::Value, options: &LoadOptions) -> Result<Self> {
        Self::from_str_with(&value.to_string(), PackFormat::Json, "<inline>", options)
    }

    pub(crate) fn compile(src: PackSource, options: &LoadOptions) -> Result<Self> {
        let m = &src.manifest;
        let limits = options
            .limits
            .lowered_by(&m.limits)
            .map_err(|e| e.with_file(src.file.clone()))?;
        let mut features = FeatureTable::new(&m.features, m.features_from)
            .map_err(|e| e.with_file(src.file.clone()))?;
        check_thresholds(&m.grades, &m.temperature).map_err(|e| e.with_file(src.file.clone()))?;
        let log = ScriptLog::default();
        let engine = script::engine(&limits, &log);
        // rhai parses recursively: give it a known stack wherever the host calls from.
        let program =
            stack::with_stack(|| compile::program(&src, &mut features, &engine, &limits))?;
        let (aggs, agg_owners) = extract::aggregates(&features);
        let aggs = ActivityPlan::new(&aggs);
        let qualification = match &m.qualification {
            Some(q) => Some(
                super::exec::evaluate::qualification(q)
                    .map_err(|e| e.with_file(src.file.clone()))?,
            ),
            None => None,
        };
        let sources = super::define::sources::PackSources::of(&src, options.limits);
        Ok(CompiledPack(Arc::new(Inner {
            id: format!("{}@{}", m.name, m.version),
            manifest: src.manifest,
            features,
            aggs,
            agg_owners,
            program,
            engine,
            log,
            qualification,
            sources,
            limits,
            names: std::sync::OnceLock::new(),
        })))
    }

    pub fn name(&self) -> &str {
        &self.0.manifest.name
    }
    pub fn version(&self) -> &str {
        &self.0.manifest.version
    }
    /// `name@version`, as stored in `lead.score.pack`.
    pub fn id(&self) -> &str {
        &self.0.id
    }
    /// The manifest as loaded.
    pub fn manifest(&self) -> &Manifest {
        &self.0.manifest
    }
    /// Every rule and setup statement, in evaluation order, with its tier.
    pub fn rules(&self) -> &[RuleInfo] {
        &self.0.program.rules
    }
    /// Script sources (files or inline scripts with statements left to rhai):
    /// `(compiled, all)`, where a compiled source runs as Rust closures with
    /// rhai's semantics and falls back to the interpreter only when a lead needs
    /// it (`docs/rules.md`, "The compiled script tier").
    pub fn script_sources(&self) -> (usize, usize) {
        self.0.program.script_sources()
    }
    /// Names of the features the pack reads.
    pub fn features(&self) -> Vec<&str> {
        self.0
            .features
            .used
            .iter()
            .map(|f| f.name.as_str())
            .collect()
    }
    /// The sandbox limits the pack runs under (the host's, lowered by the pack).
    pub fn limits(&self) -> &Limits {
        &self.0.limits
    }
    /// Lines written by `print`/`debug` since the last call, and how many were dropped.
    pub fn take_log(&self) -> (Vec<String>, u64) {
        self.0.log.take()
    }

    pub(crate) fn scratch<'a>(&self, now: Timestamp) -> Scratch<'a> {
        Scratch::new(
            &self.0.features,
            &self.0.program,
            self.0.aggs.len(),
            &now.to_rfc3339(),
        )
    }

    /// One lead, with an explanation when `explain` is set.
    pub(crate) fn score_lead(
        &self,
        lead: &Lead,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        let mut x = self.scratch(now);
        self.score_in(&mut x, lead, now, explain)
    }

    pub(crate) fn score_in<'a>(
        &self,
        x: &mut Scratch<'a>,
        lead: &'a Lead,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        self.score_view(x, lead, Some(lead), now, explain)
    }

    /// Scores any [`LeadView`]; `full` is the parsed lead, which scripts that
    /// read `lead.custom` / `lead.extra` need (`None` only when no script does,
    /// see [`Self::reads_views`]).
    pub(crate) fn score_view<'a, L: LeadView + ?Sized>(
        &self,
        x: &mut Scratch<'a>,
        lead: &'a L,
        full: Option<&Lead>,
        now: Timestamp,
        explain: bool,
    ) -> Result<ScoreResult> {
        let p = &self.0;
        crate::rules::input::spelling::check_lead(&p.features, lead)?;
        extract::fill(&p.features, &p.aggs, &p.agg_owners, lead, now, x);
        let mut trace = explain.then(Trace::default);
        let sums = p.program.run(
            &p.features,
            Some(&p.engine),
            x,
            full,
            lead.id(),
            trace.as_mut(),
        )?;
        Ok(self.result(lead.id().to_owned(), sums, trace))
    }

    pub(crate) fn result(&self, lead_id: String, s: Sums, trace: Option<Trace>) -> ScoreResult {
        let grade = self.grade(s.fit);
        let temperature = self.temperature(s.total);
        let explanation = trace.map(|t| {
            let m = &self.0.manifest;
            Explanation {
                pack: self.0.id.clone(),
                rules: t.rules,
                caps: t.caps,
                fit_raw: t.fit_raw,
                engagement_raw: t.engagement_raw,
                grade_reason: grade_reason(grade, s.fit, &m.grades),
                temperature_reason: temperature_reason(temperature, s.total, &m.temperature),
            }
        });
        ScoreResult {
            lead_id,
            total: s.total,
            fit: s.fit,
            engagement: s.engagement,
            grade,
            temperature,
            explanation,
        }
    }

    /// The grade for a fit score.
    pub fn grade(&self, fit: f64) -> Grade {
        let g = &self.0.manifest.grades;
        if fit >= g.a {
            Grade::A
        } else if fit >= g.b {
            Grade::B
        } else if fit >= g.c {
            Grade::C
        } else if fit >= g.d {
            Grade::D
        } else if g.e.is_some_and(|e| fit >= e) {
            Grade::E
        } else {
            Grade::F
        }
    }

    /// The temperature for a total score.
    pub fn temperature(&self, total: f64) -> Temperature {
        let t = &self.0.manifest.temperature;
        if total >= t.hot {
            Temperature::Hot
        } else if total >= t.warm {
            Temperature::Warm
        } else {
            Temperature::Cold
        }
    }

    /// Leads on all cores, a chunk per task under the batch deadline.
    pub(crate) fn score_leads(
        &self,
        leads: &[Lead],
        now: Timestamp,
        explain: bool,
    ) -> Vec<Result<ScoreResult>> {
        let end = deadline::batch_end(self.0.limits.batch_time());
        leads
            .par_chunks(CHUNK)
            .flat_map_iter(|chunk| {
                let _batch = deadline::enter_batch(end);
                let mut x = self.scratch(now);
                chunk
                    .iter()
                    .map(|l| self.score_in(&mut x, l, now, explain))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// Leads on the current thread only.
    pub(crate) fn score_leads_here(
        &self,
        leads: &[Lead],
        now: Timestamp,
        explain: bool,
    ) -> Vec<Result<ScoreResult>> {
        let _batch = deadline::enter_batch(deadline::batch_end(self.0.limits.batch_time()));
        let mut x = self.scratch(now);
        leads
            .iter()
            .map(|l| self.score_in(&mut x, l, now, explain))
            .collect()
    }
}

fn check_thresholds(g: &GradesSpec, t: &TemperatureSpec) -> Result<()> {
    let mut order = vec![g.a, g.b, g.c, g.d];
    order.extend(g.e);
    if order.windows(2).any(|w| w[0] < w[1]) || order.iter().any(|v| v.is_nan()) {
        return Err(
            crate::Error::config("grades must not increase from A to E").with_field("grades")
        );
    }
    if t.hot < t.warm || t.hot.is_nan() || t.warm.is_nan() {
        return Err(
            crate::Error::config("temperature.hot must be at least temperature.warm")
                .with_field("temperature"),
        );
    }
    Ok(())
}

fn grade_reason(grade: Grade, fit: f64, g: &GradesSpec) -> String {
    let mut all = vec![g.a, g.b, g.c, g.d];
    all.extend(g.e);
    let fit = render::rounded(fit, &all);
    let floor = match grade {
        Grade::A => Some(g.a),
        Grade::B => Some(g.b),
        Grade::C => Some(g.c),
        Grade::D => Some(g.d),
        Grade::E => g.e,
        Grade::F => None,
    };
    match floor {
        Some(f) => format!("fit {fit} >= {f} for grade {}", grade.as_str()),
        None => format!("fit {fit} is below every grade threshold"),
    }
}

fn temperature_reason(t: Temperature, total: f64, s: &TemperatureSpec) -> String {
    let total = render::rounded(total, &[s.warm, s.hot]);
    match t {
        Temperature::Hot => format!("total {total} >= hot threshold {}", s.hot),
        Temperature::Warm => format!(
            "total {total} >= warm threshold {} (hot at {})",
            s.warm, s.hot
        ),
        Temperature::Cold => format!("total {total} < warm threshold {}", s.warm),
    }
}
