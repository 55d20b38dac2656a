//! Lowering rhai statements: blocks, `let`, assignments, `if`, `switch` and loops.
//!
//! rhai counts an operation per statement and per expression it evaluates, and
//! fails the lead when the count passes `max_operations`. Lowered code counts
//! an upper bound instead: [`COST`] per AST node, the straight-line code once
//! at entry and a loop's condition and body on every iteration. When the bound
//! passes the limit the step deopts, and the interpreter counts exactly.

// Closures read best as `|e, v|` (environment, variables).
#![allow(clippy::many_single_char_names)]

use std::borrow::Cow;

use rhai::{
    ASTFlags, ASTNode, Expr, FlowControl, OpAssignment, Stmt, SwitchCasesCollection, Token,
};

use super::expr::{self, BFn, Ctx, Ex, IFn};
use super::symbols::{Binding, MAX_VARIABLES};
use super::{Env, R, Slot, StmtFn, Stop, Ty, Vars, ops};
use crate::rules::compile::recognize::switch::{self, Lit};
use crate::rules::exec::program::MAX_MARKS;
use crate::rules::exec::script;
use crate::sandbox::deadline;

/// Operations counted per AST node: at least what rhai counts for any node
/// (`tests::operation_bound_covers_rhai` checks it against rhai's own counter).
pub(crate) const COST: u64 = 4;

/// AST nodes (statements and expressions) in `stmts`, nested ones included.
pub(crate) fn nodes(stmts: &[Stmt]) -> u64 {
    let mut n = 0u64;
    for s in stmts {
        s.walk(&mut Vec::new(), &mut |_: &[ASTNode]| {
            n += 1;
            true
        });
    }
    n
}

fn expr_nodes(e: &Expr) -> u64 {
    let mut n = 0u64;
    e.walk(&mut Vec::new(), &mut |_: &[ASTNode]| {
        n += 1;
        true
    });
    n
}

fn run(body: &[StmtFn], e: &Env<'_>, v: &mut Vars) -> R<()> {
    for s in body {
        s(e, v)?;
    }
    Ok(())
}

/// Counts one loop iteration; deopts once the bound could pass the limit, or when
/// the lead's time budget is spent (checked every 1,024 counted operations; the
/// interpreter then reports the budget at its first check).
fn tick(v: &mut Vars, cost: u64, max: u64) -> R<()> {
    let before = v.ops;
    v.ops += cost;
    if v.ops > max || (before >> 10 != v.ops >> 10 && deadline::check().is_some()) {
        return Err(Stop::Deopt);
    }
    Ok(())
}

/// A block: its variables go out of scope at its end.
pub(crate) fn block(cx: &mut Ctx<'_>, stmts: &[Stmt], max_ops: u64) -> Option<Vec<StmtFn>> {
    let mark = cx.syms.len();
    let out = stmts
        .iter()
        .map(|s| stmt(cx, s, max_ops))
        .collect::<Option<Vec<_>>>();
    cx.syms.truncate(mark);
    out
}

fn block_fn(body: Vec<StmtFn>) -> StmtFn {
    match body.len() {
        0 => Box::new(|_, _| Ok(())),
        1 => body
            .into_iter()
            .next()
            .unwrap_or_else(|| Box::new(|_, _| Ok(()))),
        _ => Box::new(move |e, v| run(&body, e, v)),
    }
}

