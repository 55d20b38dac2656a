//! Human-readable reasons for native rules recognised in rhai source, in the
//! same words as declarative rules (`title contains "VP" or "Vice President"`,
//! `employees > 500`, `0.5 per page_views (at most 10), decay ..., max 15`).

use crate::rules::compile::recognize::{Local, NumTy};
use crate::rules::define::features::{FeatureTable, FeatureType};
use crate::rules::exec::native::{BinOp, CmpOp, Cond, Num, StrOp, UnOp};

/// Names slots and locals while rendering.
pub(crate) struct Names<'a> {
    pub features: &'a FeatureTable,
    pub locals: &'a [Local],
}

impl Names<'_> {
    fn num_slot(&self, slot: usize) -> (&str, bool) {
        self.features
            .used
            .iter()
            .find(|f| f.ty.is_num() && f.slot == slot)
            .map_or(("?", false), |f| {
                (f.name.as_str(), f.ty == FeatureType::Bool)
            })
    }

    fn str_slot(&self, slot: usize) -> &str {
        self.features
            .used
            .iter()
            .find(|f| f.ty == FeatureType::Str && f.slot == slot)
            .map_or("?", |f| f.name.as_str())
    }

    fn local(&self, i: usize) -> Option<&Local> {
        self.locals.get(i)
    }

    /// A boolean operand (`demo_requested`, a boolean local), when `n` is one.
    fn boolean(&self, n: &Num) -> Option<String> {
        match n {
            Num::Slot(s) => {
                let (name, is_bool) = self.num_slot(*s);
                is_bool.then(|| name.to_owned())
            }
            Num::Local(i) => self
                .local(*i)
                .filter(|l| l.ty() == NumTy::Bool)
                .map(|l| l.name.clone()),
            _ => None,
        }
    }
}

/// A number as a reason shows it (`10`, `0.5`, `-8`).
pub(crate) fn number(v: f64) -> String {
    format!("{v}")
}

/// A computed value for a reason, rounded to 2 decimals unless rounding would
/// move it across one of the `thresholds` (`22.06 < 40`, never `40 < 40`).
pub(crate) fn rounded(v: f64, thresholds: &[f64]) -> String {
    let r = (v * 100.0).round() / 100.0 + 0.0; // `+ 0.0` turns -0 into 0
    if r.is_finite() && thresholds.iter().all(|t| (r >= *t) == (v >= *t)) {
        number(r)
    } else {
        number(v)
    }
}

/// Quoted string values joined with `or` (`"VP" or "Vice President"`).
pub(crate) fn quoted_any<S: AsRef<str>>(vals: &[S]) -> String {
    let quoted: Vec<String> = vals.iter().map(|v| format!("{:?}", v.as_ref())).collect();
    quoted.join(" or ")
}

/// Quoted string values as a set (`["US", "CA"]`).
pub(crate) fn quoted_set<S: AsRef<str>>(vals: &[S]) -> String {
    let quoted: Vec<String> = vals.iter().map(|v| format!("{:?}", v.as_ref())).collect();
    format!("[{}]", quoted.join(", "))
}

fn str_word(op: StrOp) -> &'static str {
    match op {
        StrOp::Eq => "is",
        StrOp::Ne => "is not",
        StrOp::Contains => "contains",
        StrOp::StartsWith => "starts with",
        StrOp::EndsWith => "ends with",
    }
}

fn cmp_sym(op: CmpOp) -> &'static str {
    match op.exact() {
        CmpOp::Eq => "=",
        CmpOp::Ne => "!=",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
        _ => "?",
    }
}

/// Renders a condition; `None` for `always` (a constant true).
pub(crate) fn condition(c: &Cond, n: &Names<'_>) -> Option<String> {
    match c {
        Cond::Const(true) => None,
        _ => Some(cond(c, n)),
    }
}

