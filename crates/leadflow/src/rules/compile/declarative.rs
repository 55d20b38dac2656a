//! Compiling declarative rules (`[[rules]]` with `when` / `points` / `value`)
//! to the native tier, with a human-readable rendering for explain.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::rules::compile::render;
use crate::rules::define::features::{Axis, FeatureTable, FeatureType};
use crate::rules::define::manifest::{Condition, DecaySpec, RuleSpec, Scalar, ValueSpec};
use crate::rules::exec::native::{BinOp, CmpOp, Cond, Num, StrOp, UnOp};

/// A compiled decay curve.
#[derive(Debug, Clone)]
pub(crate) struct Decay {
    pub factor: Num,
    pub engagement: bool,
    /// The curve in words (`half-life 14 days`), for reasons.
    pub text: String,
}

/// Compiles the `[decay.*]` curves.
pub(crate) fn decays(
    specs: &std::collections::BTreeMap<String, DecaySpec>,
    ft: &mut FeatureTable,
) -> Result<HashMap<String, Decay>> {
    let mut out = HashMap::new();
    for (name, d) in specs {
        let err = |m: &str| Error::config(m.to_owned()).with_field(format!("decay.{name}"));
        let age_name = d.age.as_deref().unwrap_or("days_since_activity");
        let (age, engagement) =
            numeric(ft, age_name).map_err(|e| e.with_field(format!("decay.{name}.age")))?;
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let text = match (d.time_constant_days, d.half_life_days, &d.linear) {
            (Some(t), ..) => format!("time constant {} days", render::number(t)),
            (_, Some(h), _) => format!("half-life {} days", render::number(h)),
            (.., Some(l)) => format!(
                "-{} every {} days",
                render::number(l.rate),
                render::number(l.per_days)
            ),
            _ => String::new(),
        };
        let factor = match (d.time_constant_days, d.half_life_days, &d.linear) {
            (Some(t), None, None) if positive(t) => Num::Un(
                UnOp::Exp,
                Box::new(Num::Bin(
                    BinOp::Div,
                    Box::new(Num::Neg(Box::new(age))),
                    Box::new(Num::Const(t)),
                )),
            ),
            (None, Some(h), None) if positive(h) => Num::Bin(
                BinOp::Pow,
                Box::new(Num::Const(0.5)),
                Box::new(Num::Bin(BinOp::Div, Box::new(age), Box::new(Num::Const(h)))),
            ),
            (None, None, Some(l)) if positive(l.per_days) && l.rate.is_finite() => Num::Bin(
                BinOp::Max,
                Box::new(Num::Const(0.0)),
                Box::new(Num::Bin(
                    BinOp::Sub,
                    Box::new(Num::Const(1.0)),
                    Box::new(Num::Bin(
                        BinOp::Mul,
                        Box::new(Num::Const(l.rate)),
                        Box::new(Num::Un(
                            UnOp::Floor,
                            Box::new(Num::Bin(
                                BinOp::Div,
                                Box::new(age),
                                Box::new(Num::Const(l.per_days)),
                            )),
                        )),
                    )),
                )),
            ),
            _ => {
                return Err(err(
                    "a decay needs exactly one of a positive `time_constant_days`, `half_life_days` or `linear`",
                ));
            }
        };
        out.insert(
            name.clone(),
            Decay {
                factor,
                engagement,
                text,
            },
        );
    }
    Ok(out)
}

/// A numeric feature's slot expression and whether it is an engagement feature.
fn numeric(ft: &mut FeatureTable, name: &str) -> Result<(Num, bool)> {
    let i = ft.resolve(name).ok_or_else(|| unknown(name))?;
    let f = ft.get(i);
    if !f.ty.is_num() {
        return Err(
            Error::config(format!("feature `{name}` is a string, not a number")).with_field(name),
        );
    }
    Ok((Num::Slot(f.slot), f.axis == Axis::Engagement))
}

fn unknown(name: &str) -> Error {
    Error::config(format!("unknown feature `{name}`")).with_field(name)
}

