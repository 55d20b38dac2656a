//! The vectorized native tier: a block of rows is scored one rule at a time.
//!
//! Row-at-a-time evaluation walks every rule's tree once per row, and that walk
//! (dispatch on node kinds, slot lookups) costs more than the comparisons
//! themselves. Here each node is dispatched once per block of [`BLOCK`] rows and
//! its work is a tight loop over slices. Per row, points are added in rule order
//! and the caps are applied by [`Program::finish`], exactly as the row evaluator
//! does, so both give bit-identical results.

use std::borrow::Cow;

use std::collections::HashMap;

use foldhash::fast::FixedState;
use memchr::memmem::Finder;

use crate::rules::define::manifest::Range;
use crate::rules::exec::native::{BinOp, CmpOp, Cond, Num, StrOp, UnOp, bytes_eq, str_test};
use crate::rules::exec::program::{NativeRule, Program, Step, Sums, clip};

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
    /// Per string slot: dictionary-encode it in each block (it feeds substring tests).
    encode: Vec<bool>,
    dicts: Vec<Option<Dict<'a>>>,
    pool: Pool,
}

/// The distinct values of a string slot within a block and each row's value id.
/// Low-cardinality fields (titles, industries, countries) repeat across rows, so a
/// costly test such as `contains` runs once per distinct value instead of per row.
#[derive(Debug, Default)]
struct Dict<'a> {
    values: Vec<Cow<'a, str>>,
    ids: Vec<u32>,
}