fn cond(c: &Cond, n: &Names<'_>) -> String {
    match c {
        Cond::Const(b) => if *b { "always" } else { "never" }.to_owned(),
        Cond::Str(op, slot, v) => format!("{} {} {v:?}", n.str_slot(*slot), str_word(*op)),
        Cond::StrAny(op, slot, vals) => {
            format!(
                "{} {} {}",
                n.str_slot(*slot),
                str_word(*op),
                quoted_any(vals)
            )
        }
        Cond::StrIn(slot, vals) => format!("{} in {}", n.str_slot(*slot), quoted_set(vals)),
        Cond::Not(inner) => match &**inner {
            Cond::StrIn(slot, vals) => {
                format!("{} not in {}", n.str_slot(*slot), quoted_set(vals))
            }
            Cond::Cmp(CmpOp::Ne, a, Num::Const(z)) if *z == 0.0 && n.boolean(a).is_some() => {
                format!("not {}", n.boolean(a).unwrap_or_default())
            }
            other => {
                let t = cond(other, n);
                if t.contains(' ') {
                    format!("not ({t})")
                } else {
                    format!("not {t}")
                }
            }
        },
        Cond::SlotCmp(op, slot, v) => compare(*op, &Num::Slot(*slot), &Num::Const(*v), n),
        Cond::Cmp(op, a, b) => compare(*op, a, b, n),
        Cond::And(cs) => join(cs, " and ", n),
        Cond::Or(cs) => {
            // `a.contains(x) || a.contains(y)` before simplification.
            if let Some(Cond::Str(op0, slot0, _)) = cs.first()
                && cs
                    .iter()
                    .all(|c| matches!(c, Cond::Str(op, slot, _) if op == op0 && slot == slot0))
            {
                let vals: Vec<&str> = cs
                    .iter()
                    .filter_map(|c| match c {
                        Cond::Str(_, _, v) => Some(&**v),
                        _ => None,
                    })
                    .collect();
                return format!(
                    "{} {} {}",
                    n.str_slot(*slot0),
                    str_word(*op0),
                    quoted_any(&vals)
                );
            }
            join(cs, " or ", n)
        }
    }
}

fn grouped(c: &Cond, n: &Names<'_>) -> String {
    match c {
        Cond::And(cs) | Cond::Or(cs) if cs.len() > 1 => format!("({})", cond(c, n)),
        _ => cond(c, n),
    }
}

fn join(cs: &[Cond], sep: &str, n: &Names<'_>) -> String {
    let parts: Vec<String> = cs.iter().map(|c| grouped(c, n)).collect();
    parts.join(sep)
}

#[allow(clippy::float_cmp)] // comparing with the literal 0 the recogniser produced
fn compare(op: CmpOp, a: &Num, b: &Num, n: &Names<'_>) -> String {
    // Booleans read `x != 0` / `x == 0` natively: say `x` / `not x`.
    if let (Some(name), Num::Const(z)) = (n.boolean(a), b)
        && *z == 0.0
    {
        match op {
            CmpOp::Ne => return name,
            CmpOp::Eq => return format!("not {name}"),
            _ => {}
        }
    }
    // The field first: `500 < employees` reads `employees > 500`.
    if matches!(a, Num::Const(_)) && !matches!(b, Num::Const(_)) {
        let flipped = match op {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            other => other,
        };
        return compare(flipped, b, a, n);
    }
    format!("{} {} {}", expr(a, n, 0), cmp_sym(op), expr(b, n, 0))
}

/// Renders a numeric expression (precedence: 0 = sum, 1 = product, 2 = unary).
pub(crate) fn expr(e: &Num, n: &Names<'_>, prec: u8) -> String {
    let paren = |s: String, p: u8| if prec > p { format!("({s})") } else { s };
    match e {
        Num::Const(c) => number(*c),
        Num::Slot(s) => n.num_slot(*s).0.to_owned(),
        Num::Local(i) => n
            .local(*i)
            .map_or_else(|| "?".to_owned(), |l| l.name.clone()),
        Num::Neg(a) => format!("-{}", expr(a, n, 2)),
        Num::Bin(op, a, b) => match op {
            BinOp::Add => paren(format!("{} + {}", expr(a, n, 0), expr(b, n, 1)), 0),
            BinOp::Sub => paren(format!("{} - {}", expr(a, n, 0), expr(b, n, 1)), 0),
            BinOp::Mul => paren(format!("{} * {}", expr(a, n, 1), expr(b, n, 2)), 1),
            BinOp::Div => paren(format!("{} / {}", expr(a, n, 1), expr(b, n, 2)), 1),
            BinOp::Pow => format!("{} ** {}", expr(a, n, 2), expr(b, n, 2)),
            BinOp::Min => format!("min({}, {})", expr(a, n, 0), expr(b, n, 0)),
            BinOp::Max => format!("max({}, {})", expr(a, n, 0), expr(b, n, 0)),
        },
        Num::Un(op, a) => {
            let f = match op {
                UnOp::Exp => "exp",
                UnOp::Abs => "abs",
                UnOp::Floor => "floor",
                UnOp::Sqrt => "sqrt",
                UnOp::Ln => "ln",
            };
            format!("{f}({})", expr(a, n, 0))
        }
        Num::Cond(c) => format!("(1 if {})", cond(c, n)),
    }
}

