//! Recognising `switch` on a feature as a native rule:
//! `switch lead.country { "US" | "CA" => score += 5.0, "FR" => score += 2.0, _ => () }`.
//!
//! rhai keeps only the hashes of the case values in its AST, so the values are
//! read back from the source with rhai's own tokenizer, then checked against
//! the AST by compiling them into a switch of their own (same hashes, same
//! arms) before anything is compiled natively.

use std::collections::HashMap;

use rhai::{Expr, Position, Stmt, SwitchCasesCollection, Token};

use super::{NumTy, Recognizer, Shape, Val, num_const, op_assign};
use crate::rules::compile::render;
use crate::rules::define::features::Axis;
use crate::rules::exec::native::{BinOp, CmpOp, Cond, Num, StrOp};

/// A case value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Int(i64),
}

impl Lit {
    /// The value as rhai source, which is also how reasons show it (`"US"`, `800`).
    fn source(&self) -> String {
        match self {
            Lit::Str(s) => format!("{s:?}"),
            Lit::Int(i) => i.to_string(),
        }
    }
}

/// One arm as written: its values (empty for `_`).
#[derive(Debug)]
pub(crate) struct Arm {
    pub lits: Vec<Lit>,
}

impl Recognizer<'_> {
    /// `switch <feature> { <literals> => score += / -= <const>, ..., _ => () }`.
    pub(super) fn switch(
        &mut self,
        x: &(Expr, SwitchCasesCollection),
        pos: Position,
    ) -> Option<Shape> {
        let (scrutinee, cases) = x;
        if !cases.ranges.is_empty() {
            return None;
        }
        // Bodies first (cheap): each adds a constant or does nothing.
        let mut points = Vec::with_capacity(cases.expressions.len());
        for e in &cases.expressions {
            if !matches!(e.lhs, Expr::BoolConstant(true, _)) {
                return None;
            }
            points.push(arm_points(&e.rhs)?);
        }
        let subject = self.expr(scrutinee)?;
        let arms = arms(self.source?, pos)?;
        if arms.len() != cases.expressions.len()
            || arms.iter().position(|a| a.lits.is_empty()) != cases.def_case
        {
            return None;
        }
        verify(&arms, cases)?;
        let name = match scrutinee {
            Expr::Dot(b, ..) => match &b.rhs {
                Expr::Property(p, _) => p.2.to_string(),
                _ => return None,
            },
            _ => return None,
        };
        let (cond, pts, reason) = build(&name, &subject, &arms, &points, cases.def_case)?;
        let axis = if self.engaged {
            Axis::Engagement
        } else {
            Axis::Fit
        };
        Some(Shape::Rule {
            cond,
            points: pts,
            cap: (None, None),
            decay_local: None,
            axis,
            reason,
        })
    }
}

/// The native test "the subject is one of `lits`".
fn arm_test(subject: &Val, lits: &[Lit]) -> Option<Cond> {
    match subject {
        Val::StrSlot(slot) => {
            let vals: Option<Vec<Box<str>>> = lits
                .iter()
                .map(|l| match l {
                    Lit::Str(s) => Some(s.as_str().into()),
                    Lit::Int(_) => None,
                })
                .collect();
            let mut vals = vals?;
            Some(if vals.len() == 1 {
                Cond::Str(StrOp::Eq, *slot, vals.remove(0))
            } else {
                Cond::StrIn(*slot, vals.into())
            })
        }
        // Integer cases match only integer values (rhai hashes by type).
        Val::Num(n, NumTy::Int) => {
            let eqs: Option<Vec<Cond>> = lits
                .iter()
                .map(|l| match l {
                    #[allow(clippy::cast_precision_loss)] // as the native tier stores ints
                    Lit::Int(i) => Some(Cond::Cmp(CmpOp::Eq, n.clone(), Num::Const(*i as f64))),
                    Lit::Str(_) => None,
                })
                .collect();
            let mut eqs = eqs?;
            Some(if eqs.len() == 1 {
                eqs.remove(0)
            } else {
                Cond::Or(eqs.into())
            })
        }
        _ => None,
    }
}

