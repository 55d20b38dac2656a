//! The functions lowered code calls: rhai's standard library functions common
//! in scoring rules and the pack helper API, by name and argument types, with
//! rhai 1.27's semantics (`packages/`). Any other function, or these with other
//! argument types, is not lowered.

use std::borrow::Cow;
use std::sync::Arc;

use memchr::memmem::Finder;

use super::expr::{Ex, FFn, SFn};
use super::{Stop, Ty};
use crate::rules::helpers;
use crate::rules::input::activity;
use crate::time::{days_between, parse_timestamp};

#[allow(clippy::too_many_lines)] // one arm per function and signature
pub(crate) fn call(name: &str, mut args: Vec<Ex>, max_str: usize) -> Option<Ex> {
    let tys: Vec<Ty> = args.iter().map(Ex::ty).collect();
    match (name, tys.as_slice()) {
        ("min" | "max", [Ty::Int, Ty::Int]) => {
            let y = args.pop()?.int()?;
            let x = args.pop()?.int()?;
            Some(Ex::I(if name == "min" {
                Box::new(move |e, v| {
                    let (a, b) = (x(e, v)?, y(e, v)?);
                    Ok(if a <= b { a } else { b })
                })
            } else {
                Box::new(move |e, v| {
                    let (a, b) = (x(e, v)?, y(e, v)?);
                    Ok(if a >= b { a } else { b })
                })
            }))
        }
        ("min" | "max", [Ty::Int | Ty::Float, Ty::Int | Ty::Float]) => {
            let konst = match args.last()? {
                Ex::KF(k) => Some(*k),
                _ => None,
            };
            let y = args.pop()?.num_as_float()?;
            let x = args.pop()?.num_as_float()?;
            Some(Ex::F(match (name == "min", konst) {
                (true, Some(k)) => Box::new(move |e, v| {
                    let a = x(e, v)?;
                    Ok(if a <= k { a } else { k })
                }),
                (false, Some(k)) => Box::new(move |e, v| {
                    let a = x(e, v)?;
                    Ok(if a >= k { a } else { k })
                }),
                (true, None) => Box::new(move |e, v| {
                    let (a, b) = (x(e, v)?, y(e, v)?);
                    Ok(if a <= b { a } else { b })
                }),
                (false, None) => Box::new(move |e, v| {
                    let (a, b) = (x(e, v)?, y(e, v)?);
                    Ok(if a >= b { a } else { b })
                }),
            }))
        }
        ("to_float", [Ty::Int | Ty::Float]) => args.pop()?.num_as_float().map(Ex::F),
        ("to_int", [Ty::Int]) => args.pop(),
        ("to_int", [Ty::Float]) => {
            let x = args.pop()?.float()?;
            Some(Ex::I(Box::new(move |e, v| to_int(x(e, v)?))))
        }
        ("abs", [Ty::Int]) => {
            let x = args.pop()?.int()?;
            Some(Ex::I(Box::new(move |e, v| {
                x(e, v)?.checked_abs().ok_or(Stop::Deopt)
            })))
        }
        ("sign", [Ty::Int]) => {
            let x = args.pop()?.int()?;
            Some(Ex::I(Box::new(move |e, v| Ok(x(e, v)?.signum()))))
        }
        ("sign", [Ty::Float]) => {
            let x = args.pop()?.float()?;
            Some(Ex::I(Box::new(move |e, v| sign(x(e, v)?))))
        }
        ("is_nan" | "is_finite" | "is_infinite", [Ty::Float]) => {
            let x = args.pop()?.float()?;
            let f: fn(f64) -> bool = match name {
                "is_nan" => f64::is_nan,
                "is_finite" => f64::is_finite,
                _ => f64::is_infinite,
            };
            Some(Ex::B(Box::new(move |e, v| Ok(f(x(e, v)?)))))
        }
        ("log", [Ty::Float, Ty::Float]) => {
            let b = args.pop()?.float()?;
            let x = args.pop()?.float()?;
            Some(Ex::F(Box::new(move |e, v| Ok(x(e, v)?.log(b(e, v)?)))))
        }
        (_, [Ty::Float]) => float_fn(name, args.pop()?.float()?),
        ("contains" | "starts_with" | "ends_with", [Ty::Str, Ty::Str]) => {
            let needle = args.pop()?;
            let hay = args.pop()?.str()?;
            str_test(name, hay, needle)
        }
        ("len", [Ty::Str]) => {
            let s = args.pop()?.str()?;
            Some(Ex::I(Box::new(move |e, v| {
                let s = s(e, v)?;
                Ok(i64::try_from(s.chars().count()).unwrap_or(i64::MAX))
            })))
        }
        ("is_empty", [Ty::Str]) => {
            let s = args.pop()?.str()?;
            Some(Ex::B(Box::new(move |e, v| Ok(s(e, v)?.is_empty()))))
        }
        ("to_lower" | "to_upper", [Ty::Str]) => {
            let s = args.pop()?.str()?;
            let upper = name == "to_upper";
            Some(Ex::S(Box::new(move |e, v| {
                let s = s(e, v)?;
                let out = if upper {
                    if s.chars().all(char::is_uppercase) {
                        return Ok(s);
                    }
                    s.to_uppercase()
                } else {
                    if s.is_empty() || s.chars().all(char::is_lowercase) {
                        return Ok(s);
                    }
                    s.to_lowercase()
                };
                if out.len() > max_str {
                    return Err(Stop::Deopt);
                }
                Ok(Cow::Owned(out))
            })))
        }
        ("is_free_mail", [Ty::Str]) => {
            let s = args.pop()?.str()?;
            Some(Ex::B(Box::new(move |e, v| {
                Ok(helpers::is_free_mail(&s(e, v)?))
            })))
        }
        ("email_domain" | "website_domain" | "url_path", [Ty::Str]) => {
            let s = args.pop()?.str()?;
            let f: fn(&str) -> String = match name {
                "email_domain" => helpers::email_domain,
                "website_domain" => helpers::website_domain,
                _ => |u| activity::url_path(u).to_owned(),
            };
            Some(Ex::S(Box::new(move |e, v| Ok(Cow::Owned(f(&s(e, v)?))))))
        }
        // `()` for an invalid timestamp: the interpreter decides what follows.
        ("days_between", [Ty::Str, Ty::Str]) => {
            let to = args.pop()?.str()?;
            let from = args.pop()?.str()?;
            Some(Ex::F(Box::new(move |e, v| {
                match (parse_timestamp(&from(e, v)?), parse_timestamp(&to(e, v)?)) {
                    (Ok(a), Ok(b)) => Ok(days_between(a, b)),
                    _ => Err(Stop::Deopt),
                }
            })))
        }
        _ => None,
    }
}

