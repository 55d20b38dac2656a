//! Compiling a loaded pack (manifest + scripts) into a [`Program`]: declarative
//! rules and recognised script statements become native steps, the rest stays
//! rhai, and every field name is resolved to a slot once.

pub(crate) mod declarative;
pub(crate) mod lower;
pub(crate) mod recognize;
pub(crate) mod render;

use std::collections::HashMap;

use rhai::{Engine, Stmt};

use crate::error::{Error, ErrorKind, Result};
use crate::rules::compile::recognize::{Local, NumTy, Recognizer, Shape};
use crate::rules::define::features::{Axis, FeatureTable};
use crate::rules::define::load::{PackSource, ScriptSource};
use crate::rules::define::manifest::Range;
use crate::rules::exec::program::{
    self as prog, MAX_MARKS, NativeRule, Program, RuleInfo, RuleKind, ScriptStep, Segment, Step,
};
use crate::rules::exec::script;
use crate::rules::result::Tier;
use crate::sandbox::Limits;

/// Builds the program; `engine` compiles the scripts.
#[allow(clippy::too_many_lines)] // one pass over rules then scripts, in pack order
pub(crate) fn program(
    src: &PackSource,
    ft: &mut FeatureTable,
    engine: &Engine,
    limits: &Limits,
) -> Result<Program> {
    let m = &src.manifest;
    let file = src.file.clone();
    let mut decays = declarative::decays(&m.decay, ft).map_err(|e| e.with_file(file.clone()))?;
    let mut b = Builder {
        rules: Vec::new(),
        rule_groups: Vec::new(),
        steps: Vec::new(),
        locals: Vec::new(),
        group_index: HashMap::new(),
        groups: Vec::new(),
        script_fields: Vec::new(),
        script_custom: false,
        script_extra: false,
        total_cap: m.caps.total,
        script_reasons: m
            .rules
            .iter()
            .filter(|r| r.script.is_some())
            .filter_map(|r| Some((r.name.clone(), r.reason.clone()?)))
            .collect(),
    };
    for (name, range) in &m.caps.groups {
        b.group_index.insert(name.clone(), b.groups.len());
        b.groups.push((name.clone(), *range, None));
    }
    // Each decay curve a rule uses is computed once per lead, as a native local.
    for (name, d) in &mut decays {
        if !m
            .rules
            .iter()
            .any(|r| r.decay.as_deref() == Some(name.as_str()))
        {
            continue;
        }
        b.locals
            .push(Local::native(format!("decay:{name}"), d.engagement));
        let local = b.locals.len() - 1;
        let expr = std::mem::replace(&mut d.factor, crate::rules::exec::native::Num::Local(local));
        b.steps.push(Step::Let {
            local,
            expr,
            ty: NumTy::Float,
            reuse: None,
        });
    }
    let mut seen = HashMap::new();
    let mut sources: Vec<ScriptSource> = Vec::new();
    for (i, r) in m.rules.iter().enumerate() {
        let ctx = |e: Error| e.with_rule(r.name.clone()).with_file(file.clone());
        if seen.insert(r.name.clone(), i).is_some() {
            return Err(ctx(Error::config(format!(
                "duplicate rule name `{}`",
                r.name
            ))));
        }
        if let Some(text) = &r.script {
            let axis = match &r.axis {
                Some(a) => Some(
                    Axis::parse(a)
                        .ok_or_else(|| ctx(Error::config(format!("unknown axis {a:?}"))))?,
                ),
                None => None,
            };
            if r.when.is_some() || r.points.is_some() || r.value.is_some() || r.decay.is_some() {
                return Err(ctx(Error::config(
                    "a script rule takes no `when`, `points`, `value` or `decay`",
                )));
            }
            let s = ScriptSource {
                name: format!("{file}#rules.{}", r.name),
                text: text.clone(),
                rule: Some((r.name.clone(), axis, r.group.clone())),
            };
            b.source(&s, ft, engine, m.recognize, false)?;
            sources.push(s);
            continue;
        }
        let d = declarative::rule(r, ft, &decays).map_err(ctx)?;
        let group = b.group(r.group.as_deref(), d.axis).map_err(ctx)?;
        b.rules.push(RuleInfo {
            name: r.name.clone(),
            kind: RuleKind::Rule,
            axis: d.axis,
            tier: Tier::Native,
            group: r.group.clone(),
            file: Some(file.clone()),
            line: None,
            reason: d.reason,
        });
        b.rule_groups.push(group);
        b.steps.push(Step::Native(NativeRule {
            rule: b.rules.len() - 1,
            axis: d.axis.index(),
            group,
            cond: d.cond.simplify(),
            points: d.points,
            cap: d.cap,
            decay: d.decay,
        }));
    }
    let n = src.scripts.len();
    for (k, s) in src.scripts.iter().enumerate() {
        b.source(s, ft, engine, m.recognize, k + 1 == n)?;
    }
    let has_scripts = b.steps.iter().any(|s| matches!(s, Step::Script(_)));
    let mut fast = merge_scripts(&b.steps, engine)?;
    let local_names: Vec<String> = b.locals.iter().map(|l| l.name.clone()).collect();
    if m.lower {
        lower::attach(&mut b.steps, &local_names, ft, limits);
        lower::attach(&mut fast, &local_names, ft, limits);
    }
    let axis_caps = [m.caps.fit, m.caps.engagement];
    for (i, c) in axis_caps.iter().enumerate() {
        if let Some(Range {
            min: Some(lo),
            max: Some(hi),
        }) = c
            && lo > hi
        {
            let name = if i == 0 { "fit" } else { "engagement" };
            return Err(
                Error::config(format!("caps.{name}: min {lo} is above max {hi}"))
                    .with_file(file.clone()),
            );
        }
    }
    let groups = b
        .groups
        .into_iter()
        .map(|(n, r, a)| (n, r, a.unwrap_or(Axis::Fit)))
        .collect();
    Ok(Program {
        rules: b.rules,
        rule_groups: b.rule_groups,
        explain: b.steps,
        fast,
        local_names,
        has_scripts,
        lead_keys: prog::lead_keys(&b.script_fields, b.script_custom, b.script_extra),
        groups,
        axis_caps,
        total_cap: b.total_cap,
        lead_time: limits.lead_time(),
    })
}