pub(crate) fn stmt(cx: &mut Ctx<'_>, s: &Stmt, max_ops: u64) -> Option<StmtFn> {
    match s {
        Stmt::Noop(_) => Some(Box::new(|_, _| Ok(()))),
        Stmt::Expr(e) => expr_stmt(cx, e, max_ops),
        Stmt::Block(b) => block(cx, b.statements(), max_ops).map(block_fn),
        Stmt::FnCall(call, _) if call.name == script::MARK_FN => mark(cx, call),
        Stmt::FnCall(call, pos) => {
            Some(discard(expr::expr(cx, &Expr::FnCall(call.clone(), *pos))?))
        }
        Stmt::Var(x, flags, _) => {
            if flags.contains(ASTFlags::EXPORTED) || cx.syms.len() >= MAX_VARIABLES {
                return None;
            }
            let (name, init, reuse) = &**x;
            let value = expr::expr(cx, init)?;
            let slot = cx.syms.slot(value.ty());
            let b = Binding::Var {
                slot,
                constant: flags.contains(ASTFlags::CONSTANT),
            };
            // rhai's parser lets a `let` re-declaring a variable of the same block
            // overwrite that entry (`reuse` counts from the scope's end).
            match reuse {
                Some(n) => {
                    let at = cx.syms.len().checked_sub(n.get())?;
                    cx.syms.replace(at, name.name.as_str(), b);
                }
                None => cx.syms.push(name.name.as_str(), b),
            }
            Some(store(slot, value))
        }
        Stmt::Assignment(x) => {
            let (op, b) = &**x;
            assign(cx, op, &b.lhs, &b.rhs)
        }
        Stmt::If(fc, _) => {
            let FlowControl { expr, body, branch } = &**fc;
            let cond = expr::expr(cx, expr)?.bool()?;
            let then = block(cx, body.statements(), max_ops)?;
            let other = block(cx, branch.statements(), max_ops)?;
            if other.is_empty() {
                let then = block_fn(then);
                return Some(Box::new(
                    move |e, v| {
                        if cond(e, v)? { then(e, v) } else { Ok(()) }
                    },
                ));
            }
            let (then, other) = (block_fn(then), block_fn(other));
            Some(Box::new(
                move |e, v| {
                    if cond(e, v)? { then(e, v) } else { other(e, v) }
                },
            ))
        }
        Stmt::Switch(x, pos) => switch(cx, &x.0, &x.1, *pos, max_ops),
        Stmt::While(fc, _) => while_loop(cx, fc, max_ops),
        Stmt::Do(fc, flags, _) => do_loop(cx, fc, !flags.contains(ASTFlags::NEGATED), max_ops),
        Stmt::For(x, _) => for_loop(cx, x, max_ops),
        Stmt::BreakLoop(None, flags, _) => Some(if flags.contains(ASTFlags::BREAK) {
            Box::new(|_, _| Err(Stop::Break))
        } else {
            Box::new(|_, _| Err(Stop::Continue))
        }),
        _ => None,
    }
}

/// An expression evaluated for its effects (its value is dropped, its errors are not).
fn expr_stmt(cx: &mut Ctx<'_>, e: &Expr, max_ops: u64) -> Option<StmtFn> {
    match e {
        Expr::Unit(_) => Some(Box::new(|_, _| Ok(()))),
        // `{ ... }` as an expression (a switch arm body): a block.
        Expr::Stmt(b) => block(cx, b.statements(), max_ops).map(block_fn),
        other => Some(discard(expr::expr(cx, other)?)),
    }
}

fn discard(value: Ex) -> StmtFn {
    match value {
        Ex::I(f) => Box::new(move |e, v| f(e, v).map(drop)),
        Ex::F(f) => Box::new(move |e, v| f(e, v).map(drop)),
        Ex::B(f) => Box::new(move |e, v| f(e, v).map(drop)),
        Ex::S(f) => Box::new(move |e, v| f(e, v).map(drop)),
        Ex::KI(_) | Ex::KF(_) | Ex::KB(_) | Ex::KS(_) => Box::new(|_, _| Ok(())),
    }
}

/// Writes `value` into `slot` (same type by construction).
fn store(slot: Slot, value: Ex) -> StmtFn {
    let i = slot.idx;
    match value {
        Ex::KF(k) => Box::new(move |_, v| {
            v.f[i] = k;
            Ok(())
        }),
        Ex::KI(k) => Box::new(move |_, v| {
            v.i[i] = k;
            Ok(())
        }),
        Ex::KB(k) => Box::new(move |_, v| {
            v.b[i] = k;
            Ok(())
        }),
        Ex::F(f) => Box::new(move |e, v| {
            v.f[i] = f(e, v)?;
            Ok(())
        }),
        Ex::I(f) => Box::new(move |e, v| {
            v.i[i] = f(e, v)?;
            Ok(())
        }),
        Ex::B(f) => Box::new(move |e, v| {
            v.b[i] = f(e, v)?;
            Ok(())
        }),
        Ex::KS(k) => Box::new(move |_, v| {
            v.s[i].clear();
            v.s[i].push_str(&k);
            Ok(())
        }),
        Ex::S(f) => Box::new(move |e, v| {
            let s = f(e, v)?.into_owned();
            v.s[i] = s;
            Ok(())
        }),
    }
}

