//! The compiled program of a pack: an ordered list of steps (native rules,
//! native locals, script statements) and the per-lead evaluation loop.

use std::borrow::Cow;
use std::sync::Arc;

use rhai::{Dynamic, Engine, ImmutableString, Scope};

use crate::error::{Error, Result};
use crate::model::Lead;
use crate::rules::compile::lower::{self, Env, Lowered, Vars};
use crate::rules::compile::recognize::NumTy;
use crate::rules::define::features::{Axis, FeatureTable, FeatureType};
use crate::rules::define::manifest::Range;
use crate::rules::exec::native::{Cond, Ctx, Num};
use crate::rules::exec::script;
use crate::rules::result::{AppliedCap, FiredRule, Tier};
use crate::sandbox::{deadline, stack};

/// Whether a rule entry is a scoring rule or a setup statement (`let`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Rule,
    Setup,
}

/// Static facts about one rule (or setup statement) of a pack.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleInfo {
    pub name: String,
    pub kind: RuleKind,
    pub axis: Axis,
    pub tier: Tier,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// File the rule comes from (manifest or script).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub(crate) struct NativeRule {
    pub rule: usize,
    /// Axis index and cap group, copied from the rule so the hot loop reads one struct.
    pub axis: usize,
    pub group: Option<usize>,
    pub cond: Cond,
    pub points: Num,
    pub cap: (Option<f64>, Option<f64>),
    pub decay: Option<Num>,
}

#[derive(Debug, Clone)]
pub(crate) struct ScriptStep {
    /// Rules covered, with their first line (to name the rule of a runtime error).
    pub rules: Vec<(usize, u32)>,
    /// Runs of statements sharing an axis and cap group, in order. All but the last
    /// end with a statement copying `score` into [`MARKS`]`[k]`, so one interpreter
    /// run yields every segment's points.
    pub segments: Vec<Segment>,
    pub ast: rhai::AST,
    pub file: String,
    /// The script's text (the lowering reads switch case values back from it).
    pub text: Arc<str>,
    /// The step as closures, when its whole source lowers (`rules::lower`).
    pub lowered: Option<Arc<Lowered>>,
}

/// One run of script statements with the same axis and cap group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub axis: Axis,
    pub group: Option<usize>,
    /// The rule named in explanations (the first one of the run).
    pub rule: usize,
}

/// Segments one interpreter run can report: all but the last end with a call
/// `__lf_mark(k, score)` (see [`script::MARK_FN`]), which records `score` without
/// adding a variable to the scope (the parser's scope offsets stay valid).
pub(crate) const MAX_MARKS: usize = 8;

/// Where a key of the `lead` map takes its value from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeadKey {
    Feature(usize),
    Custom,
    Extra,
}

#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Start of a script source: its `score` starts at zero, its variables are
    /// dropped. `lowered`: every script step of the source is lowered.
    Begin {
        lowered: bool,
    },
    /// `let score = 0;` (a script variable the later script statements refer to);
    /// `slot` is its float variable in lowered code.
    Init {
        slot: usize,
        reuse: Reuse,
    },
    Let {
        local: usize,
        expr: Num,
        ty: NumTy,
        reuse: Reuse,
    },
    Native(NativeRule),
    Script(ScriptStep),
}

/// A `let` that rhai's parser made overwrite an entry of the same block instead
/// of pushing one (counted from the scope's end); the program does the same, so
/// the parser's scope offsets stay valid for the statements after it.
pub(crate) type Reuse = Option<std::num::NonZeroUsize>;

/// Pushes `value` as `name`, or overwrites the entry the parser reused: the
/// innermost `name`, which the parser found the same way.
fn declare(scope: &mut Scope<'static>, name: &str, value: Dynamic, reuse: Reuse) {
    if reuse.is_some()
        && scope.is_constant(name) == Some(false)
        && let Some(v) = scope.get_mut(name)
    {
        *v = value;
        return;
    }
    scope.push_dynamic(name.to_owned(), value);
}