/// A compiled declarative rule.
#[derive(Debug)]
pub(crate) struct DeclRule {
    pub cond: Cond,
    pub points: Num,
    pub cap: (Option<f64>, Option<f64>),
    pub decay: Option<Num>,
    pub axis: Axis,
    pub reason: String,
}

/// Compiles one declarative rule.
pub(crate) fn rule(
    spec: &RuleSpec,
    ft: &mut FeatureTable,
    decays: &HashMap<String, Decay>,
) -> Result<DeclRule> {
    let mut engaged = false;
    let (cond, mut text) = match &spec.when {
        Some(c) => condition(c, ft, &mut engaged).map_err(|e| e.with_field("when"))?,
        None => (Cond::Const(true), String::new()),
    };
    // Say how points are computed: `0.5 per page_views (at most 10), decay recent (half-life 14 days), max 15`.
    let mut how = Vec::new();
    if let Some(v) = &spec.value {
        let (field, min, max) = match v {
            ValueSpec::Field(f) => (f.as_str(), None, None),
            ValueSpec::Clipped(c) => (c.field.as_str(), c.min, c.max),
        };
        let per = render::number(spec.per.unwrap_or(1.0));
        let n = render::number;
        how.push(match (min, max) {
            (Some(lo), Some(hi)) => format!("{per} per {field} (between {} and {})", n(lo), n(hi)),
            (None, Some(hi)) => format!("{per} per {field} (at most {})", n(hi)),
            (Some(lo), None) => format!("{per} per {field} (at least {})", n(lo)),
            (None, None) => format!("{per} per {field}"),
        });
    }
    if let Some(d) = &spec.decay {
        match decays.get(d) {
            Some(curve) if !curve.text.is_empty() => {
                how.push(format!("decay {d} ({})", curve.text));
            }
            _ => how.push(format!("decay {d}")),
        }
    }
    if let Some(m) = spec.min {
        how.push(format!("min {}", render::number(m)));
    }
    if let Some(m) = spec.max {
        how.push(format!("max {}", render::number(m)));
    }
    let cond_text = (!text.is_empty()).then(|| std::mem::take(&mut text));
    text = render::combine(cond_text, &how.join(", "), spec.value.is_some());
    let mut points = match (&spec.value, spec.points, spec.per) {
        (Some(v), None, per) => {
            let (field, min, max) = match v {
                ValueSpec::Field(f) => (f.as_str(), None, None),
                ValueSpec::Clipped(c) => (c.field.as_str(), c.min, c.max),
            };
            let (mut n, e) = numeric(ft, field).map_err(|e| e.with_field("value"))?;
            engaged |= e;
            if let Some(m) = max {
                n = Num::Bin(BinOp::Min, Box::new(n), Box::new(Num::Const(m)));
            }
            if let Some(m) = min {
                n = Num::Bin(BinOp::Max, Box::new(n), Box::new(Num::Const(m)));
            }
            Num::Bin(
                BinOp::Mul,
                Box::new(n),
                Box::new(Num::Const(per.unwrap_or(1.0))),
            )
        }
        (None, Some(p), None) => Num::Const(p),
        (Some(_), Some(_), _) => {
            return Err(Error::config(
                "use `per` (points per unit) with `value`, not `points`",
            ));
        }
        (None, _, Some(_)) => return Err(Error::config("`per` needs a `value`")),
        (None, None, None) => {
            return Err(Error::config("a rule needs `points`, `value` or `script`"));
        }
    };
    let decay = match &spec.decay {
        Some(name) => {
            let d = decays.get(name).ok_or_else(|| {
                Error::config(format!("unknown decay `{name}`")).with_field("decay")
            })?;
            engaged |= d.engagement;
            points = Num::Bin(BinOp::Mul, Box::new(points), Box::new(d.factor.clone()));
            Some(d.factor.clone())
        }
        None => None,
    };
    let axis = match &spec.axis {
        Some(a) => Axis::parse(a).ok_or_else(|| {
            Error::config(format!("unknown axis {a:?} (expected fit or engagement)"))
                .with_field("axis")
        })?,
        None if engaged => Axis::Engagement,
        None => Axis::Fit,
    };
    if let (Some(lo), Some(hi)) = (spec.min, spec.max)
        && lo > hi
    {
        return Err(Error::config(format!("min {lo} is above max {hi}")));
    }
    Ok(DeclRule {
        cond,
        points,
        cap: (spec.min, spec.max),
        decay,
        axis,
        reason: spec.reason.clone().unwrap_or(text),
    })
}