/// The rule of a switch: its condition, points and reason. Arms are disjoint,
/// so the points are one term per scoring arm (`[arm] * points + ...`).
#[allow(clippy::float_cmp)] // arms with exactly the same constant merge into one set
fn build(
    name: &str,
    subject: &Val,
    arms: &[Arm],
    points: &[f64],
    def_case: Option<usize>,
) -> Option<(Cond, Num, String)> {
    let all: Vec<Lit> = arms.iter().flat_map(|a| a.lits.clone()).collect();
    let default = def_case.map_or(0.0, |d| points[d]);
    let scoring: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter(|&(i, p)| *p != 0.0 && Some(i) != def_case)
        .map(|(i, p)| (i, *p))
        .collect();
    let hit: Vec<Lit> = scoring
        .iter()
        .flat_map(|(i, _)| arms[*i].lits.clone())
        .collect();
    let uniform = default == 0.0 && scoring.windows(2).all(|w| w[0].1 == w[1].1);
    let (cond, pts, reason) = if scoring.is_empty() && default == 0.0 {
        (
            Cond::Const(false),
            Num::Const(0.0),
            format!("{name}: no points"),
        )
    } else if uniform {
        let reason = if hit.len() == 1 {
            let op = if matches!(subject, Val::StrSlot(_)) {
                "is"
            } else {
                "="
            };
            format!("{name} {op} {}", hit[0].source())
        } else {
            let shown: Vec<String> = hit.iter().map(Lit::source).collect();
            format!("{name} in [{}]", shown.join(", "))
        };
        (arm_test(subject, &hit)?, Num::Const(scoring[0].1), reason)
    } else {
        // One term per arm (the arms are disjoint): `[arm] * points + ...`.
        let mut sum: Option<Num> = None;
        let mut shown = Vec::new();
        let mut add = |c: Cond, p: f64| {
            let term = Num::Bin(
                BinOp::Mul,
                Box::new(Num::Cond(Box::new(c.simplify()))),
                Box::new(Num::Const(p)),
            );
            sum = Some(match sum.take() {
                Some(s) => Num::Bin(BinOp::Add, Box::new(s), Box::new(term)),
                None => term,
            });
        };
        for (i, p) in &scoring {
            add(arm_test(subject, &arms[*i].lits)?, *p);
            let vals: Vec<String> = arms[*i].lits.iter().map(Lit::source).collect();
            shown.push(format!("{} {}", vals.join(" or "), signed(*p)));
        }
        let cond = if default == 0.0 {
            arm_test(subject, &hit)?
        } else {
            let other = if all.is_empty() {
                Cond::Const(true)
            } else {
                Cond::Not(Box::new(arm_test(subject, &all)?))
            };
            add(other, default);
            shown.push(format!("otherwise {}", signed(default)));
            Cond::Const(true)
        };
        (cond, sum?, format!("{name}: {}", shown.join(", ")))
    };
    Some((cond, pts, reason))
}

fn signed(p: f64) -> String {
    if p < 0.0 {
        render::number(p)
    } else {
        format!("+{}", render::number(p))
    }
}

/// The constant an arm adds: `score += c`, `score -= c`, `()` or `{}` (0).
fn arm_points(body: &Expr) -> Option<f64> {
    let stmts: &[Stmt] = match body {
        Expr::Stmt(block) => block.statements(),
        Expr::Unit(_) => &[],
        _ => return None,
    };
    let mut total = None;
    for s in stmts {
        match s {
            Stmt::Noop(_) => {}
            Stmt::Expr(e) if matches!(**e, Expr::Unit(_)) => {}
            _ if total.is_none() => {
                let (syntax, lhs, rhs) = op_assign(s)?;
                if !matches!(lhs, Expr::Variable(v, ..) if v.1 == "score") {
                    return None;
                }
                let c = num_const(rhs)?;
                total = Some(match syntax {
                    "+=" => c,
                    "-=" => -c,
                    _ => return None,
                });
            }
            _ => return None,
        }
    }
    let p = total.unwrap_or(0.0);
    p.is_finite().then_some(p)
}

