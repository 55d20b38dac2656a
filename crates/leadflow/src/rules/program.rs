//! The compiled program of a pack: an ordered list of steps (native rules,
//! native locals, script statements) and the per-lead evaluation loop.

use std::borrow::Cow;

use rhai::{Dynamic, Engine, ImmutableString, Scope};

use super::features::{Axis, FeatureTable, FeatureType};
use super::manifest::Range;
use super::native::{Cond, Ctx, Num};
use super::recognize::NumTy;
use super::result::{AppliedCap, FiredRule, Tier};
use super::script;
use crate::error::{Error, Result};
use crate::model::Lead;

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
    pub axis: Axis,
    pub group: Option<usize>,
    pub ast: rhai::AST,
    pub file: String,
}

#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Start of a script source: its `score` starts at zero, its variables are dropped.
    Begin,
    /// `let score = 0;` (a script variable the later script statements refer to).
    Init,
    Let {
        local: usize,
        expr: Num,
        ty: NumTy,
    },
    Native(NativeRule),
    Script(ScriptStep),
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
    /// Features scripts read, with the key they appear under in `lead`.
    pub script_fields: Vec<(ImmutableString, usize)>,
    pub script_custom: bool,
    pub script_extra: bool,
    pub groups: Vec<(String, Range, Axis)>,
    pub axis_caps: [Option<Range>; 2],
    pub total_cap: Range,
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
}

impl Scratch<'_> {
    pub fn new(ft: &FeatureTable, p: &Program, n_aggs: usize, now: &str) -> Self {
        Scratch {
            num: vec![0.0; ft.n_num],
            strs: vec![Cow::Borrowed(""); ft.n_str],
            aggs: vec![0.0; n_aggs],
            locals: vec![0.0; p.local_names.len()],
            groups: vec![0.0; p.groups.len()],
            scope: Scope::new(),
            now: now.into(),
        }
    }
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
fn clip(v: f64, r: Range) -> f64 {
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
        let mut axis = [0.0f64; 2];
        let mut total = 0.0f64;
        let mut src = 0.0f64;
        x.groups.fill(0.0);
        if self.has_scripts {
            x.scope.clear();
            x.scope
                .push_dynamic("lead", self.lead_map(features, x, lead));
            x.scope.push("now", x.now.clone());
            x.scope.push("score", 0.0f64);
        }
        for step in steps {
            match step {
                Step::Begin => {
                    src = 0.0;
                    if self.has_scripts {
                        x.scope.rewind(3);
                        x.scope.set_value("score", 0.0f64);
                    }
                }
                Step::Init => {
                    if self.has_scripts {
                        x.scope.push("score", src);
                    }
                }
                Step::Let { local, expr, ty } => {
                    let v = expr.eval(&Ctx {
                        num: &x.num,
                        strs: &x.strs,
                        locals: &x.locals,
                    });
                    x.locals[*local] = v;
                    if self.has_scripts {
                        let name = self.local_names[*local].clone();
                        #[allow(clippy::cast_possible_truncation)] // integral by construction
                        match ty {
                            NumTy::Int => x.scope.push(name, v as i64),
                            NumTy::Float => x.scope.push(name, v),
                            NumTy::Bool => x.scope.push(name, v != 0.0),
                        };
                    }
                }
                Step::Native(r) => {
                    let ctx = Ctx {
                        num: &x.num,
                        strs: &x.strs,
                        locals: &x.locals,
                    };
                    if !r.cond.eval(&ctx) {
                        continue;
                    }
                    let raw = r.points.eval(&ctx);
                    let p = clip(
                        raw,
                        Range {
                            min: r.cap.0,
                            max: r.cap.1,
                        },
                    );
                    let info = &self.rules[r.rule];
                    axis[info.axis.index()] += p;
                    total += p;
                    src += p;
                    if let Some(g) = self.rule_groups[r.rule] {
                        x.groups[g] += p;
                    }
                    if let Some(t) = trace.as_deref_mut() {
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
                Step::Script(s) => {
                    let Some(engine) = engine else { continue };
                    x.scope.set_value("score", src);
                    engine
                        .run_ast_with_scope(&mut x.scope, &s.ast)
                        .map_err(|e| self.script_error(&e, s, lead_id))?;
                    let after = score_value(&x.scope).ok_or_else(|| {
                        with_record(
                            Error::new(crate::ErrorKind::Script, "`score` must stay a number"),
                            lead_id,
                        )
                        .with_rule(self.rules[s.rules[0].0].name.clone())
                        .with_file(s.file.clone())
                    })?;
                    let delta = after - src;
                    src = after;
                    axis[s.axis.index()] += delta;
                    total += delta;
                    if let Some(g) = s.group {
                        x.groups[g] += delta;
                    }
                    if let Some(t) = trace.as_deref_mut()
                        && delta != 0.0
                    {
                        let info = &self.rules[s.rules[0].0];
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
        }
        // Group caps, then axis caps, then the total cap.
        for (g, (name, range, ax)) in self.groups.iter().enumerate() {
            let sum = x.groups[g];
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
        Ok(Sums {
            total: capped,
            fit: axis[0],
            engagement: axis[1],
        })
    }

    fn lead_map(&self, features: &FeatureTable, x: &Scratch<'_>, lead: Option<&Lead>) -> Dynamic {
        let mut map = rhai::Map::new();
        for (key, fi) in &self.script_fields {
            let f = features.get(*fi);
            #[allow(clippy::cast_possible_truncation)] // integer features hold integral values
            let v = match f.ty {
                FeatureType::Int => Dynamic::from_int(x.num[f.slot] as i64),
                FeatureType::Float => Dynamic::from_float(x.num[f.slot]),
                FeatureType::Bool => Dynamic::from_bool(x.num[f.slot] != 0.0),
                FeatureType::Str => Dynamic::from(ImmutableString::from(&*x.strs[f.slot])),
            };
            map.insert(key.as_str().into(), v);
        }
        let to_map = |m: Option<&serde_json::Map<String, serde_json::Value>>| {
            m.and_then(|m| rhai::serde::to_dynamic(m).ok())
                .unwrap_or_else(|| Dynamic::from_map(rhai::Map::new()))
        };
        if self.script_custom {
            map.insert("custom".into(), to_map(lead.map(|l| &l.custom)));
        }
        if self.script_extra {
            map.insert("extra".into(), to_map(lead.map(|l| &l.extra)));
        }
        Dynamic::from_map(map)
    }

    fn script_error(&self, e: &rhai::EvalAltResult, s: &ScriptStep, lead_id: &str) -> Error {
        let err = script::runtime_error(e, &s.file, 0);
        let line = err.line().unwrap_or(0);
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

fn score_value(scope: &Scope<'_>) -> Option<f64> {
    let v = scope.get("score")?;
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