impl<'a> Dict<'a> {
    /// Encodes `strs`, or gives up (`None`) when most values are distinct.
    fn build(strs: &[Cow<'a, str>], mut reuse: Dict<'a>) -> Option<Self> {
        let limit = strs.len() / 4 + 1;
        reuse.values.clear();
        reuse.ids.clear();
        let mut seen: HashMap<&str, u32, FixedState> =
            HashMap::with_capacity_and_hasher(limit, FixedState::default());
        for s in strs {
            let next = u32::try_from(reuse.values.len()).ok()?;
            let id = *seen.entry(s.as_ref()).or_insert(next);
            if id == next {
                if reuse.values.len() >= limit {
                    return None;
                }
                reuse.values.push(s.clone());
            }
            reuse.ids.push(id);
        }
        Some(reuse)
    }
}

impl Block<'_> {
    pub fn new(program: &Program, n_num: usize, n_str: usize) -> Self {
        let mut encode = vec![false; n_str];
        for step in &program.fast {
            if let Step::Native(r) = step {
                mark_substring_slots(&r.cond, &mut encode);
                mark_num_slots(&r.points, &mut encode);
            }
        }
        let (n_locals, n_groups) = (program.local_names.len(), program.groups.len());
        Block {
            encode,
            dicts: (0..n_str).map(|_| None).collect(),
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

/// Marks the string slots that substring tests read (worth dictionary-encoding).
fn mark_substring_slots(c: &Cond, out: &mut [bool]) {
    match c {
        Cond::Str(op, slot, _) | Cond::StrAny(op, slot, _)
            if *op != StrOp::Eq && *op != StrOp::Ne =>
        {
            out[*slot] = true;
        }
        Cond::And(cs) | Cond::Or(cs) => cs.iter().for_each(|c| mark_substring_slots(c, out)),
        Cond::Not(c) => mark_substring_slots(c, out),
        Cond::Cmp(_, a, b) => {
            mark_num_slots(a, out);
            mark_num_slots(b, out);
        }
        _ => {}
    }
}

fn mark_num_slots(e: &Num, out: &mut [bool]) {
    match e {
        Num::Cond(c) => mark_substring_slots(c, out),
        Num::Neg(a) | Num::Un(_, a) => mark_num_slots(a, out),
        Num::Bin(_, a, b) => {
            mark_num_slots(a, out);
            mark_num_slots(b, out);
        }
        Num::Const(_) | Num::Slot(_) | Num::Local(_) => {}
    }
}

/// Whether `program` can run vectorized: native steps only (scripts and explain
/// traces run row by row).
pub(crate) fn supports(program: &Program) -> bool {
    !program.has_scripts
        && program
            .fast
            .iter()
            .all(|s| matches!(s, Step::Native(_) | Step::Let { .. } | Step::Begin { .. }))
}

impl Program {
    /// Scores the `b.n` rows of a loaded block; `emit(row, sums)` receives each result,
    /// `None` for a row whose points are not finite (the caller re-scores it row by
    /// row for the error naming the rule).
    pub(crate) fn run_block(&self, b: &mut Block<'_>, mut emit: impl FnMut(usize, Option<Sums>)) {
        let n = b.n;
        for v in b.axis.iter_mut().chain(b.groups.iter_mut()) {
            v[..n].fill(0.0);
        }
        b.total[..n].fill(0.0);
        for (slot, dict) in b.dicts.iter_mut().enumerate() {
            if b.encode[slot] {
                let reuse = dict.take().unwrap_or_default();
                *dict = Dict::build(&b.strs[slot][..n], reuse);
            }
        }
        let mut pool = std::mem::take(&mut b.pool);
        for step in &self.fast {
            match step {
                Step::Native(r) => self.native_rule(r, b, &mut pool),
                Step::Let { local, expr, .. } => {
                    let mut out = std::mem::take(&mut b.locals[*local]);
                    num(expr, &Data::of(b), &mut out[..n], &mut pool);
                    b.locals[*local] = out;
                }
                Step::Begin { .. } | Step::Init { .. } | Step::Script(_) => {}
            }
        }
        b.pool = pool;
        let mut groups = vec![0.0; b.groups.len()];
        for i in 0..n {
            for (g, v) in groups.iter_mut().zip(&b.groups) {
                *g = v[i];
            }
            let axis = [b.axis[0][i], b.axis[1][i]];
            if !crate::rules::exec::program::sums_finite(axis, b.total[i], &groups) {
                emit(i, None);
                continue;
            }
            emit(i, Some(self.finish(axis, b.total[i], &groups, None)));
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
        if range.min.is_some() || range.max.is_some() {
            for p in &mut points {
                *p = clip(*p, range);
            }
        }
        // A row whose rule did not fire adds +0.0 (its bits masked to zero), which
        // leaves its sums unchanged: they start at +0.0 and so are never -0.0. The
        // mask keeps this loop free of unpredictable branches.
        if !always {
            for (p, m) in points.iter_mut().zip(&mask) {
                *p = f64::from_bits(p.to_bits() & 0u64.wrapping_sub(u64::from(*m)));
            }
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
    dicts: &'r [Option<Dict<'a>>],
    locals: &'r [Vec<f64>],
}

impl<'r, 'a> Data<'r, 'a> {
    fn of(b: &'r Block<'a>) -> Self {
        Data {
            n: b.n,
            num: &b.num,
            strs: &b.strs,
            dicts: &b.dicts,
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
        // rhai's float comparisons: one formula, no fast path needed.
        f => {
            for (i, (o, a)) in out.iter_mut().zip(a).enumerate() {
                *o = crate::rules::exec::native::cmp(f, *a, b(i));
            }
        }
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

/// A string test over `strs` (one value per output row).
fn str_cond(test: &Cond, strs: &[Cow<'_, str>], out: &mut [bool]) {
    match test {
        Cond::Str(op, _, needle) => {
            out.fill(false);
            str_any(*op, strs, needle, out);
        }
        Cond::StrAny(op, _, needles) => {
            out.fill(false);
            for needle in needles {
                str_any(*op, strs, needle, out);
            }
        }
        Cond::StrIn(_, set) => {
            for (o, s) in out.iter_mut().zip(strs) {
                *o = set.iter().any(|v| bytes_eq(v.as_bytes(), s.as_bytes()));
            }
        }
        _ => {}
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
        Cond::Str(_, slot, _) | Cond::StrAny(_, slot, _) | Cond::StrIn(slot, _) => {
            if let Some(dict) = &rows.dicts[*slot] {
                let mut distinct = pool.bools(dict.values.len());
                str_cond(test, &dict.values, &mut distinct);
                for (o, id) in out.iter_mut().zip(&dict.ids) {
                    *o = distinct[*id as usize];
                }
                pool.put_bools(distinct);
            } else {
                str_cond(test, &rows.strs[*slot][..len], out);
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

    fn data<'r, 'a>(
        num: &'r [Vec<f64>],
        strs: &'r [Vec<Cow<'a, str>>],
        dicts: &'r [Option<Dict<'a>>],
        n: usize,
    ) -> Data<'r, 'a> {
        Data {
            n,
            num,
            strs,
            dicts,
            locals: &[],
        }
    }

    #[test]
    fn block_conditions_equal_row_conditions() {
        // 20 rows with 4 distinct titles, so the dictionary is worth building.
        let titles: Vec<&str> = [
            "VP Sales",
            "Director",
            "",
            "Chief Vice President",
            "VP Sales",
        ]
        .repeat(4);
        let strs = vec![titles.iter().map(|t| Cow::Borrowed(*t)).collect::<Vec<_>>()];
        let nums = vec![[600.0, 5.0, f64::NAN, 10_000.0, 0.0].repeat(4)];
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
        // Plain and dictionary-encoded strings give the same results.
        let encoded = [Dict::build(&strs[0], Dict::default())];
        assert!(encoded[0].is_some());
        assert!(
            Dict::build(&strs[0][..4], Dict::default()).is_none(),
            "all distinct"
        );
        let plain = [None];
        let mut pool = Pool::default();
        for (c, dicts) in conds.iter().flat_map(|c| [(c, &plain), (c, &encoded)]) {
            let d = data(&nums, &strs, dicts, titles.len());
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
