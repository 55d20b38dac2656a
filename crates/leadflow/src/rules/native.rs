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
    And(Box<[Cond]>),
    Or(Box<[Cond]>),
    Not(Box<Cond>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
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
            Cond::Cmp(op, a, b) => {
                let (a, b) = (a.eval(x), b.eval(x));
                #[allow(clippy::float_cmp)] // exact comparison, as rhai does
                match op {
                    CmpOp::Eq => a == b,
                    CmpOp::Ne => a != b,
                    CmpOp::Lt => a < b,
                    CmpOp::Le => a <= b,
                    CmpOp::Gt => a > b,
                    CmpOp::Ge => a >= b,
                }
            }
            Cond::Str(op, slot, needle) => {
                let s: &str = &x.strs[*slot];
                match op {
                    StrOp::Eq => s == &**needle,
                    StrOp::Ne => s != &**needle,
                    StrOp::Contains => s.contains(&**needle),
                    StrOp::StartsWith => s.starts_with(&**needle),
                    StrOp::EndsWith => s.ends_with(&**needle),
                }
            }
            Cond::StrIn(slot, set) => {
                let s: &str = &x.strs[*slot];
                set.iter().any(|v| &**v == s)
            }
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
            Cond::Const(_) | Cond::Str(..) | Cond::StrIn(..) => {}
        }
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
