//! Columnar scoring: a borrowed view of flat feature columns (the layout of Arrow
//! arrays, NumPy/pandas columns and JS typed arrays) scored without building a
//! record per row. The core has no Arrow dependency; bindings pass buffers.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::rules::define::features::FeatureTable;
use crate::rules::define::features::{Derived, FeatureType, LeadField, Source};
use crate::rules::exec::program::Sums;
use crate::rules::exec::vector::{self, BLOCK, Block};
use crate::rules::helpers;
use crate::rules::input::rows::Cell;
use crate::rules::input::schema::InputOptions;
use crate::rules::input::spelling;
use crate::rules::pack::CompiledPack;
use crate::rules::result::{Grade, Temperature};
use crate::sandbox::deadline;
use crate::time::Timestamp;

/// A validity bitmap (Arrow layout: bit `i` set means row `i` is present).
#[derive(Debug, Clone, Copy)]
pub struct Bitmap<'a> {
    bits: &'a [u8],
    offset: usize,
}

impl<'a> Bitmap<'a> {
    /// A bitmap starting at bit `offset` of `bits` (LSB first, as in Arrow).
    pub fn new(bits: &'a [u8], offset: usize) -> Self {
        Bitmap { bits, offset }
    }
    #[inline]
    fn get(&self, i: usize) -> bool {
        let b = self.offset + i;
        self.bits
            .get(b / 8)
            .is_some_and(|byte| byte >> (b % 8) & 1 == 1)
    }
    fn covers(&self, len: usize) -> bool {
        (self.offset + len).div_ceil(8) <= self.bits.len()
    }
}

/// String offsets: Arrow `Utf8` (i32) or `LargeUtf8` (i64).
#[derive(Debug, Clone, Copy)]
pub enum Offsets<'a> {
    I32(&'a [i32]),
    I64(&'a [i64]),
}

impl Offsets<'_> {
    fn len(&self) -> usize {
        match self {
            Offsets::I32(o) => o.len(),
            Offsets::I64(o) => o.len(),
        }
    }
    #[inline]
    fn at(&self, i: usize) -> usize {
        match self {
            Offsets::I32(o) => usize::try_from(o[i]).unwrap_or(0),
            Offsets::I64(o) => usize::try_from(o[i]).unwrap_or(0),
        }
    }
}

/// One column. Build with the checked constructors.
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    Utf8 {
        offsets: Offsets<'a>,
        data: &'a str,
        validity: Option<Bitmap<'a>>,
    },
    F64 {
        values: &'a [f64],
        validity: Option<Bitmap<'a>>,
    },
    I64 {
        values: &'a [i64],
        validity: Option<Bitmap<'a>>,
    },
    /// Booleans as bits (Arrow) or one byte per row (`0` is false).
    Bool {
        bits: Option<Bitmap<'a>>,
        bytes: Option<&'a [u8]>,
        validity: Option<Bitmap<'a>>,
    },
}

impl<'a> Column<'a> {
    /// A string column from offsets and UTF-8 bytes (validated once, here).
    pub fn utf8(
        offsets: Offsets<'a>,
        data: &'a [u8],
        validity: Option<Bitmap<'a>>,
    ) -> Result<Self> {
        let data = std::str::from_utf8(data)
            .map_err(|e| Error::validation(format!("string column is not UTF-8: {e}")))?;
        let n = offsets.len();
        for i in 0..n {
            let o = offsets.at(i);
            if o > data.len() || !data.is_char_boundary(o) || (i > 0 && o < offsets.at(i - 1)) {
                return Err(Error::validation(format!(
                    "string column offset {i} is invalid"
                )));
            }
        }
        Ok(Column::Utf8 {
            offsets,
            data,
            validity,
        })
    }
    pub fn f64(values: &'a [f64], validity: Option<Bitmap<'a>>) -> Self {
        Column::F64 { values, validity }
    }
    pub fn i64(values: &'a [i64], validity: Option<Bitmap<'a>>) -> Self {
        Column::I64 { values, validity }
    }
    pub fn bool_bits(bits: Bitmap<'a>, validity: Option<Bitmap<'a>>) -> Self {
        Column::Bool {
            bits: Some(bits),
            bytes: None,
            validity,
        }
    }
    pub fn bool_bytes(bytes: &'a [u8], validity: Option<Bitmap<'a>>) -> Self {
        Column::Bool {
            bits: None,
            bytes: Some(bytes),
            validity,
        }
    }