/// `x = e` and `x op= e` on a variable whose type stays the same.
fn assign(cx: &mut Ctx<'_>, op: &OpAssignment, lhs: &Expr, rhs: &Expr) -> Option<StmtFn> {
    let Expr::Variable(name, ..) = lhs else {
        return None;
    };
    let value = expr::expr(cx, rhs)?;
    let binding = cx.syms.get(name.1.as_str())?.clone();
    let op_token = op.get_op_assignment_info().map(|(.., t, _)| t.clone());
    match binding {
        Binding::Var {
            slot,
            constant: false,
        } => {
            let value = match op_token {
                None => value,
                // Same result as rhai's op-assignment for these types (rhs first, then the target).
                Some(t) => ops::binary(&t, expr::read_slot(slot), value, cx.max_str)?,
            };
            if value.ty() != slot.ty {
                return None;
            }
            cx.assigned.push(slot);
            Some(store(slot, value))
        }
        _ => None,
    }
}

/// `__lf_mark(k, score)`: the end of a segment.
fn mark(cx: &mut Ctx<'_>, call: &rhai::FnCallExpr) -> Option<StmtFn> {
    let [Expr::IntegerConstant(k, _), value] = call.args.as_slice() else {
        return None;
    };
    let k = usize::try_from(*k).ok().filter(|k| *k < MAX_MARKS)?;
    let f = expr::expr(cx, value)?.num_as_float()?;
    Some(Box::new(move |e, v| {
        v.marks[k] = f(e, v)?;
        Ok(())
    }))
}

fn while_loop(cx: &mut Ctx<'_>, fc: &FlowControl, max_ops: u64) -> Option<StmtFn> {
    let FlowControl { expr, body, .. } = fc;
    let cost = COST * (nodes(body.statements()) + expr_nodes(expr) + 1);
    let forever = matches!(expr, Expr::Unit(_) | Expr::BoolConstant(true, _));
    let cond: Option<BFn> = if forever {
        None
    } else {
        Some(expr::expr(cx, expr)?.bool()?)
    };
    let body = block(cx, body.statements(), max_ops)?;
    Some(Box::new(move |e, v| {
        loop {
            tick(v, cost, max_ops)?;
            if let Some(c) = &cond
                && !c(e, v)?
            {
                return Ok(());
            }
            match run(&body, e, v) {
                Ok(()) | Err(Stop::Continue) => {}
                Err(Stop::Break) => return Ok(()),
                Err(Stop::Deopt) => return Err(Stop::Deopt),
            }
        }
    }))
}

/// `do { } while c` / `do { } until c`; as in rhai, `continue` skips the condition.
fn do_loop(cx: &mut Ctx<'_>, fc: &FlowControl, is_while: bool, max_ops: u64) -> Option<StmtFn> {
    let FlowControl { expr, body, .. } = fc;
    let cost = COST * (nodes(body.statements()) + expr_nodes(expr) + 1);
    let body = block(cx, body.statements(), max_ops)?;
    let cond = expr::expr(cx, expr)?.bool()?;
    Some(Box::new(move |e, v| {
        loop {
            tick(v, cost, max_ops)?;
            match run(&body, e, v) {
                Ok(()) => {}
                Err(Stop::Continue) => continue,
                Err(Stop::Break) => return Ok(()),
                Err(Stop::Deopt) => return Err(Stop::Deopt),
            }
            if cond(e, v)? ^ is_while {
                return Ok(());
            }
        }
    }))
}

/// `for x in a..b` / `a..=b` (with an optional counter) over integers.
fn for_loop(
    cx: &mut Ctx<'_>,
    x: &(rhai::Ident, Option<rhai::Ident>, FlowControl),
    max_ops: u64,
) -> Option<StmtFn> {
    let (var, counter, FlowControl { expr, body, .. }) = x;
    if cx.syms.len() >= MAX_VARIABLES - usize::from(counter.is_some()) {
        return None;
    }
    let (from, to, inclusive) = range(cx, expr)?;
    let cost = COST * (nodes(body.statements()) + 1);
    let mark = cx.syms.len();
    let counter_slot = counter.as_ref().map(|c| {
        let s = cx.syms.slot(Ty::Int);
        cx.syms.push(
            c.name.as_str(),
            Binding::Var {
                slot: s,
                constant: false,
            },
        );
        s.idx
    });
    let var_slot = cx.syms.slot(Ty::Int);
    cx.syms.push(
        var.name.as_str(),
        Binding::Var {
            slot: var_slot,
            constant: false,
        },
    );
    let body = block(cx, body.statements(), max_ops);
    cx.syms.truncate(mark);
    let body = body?;
    let vi = var_slot.idx;
    Some(Box::new(move |e, v| {
        let (a, b) = (from(e, v)?, to(e, v)?);
        let mut index: i64 = -1;
        let mut step = |x: i64, v: &mut Vars| -> R<bool> {
            tick(v, cost, max_ops)?;
            index += 1;
            if let Some(c) = counter_slot {
                v.i[c] = index;
            }
            v.i[vi] = x;
            match run(&body, e, v) {
                Ok(()) | Err(Stop::Continue) => Ok(true),
                Err(Stop::Break) => Ok(false),
                Err(Stop::Deopt) => Err(Stop::Deopt),
            }
        };
        if inclusive {
            for x in a..=b {
                if !step(x, v)? {
                    break;
                }
            }
        } else {
            for x in a..b {
                if !step(x, v)? {
                    break;
                }
            }
        }
        Ok(())
    }))
}