/// Everything needed to score a feature row.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub rules: Vec<RuleInfo>,
    pub rule_groups: Vec<Option<usize>>,
    /// One step per statement (explain); `fast` merges adjacent script statements.
    pub explain: Vec<Step>,
    pub fast: Vec<Step>,
    pub local_names: Vec<String>,
    pub has_scripts: bool,
    /// The keys of the `lead` map in map (sorted) order, to refresh it in place.
    pub lead_keys: Vec<(ImmutableString, LeadKey)>,
    pub groups: Vec<(String, Range, Axis)>,
    pub axis_caps: [Option<Range>; 2],
    pub total_cap: Range,
    /// CPU budget of one lead's script work (`sandbox::deadline`).
    pub lead_time: std::time::Duration,
}

/// Per-thread working memory, reused across leads (no allocation per lead on the native path).
#[derive(Debug)]
pub(crate) struct Scratch<'a> {
    pub num: Vec<f64>,
    pub strs: Vec<Cow<'a, str>>,
    pub aggs: Vec<f64>,
    locals: Vec<f64>,
    groups: Vec<f64>,
    scope: Scope<'static>,
    now: ImmutableString,
    /// Interpreter state per script step (row and explain step lists), kept across leads.
    rhai: [Vec<Option<ScriptRun>>; 2],
    /// Variables of lowered script steps.
    vars: Vars,
}

/// rhai's runtime state for one script step, reused from lead to lead so that its
/// function-resolution cache stays warm (a fresh cache per lead resolves every
/// call again, which costs about as much as running the script).
pub(crate) struct ScriptRun {
    global: rhai::GlobalRuntimeState,
    caches: rhai::Caches,
}

impl std::fmt::Debug for ScriptRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScriptRun")
    }
}

impl ScriptRun {
    fn new(engine: &Engine, ast: &rhai::AST) -> Self {
        let mut global = engine.new_global_runtime_state();
        global.source = ast.source().map(Into::into);
        global.lib.push(ast.shared_lib().clone());
        ScriptRun {
            global,
            caches: rhai::Caches::new(),
        }
    }

    /// Runs `ast` (the one this state was made for) with the operation limit counted
    /// from zero, as a fresh `run_ast_with_scope` would.
    fn run(
        &mut self,
        engine: &Engine,
        scope: &mut Scope<'static>,
        ast: &rhai::AST,
    ) -> std::result::Result<(), Box<rhai::EvalAltResult>> {
        self.global.num_operations = 0;
        self.global.level = 0;
        self.global.scope_level = 0;
        // Variables are found by name: native locals pushed between statements
        // shift the parse-time scope offsets rhai would otherwise use.
        self.global.always_search_scope = true;
        // `eval_statements_raw` is rhai's `internals` API (flagged volatile, hence
        // the deprecation); it is what lets the caches outlive one run.
        #[allow(deprecated)]
        engine
            .eval_statements_raw(&mut self.global, &mut self.caches, scope, ast.statements())
            .map(|_| ())
    }
}

impl Scratch<'_> {
    /// Variables of the lowered steps (tests read the operation bound).
    #[cfg(test)]
    pub(crate) fn vars(&self) -> &Vars {
        &self.vars
    }

    /// Operations the interpreter counted in its last run of each step (row list).
    #[cfg(test)]
    pub(crate) fn rhai_operations(&self) -> u64 {
        self.rhai[0]
            .iter()
            .flatten()
            .map(|r| r.global.num_operations)
            .sum()
    }

    pub fn new(ft: &FeatureTable, p: &Program, n_aggs: usize, now: &str) -> Self {
        Scratch {
            num: vec![0.0; ft.n_num],
            strs: vec![Cow::Borrowed(""); ft.n_str],
            aggs: vec![0.0; n_aggs],
            locals: vec![0.0; p.local_names.len()],
            groups: vec![0.0; p.groups.len()],
            scope: Scope::new(),
            now: now.into(),
            rhai: [Vec::new(), Vec::new()],
            vars: Vars::default(),
        }
    }
}

/// Running sums while a lead's steps run: per axis, total, and the current source's `score`.
#[derive(Debug)]
struct Acc {
    axis: [f64; 2],
    total: f64,
    src: f64,
    /// The first rule whose contribution was not a finite number.
    bad: Option<usize>,
}

/// Whether a lead's raw sums (before caps) are all finite.
pub(crate) fn sums_finite(axis: [f64; 2], total: f64, groups: &[f64]) -> bool {
    axis[0].is_finite()
        && axis[1].is_finite()
        && total.is_finite()
        && groups.iter().all(|g| g.is_finite())
}