    fn len(&self) -> usize {
        match self {
            Column::Utf8 { offsets, .. } => offsets.len().saturating_sub(1),
            Column::F64 { values, .. } => values.len(),
            Column::I64 { values, .. } => values.len(),
            Column::Bool { bytes: Some(b), .. } => b.len(),
            Column::Bool { bits: Some(b), .. } => (b.bits.len() * 8).saturating_sub(b.offset),
            Column::Bool { .. } => 0,
        }
    }

    fn validity(&self) -> Option<&Bitmap<'a>> {
        match self {
            Column::Utf8 { validity, .. }
            | Column::F64 { validity, .. }
            | Column::I64 { validity, .. }
            | Column::Bool { validity, .. } => validity.as_ref(),
        }
    }

    #[inline]
    fn valid(&self, i: usize) -> bool {
        self.validity().is_none_or(|v| v.get(i))
    }

    #[inline]
    #[allow(clippy::cast_precision_loss)] // counts and amounts stay far below 2^52
    fn num(&self, i: usize) -> f64 {
        if !self.valid(i) {
            return 0.0;
        }
        match self {
            Column::F64 { values, .. } => values[i],
            Column::I64 { values, .. } => values[i] as f64,
            Column::Bool { bits: Some(b), .. } => f64::from(u8::from(b.get(i))),
            Column::Bool { bytes: Some(b), .. } => f64::from(u8::from(b[i] != 0)),
            // The one spelling of text numbers; what it cannot read is an error entry.
            Column::Utf8 { .. } => match spelling::text_cell(self.str(i)) {
                Cell::Int(n) => n as f64,
                Cell::UInt(n) => n as f64,
                Cell::Float(v) => v,
                Cell::Bool(b) => f64::from(u8::from(b)),
                Cell::Null | Cell::Str(_) => 0.0,
            },
            Column::Bool { .. } => 0.0,
        }
    }

    /// Rows `start..start + out.len()` as numbers (as [`num`](Self::num) reads them).
    #[allow(clippy::cast_precision_loss)] // counts and amounts stay far below 2^52
    fn nums_into(&self, start: usize, out: &mut [f64]) {
        let end = start + out.len();
        match self {
            Column::F64 {
                values,
                validity: None,
            } => out.copy_from_slice(&values[start..end]),
            Column::I64 {
                values,
                validity: None,
            } => {
                for (o, v) in out.iter_mut().zip(&values[start..end]) {
                    *o = *v as f64;
                }
            }
            _ => {
                for (o, row) in out.iter_mut().zip(start..end) {
                    *o = self.num(row);
                }
            }
        }
    }

    #[inline]
    fn str(&self, i: usize) -> &'a str {
        match self {
            Column::Utf8 {
                offsets,
                data,
                validity,
            } => {
                if validity.is_some_and(|v| !v.get(i)) {
                    return "";
                }
                data.get(offsets.at(i)..offsets.at(i + 1)).unwrap_or("")
            }
            _ => "",
        }
    }

    fn cow(&self, i: usize) -> Cow<'a, str> {
        match self {
            Column::Utf8 { .. } => Cow::Borrowed(self.str(i)),
            _ if !self.valid(i) => Cow::Borrowed(""),
            Column::I64 { values, .. } => Cow::Owned(values[i].to_string()),
            Column::F64 { values, .. } => Cow::Owned(values[i].to_string()),
            Column::Bool { .. } => Cow::Borrowed(if self.num(i) == 0.0 { "false" } else { "true" }),
        }
    }
}

/// Named columns of equal length, borrowed from the caller.
#[derive(Debug, Clone, Default)]
pub struct Columns<'a> {
    len: usize,
    cols: Vec<(Cow<'a, str>, Column<'a>)>,
    ids: Option<Column<'a>>,
    /// Set by [`conform`](Self::conform): what its lenient check let through.
    warnings: Vec<String>,
}

