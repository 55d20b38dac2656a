//! The vectorized native tier: a block of rows is scored one rule at a time.
//!
//! Row-at-a-time evaluation walks every rule's tree once per row, and that walk
//! (dispatch on node kinds, slot lookups) costs more than the comparisons
//! themselves. Here each node is dispatched once per block of [`BLOCK`] rows and
//! its work is a tight loop over slices. Per row, points are added in rule order
//! and the caps are applied by [`Program::finish`], exactly as the row evaluator
//! does, so both give bit-identical results.

use std::borrow::Cow;

use memchr::memmem::Finder;

use super::manifest::Range;
use super::native::{BinOp, CmpOp, Cond, Num, StrOp, UnOp, bytes_eq, str_test};
use super::program::{NativeRule, Program, Step, Sums, clip};

/// Rows per block: the working set (a few `f64` vectors per rule) stays in L1.
pub(crate) const BLOCK: usize = 256;

/// A block of feature rows, column by column (`num[slot][row]`, `strs[slot][row]`).
#[derive(Debug)]
pub(crate) struct Block<'a> {
    pub n: usize,
    pub num: Vec<Vec<f64>>,
    pub strs: Vec<Vec<Cow<'a, str>>>,
    locals: Vec<Vec<f64>>,
    axis: [Vec<f64>; 2],
    total: Vec<f64>,
    groups: Vec<Vec<f64>>,
    pool: Pool,
}

impl Block<'_> {
    pub fn new(n_num: usize, n_str: usize, n_locals: usize, n_groups: usize) -> Self {
        Block {
            n: 0,
            num: vec![vec![0.0; BLOCK]; n_num],
            strs: vec![vec![Cow::Borrowed(""); BLOCK]; n_str],
            locals: vec![vec![0.0; BLOCK]; n_locals],
            axis: [vec![0.0; BLOCK], vec![0.0; BLOCK]],
            total: vec![0.0; BLOCK],
            groups: vec![vec![0.0; BLOCK]; n_groups],
            pool: Pool::default(),
        }
    }
}

/// Whether `program` can run vectorized: native steps only (scripts and explain
/// traces run row by row).
pub(crate) fn supports(program: &Program) -> bool {
    !program.has_scripts
        && program
            .fast
            .iter()
            .all(|s| matches!(s, Step::Native(_) | Step::Let { .. } | Step::Begin))
}

impl Program {
    /// Scores the `b.n` rows of a loaded block; `emit(row, sums)` receives each result.
    pub(crate) fn run_block(&self, b: &mut Block<'_>, mut emit: impl FnMut(usize, Sums)) {
        let n = b.n;
        for v in b.axis.iter_mut().chain(b.groups.iter_mut()) {
            v[..n].fill(0.0);
        }
        b.total[..n].fill(0.0);
        let mut pool = std::mem::take(&mut b.pool);
        for step in &self.fast {
            match step {
                Step::Native(r) => self.native_rule(r, b, &mut pool),
                Step::Let { local, expr, .. } => {
                    let mut out = std::mem::take(&mut b.locals[*local]);
                    num(expr, &Data::of(b), &mut out[..n], &mut pool);
                    b.locals[*local] = out;
                }
                Step::Begin | Step::Init | Step::Script(_) => {}
            }
        }
        b.pool = pool;
        let mut groups = vec![0.0; b.groups.len()];
        for i in 0..n {
            for (g, v) in groups.iter_mut().zip(&b.groups) {
                *g = v[i];
            }
            let sums = self.finish([b.axis[0][i], b.axis[1][i]], b.total[i], &groups, None);
            emit(i, sums);
        }
    }

    fn native_rule(&self, r: &NativeRule, b: &mut Block<'_>, pool: &mut Pool) {
        let n = b.n;
        let d = Data::of(b);
        let mut mask = pool.bools(n);
        let always = matches!(r.cond, Cond::Const(true));
        if !always {
            cond(&r.cond, &d, &mut mask, pool);
        }
        let mut points = pool.nums(n);
        num(&r.points, &d, &mut points, pool);
        let range = Range {
            min: r.cap.0,
            max: r.cap.1,
        };
        let ax = self.rules[r.rule].axis.index();
        let group = self.rule_groups[r.rule];
        // Adding `0.0` for a row whose rule did not fire leaves its sums unchanged
        // (they start at +0.0 and so can never be -0.0), so the loop is branch-free.
        for (i, p) in points.iter_mut().enumerate() {
            *p = if always || mask[i] {
                clip(*p, range)
            } else {
                0.0
            };
        }
        for (a, p) in b.axis[ax][..n].iter_mut().zip(&points) {
            *a += p;
        }
        for (t, p) in b.total[..n].iter_mut().zip(&points) {
            *t += p;
        }
        if let Some(g) = group {
            for (s, p) in b.groups[g][..n].iter_mut().zip(&points) {
                *s += p;
            }
        }
        pool.put_bools(mask);
        pool.put_nums(points);
    }
}