/// The sums of one lead after all steps and caps.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sums {
    pub total: f64,
    pub fit: f64,
    pub engagement: f64,
}

/// Explain output collected while running.
#[derive(Debug, Default)]
pub(crate) struct Trace {
    pub rules: Vec<FiredRule>,
    pub caps: Vec<AppliedCap>,
    pub fit_raw: f64,
    pub engagement_raw: f64,
}

// `!(v < m)` also clips NaN to the bound, like rhai's `min`/`max` on floats.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
pub(crate) fn clip(v: f64, r: Range) -> f64 {
    let v = match r.max {
        Some(m) if !(v < m) => m,
        _ => v,
    };
    match r.min {
        Some(m) if !(v > m) => m,
        _ => v,
    }
}

impl Program {
    /// `(lowered, all)` sources that have script steps (see `CompiledPack::script_sources`).
    pub(crate) fn script_sources(&self) -> (usize, usize) {
        let (mut lowered, mut all) = (0, 0);
        let mut begin = None;
        for s in &self.explain {
            match s {
                Step::Begin { lowered: l } => begin = Some(*l),
                Step::Script(_) => {
                    if let Some(l) = begin.take() {
                        all += 1;
                        lowered += usize::from(l);
                    }
                }
                _ => {}
            }
        }
        (lowered, all)
    }

    /// Scores one prepared row. `lead` is needed only for scripts reading `custom`/`extra`.
    #[allow(clippy::too_many_lines)] // the evaluation loop reads best in one piece
    pub fn run(
        &self,
        features: &FeatureTable,
        engine: Option<&Engine>,
        x: &mut Scratch<'_>,
        lead: Option<&Lead>,
        lead_id: &str,
        mut trace: Option<&mut Trace>,
    ) -> Result<Sums> {
        let steps = if trace.is_some() {
            &self.explain
        } else {
            &self.fast
        };
        let mut acc = Acc {
            axis: [0.0; 2],
            total: 0.0,
            src: 0.0,
            bad: None,
        };
        let list = usize::from(trace.is_some());
        let mut script_no = 0;
        // The interpreter's scope is built only for a lead that needs it: one with
        // a source that is not lowered, or whose lowered step deopted.
        let mut scope_ready = false;
        let mut lowered = false;
        // The lead's time budget starts with its first script step (native leads never
        // read a clock).
        let mut budget = None;
        x.groups.fill(0.0);
        for step in steps {
            match step {
                Step::Begin { lowered: l } => {
                    acc.src = 0.0;
                    lowered = *l;
                    if lowered {
                        x.vars.begin();
                    } else if self.has_scripts {
                        self.ensure_scope(&mut scope_ready, features, x, lead);
                        x.scope.rewind(3);
                        x.scope.set_value("score", 0.0f64);
                    }
                }
                Step::Init { slot, reuse } => {
                    if lowered {
                        x.vars.set_float(*slot, acc.src);
                    } else if self.has_scripts {
                        declare(&mut x.scope, "score", acc.src.into(), *reuse);
                    }
                }
                Step::Let {
                    local,
                    expr,
                    ty,
                    reuse,
                } => {
                    let v = expr.eval(&Ctx {
                        num: &x.num,
                        strs: &x.strs,
                        locals: &x.locals,
                    });
                    x.locals[*local] = v;
                    // Before a source's first step the scope is rewound anyway.
                    if self.has_scripts && !lowered && scope_ready {
                        let value = lower::native_dynamic(v, *ty);
                        declare(&mut x.scope, &self.local_names[*local], value, *reuse);
                    }
                }
                Step::Native(r) => self.native(r, x, &mut acc, trace.as_deref_mut()),
                Step::Script(s) => {
                    let Some(engine) = engine else { continue };
                    if budget.is_none() {
                        budget = Some(deadline::lead(self.lead_time));
                    }
                    if lowered && let Some(l) = &s.lowered {
                        let env = Env {
                            num: &x.num,
                            strs: &x.strs,
                            locals: &x.locals,
                            now: &x.now,
                        };
                        if l.run(&env, &mut x.vars, acc.src) {
                            let (vars, groups) = (&x.vars, &mut x.groups);
                            self.segments(s, &mut acc, groups, trace.as_deref_mut(), |k| {
                                Some(if k + 1 == s.segments.len() {
                                    l.score(vars)
                                } else {
                                    vars.marks[k]
                                })
                            });
                            continue;
                        }
                        // Deopt: this lead continues the source in the interpreter.
                        self.ensure_scope(&mut scope_ready, features, x, lead);
                        x.scope.rewind(2);
                        l.push_entry(&mut x.scope, &x.vars, &x.locals);
                        lowered = false;
                    }
                    x.scope.set_value("score", acc.src);
                    let n = s.segments.len();
                    script::reset_marks();
                    let runs = &mut x.rhai[list];
                    if runs.len() <= script_no {
                        runs.resize_with(script_no + 1, || None);
                    }
                    let run = runs[script_no].get_or_insert_with(|| ScriptRun::new(engine, &s.ast));
                    script_no += 1;
                    let scope = &mut x.scope;
                    if let Err(e) = stack::with_stack(|| run.run(engine, scope, &s.ast)) {
                        // A failed run may leave the state mid-call: start the next one afresh.
                        x.rhai[list][script_no - 1] = None;
                        return Err(self.script_error(&e, s, lead_id));
                    }
                    let (scope, groups) = (&x.scope, &mut x.groups);
                    let marks = script::take_marks();
                    let mut bad = None;
                    self.segments(s, &mut acc, groups, trace.as_deref_mut(), |k| {
                        let v = if k + 1 == n {
                            number(scope, "score")
                        } else {
                            marks[k]
                        };
                        if v.is_none() {
                            bad = Some(k);
                        }
                        v
                    });
                    if let Some(k) = bad {
                        return Err(with_record(
                            Error::new(crate::ErrorKind::Script, "`score` must stay a number"),
                            lead_id,
                        )
                        .with_rule(self.rules[s.segments[k].rule].name.clone())
                        .with_file(s.file.clone()));
                    }
                }
            }
        }
        if acc.bad.is_some() || !sums_finite(acc.axis, acc.total, &x.groups) {
            return Err(self.non_finite(acc.bad, lead_id));
        }
        Ok(self.finish(acc.axis, acc.total, &x.groups, trace))
    }