impl<'a> Columns<'a> {
    /// An empty set of columns for `len` rows.
    pub fn new(len: usize) -> Self {
        Columns {
            len,
            cols: Vec::new(),
            ids: None,
            warnings: Vec::new(),
        }
    }
    /// Adds a column named like the feature it holds (`title`, `page_views`, ...).
    pub fn with(mut self, name: &'a str, col: Column<'a>) -> Result<Self> {
        self.check(name, &col)?;
        self.cols.push((Cow::Borrowed(name), col));
        Ok(self)
    }

    /// Renames the columns to the names `pack` reads, through the one schema
    /// check of flat input ([`CompiledPack::input_schema`]): `Title` reads as
    /// `title`, `opts.columns` maps names explicitly, and a feature no column
    /// supplies is an error (with `opts.strict`) or a warning kept in
    /// [`warnings`](Self::warnings) and in the scores.
    pub fn conform(mut self, pack: &CompiledPack, opts: &InputOptions) -> Result<Self> {
        let names: Vec<&str> = self.cols.iter().map(|(n, _)| n.as_ref()).collect();
        let schema = pack.input_schema(&names, opts)?;
        let renamed: Vec<String> = schema.names().map(str::to_owned).collect();
        for ((name, _), new) in self.cols.iter_mut().zip(renamed) {
            if *name != new {
                *name = Cow::Owned(new);
            }
        }
        self.warnings = schema.warnings;
        Ok(self)
    }

    /// Warnings of the lenient schema check in [`conform`](Self::conform).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    /// Sets the lead-id column (strings or integers), used in error entries.
    pub fn with_ids(mut self, col: Column<'a>) -> Result<Self> {
        self.check("id", &col)?;
        self.ids = Some(col);
        Ok(self)
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    fn check(&self, name: &str, col: &Column<'_>) -> Result<()> {
        if col.len() < self.len || col.validity().is_some_and(|v| !v.covers(self.len)) {
            return Err(Error::validation(format!(
                "column `{name}` has fewer than {} rows",
                self.len
            ))
            .with_field(name));
        }
        Ok(())
    }
    fn find(&self, name: &str) -> Option<usize> {
        self.cols.iter().position(|(n, _)| n == name)
    }
    fn id(&self, i: usize) -> String {
        match &self.ids {
            Some(c @ Column::Utf8 { .. }) => c.str(i).to_owned(),
            Some(c) => c.cow(i).into_owned(),
            None => format!("row {i}"),
        }
    }
}

/// Columnar results: one entry per row. Failed rows hold `NaN` and grade `F`,
/// and are listed in `errors` (row index and error).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ColumnScores {
    pub total: Vec<f64>,
    pub fit: Vec<f64>,
    pub engagement: Vec<f64>,
    pub grade: Vec<Grade>,
    pub temperature: Vec<Temperature>,
    pub errors: Vec<(usize, Error)>,
    /// What the lenient schema check let through ([`Columns::conform`]).
    pub warnings: Vec<String>,
}

/// How one feature is read from the columns.
#[derive(Debug, Clone, Copy)]
enum Read {
    Col(usize),
    EmailDomain(usize),
    WebsiteDomain(usize),
    FreeMail(usize),
    EmployeeBand(usize),
    Seniority(usize),
    Department(usize),
    Company(usize),
    Missing,
}

const ROWS_PER_TASK: usize = 1024;

/// Output slices for a range of rows.
struct OutRows<'o> {
    start: usize,
    total: &'o mut [f64],
    fit: &'o mut [f64],
    engagement: &'o mut [f64],
    grade: &'o mut [Grade],
    temperature: &'o mut [Temperature],
}

