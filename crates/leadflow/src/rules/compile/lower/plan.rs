//! Which script steps of a program are lowered: a source (the steps from one
//! `Step::Begin` to the next) is lowered when every one of its script steps is,
//! so that a lead runs a source either in lowered code or in rhai from its
//! start, and switches to rhai at most once (on a deopt).

use super::expr::Ctx;
use super::stmt::{self, COST};
use super::symbols::{Binding, MAX_VARIABLES, Symbols};
use super::{Lowered, Slot, Ty};
use crate::rules::define::features::FeatureTable;
use crate::rules::exec::program::{Reuse, ScriptStep, Step};
use crate::sandbox::Limits;

/// Lowers what it can of `steps` in place (one step list of a program).
pub(crate) fn attach(
    steps: &mut [Step],
    local_names: &[String],
    features: &FeatureTable,
    limits: &Limits,
) {
    let mut start = 0;
    while start < steps.len() {
        let end = steps[start + 1..]
            .iter()
            .position(|s| matches!(s, Step::Begin { .. }))
            .map_or(steps.len(), |p| start + 1 + p);
        source(&mut steps[start..end], local_names, features, limits);
        start = end;
    }
}

/// One source: all its script steps lowered, or none.
fn source(steps: &mut [Step], local_names: &[String], features: &FeatureTable, limits: &Limits) {
    let Some(Step::Begin { .. }) = steps.first() else {
        return;
    };
    let text = steps.iter().find_map(|s| match s {
        Step::Script(s) => Some(s.text.clone()),
        _ => None,
    });
    let Some(text) = text else { return };
    let mut cx = Ctx {
        syms: Symbols::new(),
        features,
        text: &text,
        max_str: limits.max_string_size,
        assigned: Vec::new(),
    };
    let mut lowered = Vec::new();
    let mut inits = Vec::new();
    for (k, step) in steps.iter().enumerate() {
        match step {
            Step::Init { reuse, .. } => {
                let slot = cx.syms.slot(Ty::Float);
                let b = Binding::Var {
                    slot,
                    constant: false,
                };
                if !declare(&mut cx, "score", b, *reuse) {
                    return;
                }
                inits.push((k, slot.idx));
            }
            Step::Let {
                local, ty, reuse, ..
            } => {
                let b = Binding::Native {
                    local: *local,
                    ty: *ty,
                };
                if !declare(&mut cx, &local_names[*local], b, *reuse) {
                    return;
                }
            }
            Step::Script(s) => match step_fn(&mut cx, s, limits.max_operations) {
                Some(l) => lowered.push((k, l)),
                None => return,
            },
            Step::Begin { .. } | Step::Native(_) => {}
        }
    }
    for (k, slot) in inits {
        if let Step::Init { slot: s, .. } = &mut steps[k] {
            *s = slot;
        }
    }
    for (k, l) in lowered {
        if let Step::Script(s) = &mut steps[k] {
            s.lowered = Some(std::sync::Arc::new(l));
        }
    }
    if let Some(Step::Begin { lowered }) = steps.first_mut() {
        *lowered = true;
    }
}

/// A `let` of the program (not of a script step), as the interpreter declares it.
fn declare(cx: &mut Ctx<'_>, name: &str, b: Binding, reuse: Reuse) -> bool {
    match reuse {
        Some(n) => match cx.syms.len().checked_sub(n.get()) {
            Some(i) => cx.syms.replace(i, name, b),
            None => return false,
        },
        None if cx.syms.len() >= MAX_VARIABLES => return false,
        None => cx.syms.push(name, b),
    }
    true
}

fn step_fn(cx: &mut Ctx<'_>, s: &ScriptStep, max_ops: u64) -> Option<Lowered> {
    let stmts = s.ast.statements();
    // Script functions could shadow the built-ins lowered code calls.
    if s.ast.shared_lib().count().1 > 0 {
        return None;
    }
    let entry_ops = COST * stmt::nodes(stmts);
    if max_ops > 0 && entry_ops > max_ops {
        return None;
    }
    // The program sets the innermost `score` to the running float before the step.
    let at = cx.syms.position("score")?;
    let score_in = match cx.syms.get("score")? {
        Binding::Var {
            slot,
            constant: false,
        } if slot.ty == Ty::Float => *slot,
        Binding::Var {
            constant: false, ..
        } => {
            let slot = cx.syms.slot(Ty::Float);
            cx.syms.replace(
                at,
                "score",
                Binding::Var {
                    slot,
                    constant: false,
                },
            );
            slot
        }
        _ => return None,
    };
    let entry = cx.syms.entries();
    let before = cx.syms.var_slots();
    cx.assigned.clear();
    let body = stmts
        .iter()
        .map(|st| stmt::stmt(cx, st, max_ops))
        .collect::<Option<Vec<_>>>()?;
    let score_out = match cx.syms.get("score")? {
        Binding::Var { slot, .. } if matches!(slot.ty, Ty::Float | Ty::Int) => *slot,
        _ => return None,
    };
    let mut undo: Vec<Slot> = cx
        .assigned
        .iter()
        .filter(|s| before.contains(s))
        .copied()
        .collect();
    undo.sort();
    undo.dedup();
    Some(Lowered {
        body,
        entry_ops,
        score_in: score_in.idx,
        score_out,
        sizes: cx.syms.sizes,
        entry,
        undo,
    })
}
