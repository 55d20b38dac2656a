//! The native tier: conditions and point expressions compiled to small trees
//! over slot indices, evaluated over a pre-extracted feature row without
//! allocation or name lookups.

use std::borrow::Cow;

/// A numeric expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Num {
    Const(f64),
    /// A numeric feature slot (ints and booleans are stored as `f64`).
    Slot(usize),
    /// A script local computed earlier in the same lead.
    Local(usize),
    Neg(Box<Num>),
    Bin(BinOp, Box<Num>, Box<Num>),
    Un(UnOp, Box<Num>),
    /// `1.0` when the condition holds, else `0.0`.
    Cond(Box<Cond>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    /// rhai's `min`: `if a < b { a } else { b }`.
    Min,
    Max,
    Pow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnOp {
    Exp,
    Abs,
    Floor,
    Sqrt,
    Ln,
}

/// A boolean condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    Const(bool),
    Cmp(CmpOp, Num, Num),
    Str(StrOp, usize, Box<str>),
    /// String slot equals one of the set.
    StrIn(usize, Box<[Box<str>]>),
    /// Any of the needles passes `StrOp` on the slot (compiled from `or` chains).
    StrAny(StrOp, usize, Box<[Box<str>]>),
    /// Numeric slot compared with a constant (the most common shape; no recursion).
    SlotCmp(CmpOp, usize, f64),
    And(Box<[Cond]>),
    Or(Box<[Cond]>),
    Not(Box<Cond>),
}

/// A numeric comparison. The `F*` forms are rhai's float comparisons (a
/// recognised rhai statement comparing a float): epsilon-relative, as rhai's
/// checked build compares floats; the others are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    FEq,
    FNe,
    FLt,
    FLe,
    FGt,
    FGe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrOp {
    Eq,
    Ne,
    Contains,
    StartsWith,
    EndsWith,
}

/// The row a lead's rules are evaluated over.
#[derive(Debug)]
pub(crate) struct Ctx<'r, 'a> {
    pub num: &'r [f64],
    pub strs: &'r [Cow<'a, str>],
    pub locals: &'r [f64],
}