    /// The error for a lead whose points are not finite numbers (NaN or infinite
    /// points would otherwise come out as a capped 100 or a `null` fit).
    pub(crate) fn non_finite(&self, rule: Option<usize>, lead_id: &str) -> Error {
        let err = match rule {
            Some(r) => Error::new(
                crate::ErrorKind::Script,
                format!(
                    "rule {:?} gave points that are not a finite number (NaN or infinity)",
                    self.rules[r].name
                ),
            )
            .with_rule(self.rules[r].name.clone()),
            None => Error::new(
                crate::ErrorKind::Script,
                "the lead's points add up to a number that is not finite (overflow)",
            ),
        };
        with_record(err, lead_id)
    }

    /// Builds the interpreter's scope for this lead once (see [`Self::prepare_scope`]).
    fn ensure_scope(
        &self,
        ready: &mut bool,
        features: &FeatureTable,
        x: &mut Scratch<'_>,
        lead: Option<&Lead>,
    ) {
        if !*ready {
            self.prepare_scope(features, x, lead);
            *ready = true;
        }
    }

    /// A native rule's points.
    fn native(
        &self,
        r: &NativeRule,
        x: &mut Scratch<'_>,
        acc: &mut Acc,
        trace: Option<&mut Trace>,
    ) {
        let ctx = Ctx {
            num: &x.num,
            strs: &x.strs,
            locals: &x.locals,
        };
        if !r.cond.eval(&ctx) {
            return;
        }
        let raw = r.points.eval(&ctx);
        let p = clip(
            raw,
            Range {
                min: r.cap.0,
                max: r.cap.1,
            },
        );
        if !p.is_finite() {
            acc.bad.get_or_insert(r.rule);
        }
        let info = &self.rules[r.rule];
        acc.axis[info.axis.index()] += p;
        acc.total += p;
        acc.src += p;
        if let Some(g) = self.rule_groups[r.rule] {
            x.groups[g] += p;
        }
        if let Some(t) = trace {
            #[allow(clippy::float_cmp)] // a cap changed the value or it did not
            let capped = (p != raw).then(|| AppliedCap {
                scope: "rule".into(),
                min: r.cap.0,
                max: r.cap.1,
                before: raw,
                after: p,
            });
            t.rules.push(FiredRule {
                rule: info.name.clone(),
                axis: info.axis,
                tier: Tier::Native,
                points: p,
                decay: r.decay.as_ref().map(|d| d.eval(&ctx)),
                capped,
                reason: info.reason.clone(),
            });
        }
    }

