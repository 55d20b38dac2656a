//! The compiled script tier: rhai statements lowered to typed Rust closures.
//!
//! rhai evaluates a script by walking its AST with a `Dynamic` per value and a
//! function lookup per operator, which costs several microseconds per lead for
//! a 25-rule pack. A script step whose statements all have a supported shape,
//! and whose every expression has one static type, is lowered once, when the
//! pack compiles, into closures over the lead's feature row; the interpreter
//! is not entered for it at all.
//!
//! The lowered code follows rhai 1.27's semantics (checked integer arithmetic,
//! rhai's epsilon-relative float comparisons, `min`/`max` on mixed numbers,
//! strings counted in characters) and never decides what it cannot decide
//! exactly. An integer overflow, a division by zero, a string over the size
//! limit, an operation count that could reach the limit, a helper returning
//! `()`: each *deopts*, i.e. the lead's step runs again in the interpreter from
//! the step's start, which gives rhai's own result or error. A step using
//! anything outside the subset (arrays, maps, closures, script functions,
//! `lead.custom`, a variable that changes type, ...) is not lowered and always
//! runs in rhai.
//!
//! See `docs/rules.md` ("Tiers") for the supported subset.

mod calls;
mod expr;
mod ops;
mod plan;
mod stmt;
mod symbols;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use rhai::{Dynamic, ImmutableString, Scope};

pub(crate) use plan::attach;

use super::recognize::NumTy;
use crate::rules::exec::program::MAX_MARKS;

/// Why lowered code stopped before the end of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Hand the step to the interpreter.
    Deopt,
    Break,
    Continue,
}

pub(crate) type R<T> = Result<T, Stop>;

/// The static type of a lowered value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ty {
    Int,
    Float,
    Bool,
    Str,
}

/// A typed variable slot in [`Vars`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Slot {
    pub ty: Ty,
    pub idx: usize,
}

/// The read-only inputs of one lead: its feature row, the native locals and `now`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Env<'e> {
    pub num: &'e [f64],
    pub strs: &'e [Cow<'e, str>],
    pub locals: &'e [f64],
    pub now: &'e str,
}

/// A saved variable value (to undo a step that deopted half-way).
#[derive(Debug, Clone)]
enum Saved {
    F(f64),
    I(i64),
    B(bool),
    S(String),
}

/// Script variables of the lowered steps of one source, by type; reused from
/// lead to lead (no allocation per lead once warm).
#[derive(Debug, Default)]
pub(crate) struct Vars {
    pub f: Vec<f64>,
    pub i: Vec<i64>,
    pub b: Vec<bool>,
    pub s: Vec<String>,
    /// `score` at the end of each segment but the last (see `program::MAX_MARKS`).
    pub marks: [f64; MAX_MARKS],
    /// Upper bound of the interpreter's operation count for the current step.
    pub ops: u64,
    saved: Vec<Saved>,
}

impl Vars {
    fn fit(&mut self, sizes: [usize; 4]) {
        if self.f.len() < sizes[0] {
            self.f.resize(sizes[0], 0.0);
        }
        if self.i.len() < sizes[1] {
            self.i.resize(sizes[1], 0);
        }
        if self.b.len() < sizes[2] {
            self.b.resize(sizes[2], false);
        }
        if self.s.len() < sizes[3] {
            self.s.resize(sizes[3], String::new());
        }
    }

    /// Resets the source's `score` (slot 0) at the start of a source.
    pub fn begin(&mut self) {
        if self.f.is_empty() {
            self.f.push(0.0);
        }
        self.f[0] = 0.0;
    }

    /// Sets float slot `idx` (an `Init` step's `score`).
    pub fn set_float(&mut self, idx: usize, v: f64) {
        if self.f.len() <= idx {
            self.f.resize(idx + 1, 0.0);
        }
        self.f[idx] = v;
    }

    fn save(&mut self, slots: &[Slot]) {
        self.saved.clear();
        for s in slots {
            let v = match s.ty {
                Ty::Float => Saved::F(self.f[s.idx]),
                Ty::Int => Saved::I(self.i[s.idx]),
                Ty::Bool => Saved::B(self.b[s.idx]),
                Ty::Str => Saved::S(self.s[s.idx].clone()),
            };
            self.saved.push(v);
        }
    }