/// The factors of a product (`a * b * c`), looking through negation.
fn factors<'e>(e: &'e Num, out: &mut Vec<&'e Num>, sign: &mut f64) {
    match e {
        Num::Bin(BinOp::Mul, a, b) => {
            factors(a, out, sign);
            factors(b, out, sign);
        }
        Num::Neg(a) => {
            *sign = -*sign;
            factors(a, out, sign);
        }
        other => out.push(other),
    }
}

/// Says how points are computed, like declarative rules do:
/// `0.5 per page_views (at most 10), decay exp(-days_since_activity / 30), max 15`.
/// Empty for constant points without a cap; the flag says whether the text
/// starts with the value (else it only adds a decay or a cap to constant points).
pub(crate) fn how(points: &Num, cap: (Option<f64>, Option<f64>), n: &Names<'_>) -> (String, bool) {
    let mut parts = Vec::new();
    let mut fs = Vec::new();
    let mut per = 1.0;
    factors(points, &mut fs, &mut per);
    let mut value = None;
    let mut decays = Vec::new();
    let mut plain = true;
    for f in &fs {
        match f {
            Num::Const(c) => per *= c,
            Num::Local(i) if n.local(*i).is_some_and(|l| l.decay) => decays.push(*i),
            Num::Slot(_) | Num::Local(_) if value.is_none() => value = Some(expr(f, n, 0)),
            Num::Bin(op @ (BinOp::Min | BinOp::Max), a, b)
                if value.is_none() && matches!(**a, Num::Slot(_)) =>
            {
                if let Num::Const(m) = **b {
                    let bound = if *op == BinOp::Min {
                        "at most"
                    } else {
                        "at least"
                    };
                    value = Some(format!("{} ({bound} {})", expr(a, n, 0), number(m)));
                } else {
                    plain = false;
                }
            }
            _ => plain = false,
        }
    }
    if !plain {
        parts.push(expr(points, n, 0));
    } else if let Some(v) = value {
        parts.push(format!("{} per {v}", number(per)));
    }
    let valued = !parts.is_empty();
    for i in decays.iter().filter(|_| plain) {
        if let Some(l) = n.local(*i) {
            parts.push(decay_text(l));
        }
    }
    if let Some(lo) = cap.0 {
        parts.push(format!("min {}", number(lo)));
    }
    if let Some(hi) = cap.1 {
        parts.push(format!("max {}", number(hi)));
    }
    (parts.join(", "), valued)
}

fn decay_text(l: &Local) -> String {
    match (&l.text, l.name.as_str()) {
        (Some(t), "decay") => format!("decay {t}"),
        (Some(t), name) => format!("decay {name} = {t}"),
        (None, name) => format!("decay {}", name.strip_prefix("decay:").unwrap_or(name)),
    }
}

/// The reason of a native rule: the condition, then how points are computed.
pub(crate) fn reason(
    cond: &Cond,
    points: &Num,
    cap: (Option<f64>, Option<f64>),
    n: &Names<'_>,
) -> String {
    let (how, valued) = how(points, cap, n);
    combine(condition(cond, n), &how, valued)
}

/// `cond: how`, `cond`, `how` alone (proportional points), `always, how`
/// (constant points, decayed or capped) or `always`.
pub(crate) fn combine(cond: Option<String>, how: &str, valued: bool) -> String {
    match (cond, how.is_empty()) {
        (Some(c), true) => c,
        (Some(c), false) => format!("{c}: {how}"),
        (None, true) => "always".to_owned(),
        (None, false) if valued => how.to_owned(),
        (None, false) => format!("always, {how}"),
    }
}

/// A single-line excerpt of a statement's source: comment lines dropped,
/// whitespace collapsed, at most `max` characters.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let joined: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .collect();
    let one = joined.join(" ");
    let one: String = one.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() <= max {
        return one;
    }
    let mut cut: String = one.chars().take(max.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}