    /// Attributes a script step's points to its segments; `after(k)` is `score`
    /// at the end of segment `k` (`None` stops: not a number).
    fn segments(
        &self,
        s: &ScriptStep,
        acc: &mut Acc,
        groups: &mut [f64],
        mut trace: Option<&mut Trace>,
        mut after: impl FnMut(usize) -> Option<f64>,
    ) {
        for (k, seg) in s.segments.iter().enumerate() {
            let Some(after) = after(k) else { return };
            let delta = after - acc.src;
            if !delta.is_finite() {
                acc.bad.get_or_insert(seg.rule);
            }
            acc.src = after;
            acc.axis[seg.axis.index()] += delta;
            acc.total += delta;
            if let Some(g) = seg.group {
                groups[g] += delta;
            }
            if let Some(t) = trace.as_deref_mut()
                && delta != 0.0
            {
                let info = &self.rules[seg.rule];
                t.rules.push(FiredRule {
                    rule: info.name.clone(),
                    axis: info.axis,
                    tier: Tier::Script,
                    points: delta,
                    decay: None,
                    capped: None,
                    reason: info.reason.clone(),
                });
            }
        }
    }

    /// Applies group caps, then axis caps, then the total cap to one lead's sums.
    /// Shared by the row-at-a-time and the vectorized evaluators, so both give
    /// bit-identical results.
    pub(crate) fn finish(
        &self,
        mut axis: [f64; 2],
        mut total: f64,
        groups: &[f64],
        mut trace: Option<&mut Trace>,
    ) -> Sums {
        for (g, (name, range, ax)) in self.groups.iter().enumerate() {
            let sum = groups[g];
            let c = clip(sum, *range);
            #[allow(clippy::float_cmp)]
            if c != sum {
                axis[ax.index()] += c - sum;
                total += c - sum;
                if let Some(t) = trace.as_deref_mut() {
                    t.caps
                        .push(cap_entry(format!("group:{name}"), *range, sum, c));
                }
            }
        }
        if let Some(t) = trace.as_deref_mut() {
            t.fit_raw = axis[0];
            t.engagement_raw = axis[1];
        }
        for (i, cap) in self.axis_caps.iter().enumerate() {
            if let Some(range) = cap {
                let c = clip(axis[i], *range);
                #[allow(clippy::float_cmp)]
                if c != axis[i] {
                    total += c - axis[i];
                    if let Some(t) = trace.as_deref_mut() {
                        let scope = if i == 0 { "fit" } else { "engagement" };
                        t.caps.push(cap_entry(scope.into(), *range, axis[i], c));
                    }
                    axis[i] = c;
                }
            }
        }
        let capped = clip(total, self.total_cap);
        #[allow(clippy::float_cmp)]
        if capped != total
            && let Some(t) = trace
        {
            t.caps
                .push(cap_entry("total".into(), self.total_cap, total, capped));
        }
        Sums {
            total: capped,
            fit: axis[0],
            engagement: axis[1],
        }
    }

    /// Resets the scope to `lead`, `now` and `score`, refreshing the `lead` map of
    /// the previous lead in place (no map or key allocation per lead); rebuilt only
    /// on first use or when a script changed the map's shape.
    fn prepare_scope(&self, features: &FeatureTable, x: &mut Scratch<'_>, lead: Option<&Lead>) {
        let refreshed = x.scope.len() >= 3 && {
            x.scope.rewind(3);
            match x.scope.get_mut("lead").map(Dynamic::as_map_mut) {
                Some(Ok(mut map)) => self.refresh_lead(&mut map, features, &x.num, &x.strs, lead),
                _ => false,
            }
        };
        if refreshed {
            x.scope.set_value("now", x.now.clone());
            x.scope.set_value("score", 0.0f64);
        } else {
            x.scope.clear();
            let mut map = rhai::Map::new();
            for (key, _) in &self.lead_keys {
                map.insert(key.as_str().into(), Dynamic::UNIT);
            }
            self.refresh_lead(&mut map, features, &x.num, &x.strs, lead);
            x.scope.push_dynamic("lead", Dynamic::from_map(map));
            x.scope.push("now", x.now.clone());
            x.scope.push("score", 0.0f64);
        }
    }