/// Splits (resized) outputs into per-task row ranges.
fn split(out: &mut ColumnScores, n: usize, rows: usize) -> Vec<OutRows<'_>> {
    // Every row is written by the tasks, so reused buffers of the right length are
    // not reset here: a serial pass over them would cap the parallel speed-up.
    out.total.resize(n, 0.0);
    out.fit.resize(n, 0.0);
    out.engagement.resize(n, 0.0);
    out.grade.resize(n, Grade::F);
    out.temperature.resize(n, Temperature::Cold);
    out.errors.clear();
    out.total
        .chunks_mut(rows)
        .zip(out.fit.chunks_mut(rows))
        .zip(out.engagement.chunks_mut(rows))
        .zip(out.grade.chunks_mut(rows))
        .zip(out.temperature.chunks_mut(rows))
        .enumerate()
        .map(
            |(i, ((((total, fit), engagement), grade), temperature))| OutRows {
                start: i * rows,
                total,
                fit,
                engagement,
                grade,
                temperature,
            },
        )
        .collect()
}

impl CompiledPack {
    /// Columns on all cores, into reused buffers.
    pub(crate) fn score_columns_par(
        &self,
        cols: &Columns<'_>,
        now: Timestamp,
        out: &mut ColumnScores,
    ) {
        let plan = self.column_plan(cols);
        let parts = split(out, cols.len(), ROWS_PER_TASK);
        let end = deadline::batch_end(self.0.limits.batch_time());
        let errors: Vec<Vec<(usize, Error)>> = parts
            .into_par_iter()
            .map(|mut part| {
                let _batch = deadline::enter_batch(end);
                self.score_rows(cols, &plan, &mut part, now)
            })
            .collect();
        out.errors = errors.into_iter().flatten().collect();
        out.warnings.clone_from(&cols.warnings);
    }

    /// Columns on the current thread only, into reused buffers.
    pub(crate) fn score_columns_here(
        &self,
        cols: &Columns<'_>,
        now: Timestamp,
        out: &mut ColumnScores,
    ) {
        let plan = self.column_plan(cols);
        let n = cols.len().max(1);
        let mut errors = Vec::new();
        for mut part in split(out, cols.len(), n) {
            errors.extend(self.score_rows(cols, &plan, &mut part, now));
        }
        out.errors = errors;
        out.warnings.clone_from(&cols.warnings);
    }

    fn column_plan(&self, cols: &Columns<'_>) -> Vec<Read> {
        self.0
            .features
            .used
            .iter()
            .map(|f| {
                if let Some(i) = cols.find(&f.name) {
                    return Read::Col(i);
                }
                let by = |name: &str| cols.find(name);
                let found = match &f.source {
                    Source::Field(LeadField::Revenue) => by("annual_revenue")
                        .or_else(|| by("revenue"))
                        .map(Read::Col),
                    Source::Path(p) => by(&p.join("."))
                        .or_else(|| p.last().and_then(|l| by(l)))
                        .map(Read::Col),
                    Source::Derived(Derived::EmailDomain) => by("email").map(Read::EmailDomain),
                    Source::Derived(Derived::WebsiteDomain) => {
                        by("website").map(Read::WebsiteDomain)
                    }
                    Source::Derived(Derived::FreeMail) => by("email").map(Read::FreeMail),
                    Source::Derived(Derived::EmployeeBand) => {
                        by("employees").map(Read::EmployeeBand)
                    }
                    Source::Derived(Derived::Seniority) => by("title").map(Read::Seniority),
                    Source::Derived(Derived::Department) => by("title").map(Read::Department),
                    Source::Derived(Derived::CompanyNormalized) => by("company").map(Read::Company),
                    _ => None,
                };
                found.unwrap_or(Read::Missing)
            })
            .collect()
    }

