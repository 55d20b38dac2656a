//! Recognising simple rhai statements as native rules.
//!
//! A rules script is a sequence of top-level statements that add to `score`.
//! Each statement of a recognised shape (`if <simple condition> { score += <expr>; }`,
//! `score += <expr>;`, `let x = <numeric expr>;`, the `let score = 0.0;` start,
//! the trailing `if score < a { score = a; }` clamps and the final `score`) is
//! compiled to the native tier; every other statement runs in rhai, in order,
//! sharing `score` and the locals with the native ones.

use std::collections::{HashMap, HashSet};

use rhai::{ASTNode, Expr, FnCallExpr, Stmt};

use crate::rules::compile::render::{self, Names};
use crate::rules::define::features::{Axis, FeatureTable, FeatureType};
use crate::rules::exec::native::{BinOp, CmpOp, Cond, Num, StrOp, UnOp};

pub(crate) mod switch;

/// Numeric type as rhai would see it (integer arithmetic differs from float).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumTy {
    Int,
    Float,
    Bool,
}

#[derive(Debug)]
enum Val {
    Num(Num, NumTy),
    Bool(Cond),
    StrSlot(usize),
    StrConst(String),
}

/// What a top-level statement compiles to.
#[derive(Debug)]
pub(crate) enum Shape {
    /// `let score = 0;` (the accumulator starts at zero).
    Init,
    /// `let name = <native expr>;`
    Let {
        local: usize,
        expr: Num,
        ty: NumTy,
    },
    /// A native rule: when `cond`, add `points` (clipped to `cap`).
    Rule {
        cond: Cond,
        points: Num,
        cap: (Option<f64>, Option<f64>),
        decay_local: Option<usize>,
        axis: Axis,
        /// The rule in words (`title contains "VP"`, `0.5 per page_views, max 15`).
        reason: String,
    },
    /// `if score < v { score = v; }` (`low`) or `if score > v { score = v; }`.
    Clamp {
        low: bool,
        value: f64,
    },
    /// The trailing `score`.
    Result,
    Opaque,
}

/// A native local defined by a recognised `let`.
#[derive(Debug, Clone)]
pub(crate) struct Local {
    pub name: String,
    ty: NumTy,
    engagement: bool,
    pub decay: bool,
    /// The local's expression in words, when recognised (`exp(-days_since_activity / 30)`).
    pub text: Option<String>,
}

impl Local {
    /// A float local computed natively (a declarative decay factor).
    pub fn native(name: String, engagement: bool) -> Self {
        Local {
            name,
            ty: NumTy::Float,
            engagement,
            decay: true,
            text: None,
        }
    }

    pub fn ty(&self) -> NumTy {
        self.ty
    }
}

/// Recognises statements of one script source, in order.
#[derive(Debug)]
pub(crate) struct Recognizer<'t> {
    pub features: &'t mut FeatureTable,
    pub locals: &'t mut Vec<Local>,
    /// Name to local index, for the current source only.
    visible: HashMap<String, usize>,
    /// Variables assigned somewhere in the source: never native locals.
    assigned: HashSet<String>,
    engaged: bool,
    enabled: bool,
    /// The script's text (switch case values are read back from it).
    source: Option<&'t str>,
}

/// Variables assigned (`x = ..`, `x += ..`) anywhere in `stmts`.
pub(crate) fn assigned_vars(stmts: &[Stmt]) -> HashSet<String> {
    let mut out = HashSet::new();
    for s in stmts {
        s.walk(&mut Vec::new(), &mut |path: &[ASTNode]| {
            if let Some(ASTNode::Stmt(Stmt::Assignment(x))) = path.last()
                && let Expr::Variable(v, ..) = &x.1.lhs
            {
                out.insert(v.1.to_string());
            }
            true
        });
    }
    out
}

/// `lead.<name>` property reads (with their 1-based line and column) in a statement.
pub(crate) fn lead_fields(stmt: &Stmt) -> Vec<(String, u32, u32)> {
    let mut out = Vec::new();
    stmt.walk(&mut Vec::new(), &mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(e)) = path.last() {
            let (lhs, rhs) = match e {
                Expr::Dot(b, ..) | Expr::Index(b, ..) => (&b.lhs, &b.rhs),
                _ => return true,
            };
            if !is_var(lhs, "lead") {
                return true;
            }
            let prop = match rhs {
                Expr::Property(p, pos) => Some((p.2.to_string(), *pos)),
                Expr::StringConstant(s, pos) => Some((s.to_string(), *pos)),
                Expr::Dot(b, ..) | Expr::Index(b, ..) => match &b.lhs {
                    Expr::Property(p, pos) => Some((p.2.to_string(), *pos)),
                    _ => None,
                },
                _ => None,
            };
            if let Some((name, pos)) = prop {
                let line = u32::try_from(pos.line().unwrap_or(0)).unwrap_or(0);
                let col = u32::try_from(pos.position().unwrap_or(0)).unwrap_or(0);
                out.push((name, line, col));
            }
        }
        true
    });
    out
}

