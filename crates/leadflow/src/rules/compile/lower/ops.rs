//! rhai's built-in operators on int, float, bool and string, with rhai 1.27's
//! semantics (`func/builtin.rs`, checked build): integer arithmetic is checked
//! (an error deopts), mixed int/float operands convert the int to float, and
//! float comparisons are epsilon-relative.

// Operands read best as `x`, `y`, closures as `|e, v|` (environment, variables).
#![allow(clippy::many_single_char_names)]

use std::borrow::Cow;

use rhai::Token;

use super::expr::{BFn, Ex, FFn, SFn};
use super::{Stop, Ty};
use crate::rules::exec::native::{f_eq, f_ge, f_gt, f_le, f_lt, f_ne};

pub(crate) fn operator(op: &Token, mut args: Vec<Ex>, max_str: usize) -> Option<Ex> {
    match args.len() {
        1 => unary(op, args.pop()?),
        2 => {
            let b = args.pop()?;
            let a = args.pop()?;
            binary(op, a, b, max_str)
        }
        _ => None,
    }
}

fn unary(op: &Token, a: Ex) -> Option<Ex> {
    match (op, a.ty()) {
        (Token::Minus | Token::UnaryMinus, Ty::Int) => {
            let f = a.int()?;
            Some(Ex::I(Box::new(move |e, v| {
                f(e, v)?.checked_neg().ok_or(Stop::Deopt)
            })))
        }
        (Token::Minus | Token::UnaryMinus, Ty::Float) => {
            let f = a.float()?;
            Some(Ex::F(Box::new(move |e, v| Ok(-f(e, v)?))))
        }
        (Token::Plus | Token::UnaryPlus, Ty::Int | Ty::Float) => Some(a),
        (Token::Bang, Ty::Bool) => {
            let f = a.bool()?;
            Some(Ex::B(Box::new(move |e, v| Ok(!f(e, v)?))))
        }
        _ => None,
    }
}

/// `op` on `a` and `b`, or `None` when rhai would not use a built-in for these types.
pub(crate) fn binary(op: &Token, a: Ex, b: Ex, max_str: usize) -> Option<Ex> {
    match (a.ty(), b.ty()) {
        (Ty::Int, Ty::Int) => int(op, a, b),
        (Ty::Int | Ty::Float, Ty::Int | Ty::Float) => float(op, a, b),
        (Ty::Bool, Ty::Bool) => boolean(op, a, b),
        (Ty::Str, Ty::Str) => string(op, a, b, max_str),
        _ => None,
    }
}

fn int(op: &Token, a: Ex, b: Ex) -> Option<Ex> {
    // Comparisons with a constant right side read one closure.
    if let Ex::KI(k) = b
        && let Some(c) = int_cmp(op)
    {
        let x = a.int()?;
        return Some(Ex::B(Box::new(move |e, v| Ok(c(x(e, v)?, k)))));
    }
    let (x, y) = (a.int()?, b.int()?);
    if let Some(c) = int_cmp(op) {
        return Some(Ex::B(Box::new(move |e, v| Ok(c(x(e, v)?, y(e, v)?)))));
    }
    let f: fn(i64, i64) -> Option<i64> = match op {
        Token::Plus => i64::checked_add,
        Token::Minus => i64::checked_sub,
        Token::Multiply => i64::checked_mul,
        // Division by zero and overflow are errors in rhai: both deopt.
        Token::Divide => i64::checked_div,
        Token::Modulo => i64::checked_rem,
        Token::PowerOf => |x, y| {
            if y < 0 {
                None
            } else {
                x.checked_pow(u32::try_from(y).ok()?)
            }
        },
        Token::Ampersand => |x, y| Some(x & y),
        Token::Pipe => |x, y| Some(x | y),
        Token::XOr => |x, y| Some(x ^ y),
        _ => return None,
    };
    Some(Ex::I(Box::new(move |e, v| {
        f(x(e, v)?, y(e, v)?).ok_or(Stop::Deopt)
    })))
}

fn int_cmp(op: &Token) -> Option<fn(i64, i64) -> bool> {
    Some(match op {
        Token::EqualsTo => |x, y| x == y,
        Token::NotEqualsTo => |x, y| x != y,
        Token::GreaterThan => |x, y| x > y,
        Token::GreaterThanEqualsTo => |x, y| x >= y,
        Token::LessThan => |x, y| x < y,
        Token::LessThanEqualsTo => |x, y| x <= y,
        _ => return None,
    })
}