/// An integer range: `a..b`, `a..=b`, or a range constant the optimizer folded.
fn range(cx: &mut Ctx<'_>, e: &Expr) -> Option<(IFn, IFn, bool)> {
    match e {
        Expr::DynamicConstant(d, _) => {
            if let Some(r) = d.clone().try_cast::<std::ops::Range<i64>>() {
                let (a, b) = (r.start, r.end);
                return Some((
                    Box::new(move |_, _| Ok(a)),
                    Box::new(move |_, _| Ok(b)),
                    false,
                ));
            }
            let r = d.clone().try_cast::<std::ops::RangeInclusive<i64>>()?;
            let (a, b) = (*r.start(), *r.end());
            Some((
                Box::new(move |_, _| Ok(a)),
                Box::new(move |_, _| Ok(b)),
                true,
            ))
        }
        Expr::FnCall(call, _) if call.args.len() == 2 => {
            let inclusive = match call.op_token {
                Some(Token::ExclusiveRange) => false,
                Some(Token::InclusiveRange) => true,
                _ => return None,
            };
            let a = expr::expr(cx, &call.args[0])?.int()?;
            let b = expr::expr(cx, &call.args[1])?.int()?;
            Some((a, b, inclusive))
        }
        _ => None,
    }
}

/// A `switch` statement on a string or integer with literal cases and no
/// guards or ranges. The case values are read back from the source (rhai's AST
/// keeps only their hashes) and checked against the AST.
fn switch(
    cx: &mut Ctx<'_>,
    scrutinee: &Expr,
    cases: &SwitchCasesCollection,
    pos: rhai::Position,
    max_ops: u64,
) -> Option<StmtFn> {
    if !cases.ranges.is_empty()
        || cases
            .expressions
            .iter()
            .any(|e| !matches!(e.lhs, Expr::BoolConstant(true, _)))
    {
        return None;
    }
    let arms = switch::arms(cx.text, pos)?;
    if arms.len() != cases.expressions.len()
        || arms.iter().position(|a| a.lits.is_empty()) != cases.def_case
    {
        return None;
    }
    switch::verify(&arms, cases)?;
    let value = expr::expr(cx, scrutinee)?;
    let bodies: Vec<StmtFn> = cases
        .expressions
        .iter()
        .map(|e| expr_stmt(cx, &e.rhs, max_ops))
        .collect::<Option<_>>()?;
    let default = cases.def_case;
    let pick = move |found: Option<usize>| found.or(default);
    match value.ty() {
        Ty::Str => {
            let s = value.str()?;
            let table: Vec<(Box<str>, usize)> = arms
                .iter()
                .enumerate()
                .flat_map(|(k, a)| {
                    a.lits.iter().filter_map(move |l| match l {
                        Lit::Str(t) => Some((t.as_str().into(), k)),
                        Lit::Int(_) => None,
                    })
                })
                .collect();
            Some(Box::new(move |e, v| {
                let key: Cow<'_, str> = s(e, v)?;
                let found = table.iter().find(|(t, _)| **t == *key).map(|(_, k)| *k);
                drop(key);
                match pick(found) {
                    Some(k) => bodies[k](e, v),
                    None => Ok(()),
                }
            }))
        }
        Ty::Int => {
            let i = value.int()?;
            let table: Vec<(i64, usize)> = arms
                .iter()
                .enumerate()
                .flat_map(|(k, a)| {
                    a.lits.iter().filter_map(move |l| match l {
                        Lit::Int(n) => Some((*n, k)),
                        Lit::Str(_) => None,
                    })
                })
                .collect();
            Some(Box::new(move |e, v| {
                let key = i(e, v)?;
                let found = table.iter().find(|(n, _)| *n == key).map(|(_, k)| *k);
                match pick(found) {
                    Some(k) => bodies[k](e, v),
                    None => Ok(()),
                }
            }))
        }
        _ => None,
    }
}