fn float_fn(name: &str, x: FFn) -> Option<Ex> {
    let f: fn(f64) -> f64 = match name {
        "to_float" => |x| x,
        "abs" => f64::abs,
        "exp" => f64::exp,
        "sqrt" => f64::sqrt,
        "ln" => f64::ln,
        "log" => f64::log10,
        "floor" => f64::floor,
        "ceiling" => f64::ceil,
        "round" => f64::round,
        "int" => f64::trunc,
        "fraction" => f64::fract,
        _ => return None,
    };
    Some(Ex::F(Box::new(move |e, v| Ok(f(x(e, v)?)))))
}

/// `to_int(float)`: out of the integer range is an error in rhai.
#[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)] // rhai's own conversion
fn to_int(x: f64) -> Result<i64, Stop> {
    if x > i64::MAX as f64 || x < i64::MIN as f64 {
        return Err(Stop::Deopt);
    }
    Ok(x.trunc() as i64)
}

/// `sign(float)`: the sign of NaN is an error in rhai.
#[allow(clippy::cast_possible_truncation, clippy::float_cmp)] // rhai's own conversion
fn sign(x: f64) -> Result<i64, Stop> {
    match x.signum() {
        _ if x == 0.0 => Ok(0),
        s if s.is_nan() => Err(Stop::Deopt),
        s => Ok(s as i64),
    }
}

/// `contains`, `starts_with`, `ends_with`; a constant needle is prepared once.
fn str_test(name: &str, hay: SFn, needle: Ex) -> Option<Ex> {
    if let Ex::KS(k) = &needle {
        let k: Arc<str> = k.clone();
        return Some(Ex::B(match name {
            "contains" => {
                let finder = Finder::new(k.as_bytes()).into_owned();
                Box::new(move |e, v| Ok(finder.find(hay(e, v)?.as_bytes()).is_some()))
            }
            "starts_with" => Box::new(move |e, v| Ok(hay(e, v)?.starts_with(&*k))),
            _ => Box::new(move |e, v| Ok(hay(e, v)?.ends_with(&*k))),
        }));
    }
    let n = needle.str()?;
    let f: fn(&str, &str) -> bool = match name {
        "contains" => |h, n| h.contains(n),
        "starts_with" => |h, n| h.starts_with(n),
        _ => |h, n| h.ends_with(n),
    };
    Some(Ex::B(Box::new(move |e, v| Ok(f(&hay(e, v)?, &n(e, v)?)))))
}