/// Longest excerpt of an opaque statement used as its reason.
const EXCERPT_CHARS: usize = 80;

struct Builder {
    rules: Vec<RuleInfo>,
    rule_groups: Vec<Option<usize>>,
    steps: Vec<Step>,
    locals: Vec<Local>,
    group_index: HashMap<String, usize>,
    groups: Vec<(String, Range, Option<Axis>)>,
    script_fields: Vec<(rhai::ImmutableString, usize)>,
    script_custom: bool,
    script_extra: bool,
    total_cap: Range,
    /// `reason` of `[[rules]]` entries written as scripts.
    script_reasons: HashMap<String, String>,
}

/// A `// rule: <name> [fit|engagement] [— <reason>]` comment in the comment
/// lines right above a statement.
#[derive(Debug, Default)]
struct Annotation {
    name: String,
    axis: Option<Axis>,
    reason: Option<String>,
}

/// Finds the annotation of the statement starting on 1-based `line`.
fn annotation(lines: &[&str], line: usize) -> Option<Annotation> {
    let mut k = line.checked_sub(2)?;
    loop {
        let text = lines.get(k)?.trim();
        let comment = text.strip_prefix("//")?.trim();
        if let Some(rest) = comment.strip_prefix("rule:") {
            return parse_annotation(rest);
        }
        k = k.checked_sub(1)?;
    }
}

/// `<name> [axis] [— reason]`; the reason follows an em or en dash, or ` - `.
fn parse_annotation(rest: &str) -> Option<Annotation> {
    let split = ["\u{2014}", "\u{2013}", " -- ", " - "]
        .iter()
        .filter_map(|sep| rest.find(sep).map(|i| (i, sep.len())))
        .min();
    let (head, reason) = match split {
        Some((i, n)) => (&rest[..i], Some(rest[i + n..].trim())),
        None => (rest, None),
    };
    let mut parts = head.split_whitespace();
    let name = parts.next()?.to_owned();
    Some(Annotation {
        name,
        axis: parts.next().and_then(Axis::parse),
        reason: reason.filter(|r| !r.is_empty()).map(str::to_owned),
    })
}