    /// Writes this lead's values into `map`; false when its keys are not the expected ones.
    fn refresh_lead(
        &self,
        map: &mut rhai::Map,
        features: &FeatureTable,
        num: &[f64],
        strs: &[Cow<'_, str>],
        lead: Option<&Lead>,
    ) -> bool {
        if map.len() != self.lead_keys.len() {
            return false;
        }
        let to_map = |m: Option<&serde_json::Map<String, serde_json::Value>>| {
            m.and_then(|m| rhai::serde::to_dynamic(m).ok())
                .unwrap_or_else(|| Dynamic::from_map(rhai::Map::new()))
        };
        for ((k, v), (key, src)) in map.iter_mut().zip(&self.lead_keys) {
            if k.as_str() != key.as_str() {
                return false;
            }
            let f = match *src {
                LeadKey::Custom => {
                    *v = to_map(lead.map(|l| &l.custom));
                    continue;
                }
                LeadKey::Extra => {
                    *v = to_map(lead.map(|l| &l.extra));
                    continue;
                }
                LeadKey::Feature(fi) => features.get(fi),
            };
            #[allow(clippy::cast_possible_truncation)] // integer features hold integral values
            match f.ty {
                FeatureType::Int => *v = Dynamic::from_int(num[f.slot] as i64),
                FeatureType::Float => *v = Dynamic::from_float(num[f.slot]),
                FeatureType::Bool => *v = Dynamic::from_bool(num[f.slot] != 0.0),
                FeatureType::Str => {
                    let text = &*strs[f.slot];
                    // Reuse the previous lead's string buffer when nothing else holds it.
                    if let Ok(mut cur) = v.as_immutable_string_mut() {
                        let m = cur.make_mut();
                        m.clear();
                        m.push_str(text);
                    } else {
                        *v = Dynamic::from(ImmutableString::from(text));
                    }
                }
            }
        }
        true
    }

    fn script_error(&self, e: &rhai::EvalAltResult, s: &ScriptStep, lead_id: &str) -> Error {
        let err = script::runtime_error(e, &s.file, 0);
        // The rule is found from rhai's position even where the error names none (a
        // time budget).
        let line = err
            .line()
            .or_else(|| e.position().line().and_then(|l| u32::try_from(l).ok()))
            .unwrap_or(0);
        let rule = s
            .rules
            .iter()
            .rev()
            .find(|(_, l)| *l <= line)
            .or(s.rules.first())
            .map_or_else(String::new, |(r, _)| self.rules[*r].name.clone());
        with_record(err, lead_id).with_rule(rule)
    }
}

/// Columnar callers name the row only when an error happens (no id string per row).
fn with_record(err: Error, lead_id: &str) -> Error {
    if lead_id.is_empty() {
        err
    } else {
        err.with_record(lead_id)
    }
}

/// Sorts the `lead` map keys the way `rhai::Map` (a `BTreeMap`) iterates them.
pub(crate) fn lead_keys(
    fields: &[(ImmutableString, usize)],
    custom: bool,
    extra: bool,
) -> Vec<(ImmutableString, LeadKey)> {
    let mut keys: Vec<_> = fields
        .iter()
        .map(|(k, i)| (k.clone(), LeadKey::Feature(*i)))
        .collect();
    if custom {
        keys.push(("custom".into(), LeadKey::Custom));
    }
    if extra {
        keys.push(("extra".into(), LeadKey::Extra));
    }
    keys.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    keys.dedup_by(|a, b| a.0 == b.0);
    keys
}

fn number(scope: &Scope<'_>, var: &str) -> Option<f64> {
    let v = scope.get(var)?;
    #[allow(clippy::cast_precision_loss)]
    v.as_float()
        .ok()
        .or_else(|| v.as_int().ok().map(|i| i as f64))
}

fn cap_entry(scope: String, r: Range, before: f64, after: f64) -> AppliedCap {
    AppliedCap {
        scope,
        min: r.min,
        max: r.max,
        before,
        after,
    }
}