impl Num {
    #[inline]
    pub fn eval(&self, x: &Ctx<'_, '_>) -> f64 {
        match self {
            Num::Const(c) => *c,
            Num::Slot(i) => x.num[*i],
            Num::Local(i) => x.locals[*i],
            Num::Neg(a) => -a.eval(x),
            Num::Bin(op, a, b) => {
                let (a, b) = (a.eval(x), b.eval(x));
                match op {
                    BinOp::Add => a + b,
                    BinOp::Sub => a - b,
                    BinOp::Mul => a * b,
                    BinOp::Div => a / b,
                    BinOp::Min => {
                        if a < b {
                            a
                        } else {
                            b
                        }
                    }
                    BinOp::Max => {
                        if a > b {
                            a
                        } else {
                            b
                        }
                    }
                    BinOp::Pow => a.powf(b),
                }
            }
            Num::Un(op, a) => {
                let a = a.eval(x);
                match op {
                    UnOp::Exp => a.exp(),
                    UnOp::Abs => a.abs(),
                    UnOp::Floor => a.floor(),
                    UnOp::Sqrt => a.sqrt(),
                    UnOp::Ln => a.ln(),
                }
            }
            Num::Cond(c) => {
                if c.eval(x) {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }

    /// Locals this expression reads.
    pub fn locals(&self, out: &mut Vec<usize>) {
        match self {
            Num::Local(i) => out.push(*i),
            Num::Neg(a) | Num::Un(_, a) => a.locals(out),
            Num::Bin(_, a, b) => {
                a.locals(out);
                b.locals(out);
            }
            Num::Cond(c) => c.locals(out),
            Num::Const(_) | Num::Slot(_) => {}
        }
    }

    /// Whether the expression applies `exp` or a power (a decay curve).
    pub fn is_decay_curve(&self) -> bool {
        match self {
            Num::Un(UnOp::Exp, _) | Num::Bin(BinOp::Pow, _, _) => true,
            Num::Neg(a) | Num::Un(_, a) => a.is_decay_curve(),
            Num::Bin(_, a, b) => a.is_decay_curve() || b.is_decay_curve(),
            _ => false,
        }
    }
}

impl Cond {
    #[inline]
    pub fn eval(&self, x: &Ctx<'_, '_>) -> bool {
        match self {
            Cond::Const(b) => *b,
            Cond::Cmp(op, a, b) => cmp(*op, a.eval(x), b.eval(x)),
            Cond::Str(op, slot, needle) => str_test(*op, &x.strs[*slot], needle),
            Cond::StrIn(slot, set) => {
                let s: &str = &x.strs[*slot];
                set.iter().any(|v| bytes_eq(v.as_bytes(), s.as_bytes()))
            }
            Cond::StrAny(op, slot, needles) => {
                let s: &str = &x.strs[*slot];
                needles.iter().any(|n| str_test(*op, s, n))
            }
            Cond::SlotCmp(op, slot, c) => cmp(*op, x.num[*slot], *c),
            Cond::And(cs) => cs.iter().all(|c| c.eval(x)),
            Cond::Or(cs) => cs.iter().any(|c| c.eval(x)),
            Cond::Not(c) => !c.eval(x),
        }
    }

    pub fn locals(&self, out: &mut Vec<usize>) {
        match self {
            Cond::Cmp(_, a, b) => {
                a.locals(out);
                b.locals(out);
            }
            Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| c.locals(out)),
            Cond::Not(c) => c.locals(out),
            Cond::Const(_)
            | Cond::Str(..)
            | Cond::StrIn(..)
            | Cond::StrAny(..)
            | Cond::SlotCmp(..) => {}
        }
    }

    /// Rewrites common shapes into flat variants (same results, fewer calls per lead).
    #[must_use]
    pub fn simplify(self) -> Cond {
        match self {
            Cond::Cmp(op, Num::Slot(s), Num::Const(c)) => Cond::SlotCmp(op, s, c),
            Cond::Cmp(op, Num::Const(c), Num::Slot(s)) => Cond::SlotCmp(op.flip(), s, c),
            Cond::Not(c) => Cond::Not(Box::new(c.simplify())),
            Cond::And(cs) | Cond::Or(cs) if cs.len() == 1 => cs.into_vec().remove(0).simplify(),
            Cond::And(cs) => Cond::And(cs.into_vec().into_iter().map(Cond::simplify).collect()),
            Cond::Or(cs) => {
                let cs: Vec<Cond> = cs.into_vec().into_iter().map(Cond::simplify).collect();
                // `a.contains(x) || a.contains(y)` on one slot: one pass over the needles.
                if let Some(Cond::Str(op0, slot0, _)) = cs.first() {
                    let (op0, slot0) = (*op0, *slot0);
                    if cs.iter().all(
                        |c| matches!(c, Cond::Str(op, slot, _) if *op == op0 && *slot == slot0),
                    ) {
                        let needles = cs
                            .into_iter()
                            .filter_map(|c| match c {
                                Cond::Str(_, _, n) => Some(n),
                                _ => None,
                            })
                            .collect();
                        return Cond::StrAny(op0, slot0, needles);
                    }
                }
                Cond::Or(cs.into())
            }
            other => other,
        }
    }
}

impl CmpOp {
    /// The operator with its operands swapped (`c < x` is `x > c`).
    fn flip(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            CmpOp::FLt => CmpOp::FGt,
            CmpOp::FLe => CmpOp::FGe,
            CmpOp::FGt => CmpOp::FLt,
            CmpOp::FGe => CmpOp::FLe,
            other => other,
        }
    }

    /// The same comparison with rhai's float semantics.
    pub(crate) fn rhai_float(self) -> CmpOp {
        match self {
            CmpOp::Eq => CmpOp::FEq,
            CmpOp::Ne => CmpOp::FNe,
            CmpOp::Lt => CmpOp::FLt,
            CmpOp::Le => CmpOp::FLe,
            CmpOp::Gt => CmpOp::FGt,
            CmpOp::Ge => CmpOp::FGe,
            other => other,
        }
    }

    /// The exact comparison of the same direction (for rendering).
    pub(crate) fn exact(self) -> CmpOp {
        match self {
            CmpOp::FEq => CmpOp::Eq,
            CmpOp::FNe => CmpOp::Ne,
            CmpOp::FLt => CmpOp::Lt,
            CmpOp::FLe => CmpOp::Le,
            CmpOp::FGt => CmpOp::Gt,
            CmpOp::FGe => CmpOp::Ge,
            other => other,
        }
    }
}

#[inline]
#[allow(clippy::float_cmp)] // exact comparison
pub(crate) fn cmp(op: CmpOp, a: f64, b: f64) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
        CmpOp::FEq => f_eq(a, b),
        CmpOp::FNe => f_ne(a, b),
        CmpOp::FLt => f_lt(a, b),
        CmpOp::FLe => f_le(a, b),
        CmpOp::FGt => f_gt(a, b),
        CmpOp::FGe => f_ge(a, b),
    }
}

