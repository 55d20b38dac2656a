//! The compile-time view of rhai's scope: one binding per scope entry, in
//! order, so that name resolution, shadowing and the variable limit are decided
//! statically exactly as the interpreter decides them at run time.

use rhai::ImmutableString;

use super::{Entry, Slot, Ty};
use crate::rules::compile::recognize::NumTy;

/// rhai's `max_variables` as the pack engine sets it (`script::engine`).
pub(crate) const MAX_VARIABLES: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Binding {
    /// The `lead` map: only `lead.<feature>` is lowered.
    Lead,
    /// `now`, the scoring instant as an RFC 3339 string.
    Now,
    Var {
        slot: Slot,
        constant: bool,
    },
    /// A local computed by the native tier (`Step::Let`).
    Native {
        local: usize,
        ty: NumTy,
    },
}

/// The bindings of one script source, as the scope holds them.
#[derive(Debug, Clone)]
pub(crate) struct Symbols {
    names: Vec<(ImmutableString, Binding)>,
    /// Slots allocated so far per type (float, int, bool, string); never reused.
    pub sizes: [usize; 4],
}

fn ty_index(ty: Ty) -> usize {
    match ty {
        Ty::Float => 0,
        Ty::Int => 1,
        Ty::Bool => 2,
        Ty::Str => 3,
    }
}

impl Symbols {
    /// A source's start: `lead`, `now` and `score` (float slot 0), as `Program::prepare_scope` pushes them.
    pub fn new() -> Self {
        Symbols {
            names: vec![
                ("lead".into(), Binding::Lead),
                ("now".into(), Binding::Now),
                (
                    "score".into(),
                    Binding::Var {
                        slot: Slot {
                            ty: Ty::Float,
                            idx: 0,
                        },
                        constant: false,
                    },
                ),
            ],
            sizes: [1, 0, 0, 0],
        }
    }

    /// The number of scope entries.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn truncate(&mut self, len: usize) {
        self.names.truncate(len);
    }

    pub fn slot(&mut self, ty: Ty) -> Slot {
        let k = ty_index(ty);
        self.sizes[k] += 1;
        Slot {
            ty,
            idx: self.sizes[k] - 1,
        }
    }

    pub fn push(&mut self, name: &str, b: Binding) {
        self.names.push((name.into(), b));
    }

    /// The innermost binding of `name`.
    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| n.as_str() == name)
            .map(|(_, b)| b)
    }

    /// Index of the innermost binding of `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.names.iter().rposition(|(n, _)| n.as_str() == name)
    }

    /// Replaces binding `i` (the interpreter's `set_value` changing a variable's
    /// type, or a `let` that rhai's parser made reuse an entry of the same block).
    pub fn replace(&mut self, i: usize, name: &str, b: Binding) {
        self.names[i] = (name.into(), b);
    }

    /// The scope entries after `lead` and `now`, for rebuilding rhai's scope.
    pub fn entries(&self) -> Vec<(ImmutableString, Entry)> {
        self.names
            .iter()
            .skip(2)
            .map(|(n, b)| {
                let e = match b {
                    Binding::Var { slot, constant } => Entry::Var {
                        slot: *slot,
                        constant: *constant,
                    },
                    Binding::Native { local, ty } => Entry::Native {
                        local: *local,
                        ty: *ty,
                    },
                    Binding::Lead | Binding::Now => Entry::Unit,
                };
                (n.clone(), e)
            })
            .collect()
    }

    /// Variable slots currently bound (to save those a step assigns).
    pub fn var_slots(&self) -> Vec<Slot> {
        self.names
            .iter()
            .filter_map(|(_, b)| match b {
                Binding::Var { slot, .. } => Some(*slot),
                _ => None,
            })
            .collect()
    }
}