fn float_cmp(op: &Token) -> Option<fn(f64, f64) -> bool> {
    Some(match op {
        Token::EqualsTo => f_eq,
        Token::NotEqualsTo => f_ne,
        Token::GreaterThan => f_gt,
        Token::GreaterThanEqualsTo => f_ge,
        Token::LessThan => f_lt,
        Token::LessThanEqualsTo => f_le,
        _ => return None,
    })
}

#[allow(clippy::cast_precision_loss)] // rhai converts with `as FLOAT` too
fn float(op: &Token, a: Ex, b: Ex) -> Option<Ex> {
    let konst = match b {
        Ex::KF(k) => Some(k),
        Ex::KI(k) => Some(k as f64),
        _ => None,
    };
    if let Some(k) = konst
        && let Some(c) = float_cmp(op)
    {
        let x = a.num_as_float()?;
        return Some(Ex::B(Box::new(move |e, v| Ok(c(x(e, v)?, k)))));
    }
    let (x, y): (FFn, FFn) = (a.num_as_float()?, b.num_as_float()?);
    if let Some(c) = float_cmp(op) {
        return Some(Ex::B(Box::new(move |e, v| Ok(c(x(e, v)?, y(e, v)?)))));
    }
    if let Some(k) = konst {
        return Some(Ex::F(match op {
            Token::Plus => Box::new(move |e, v| Ok(x(e, v)? + k)),
            Token::Minus => Box::new(move |e, v| Ok(x(e, v)? - k)),
            Token::Multiply => Box::new(move |e, v| Ok(x(e, v)? * k)),
            Token::Divide => Box::new(move |e, v| Ok(x(e, v)? / k)),
            _ => return float_op(op, x, y),
        }));
    }
    float_op(op, x, y)
}

fn float_op(op: &Token, x: FFn, y: FFn) -> Option<Ex> {
    let f: fn(f64, f64) -> f64 = match op {
        Token::Plus => |x, y| x + y,
        Token::Minus => |x, y| x - y,
        Token::Multiply => |x, y| x * y,
        Token::Divide => |x, y| x / y,
        Token::Modulo => |x, y| x % y,
        Token::PowerOf => f64::powf,
        _ => return None,
    };
    Some(Ex::F(Box::new(move |e, v| Ok(f(x(e, v)?, y(e, v)?)))))
}

fn boolean(op: &Token, a: Ex, b: Ex) -> Option<Ex> {
    let (x, y): (BFn, BFn) = (a.bool()?, b.bool()?);
    let f: fn(bool, bool) -> bool = match op {
        Token::EqualsTo => |x, y| x == y,
        Token::NotEqualsTo => |x, y| x != y,
        Token::GreaterThan => |x, y| x && !y,
        Token::GreaterThanEqualsTo => |x, y| x >= y,
        Token::LessThan => |x, y| !x && y,
        Token::LessThanEqualsTo => |x, y| x <= y,
        Token::Ampersand => |x, y| x & y,
        Token::Pipe => |x, y| x | y,
        Token::XOr => |x, y| x ^ y,
        _ => return None,
    };
    Some(Ex::B(Box::new(move |e, v| Ok(f(x(e, v)?, y(e, v)?)))))
}

fn string(op: &Token, a: Ex, b: Ex, max_str: usize) -> Option<Ex> {
    if let Ex::KS(k) = &b {
        let f: Option<fn(&str, &str) -> bool> = match op {
            Token::EqualsTo => Some(|x, y| x == y),
            Token::NotEqualsTo => Some(|x, y| x != y),
            _ => None,
        };
        if let Some(f) = f {
            let k = k.clone();
            let x = a.str()?;
            return Some(Ex::B(Box::new(move |e, v| Ok(f(&x(e, v)?, &k)))));
        }
    }
    let (x, y): (SFn, SFn) = (a.str()?, b.str()?);
    if matches!(op, Token::Plus) {
        // rhai checks the joined length against the string limit (an error: deopt).
        return Some(Ex::S(Box::new(move |e, v| {
            let (l, r) = (x(e, v)?, y(e, v)?);
            if l.len() + r.len() > max_str {
                return Err(Stop::Deopt);
            }
            let mut s = l.into_owned();
            s.push_str(&r);
            Ok(Cow::Owned(s))
        })));
    }
    let f: fn(&str, &str) -> bool = match op {
        Token::EqualsTo => |x, y| x == y,
        Token::NotEqualsTo => |x, y| x != y,
        Token::GreaterThan => |x, y| x > y,
        Token::GreaterThanEqualsTo => |x, y| x >= y,
        Token::LessThan => |x, y| x < y,
        Token::LessThanEqualsTo => |x, y| x <= y,
        _ => return None,
    };
    Some(Ex::B(Box::new(move |e, v| Ok(f(&x(e, v)?, &y(e, v)?)))))
}