    fn restore(&mut self, slots: &[Slot]) {
        for (s, v) in slots.iter().zip(std::mem::take(&mut self.saved)) {
            match v {
                Saved::F(x) => self.f[s.idx] = x,
                Saved::I(x) => self.i[s.idx] = x,
                Saved::B(x) => self.b[s.idx] = x,
                Saved::S(x) => self.s[s.idx] = x,
            }
        }
    }

    fn dynamic(&self, s: Slot) -> Dynamic {
        match s.ty {
            Ty::Float => Dynamic::from_float(self.f[s.idx]),
            Ty::Int => Dynamic::from_int(self.i[s.idx]),
            Ty::Bool => Dynamic::from_bool(self.b[s.idx]),
            Ty::Str => Dynamic::from(ImmutableString::from(self.s[s.idx].as_str())),
        }
    }
}

/// A scope entry visible when a step starts, in scope order (after `lead` and `now`).
#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Var {
        slot: Slot,
        constant: bool,
    },
    Native {
        local: usize,
        ty: NumTy,
    },
    /// `lead` or `now` shadowed further up (never reached: they sit below).
    Unit,
}

pub(crate) type StmtFn = Box<dyn Fn(&Env<'_>, &mut Vars) -> R<()> + Send + Sync>;

/// One script step lowered to closures.
pub(crate) struct Lowered {
    body: Vec<StmtFn>,
    /// Operations of the step's straight-line code, counted once at entry.
    entry_ops: u64,
    /// The float slot of the `score` the program sets before the step.
    score_in: usize,
    /// The `score` visible at the end of the step (int or float).
    score_out: Slot,
    sizes: [usize; 4],
    /// The scope at entry, to rebuild rhai's scope when the step deopts.
    entry: Vec<(ImmutableString, Entry)>,
    /// Slots defined before the step and assigned in it (restored on deopt).
    undo: Vec<Slot>,
}

impl std::fmt::Debug for Lowered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lowered")
            .field("statements", &self.body.len())
            .field("entry_ops", &self.entry_ops)
            .finish_non_exhaustive()
    }
}

impl Lowered {
    /// Runs the step with `score` set to `score`; false when it deopted (the
    /// variables are then as they were before the step).
    pub fn run(&self, env: &Env<'_>, v: &mut Vars, score: f64) -> bool {
        v.fit(self.sizes);
        if !self.undo.is_empty() {
            v.save(&self.undo);
        }
        v.f[self.score_in] = score;
        v.ops = self.entry_ops;
        for s in &self.body {
            if s(env, v).is_err() {
                if !self.undo.is_empty() {
                    v.restore(&self.undo);
                }
                return false;
            }
        }
        true
    }

    /// `score` after a successful run.
    #[allow(clippy::cast_precision_loss)] // as `program::number` reads an int score
    pub fn score(&self, v: &Vars) -> f64 {
        match self.score_out.ty {
            Ty::Int => v.i[self.score_out.idx] as f64,
            _ => v.f[self.score_out.idx],
        }
    }

    /// Pushes the variables visible at the step's start onto `scope` (which holds
    /// `lead` and `now`), as the interpreter would have them.
    pub fn push_entry(&self, scope: &mut Scope<'static>, v: &Vars, locals: &[f64]) {
        for (name, e) in &self.entry {
            let value = match e {
                Entry::Var { slot, .. } => v.dynamic(*slot),
                Entry::Native { local, ty } => native_dynamic(locals[*local], *ty),
                Entry::Unit => Dynamic::UNIT,
            };
            if matches!(e, Entry::Var { constant: true, .. }) {
                scope.push_constant_dynamic(name.clone(), value);
            } else {
                scope.push_dynamic(name.clone(), value);
            }
        }
    }
}

/// A native local as the interpreter's scope holds it.
#[allow(clippy::cast_possible_truncation)] // integral by construction
pub(crate) fn native_dynamic(v: f64, ty: NumTy) -> Dynamic {
    match ty {
        NumTy::Int => Dynamic::from_int(v as i64),
        NumTy::Float => Dynamic::from_float(v),
        NumTy::Bool => Dynamic::from_bool(v != 0.0),
    }
}