/// Variables read in a statement.
pub(crate) fn vars_read(stmt: &Stmt) -> HashSet<String> {
    let mut out = HashSet::new();
    stmt.walk(&mut Vec::new(), &mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::Variable(v, ..))) = path.last() {
            out.insert(v.1.to_string());
        }
        true
    });
    out
}

fn is_var(e: &Expr, name: &str) -> bool {
    matches!(e, Expr::Variable(v, ..) if v.1 == name)
}

fn num_const(e: &Expr) -> Option<f64> {
    match e {
        Expr::IntegerConstant(i, _) => Some(*i as f64),
        Expr::FloatConstant(f, _) => Some(**f),
        _ => None,
    }
}

fn op_assign(stmt: &Stmt) -> Option<(&'static str, &Expr, &Expr)> {
    let Stmt::Assignment(x) = stmt else {
        return None;
    };
    let syntax = match x.0.get_op_assignment_info() {
        Some((_, _, _, syntax, _, _)) => syntax,
        None => "=",
    };
    Some((syntax, &x.1.lhs, &x.1.rhs))
}

impl<'t> Recognizer<'t> {
    pub fn new(
        features: &'t mut FeatureTable,
        locals: &'t mut Vec<Local>,
        stmts: &[Stmt],
        enabled: bool,
    ) -> Self {
        Recognizer {
            features,
            locals,
            visible: HashMap::new(),
            assigned: assigned_vars(stmts),
            engaged: false,
            enabled,
            source: None,
        }
    }

    /// Gives the script's text (needed to recognise `switch`).
    #[must_use]
    pub fn with_source(mut self, text: &'t str) -> Self {
        self.source = Some(text);
        self
    }