/// Reusable temporaries for nested expressions.
#[derive(Debug, Default)]
struct Pool {
    nums: Vec<Vec<f64>>,
    bools: Vec<Vec<bool>>,
}

impl Pool {
    fn nums(&mut self, n: usize) -> Vec<f64> {
        let mut v = self.nums.pop().unwrap_or_default();
        v.clear();
        v.resize(n, 0.0);
        v
    }
    fn bools(&mut self, n: usize) -> Vec<bool> {
        let mut v = self.bools.pop().unwrap_or_default();
        v.clear();
        v.resize(n, false);
        v
    }
    fn put_nums(&mut self, v: Vec<f64>) {
        self.nums.push(v);
    }
    fn put_bools(&mut self, v: Vec<bool>) {
        self.bools.push(v);
    }
}

/// The read-only columns of a block, borrowed while the pool is used mutably.
struct Data<'r, 'a> {
    n: usize,
    num: &'r [Vec<f64>],
    strs: &'r [Vec<Cow<'a, str>>],
    locals: &'r [Vec<f64>],
}

impl<'r, 'a> Data<'r, 'a> {
    fn of(b: &'r Block<'a>) -> Self {
        Data {
            n: b.n,
            num: &b.num,
            strs: &b.strs,
            locals: &b.locals,
        }
    }
}

/// Applies `$op` elementwise: `out[i] = out[i] op rhs[i]` (or a scalar `rhs`).
macro_rules! each {
    ($out:expr, $rhs:expr, |$a:ident, $b:ident| $e:expr) => {
        for (o, r) in $out.iter_mut().zip($rhs) {
            let ($a, $b) = (*o, *r);
            *o = $e;
        }
    };
}

fn num(expr: &Num, rows: &Data<'_, '_>, out: &mut [f64], pool: &mut Pool) {
    let len = rows.n;
    match expr {
        Num::Const(k) => out.fill(*k),
        Num::Slot(i) => out.copy_from_slice(&rows.num[*i][..len]),
        Num::Local(i) => out.copy_from_slice(&rows.locals[*i][..len]),
        Num::Neg(inner) => {
            num(inner, rows, out, pool);
            for v in out.iter_mut() {
                *v = -*v;
            }
        }
        Num::Bin(op, lhs, rhs) => {
            num(lhs, rows, out, pool);
            if let Num::Const(k) = **rhs {
                binary(*op, out, |_| k);
            } else {
                let mut t = pool.nums(len);
                num(rhs, rows, &mut t, pool);
                binary(*op, out, |i| t[i]);
                pool.put_nums(t);
            }
        }
        Num::Un(op, inner) => {
            num(inner, rows, out, pool);
            let f: fn(f64) -> f64 = match op {
                UnOp::Exp => f64::exp,
                UnOp::Abs => f64::abs,
                UnOp::Floor => f64::floor,
                UnOp::Sqrt => f64::sqrt,
                UnOp::Ln => f64::ln,
            };
            for v in out.iter_mut() {
                *v = f(*v);
            }
        }
        Num::Cond(test) => {
            let mut mask = pool.bools(len);
            cond(test, rows, &mut mask, pool);
            for (o, m) in out.iter_mut().zip(&mask) {
                *o = if *m { 1.0 } else { 0.0 };
            }
            pool.put_bools(mask);
        }
    }
}

/// `out[i] = out[i] op rhs(i)`, with the operator dispatched once per block.
fn binary(op: BinOp, out: &mut [f64], rhs: impl Fn(usize) -> f64) {
    macro_rules! bin_loop {
        (|$a:ident, $b:ident| $e:expr) => {
            for (i, o) in out.iter_mut().enumerate() {
                let ($a, $b) = (*o, rhs(i));
                *o = $e;
            }
        };
    }
    match op {
        BinOp::Add => bin_loop!(|a, b| a + b),
        BinOp::Sub => bin_loop!(|a, b| a - b),
        BinOp::Mul => bin_loop!(|a, b| a * b),
        BinOp::Div => bin_loop!(|a, b| a / b),
        BinOp::Min => bin_loop!(|a, b| if a < b { a } else { b }),
        BinOp::Max => bin_loop!(|a, b| if a > b { a } else { b }),
        BinOp::Pow => bin_loop!(|a, b| a.powf(b)),
    }
}