/// The source of a statement from its start up to the next statement's start
/// (1-based lines and columns), for an excerpt.
fn statement_text(lines: &[&str], start: (usize, usize), end: Option<(usize, usize)>) -> String {
    let mut out = String::new();
    let (l0, c0) = start;
    let last = end.map_or(lines.len(), |(l, _)| l);
    for l in l0..=last {
        let Some(text) = lines.get(l.wrapping_sub(1)) else {
            break;
        };
        let from = if l == l0 { c0.saturating_sub(1) } else { 0 };
        let to = match end {
            Some((el, ec)) if el == l => ec.saturating_sub(1),
            _ => usize::MAX,
        };
        let piece: String = text.chars().take(to).skip(from).collect();
        out.push_str(strip_line_comment(&piece));
        out.push('\n');
    }
    out
}

/// Drops a trailing `// comment` (outside string literals) from one line.
fn strip_line_comment(line: &str) -> &str {
    let mut quotes = 0;
    let b = line.as_bytes();
    for i in 0..b.len() {
        match b[i] {
            b'"' if i == 0 || b[i - 1] != b'\\' => quotes += 1,
            b'/' if quotes % 2 == 0 && b.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

impl Builder {
    fn group(&mut self, name: Option<&str>, axis: Axis) -> Result<Option<usize>> {
        let Some(name) = name else { return Ok(None) };
        let g = if let Some(&g) = self.group_index.get(name) {
            g
        } else {
            self.group_index.insert(name.to_owned(), self.groups.len());
            self.groups.push((name.to_owned(), Range::default(), None));
            self.groups.len() - 1
        };
        match self.groups[g].2 {
            Some(a) if a != axis => Err(Error::config(format!(
                "cap group `{name}` mixes fit and engagement rules"
            ))),
            _ => {
                self.groups[g].2 = Some(axis);
                Ok(Some(g))
            }
        }
    }

    #[allow(clippy::too_many_lines)] // statement classification in one place
    fn source(
        &mut self,
        s: &ScriptSource,
        ft: &mut FeatureTable,
        engine: &Engine,
        recognize_on: bool,
        last: bool,
    ) -> Result<()> {
        let ast = engine.compile(&s.text).map_err(|e| {
            let err = script::compile_error(&e, &s.name, 0);
            match &s.rule {
                Some((r, ..)) => err.with_rule(r.clone()),
                None => err,
            }
        })?;
        let lib = ast.shared_lib().clone();
        let stmts = ast.statements();
        let lines: Vec<&str> = s.text.lines().collect();
        let text: std::sync::Arc<str> = s.text.as_str().into();
        // Trailing clamps and the final `score` (only in the last script of the pack).
        let mut trailing_from = stmts.len();
        if last && s.rule.is_none() {
            while trailing_from > 0 && is_trailing(&stmts[trailing_from - 1]) {
                trailing_from -= 1;
            }
        }
        // Unknown fields fail compilation, with their position.
        for st in stmts {
            for (name, line, col) in recognize::lead_fields(st) {
                if name != "custom" && name != "extra" && !ft.knows(&name) {
                    let mut e =
                        Error::new(ErrorKind::Script, format!("unknown lead field `{name}`"))
                            .with_file(s.name.clone())
                            .with_field(name.clone())
                            .at(line, col);
                    if let Some((r, ..)) = &s.rule {
                        e = e.with_rule(r.clone());
                    }
                    return Err(e);
                }
            }
        }
        self.steps.push(Step::Begin { lowered: false });
        let short = s
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&s.name)
            .to_owned();
        let mut locals = std::mem::take(&mut self.locals);
        let mut rec = Recognizer::new(ft, &mut locals, stmts, recognize_on).with_source(&s.text);
        let mut steps = Vec::new();
        let mut pending = Vec::new();
        for (k, st) in stmts.iter().enumerate() {
            let line = st.position().line().unwrap_or(0);
            let line32 = u32::try_from(line).unwrap_or(0);
            let shape = rec.statement(st, k >= trailing_from);
            let ann = annotation(&lines, line);
            let (name, ann_axis) = match (&s.rule, &ann) {
                (Some((r, a, _)), _) => (r.clone(), *a),
                (None, Some(a)) => {
                    // A rule comment's name must be unique in the pack, like `[[rules]]` names.
                    if !matches!(
                        shape,
                        Shape::Init | Shape::Let { .. } | Shape::Clamp { .. } | Shape::Result
                    ) && self.rules.iter().any(|r| {
                        // Statements on one line share the comment above it.
                        r.name == a.name
                            && (r.line != Some(line32) || r.file.as_deref() != Some(&s.name))
                    }) {
                        return Err(Error::config(format!("duplicate rule name `{}`", a.name))
                            .with_rule(a.name.clone())
                            .with_file(s.name.clone())
                            .at(line32, 1));
                    }
                    (a.name.clone(), a.axis)
                }
                (None, None) => (format!("{short}:{line}"), None),
            };
            let group_name = s.rule.as_ref().and_then(|r| r.2.clone());
            // Written reasons win: the annotation's, or the `[[rules]]` entry's.
            let written = ann.and_then(|a| a.reason).or_else(|| {
                s.rule
                    .as_ref()
                    .and_then(|r| self.script_reasons.get(&r.0).cloned())
            });
            let end = stmts.get(k + 1).and_then(|n| {
                let p = n.position();
                Some((p.line()?, p.position().unwrap_or(1)))
            });
            let start = (line, st.position().position().unwrap_or(1));
            let reason = written.clone().unwrap_or_else(|| {
                render::excerpt(&statement_text(&lines, start, end), EXCERPT_CHARS)
            });
            let mut info = RuleInfo {
                name,
                kind: RuleKind::Rule,
                axis: Axis::Fit,
                tier: Tier::Native,
                group: group_name.clone(),
                file: Some(s.name.clone()),
                line: Some(line32),
                reason,
            };
            match shape {
                Shape::Init => steps.push(Step::Init {
                    slot: 0,
                    reuse: reuse_of(st),
                }),
                Shape::Let { local, expr, ty } => steps.push(Step::Let {
                    local,
                    expr,
                    ty,
                    reuse: reuse_of(st),
                }),
                Shape::Clamp { low, value } => {
                    let t = &mut self.total_cap;
                    if low {
                        t.min = Some(t.min.map_or(value, |m| m.max(value)));
                    } else {
                        t.max = Some(t.max.map_or(value, |m| m.min(value)));
                    }
                }
                Shape::Result => {}
                Shape::Rule {
                    cond,
                    points,
                    cap,
                    decay_local,
                    axis,
                    reason,
                } => {
                    info.axis = ann_axis.unwrap_or(axis);
                    if written.is_none() {
                        info.reason = reason;
                    }
                    pending.push((
                        info,
                        Some(NativeRule {
                            rule: 0,
                            axis: 0,
                            group: None,
                            cond: cond.simplify(),
                            points,
                            cap,
                            decay: decay_local.map(crate::rules::exec::native::Num::Local),
                        }),
                        None,
                    ));
                }
                Shape::Opaque => {
                    let fields = recognize::lead_fields(st);
                    let engaged = fields.iter().any(|(f, ..)| {
                        rec.features
                            .resolve(f)
                            .is_some_and(|i| rec.features.get(i).axis == Axis::Engagement)
                    }) || recognize::vars_read(st)
                        .iter()
                        .any(|v| rec.local_is_engagement(v));
                    for (f, ..) in &fields {
                        match f.as_str() {
                            "custom" => self.script_custom = true,
                            "extra" => self.script_extra = true,
                            _ => {
                                if let Some(i) = rec.features.resolve(f)
                                    && !self.script_fields.iter().any(|(_, j)| *j == i)
                                {
                                    self.script_fields.push((f.as_str().into(), i));
                                }
                            }
                        }
                    }
                    if let Stmt::Var(v, ..) = st {
                        rec.shadow(v.0.name.as_str());
                        info.kind = RuleKind::Setup;
                    }
                    info.tier = Tier::Script;
                    info.axis =
                        ann_axis.unwrap_or(if engaged { Axis::Engagement } else { Axis::Fit });
                    pending.push((info, None, Some((st.clone(), line32))));
                }
            }
            // Flush in statement order so locals and rules interleave correctly.
            for (info, native, script) in pending.drain(..) {
                let group = self
                    .group(info.group.as_deref(), info.axis)
                    .map_err(|e| e.with_rule(info.name.clone()))?;
                self.rules.push(info);
                self.rule_groups.push(group);
                let idx = self.rules.len() - 1;
                if let Some(mut n) = native {
                    n.rule = idx;
                    n.axis = self.rules[idx].axis.index();
                    n.group = group;
                    steps.push(Step::Native(n));
                }
                if let Some((st, line)) = script {
                    steps.push(Step::Script(ScriptStep {
                        rules: vec![(idx, line)],
                        segments: vec![Segment {
                            axis: self.rules[idx].axis,
                            group,
                            rule: idx,
                        }],
                        ast: rhai::AST::new([st], lib.clone()),
                        file: s.name.clone(),
                        text: text.clone(),
                        lowered: None,
                    }));
                }
            }
        }
        drop(rec);
        self.locals = locals;
        self.steps.extend(steps);
        Ok(())
    }
}

/// The scope entry a `let` overwrites (see [`prog::Reuse`]).
fn reuse_of(s: &Stmt) -> prog::Reuse {
    match s {
        Stmt::Var(v, ..) => v.2,
        _ => None,
    }
}

fn is_trailing(s: &Stmt) -> bool {
    match s {
        Stmt::Expr(e) => matches!(&**e, rhai::Expr::Variable(v, ..) if v.1 == "score"),
        Stmt::If(..) => {
            let mut ft = FeatureTable::default();
            let mut locals = Vec::new();
            let mut r = Recognizer::new(&mut ft, &mut locals, &[], true);
            matches!(r.statement(s, true), Shape::Clamp { .. })
        }
        _ => false,
    }
}

/// Merges adjacent script statements of one source into one AST, so a lead
/// enters the interpreter once per run of script statements (not once per axis
/// or cap group): a statement copying `score` into a mark variable ends each
/// segment, and the merged AST is optimised once.
fn merge_scripts(steps: &[Step], engine: &Engine) -> Result<Vec<Step>> {
    let marks = (0..MAX_MARKS)
        .map(|k| {
            engine
                .compile(format!("{}({k}, score);", script::MARK_FN))
                .map(|a| a.statements().to_vec())
                .map_err(|e| Error::new(ErrorKind::Script, format!("internal mark: {e}")))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for step in steps {
        if let (Step::Script(s), Some(Step::Script(prev))) = (step, out.last_mut())
            && prev.file == s.file
        {
            let last = prev.segments[prev.segments.len() - 1];
            let same = last.axis == s.segments[0].axis && last.group == s.segments[0].group;
            if same || prev.segments.len() <= MAX_MARKS {
                let mut stmts: Vec<Stmt> = prev.ast.statements().to_vec();
                if !same {
                    stmts.extend(marks[prev.segments.len() - 1].iter().cloned());
                    prev.segments.push(s.segments[0]);
                }
                stmts.extend(s.ast.statements().iter().cloned());
                prev.ast = rhai::AST::new(stmts, prev.ast.shared_lib().clone());
                prev.rules.extend(s.rules.iter().copied());
                continue;
            }
        }
        out.push(step.clone());
    }
    for step in &mut out {
        if let Step::Script(s) = step {
            let ast = std::mem::take(&mut s.ast);
            s.ast = engine.optimize_ast(&rhai::Scope::new(), ast, rhai::OptimizationLevel::Full);
        }
    }
    Ok(out)
}