    fn names(&self) -> Names<'_> {
        Names {
            features: self.features,
            locals: self.locals,
        }
    }

    /// Whether a variable name refers to a native local that reads engagement features.
    pub fn local_is_engagement(&self, name: &str) -> bool {
        self.visible
            .get(name)
            .is_some_and(|&i| self.locals[i].engagement)
    }

    /// Forgets a native local shadowed by an opaque `let`.
    pub fn shadow(&mut self, name: &str) {
        self.visible.remove(name);
    }

    /// Recognises one top-level statement; `trailing` is true when only clamps and
    /// the final `score` follow it.
    pub fn statement(&mut self, s: &Stmt, trailing: bool) -> Shape {
        if !self.enabled {
            return Shape::Opaque;
        }
        self.engaged = false;
        self.try_statement(s, trailing).unwrap_or(Shape::Opaque)
    }

    fn try_statement(&mut self, s: &Stmt, trailing: bool) -> Option<Shape> {
        match s {
            Stmt::Var(x, ..) => {
                let name = x.0.name.as_str();
                if name == "score" {
                    return (num_const(&x.1) == Some(0.0)).then_some(Shape::Init);
                }
                if name == "lead" || name == "now" || self.assigned.contains(name) {
                    return None;
                }
                let (expr, ty) = match self.expr(&x.1)? {
                    Val::Num(n, ty) => (n, ty),
                    Val::Bool(c) => (Num::Cond(Box::new(c)), NumTy::Bool),
                    _ => return None,
                };
                let text = render::expr(&expr, &self.names(), 0);
                self.locals.push(Local {
                    name: name.to_owned(),
                    ty,
                    engagement: self.engaged,
                    decay: expr.is_decay_curve(),
                    text: Some(text),
                });
                let local = self.locals.len() - 1;
                self.visible.insert(name.to_owned(), local);
                Some(Shape::Let { local, expr, ty })
            }
            Stmt::If(fc, _) => {
                if !fc.branch.is_empty() {
                    return None;
                }
                let [body] = fc.body.statements() else {
                    return None;
                };
                if trailing && let Some(clamp) = clamp(&fc.expr, body) {
                    return Some(clamp);
                }
                let Val::Bool(cond) = self.expr(&fc.expr)? else {
                    return None;
                };
                self.add_to_score(body, cond)
            }
            Stmt::Assignment(_) => self.add_to_score(s, Cond::Const(true)),
            Stmt::Switch(x, pos) => self.switch(x, *pos),
            Stmt::Expr(e) if is_var(e, "score") => Some(Shape::Result),
            _ => None,
        }
    }

    fn add_to_score(&mut self, s: &Stmt, cond: Cond) -> Option<Shape> {
        let (syntax, lhs, rhs) = op_assign(s)?;
        if !is_var(lhs, "score") {
            return None;
        }
        let Val::Num(points, _) = self.expr(rhs)? else {
            return None;
        };
        let (points, cap) = match (syntax, points) {
            ("+=", Num::Bin(BinOp::Min, a, b)) if matches!(*b, Num::Const(_)) => {
                let Num::Const(c) = *b else { return None };
                (*a, (None, Some(c)))
            }
            ("+=", Num::Bin(BinOp::Max, a, b)) if matches!(*b, Num::Const(_)) => {
                let Num::Const(c) = *b else { return None };
                (*a, (Some(c), None))
            }
            ("+=", p) => (p, (None, None)),
            ("-=", p) => (Num::Neg(Box::new(p)), (None, None)),
            _ => return None,
        };
        let mut used = Vec::new();
        points.locals(&mut used);
        let decay_local = used.into_iter().find(|&i| self.locals[i].decay);
        let axis = if self.engaged {
            Axis::Engagement
        } else {
            Axis::Fit
        };
        let reason = render::reason(&cond, &points, cap, &self.names());
        Some(Shape::Rule {
            cond,
            points,
            cap,
            decay_local,
            axis,
            reason,
        })
    }

    fn feature(&mut self, name: &str) -> Option<Val> {
        let i = self.features.resolve(name)?;
        let f = self.features.get(i);
        if f.axis == Axis::Engagement {
            self.engaged = true;
        }
        Some(match f.ty {
            FeatureType::Int => Val::Num(Num::Slot(f.slot), NumTy::Int),
            FeatureType::Float => Val::Num(Num::Slot(f.slot), NumTy::Float),
            FeatureType::Bool => {
                Val::Bool(Cond::Cmp(CmpOp::Ne, Num::Slot(f.slot), Num::Const(0.0)))
            }
            FeatureType::Str => Val::StrSlot(f.slot),
        })
    }

    fn expr(&mut self, e: &Expr) -> Option<Val> {
        match e {
            Expr::IntegerConstant(i, _) => Some(Val::Num(Num::Const(*i as f64), NumTy::Int)),
            Expr::FloatConstant(f, _) => Some(Val::Num(Num::Const(**f), NumTy::Float)),
            Expr::BoolConstant(b, _) => Some(Val::Bool(Cond::Const(*b))),
            Expr::StringConstant(s, _) => Some(Val::StrConst(s.to_string())),
            Expr::Variable(v, ..) => {
                let i = *self.visible.get(v.1.as_str())?;
                let local = &self.locals[i];
                if local.engagement {
                    self.engaged = true;
                }
                Some(match local.ty {
                    NumTy::Bool => Val::Bool(Cond::Cmp(CmpOp::Ne, Num::Local(i), Num::Const(0.0))),
                    ty => Val::Num(Num::Local(i), ty),
                })
            }
            Expr::Dot(b, ..) => {
                if is_var(&b.lhs, "lead") {
                    match &b.rhs {
                        Expr::Property(p, _) => self.feature(&p.2),
                        Expr::Dot(b2, ..) => {
                            let Expr::Property(p, _) = &b2.lhs else {
                                return None;
                            };
                            let v = self.feature(&p.2)?;
                            self.chain(v, &b2.rhs)
                        }
                        _ => None,
                    }
                } else {
                    let v = self.expr(&b.lhs)?;
                    self.chain(v, &b.rhs)
                }
            }
            Expr::And(list, _) | Expr::Or(list, _) => {
                let mut conds = Vec::with_capacity(list.len());
                for x in list.iter() {
                    let Val::Bool(c) = self.expr(x)? else {
                        return None;
                    };
                    conds.push(c);
                }
                Some(Val::Bool(if matches!(e, Expr::And(..)) {
                    Cond::And(conds.into())
                } else {
                    Cond::Or(conds.into())
                }))
            }
            Expr::FnCall(f, _) => self.call(f),
            _ => None,
        }
    }

    fn chain(&mut self, v: Val, rhs: &Expr) -> Option<Val> {
        match rhs {
            Expr::MethodCall(f, _) => self.method(v, f),
            Expr::Dot(b, ..) => {
                let Expr::MethodCall(f, _) = &b.lhs else {
                    return None;
                };
                let v = self.method(v, f)?;
                self.chain(v, &b.rhs)
            }
            _ => None,
        }
    }

    fn method(&mut self, v: Val, f: &FnCallExpr) -> Option<Val> {
        let args: Vec<Val> = f.args.iter().map(|a| self.expr(a)).collect::<Option<_>>()?;
        Self::apply(f.name.as_str(), v, args)
    }

    fn call(&mut self, f: &FnCallExpr) -> Option<Val> {
        let mut args: Vec<Val> = f.args.iter().map(|a| self.expr(a)).collect::<Option<_>>()?;
        if args.is_empty() {
            return None;
        }
        let first = args.remove(0);
        Self::apply(f.name.as_str(), first, args)
    }

    /// `name(v, args...)` (a function, an operator or a method on `v`).
    #[allow(clippy::too_many_lines)] // one match arm per supported function
    fn apply(name: &str, v: Val, mut args: Vec<Val>) -> Option<Val> {
        use NumTy::{Float, Int};
        let arg = args.pop();
        if !args.is_empty() {
            return None;
        }
        let un = |op, n, ty| Some(Val::Num(Num::Un(op, Box::new(n)), ty));
        match (name, v, arg) {
            ("to_float", Val::Num(n, Int | Float), None) => Some(Val::Num(n, Float)),
            ("to_int", Val::Num(n, Int), None) => Some(Val::Num(n, Int)),
            // Integer negation and `abs` overflow at the minimum: left to the script tier.
            ("-", Val::Num(n, Float), None) => Some(Val::Num(Num::Neg(Box::new(n)), Float)),
            ("!", Val::Bool(c), None) => Some(Val::Bool(Cond::Not(Box::new(c)))),
            ("abs", Val::Num(n, Float), None) => un(UnOp::Abs, n, Float),
            ("exp", Val::Num(n, Float), None) => un(UnOp::Exp, n, Float),
            ("sqrt", Val::Num(n, Float), None) => un(UnOp::Sqrt, n, Float),
            ("ln", Val::Num(n, Float), None) => un(UnOp::Ln, n, Float),
            ("floor", Val::Num(n, Float), None) => un(UnOp::Floor, n, Float),
            (
                op @ ("contains" | "starts_with" | "ends_with" | "==" | "!="),
                Val::StrSlot(s),
                Some(Val::StrConst(c)),
            )
            | (op @ ("==" | "!="), Val::StrConst(c), Some(Val::StrSlot(s))) => {
                let op = match op {
                    "contains" => StrOp::Contains,
                    "starts_with" => StrOp::StartsWith,
                    "ends_with" => StrOp::EndsWith,
                    "==" => StrOp::Eq,
                    _ => StrOp::Ne,
                };
                Some(Val::Bool(Cond::Str(op, s, c.into())))
            }
            (op, Val::Num(a, ta), Some(Val::Num(b, tb)))
                if ta != NumTy::Bool && tb != NumTy::Bool =>
            {
                let ty = if ta == Int && tb == Int { Int } else { Float };
                let bin = |op| {
                    Some(Val::Num(
                        Num::Bin(op, Box::new(a.clone()), Box::new(b.clone())),
                        ty,
                    ))
                };
                // rhai compares floats (and an int with a float) epsilon-relatively.
                let cmp = |op: CmpOp| {
                    let op = if ty == Float { op.rhai_float() } else { op };
                    Some(Val::Bool(Cond::Cmp(op, a.clone(), b.clone())))
                };
                match op {
                    // Integer `+ - *` fail on overflow in rhai: left to the script tier.
                    "+" if ty == Float => bin(BinOp::Add),
                    "-" if ty == Float => bin(BinOp::Sub),
                    "*" if ty == Float => bin(BinOp::Mul),
                    // Integer division truncates in rhai: leave it to the script tier.
                    "/" if ty == Float => bin(BinOp::Div),
                    "min" if ta == tb => bin(BinOp::Min),
                    "max" if ta == tb => bin(BinOp::Max),
                    "**" if ty == Float => bin(BinOp::Pow),
                    "==" => cmp(CmpOp::Eq),
                    "!=" => cmp(CmpOp::Ne),
                    "<" => cmp(CmpOp::Lt),
                    "<=" => cmp(CmpOp::Le),
                    ">" => cmp(CmpOp::Gt),
                    ">=" => cmp(CmpOp::Ge),
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// `if score < v { score = v; }` / `if score > v { score = v; }`.
fn clamp(cond: &Expr, body: &Stmt) -> Option<Shape> {
    let Expr::FnCall(f, _) = cond else {
        return None;
    };
    let [lhs, rhs] = f.args.as_slice() else {
        return None;
    };
    let low = match f.name.as_str() {
        "<" | "<=" => true,
        ">" | ">=" => false,
        _ => return None,
    };
    let value = num_const(rhs)?;
    let (syntax, target, assigned) = op_assign(body)?;
    (is_var(lhs, "score")
        && syntax == "="
        && is_var(target, "score")
        && num_const(assigned) == Some(value))
    .then_some(Shape::Clamp { low, value })
}
