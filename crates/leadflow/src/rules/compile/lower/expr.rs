//! Lowering rhai expressions to typed closures.

use std::borrow::Cow;
use std::sync::Arc;

use rhai::{ASTFlags, BinaryExpr, Expr, FnCallExpr};

use super::symbols::{Binding, Symbols};
use super::{Env, R, Slot, Stop, Ty, Vars, calls, ops};
use crate::rules::compile::recognize::NumTy;
use crate::rules::define::features::{FeatureTable, FeatureType};

pub(crate) type IFn = Box<dyn Fn(&Env<'_>, &Vars) -> R<i64> + Send + Sync>;
pub(crate) type FFn = Box<dyn Fn(&Env<'_>, &Vars) -> R<f64> + Send + Sync>;
pub(crate) type BFn = Box<dyn Fn(&Env<'_>, &Vars) -> R<bool> + Send + Sync>;
pub(crate) type SFn = Box<dyn for<'a> Fn(&'a Env<'_>, &'a Vars) -> R<Cow<'a, str>> + Send + Sync>;

/// A lowered expression: a closure of its static type, or a constant (kept
/// apart so operators can specialise on it).
pub(crate) enum Ex {
    I(IFn),
    F(FFn),
    B(BFn),
    S(SFn),
    KI(i64),
    KF(f64),
    KB(bool),
    KS(Arc<str>),
}

impl Ex {
    pub fn ty(&self) -> Ty {
        match self {
            Ex::I(_) | Ex::KI(_) => Ty::Int,
            Ex::F(_) | Ex::KF(_) => Ty::Float,
            Ex::B(_) | Ex::KB(_) => Ty::Bool,
            Ex::S(_) | Ex::KS(_) => Ty::Str,
        }
    }

    pub fn int(self) -> Option<IFn> {
        match self {
            Ex::I(f) => Some(f),
            Ex::KI(k) => Some(Box::new(move |_, _| Ok(k))),
            _ => None,
        }
    }

    pub fn float(self) -> Option<FFn> {
        match self {
            Ex::F(f) => Some(f),
            Ex::KF(k) => Some(Box::new(move |_, _| Ok(k))),
            _ => None,
        }
    }

    /// An int or float operand as a float (rhai's mixed-number operators convert the int).
    #[allow(clippy::cast_precision_loss)] // rhai converts with `as FLOAT` too
    pub fn num_as_float(self) -> Option<FFn> {
        match self {
            Ex::I(f) => Some(Box::new(move |e, v| Ok(f(e, v)? as f64))),
            Ex::KI(k) => Some(Box::new(move |_, _| Ok(k as f64))),
            other => other.float(),
        }
    }

    pub fn bool(self) -> Option<BFn> {
        match self {
            Ex::B(f) => Some(f),
            Ex::KB(k) => Some(Box::new(move |_, _| Ok(k))),
            _ => None,
        }
    }

    pub fn str(self) -> Option<SFn> {
        match self {
            Ex::S(f) => Some(f),
            Ex::KS(k) => Some(Box::new(move |_, _| Ok(Cow::Owned(k.to_string())))),
            _ => None,
        }
    }
}

/// Lowering state for one script source.
pub(crate) struct Ctx<'c> {
    pub syms: Symbols,
    pub features: &'c FeatureTable,
    /// The script's text (switch case values are read back from it).
    pub text: &'c str,
    pub max_str: usize,
    /// Slots the current step assigns.
    pub assigned: Vec<Slot>,
}

pub(crate) fn expr(cx: &mut Ctx<'_>, e: &Expr) -> Option<Ex> {
    match e {
        Expr::IntegerConstant(i, _) => Some(Ex::KI(*i)),
        Expr::FloatConstant(f, _) => Some(Ex::KF(**f)),
        Expr::BoolConstant(b, _) => Some(Ex::KB(*b)),
        Expr::StringConstant(s, _) => Some(Ex::KS(s.as_str().into())),
        Expr::Variable(v, ..) => variable(cx, v.1.as_str()),
        Expr::Dot(b, flags, _) => dot(cx, b, *flags),
        Expr::And(list, _) => logic(cx, list, true),
        Expr::Or(list, _) => logic(cx, list, false),
        Expr::FnCall(call, _) => fn_call(cx, call, None),
        _ => None,
    }
}

/// A variable read, by its static binding.
pub(crate) fn read_slot(slot: Slot) -> Ex {
    let i = slot.idx;
    match slot.ty {
        Ty::Float => Ex::F(Box::new(move |_, v| Ok(v.f[i]))),
        Ty::Int => Ex::I(Box::new(move |_, v| Ok(v.i[i]))),
        Ty::Bool => Ex::B(Box::new(move |_, v| Ok(v.b[i]))),
        Ty::Str => Ex::S(Box::new(move |_, v| Ok(Cow::Borrowed(v.s[i].as_str())))),
    }
}

#[allow(clippy::cast_possible_truncation)] // integral by construction
fn variable(cx: &Ctx<'_>, name: &str) -> Option<Ex> {
    Some(match cx.syms.get(name)? {
        Binding::Var { slot, .. } => read_slot(*slot),
        Binding::Native { local, ty } => {
            let l = *local;
            match ty {
                NumTy::Int => Ex::I(Box::new(move |e, _| Ok(e.locals[l] as i64))),
                NumTy::Float => Ex::F(Box::new(move |e, _| Ok(e.locals[l]))),
                NumTy::Bool => Ex::B(Box::new(move |e, _| Ok(e.locals[l] != 0.0))),
            }
        }
        Binding::Now => Ex::S(Box::new(|e, _| Ok(Cow::Borrowed(e.now)))),
        Binding::Lead => return None,
    })
}

/// `lead.<feature>`: the value the interpreter's `lead` map would hold.
#[allow(clippy::cast_possible_truncation)] // integer features hold integral values
fn feature(cx: &Ctx<'_>, name: &str) -> Option<Ex> {
    let f = cx.features.get(cx.features.lookup(name)?);
    let slot = f.slot;
    let max = cx.max_str;
    Some(match f.ty {
        FeatureType::Int => Ex::I(Box::new(move |e, _| Ok(e.num[slot] as i64))),
        FeatureType::Float => Ex::F(Box::new(move |e, _| Ok(e.num[slot]))),
        FeatureType::Bool => Ex::B(Box::new(move |e, _| Ok(e.num[slot] != 0.0))),
        // A string over the size limit goes to the interpreter, which knows what to do with it.
        FeatureType::Str => Ex::S(Box::new(move |e, _| {
            let s: &str = &e.strs[slot];
            if s.len() > max {
                Err(Stop::Deopt)
            } else {
                Ok(Cow::Borrowed(s))
            }
        })),
    })
}

/// `a.b.c(...)` chains: `lead.<feature>` roots, then method calls.
fn dot(cx: &mut Ctx<'_>, b: &BinaryExpr, flags: ASTFlags) -> Option<Ex> {
    if flags.contains(ASTFlags::NEGATED) {
        return None;
    }
    let is_lead = matches!(&b.lhs, Expr::Variable(v, ..)
        if cx.syms.get(v.1.as_str()) == Some(&Binding::Lead));
    let (mut value, mut rest) = if is_lead {
        // The first link names the feature.
        let (first, rest) = split(&b.rhs)?;
        let Expr::Property(p, _) = first else {
            return None;
        };
        (feature(cx, p.2.as_str())?, rest)
    } else {
        (expr(cx, &b.lhs)?, Some(&b.rhs))
    };
    while let Some(link) = rest {
        let (first, next) = split(link)?;
        let Expr::MethodCall(call, _) = first else {
            return None;
        };
        value = fn_call(cx, call, Some(value))?;
        rest = next;
    }
    Some(value)
}

/// The first link of a chain and the rest, if any.
fn split(e: &Expr) -> Option<(&Expr, Option<&Expr>)> {
    match e {
        Expr::Dot(b, flags, _) if !flags.contains(ASTFlags::NEGATED) => {
            Some((&b.lhs, Some(&b.rhs)))
        }
        Expr::Dot(..) | Expr::Index(..) => None,
        other => Some((other, None)),
    }
}

fn logic(cx: &mut Ctx<'_>, list: &[Expr], and: bool) -> Option<Ex> {
    let mut fs: Vec<BFn> = list
        .iter()
        .map(|e| expr(cx, e)?.bool())
        .collect::<Option<_>>()?;
    if fs.len() == 2 {
        let b = fs.pop()?;
        let a = fs.pop()?;
        return Some(Ex::B(if and {
            Box::new(move |e, v| Ok(a(e, v)? && b(e, v)?))
        } else {
            Box::new(move |e, v| Ok(a(e, v)? || b(e, v)?))
        }));
    }
    Some(Ex::B(Box::new(move |e, v| {
        for f in &fs {
            if f(e, v)? != and {
                return Ok(!and);
            }
        }
        Ok(and)
    })))
}

/// An operator, a function call, or (with `receiver`) a method call.
fn fn_call(cx: &mut Ctx<'_>, call: &FnCallExpr, receiver: Option<Ex>) -> Option<Ex> {
    if call.capture_parent_scope {
        return None;
    }
    let mut args: Vec<Ex> = Vec::with_capacity(call.args.len() + 1);
    args.extend(receiver);
    for a in &call.args {
        args.push(expr(cx, a)?);
    }
    if let Some(op) = &call.op_token {
        return ops::operator(op, args, cx.max_str);
    }
    calls::call(call.name.as_str(), args, cx.max_str)
}