/// The scale rhai's float comparisons divide by; `None` when both are zero.
#[allow(clippy::float_cmp)] // rhai's exact formula
fn scale(x: f64, y: f64) -> Option<f64> {
    let max = if x * y == 0.0 {
        1.0
    } else {
        x.abs().max(y.abs())
    };
    (max != 0.0).then_some(max)
}

// rhai 1.27's checked-build float comparisons (`impl_float!` in `func/builtin.rs`).
pub(crate) fn f_eq(x: f64, y: f64) -> bool {
    scale(x, y).is_none_or(|m| (x - y).abs() / m <= f64::EPSILON)
}
pub(crate) fn f_ne(x: f64, y: f64) -> bool {
    scale(x, y).is_some_and(|m| (x - y).abs() / m > f64::EPSILON)
}
pub(crate) fn f_gt(x: f64, y: f64) -> bool {
    scale(x, y).is_some_and(|m| (x - y) / m > f64::EPSILON)
}
pub(crate) fn f_ge(x: f64, y: f64) -> bool {
    scale(x, y).is_none_or(|m| (x - y) / m > -f64::EPSILON)
}
pub(crate) fn f_lt(x: f64, y: f64) -> bool {
    scale(x, y).is_some_and(|m| (y - x) / m > f64::EPSILON)
}
pub(crate) fn f_le(x: f64, y: f64) -> bool {
    scale(x, y).is_none_or(|m| (y - x) / m > -f64::EPSILON)
}

pub(crate) use crate::bytes::eq as bytes_eq;

#[inline]
pub(crate) fn str_test(op: StrOp, text: &str, needle: &str) -> bool {
    let (s, n) = (text.as_bytes(), needle.as_bytes());
    match op {
        StrOp::Eq => bytes_eq(s, n),
        StrOp::Ne => !bytes_eq(s, n),
        StrOp::Contains => s.len() >= n.len() && text.contains(needle),
        StrOp::StartsWith => crate::bytes::starts_with(s, n),
        StrOp::EndsWith => crate::bytes::ends_with(s, n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evaluates_over_a_row() {
        let strs = [Cow::Borrowed("VP Sales")];
        let x = Ctx {
            num: &[600.0, 10.0],
            strs: &strs,
            locals: &[0.5],
        };
        let c = Cond::And(
            vec![
                Cond::Str(StrOp::Contains, 0, "VP".into()),
                Cond::Cmp(CmpOp::Gt, Num::Slot(0), Num::Const(500.0)),
            ]
            .into(),
        );
        assert!(c.eval(&x));
        let p = Num::Bin(
            BinOp::Min,
            Box::new(Num::Bin(
                BinOp::Mul,
                Box::new(Num::Slot(1)),
                Box::new(Num::Local(0)),
            )),
            Box::new(Num::Const(3.0)),
        );
        assert!((p.eval(&x) - 3.0).abs() < 1e-12);
    }
}