    fn score_rows(
        &self,
        cols: &Columns<'_>,
        plan: &[Read],
        out: &mut OutRows<'_>,
        now: Timestamp,
    ) -> Vec<(usize, Error)> {
        let inner = &self.0;
        let ft = &inner.features;
        let program = &inner.program;
        let mut block = Block::new(program, ft.n_num, ft.n_str);
        // Native-only packs run a block at a time; packs with scripts run row by row.
        let vectorized = vector::supports(program);
        let mut scratch = None;
        let mut errors = Vec::new();
        let len = out.total.len();
        // The rows of a block that run row by row: all of them for packs with scripts,
        // only the rows whose points are not finite for vectorized packs (for the
        // error naming the rule).
        let mut rows = Vec::new();
        let checks = checks(cols, plan, ft);
        let mut bad = Vec::new();
        for first in (0..len).step_by(BLOCK) {
            block.n = BLOCK.min(len - first);
            load_block(cols, plan, ft, out.start + first, &mut block);
            check_block(cols, &checks, out.start + first, block.n, &mut bad);
            rows.clear();
            if vectorized {
                program.run_block(&mut block, |i, s| match s {
                    Some(s) => out.put(self, first + i, s),
                    None => rows.push(i),
                });
            } else {
                rows.extend(0..block.n);
            }
            // A row with an unreadable value is that value's error, whatever it scored.
            if !bad.is_empty() {
                rows.retain(|i| !bad.iter().any(|(b, _)| b == i));
            }
            for (i, e) in bad.drain(..) {
                out.fail(first + i);
                errors.push((out.start + first + i, e));
            }
            if rows.is_empty() {
                continue;
            }
            let x = scratch.get_or_insert_with(|| self.scratch(now));
            for &i in &rows {
                for f in &ft.used {
                    if f.ty == FeatureType::Str {
                        x.strs[f.slot] = std::mem::take(&mut block.strs[f.slot][i]);
                    } else {
                        x.num[f.slot] = block.num[f.slot][i];
                    }
                }
                let k = first + i;
                match program.run(ft, Some(&inner.engine), x, None, "", None) {
                    Ok(s) => out.put(self, k, s),
                    Err(e) => {
                        out.fail(k);
                        errors.push((out.start + k, e.with_record(cols.id(out.start + k))));
                    }
                }
            }
        }
        // Unreadable values are found per block, before the rows that fail to score.
        errors.sort_by_key(|(row, _)| *row);
        errors
    }
}

impl OutRows<'_> {
    fn fail(&mut self, k: usize) {
        self.total[k] = f64::NAN;
        self.fit[k] = f64::NAN;
        self.engagement[k] = f64::NAN;
        self.grade[k] = Grade::F;
        self.temperature[k] = Temperature::Cold;
    }

    fn put(&mut self, pack: &CompiledPack, k: usize, s: Sums) {
        self.total[k] = s.total;
        self.fit[k] = s.fit;
        self.engagement[k] = s.engagement;
        self.grade[k] = pack.grade(s.fit);
        self.temperature[k] = pack.temperature(s.total);
    }
}

/// Reads rows `start..start + b.n` of the planned features into `b`.
fn load_block<'a>(
    cols: &Columns<'a>,
    plan: &[Read],
    ft: &FeatureTable,
    start: usize,
    b: &mut Block<'a>,
) {
    let rows = start..start + b.n;
    for (f, read) in ft.used.iter().zip(plan) {
        let is_str = f.ty == FeatureType::Str;
        let strs = |b: &mut Block<'a>, get: &dyn Fn(usize) -> Cow<'a, str>| {
            for (o, row) in b.strs[f.slot].iter_mut().zip(rows.clone()) {
                *o = get(row);
            }
        };
        let col = |c: usize| &cols.cols[c].1;
        match *read {
            Read::Col(c) if is_str => strs(b, &|row| col(c).cow(row)),
            Read::Col(c) => col(c).nums_into(start, &mut b.num[f.slot][..b.n]),
            Read::EmailDomain(c) => {
                strs(b, &|row| Cow::Owned(helpers::email_domain(col(c).str(row))));
            }
            Read::WebsiteDomain(c) => strs(b, &|row| {
                Cow::Owned(helpers::website_domain(col(c).str(row)))
            }),
            Read::Company(c) => strs(b, &|row| {
                Cow::Owned(helpers::company_normalized(col(c).str(row)))
            }),
            Read::Seniority(c) => {
                strs(b, &|row| Cow::Borrowed(helpers::seniority(col(c).str(row))));
            }
            Read::Department(c) => {
                strs(b, &|row| {
                    Cow::Borrowed(helpers::department(col(c).str(row)))
                });
            }
            Read::EmployeeBand(c) => strs(b, &|row| {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // head counts
                let e = col(c).num(row).max(0.0) as u64;
                Cow::Borrowed(helpers::employee_band(Some(e)))
            }),
            Read::FreeMail(c) => {
                for (o, row) in b.num[f.slot].iter_mut().zip(rows.clone()) {
                    *o = f64::from(u8::from(helpers::is_free_mail(col(c).str(row))));
                }
            }
            Read::Missing if is_str => strs(b, &|_| Cow::Borrowed("")),
            Read::Missing => b.num[f.slot][..b.n].fill(0.0),
        }
    }
}