/// Reads the arms' values of the `switch` at `pos` with rhai's tokenizer.
pub(crate) fn arms(source: &str, pos: Position) -> Option<Vec<Arm>> {
    let mut tokens = Tokens::new(source);
    // Skip to the `switch` keyword at `pos`, then past the scrutinee's `{`.
    loop {
        let (t, p) = tokens.next()?;
        if p == pos && t == Token::Switch {
            break;
        }
        if t == Token::EOF || p.line() > pos.line() {
            return None;
        }
    }
    let mut depth = 0usize;
    loop {
        match tokens.next()?.0 {
            Token::LeftParen | Token::LeftBracket => depth += 1,
            Token::RightParen | Token::RightBracket => depth = depth.checked_sub(1)?,
            Token::LeftBrace if depth == 0 => break,
            Token::LeftBrace | Token::RightBrace | Token::EOF => return None,
            _ => {}
        }
    }
    let mut out = Vec::new();
    loop {
        // Pattern: `_` or literals separated by `|`, then `=>`.
        let mut lits = Vec::new();
        let mut t = tokens.next()?.0;
        if t == Token::RightBrace {
            return Some(out);
        }
        if t == Token::Underscore {
            t = tokens.next()?.0;
        } else {
            loop {
                let negative = t == Token::UnaryMinus || t == Token::Minus;
                if negative {
                    t = tokens.next()?.0;
                }
                lits.push(match t {
                    Token::StringConstant(s) if !negative => Lit::Str(s.to_string()),
                    Token::IntegerConstant(i) => {
                        Lit::Int(if negative { i.checked_neg()? } else { i })
                    }
                    _ => return None,
                });
                t = tokens.next()?.0;
                if t != Token::Pipe {
                    break;
                }
                t = tokens.next()?.0;
            }
        }
        if t != Token::DoubleArrow {
            return None;
        }
        out.push(Arm { lits });
        // Body: a block (comma optional) or an expression up to `,` / `}`.
        let block = tokens.peek()? == &Token::LeftBrace;
        let mut depth = 0usize;
        loop {
            match tokens.peek()? {
                Token::LeftBrace | Token::LeftParen | Token::LeftBracket | Token::MapStart => {
                    depth += 1;
                }
                Token::RightBrace | Token::RightParen | Token::RightBracket if depth > 0 => {
                    depth -= 1;
                    if depth == 0 && block {
                        tokens.next()?;
                        if tokens.peek()? == &Token::Comma {
                            tokens.next()?;
                        }
                        break;
                    }
                }
                // The switch's own `}`: left for the pattern loop.
                Token::RightBrace => break,
                Token::Comma if depth == 0 => {
                    tokens.next()?;
                    break;
                }
                Token::EOF => return None,
                _ => {}
            }
            tokens.next()?;
        }
    }
}

/// A peekable stream over rhai tokens (comments skipped).
struct Tokens<'a> {
    stream: rhai::MultiInputsStream<'a>,
    state: rhai::TokenizeState,
    pos: Position,
    peeked: Option<(Token, Position)>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Self {
        Tokens {
            stream: rhai::MultiInputsStream {
                buf: [None, None],
                index: 0,
                streams: std::iter::once(text.chars().peekable()).collect(),
            },
            state: rhai::TokenizeState {
                max_string_len: None,
                next_token_cannot_be_unary: false,
                tokenizer_control: rhai::TokenizerControl::default(),
                comment_level: 0,
                include_comments: false,
                is_within_text_terminated_by: None,
                last_token: None,
            },
            pos: Position::new(1, 0),
            peeked: None,
        }
    }

    fn next(&mut self) -> Option<(Token, Position)> {
        if let Some(t) = self.peeked.take() {
            return Some(t);
        }
        let (t, p) = rhai::get_next_token(&mut self.stream, &mut self.state, &mut self.pos);
        match t {
            Token::LexError(_) => None,
            t => Some((t, p)),
        }
    }

    fn peek(&mut self) -> Option<&Token> {
        if self.peeked.is_none() {
            self.peeked = Some(self.next()?);
        }
        self.peeked.as_ref().map(|(t, _)| t)
    }
}

/// Checks the values read from the source against the AST: a switch made of
/// the same values, one arm each, must hash them into exactly the AST's cases.
pub(crate) fn verify(arms: &[Arm], cases: &SwitchCasesCollection) -> Option<()> {
    let lits: Vec<(usize, &Lit)> = arms
        .iter()
        .enumerate()
        .flat_map(|(i, a)| a.lits.iter().map(move |l| (i, l)))
        .collect();
    if lits.len() != cases.cases.len() || cases.cases.values().any(|c| c.blocks.len() != 1) {
        return None;
    }
    let text: Vec<String> = lits
        .iter()
        .enumerate()
        .map(|(k, (_, l))| format!("{} => {k},", l.source()))
        .collect();
    let script = format!("switch x {{ {} }}", text.join(" "));
    let ast = rhai::Engine::new_raw().compile(script).ok()?;
    let [Stmt::Switch(probe, _)] = ast.statements() else {
        return None;
    };
    let probe: HashMap<u64, usize> = probe
        .1
        .cases
        .iter()
        .filter_map(|(h, c)| c.blocks.first().map(|b| (*h, *b)))
        .collect();
    if probe.len() != lits.len() {
        return None;
    }
    for (hash, c) in &cases.cases {
        let k = *probe.get(hash)?;
        if lits.get(k)?.0 != *c.blocks.first()? {
            return None;
        }
    }
    Some(())
}