#[allow(clippy::float_cmp)] // exact comparison, as rhai does
fn compare(op: CmpOp, a: &[f64], b: impl Fn(usize) -> f64, out: &mut [bool]) {
    macro_rules! cmp_loop {
        ($op:tt) => {
            for (i, (o, a)) in out.iter_mut().zip(a).enumerate() {
                *o = *a $op b(i);
            }
        };
    }
    match op {
        CmpOp::Eq => cmp_loop!(==),
        CmpOp::Ne => cmp_loop!(!=),
        CmpOp::Lt => cmp_loop!(<),
        CmpOp::Le => cmp_loop!(<=),
        CmpOp::Gt => cmp_loop!(>),
        CmpOp::Ge => cmp_loop!(>=),
    }
}

/// `out[i] |= op(strs[i], needle)`.
fn str_any(op: StrOp, strs: &[Cow<'_, str>], needle: &str, out: &mut [bool]) {
    if op == StrOp::Contains {
        // One searcher per needle and block instead of one per row.
        let finder = Finder::new(needle.as_bytes());
        for (o, s) in out.iter_mut().zip(strs) {
            *o |= s.len() >= needle.len() && finder.find(s.as_bytes()).is_some();
        }
    } else {
        for (o, s) in out.iter_mut().zip(strs) {
            *o |= str_test(op, s, needle);
        }
    }
}

fn cond(test: &Cond, rows: &Data<'_, '_>, out: &mut [bool], pool: &mut Pool) {
    let len = rows.n;
    match test {
        Cond::Const(v) => out.fill(*v),
        Cond::SlotCmp(op, slot, k) => compare(*op, &rows.num[*slot][..len], |_| *k, out),
        Cond::Cmp(op, lhs, rhs) => {
            let mut ta = pool.nums(len);
            let mut tb = pool.nums(len);
            num(lhs, rows, &mut ta, pool);
            num(rhs, rows, &mut tb, pool);
            compare(*op, &ta, |i| tb[i], out);
            pool.put_nums(ta);
            pool.put_nums(tb);
        }
        Cond::Str(op, slot, needle) => {
            out.fill(false);
            str_any(*op, &rows.strs[*slot][..len], needle, out);
        }
        Cond::StrAny(op, slot, needles) => {
            out.fill(false);
            for needle in needles {
                str_any(*op, &rows.strs[*slot][..len], needle, out);
            }
        }
        Cond::StrIn(slot, set) => {
            for (o, s) in out.iter_mut().zip(&rows.strs[*slot][..len]) {
                *o = set.iter().any(|v| bytes_eq(v.as_bytes(), s.as_bytes()));
            }
        }
        Cond::And(cs) | Cond::Or(cs) => {
            let and = matches!(test, Cond::And(_));
            out.fill(and);
            let mut t = pool.bools(len);
            for part in cs {
                cond(part, rows, &mut t, pool);
                if and {
                    each!(out, &t, |a, b| a & b);
                } else {
                    each!(out, &t, |a, b| a | b);
                }
            }
            pool.put_bools(t);
        }
        Cond::Not(inner) => {
            cond(inner, rows, out, pool);
            for v in out.iter_mut() {
                *v = !*v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data<'r, 'a>(num: &'r [Vec<f64>], strs: &'r [Vec<Cow<'a, str>>], n: usize) -> Data<'r, 'a> {
        Data {
            n,
            num,
            strs,
            locals: &[],
        }
    }

    #[test]
    fn block_conditions_equal_row_conditions() {
        let titles = ["VP Sales", "Director", "", "Chief Vice President", "intern"];
        let strs = vec![titles.iter().map(|t| Cow::Borrowed(*t)).collect::<Vec<_>>()];
        let nums = vec![vec![600.0, 5.0, f64::NAN, 10_000.0, 0.0]];
        let conds = [
            Cond::StrAny(
                StrOp::Contains,
                0,
                vec!["VP".into(), "Vice President".into()].into(),
            ),
            Cond::Str(StrOp::EndsWith, 0, "or".into()),
            Cond::StrIn(0, vec!["Director".into(), "".into()].into()),
            Cond::SlotCmp(CmpOp::Gt, 0, 500.0),
            Cond::Or(
                vec![
                    Cond::Not(Box::new(Cond::SlotCmp(CmpOp::Le, 0, 5.0))),
                    Cond::Str(StrOp::StartsWith, 0, "in".into()),
                ]
                .into(),
            ),
            Cond::And(vec![Cond::Const(true), Cond::SlotCmp(CmpOp::Ne, 0, 0.0)].into()),
        ];
        let d = data(&nums, &strs, titles.len());
        let mut pool = Pool::default();
        for c in &conds {
            let mut out = vec![false; titles.len()];
            cond(c, &d, &mut out, &mut pool);
            for (i, got) in out.iter().enumerate() {
                let row_num = [nums[0][i]];
                let row_str = [strs[0][i].clone()];
                let x = super::super::native::Ctx {
                    num: &row_num,
                    strs: &row_str,
                    locals: &[],
                };
                assert_eq!(*got, c.eval(&x), "{c:?} on row {i}");
            }
        }
    }
}