/// Compiles a condition; returns it with its rendering.
#[allow(clippy::too_many_lines)] // one block per test kind, string then numeric
fn condition(c: &Condition, ft: &mut FeatureTable, engaged: &mut bool) -> Result<(Cond, String)> {
    let combos = [c.all.is_some(), c.any.is_some(), c.not.is_some()]
        .iter()
        .filter(|b| **b)
        .count();
    if c.field.is_none() {
        let many = |list: &[Condition],
                    ft: &mut FeatureTable,
                    engaged: &mut bool,
                    sep: &str|
         -> Result<(Vec<Cond>, String)> {
            let mut conds = Vec::new();
            let mut texts = Vec::new();
            for (i, x) in list.iter().enumerate() {
                let (cc, t) =
                    condition(x, ft, engaged).map_err(|e| e.with_field(format!("[{i}]")))?;
                // Only compound parts need parentheses: `employees > 0 and employees < 10`.
                let compound = matches!(cc, Cond::And(..) | Cond::Or(..));
                conds.push(cc);
                texts.push(if list.len() > 1 && compound {
                    format!("({t})")
                } else {
                    t
                });
            }
            Ok((conds, texts.join(sep)))
        };
        return match (combos, &c.all, &c.any, &c.not) {
            (1, Some(list), _, _) => {
                let (cs, t) = many(list, ft, engaged, " and ").map_err(|e| e.with_field("all"))?;
                Ok((Cond::And(cs.into()), t))
            }
            (1, _, Some(list), _) => {
                let (cs, t) = many(list, ft, engaged, " or ").map_err(|e| e.with_field("any"))?;
                Ok((Cond::Or(cs.into()), t))
            }
            (1, _, _, Some(inner)) => {
                let (cc, t) = condition(inner, ft, engaged).map_err(|e| e.with_field("not"))?;
                // `not free_mail`, but `not (country is "US")`.
                let t = if t.contains(' ') {
                    format!("not ({t})")
                } else {
                    format!("not {t}")
                };
                Ok((Cond::Not(Box::new(cc)), t))
            }
            _ => Err(Error::config(
                "a condition needs a `field` with tests, or exactly one of `all`, `any`, `not`",
            )),
        };
    }
    if combos > 0 {
        return Err(Error::config(
            "`all`/`any`/`not` cannot be combined with `field`",
        ));
    }
    let name = c.field.as_deref().unwrap_or_default();
    let i = ft.resolve(name).ok_or_else(|| unknown(name))?;
    let f = ft.get(i).clone();
    *engaged |= f.axis == Axis::Engagement;
    let mut conds = Vec::new();
    let mut texts = Vec::new();
    let bad = |test: &str| {
        Error::config(format!(
            "test `{test}` does not apply to feature `{name}` ({:?})",
            f.ty
        ))
        .with_field(name)
    };
    let slot = f.slot;
    let num = |v: f64| Num::Const(v);
    if f.ty == FeatureType::Str {
        let str_of = |s: &Scalar, test: &str| match s {
            Scalar::Str(s) => Ok(s.clone()),
            _ => Err(bad(test)),
        };
        if let Some(v) = &c.equals {
            let v = str_of(v, "equals")?;
            texts.push(format!("{name} is {v:?}"));
            conds.push(Cond::Str(StrOp::Eq, slot, v.into()));
        }
        if let Some(v) = &c.not_equals {
            let v = str_of(v, "not_equals")?;
            texts.push(format!("{name} is not {v:?}"));
            conds.push(Cond::Str(StrOp::Ne, slot, v.into()));
        }
        for (set, neg, test) in [(&c.in_set, false, "in"), (&c.not_in, true, "not_in")] {
            if let Some(set) = set {
                let vals: Vec<String> =
                    set.iter().map(|s| str_of(s, test)).collect::<Result<_>>()?;
                texts.push(format!(
                    "{name} {}in {}",
                    if neg { "not " } else { "" },
                    render::quoted_set(&vals)
                ));
                let c = Cond::StrIn(slot, vals.into_iter().map(String::into_boxed_str).collect());
                conds.push(if neg { Cond::Not(Box::new(c)) } else { c });
            }
        }
        for (list, op, word) in [
            (&c.contains, StrOp::Contains, "contains"),
            (&c.starts_with, StrOp::StartsWith, "starts with"),
            (&c.ends_with, StrOp::EndsWith, "ends with"),
        ] {
            if let Some(list) = list {
                let vals = list.to_vec();
                texts.push(format!("{name} {word} {}", render::quoted_any(&vals)));
                let mut alts: Vec<Cond> = vals
                    .into_iter()
                    .map(|v| Cond::Str(op, slot, v.into()))
                    .collect();
                conds.push(if alts.len() == 1 {
                    alts.remove(0)
                } else {
                    Cond::Or(alts.into())
                });
            }
        }
        if c.gt.is_some() || c.gte.is_some() || c.lt.is_some() || c.lte.is_some() || c.is.is_some()
        {
            return Err(bad("gt/gte/lt/lte/is"));
        }
    } else {
        if c.contains.is_some() || c.starts_with.is_some() || c.ends_with.is_some() {
            return Err(bad("contains/starts_with/ends_with"));
        }
        let num_of = |s: &Scalar, test: &str| match s {
            Scalar::Num(n) => Ok(*n),
            Scalar::Bool(b) if f.ty == FeatureType::Bool => Ok(if *b { 1.0 } else { 0.0 }),
            _ => Err(bad(test)),
        };
        let mut cmp = |op: CmpOp, v: f64, sym: &str| {
            texts.push(format!("{name} {sym} {}", render::number(v)));
            conds.push(Cond::Cmp(op, Num::Slot(slot), num(v)));
        };
        if let Some(v) = &c.equals {
            cmp(CmpOp::Eq, num_of(v, "equals")?, "=");
        }
        if let Some(v) = &c.not_equals {
            cmp(CmpOp::Ne, num_of(v, "not_equals")?, "!=");
        }
        for (v, op, sym) in [
            (c.gt, CmpOp::Gt, ">"),
            (c.gte, CmpOp::Ge, ">="),
            (c.lt, CmpOp::Lt, "<"),
            (c.lte, CmpOp::Le, "<="),
        ] {
            if let Some(v) = v {
                cmp(op, v, sym);
            }
        }
        if let Some(b) = c.is {
            if f.ty != FeatureType::Bool {
                return Err(bad("is"));
            }
            texts.push(if b {
                name.to_owned()
            } else {
                format!("not {name}")
            });
            conds.push(Cond::Cmp(
                if b { CmpOp::Ne } else { CmpOp::Eq },
                Num::Slot(slot),
                num(0.0),
            ));
        }
        for (set, neg, test) in [(&c.in_set, false, "in"), (&c.not_in, true, "not_in")] {
            if let Some(set) = set {
                let vals: Vec<f64> = set.iter().map(|s| num_of(s, test)).collect::<Result<_>>()?;
                let shown: Vec<String> = vals.iter().map(|v| render::number(*v)).collect();
                texts.push(format!(
                    "{name} {}in [{}]",
                    if neg { "not " } else { "" },
                    shown.join(", ")
                ));
                let c = Cond::Or(
                    vals.into_iter()
                        .map(|v| Cond::Cmp(CmpOp::Eq, Num::Slot(slot), num(v)))
                        .collect(),
                );
                conds.push(if neg { Cond::Not(Box::new(c)) } else { c });
            }
        }
    }
    match conds.len() {
        0 => Err(Error::config(format!("condition on `{name}` has no test")).with_field(name)),
        1 => Ok((conds.remove(0), texts.remove(0))),
        _ => Ok((Cond::And(conds.into()), texts.join(" and "))),
    }
}