/// A column whose values must be checked against the feature reading them
/// (see `spelling`): text read as a number or a boolean, booleans read as
/// numbers, numbers read as booleans, and head counts.
#[derive(Debug, Clone, Copy)]
struct Check {
    col: usize,
    ty: FeatureType,
    /// `employees`: a whole number of at least 0, as the lead parser reads it.
    head_count: bool,
}

/// The checks a plan needs (none for the common typed columns).
fn checks(cols: &Columns<'_>, plan: &[Read], ft: &FeatureTable) -> Vec<Check> {
    let mut out: Vec<Check> = Vec::new();
    for (f, read) in ft.used.iter().zip(plan) {
        let (col, ty, head_count) = match *read {
            Read::EmployeeBand(c) => (c, FeatureType::Int, true),
            Read::Col(c) if f.ty.is_num() => (
                c,
                f.ty,
                matches!(f.source, Source::Field(LeadField::Employees)),
            ),
            _ => continue,
        };
        let needed = match &cols.cols[col].1 {
            Column::Utf8 { .. } => true,
            Column::Bool { .. } => ty != FeatureType::Bool,
            Column::F64 { .. } | Column::I64 { .. } => ty == FeatureType::Bool || head_count,
        };
        if needed
            && !out
                .iter()
                .any(|c| c.col == col && c.head_count == head_count)
        {
            out.push(Check {
                col,
                ty,
                head_count,
            });
        }
    }
    out
}

/// Rows `start..start + n` whose checked values cannot be read: `(row in block, error)`.
fn check_block(
    cols: &Columns<'_>,
    checks: &[Check],
    start: usize,
    n: usize,
    bad: &mut Vec<(usize, Error)>,
) {
    for check in checks {
        let (name, col) = &cols.cols[check.col];
        for i in 0..n {
            let row = start + i;
            if !col.valid(row) || bad.iter().any(|(b, _)| *b == i) {
                continue;
            }
            let cell = match col {
                Column::Utf8 { .. } => spelling::text_cell(col.str(row)),
                Column::F64 { values, .. } => Cell::Float(values[row]),
                Column::I64 { values, .. } => Cell::Int(values[row]),
                Column::Bool { .. } => Cell::Bool(col.num(row) != 0.0),
            };
            let text = matches!(col, Column::Utf8 { .. });
            if !readable(cell, check, text) {
                let value = spelling::cell_value(cell);
                bad.push((
                    i,
                    spelling::unreadable(&cols.id(row), name, check.ty, value),
                ));
            }
        }
    }
    bad.sort_by_key(|(i, _)| *i);
}

fn readable(cell: Cell<'_>, check: &Check, text: bool) -> bool {
    if check.head_count {
        return match cell {
            Cell::Int(n) => n >= 0,
            Cell::UInt(_) | Cell::Null => true,
            // A typed float column holds whole head counts (pandas: ints with gaps).
            Cell::Float(v) => !text && v >= 0.0 && v.fract() == 0.0,
            Cell::Bool(_) | Cell::Str(_) => false,
        };
    }
    match (check.ty, cell) {
        // Typed number columns are how arrays carry booleans: 0 and 1 only.
        #[allow(clippy::float_cmp)] // exactly 0 or 1
        (FeatureType::Bool, Cell::Float(v)) if !text => v == 0.0 || v == 1.0,
        (FeatureType::Bool, Cell::Int(n)) if !text => n == 0 || n == 1,
        _ => spelling::feature_num(check.ty, cell).is_ok(),
    }
}
