//! leadflow engines of the Rust runner: the library's own entry points, with the
//! reference pack (`examples/packs/reference`, declarative, native tier) or its
//! rhai twin (`examples/packs/reference-rhai`, every rule in the script tier:
//! compiled closures, or the interpreter with `lower = false`).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use leadflow::Lead;
use leadflow::model::parse_records;
use leadflow::rules::{Column, Columns, CompiledPack, Offsets, ScoreOptions};
use leadflow::synth::FeatureRow;
use leadflow::time::Timestamp;

/// Flat feature rows as owned column buffers (the layout a `DataFrame` or Arrow
/// table already has), built once outside the timed region.
#[derive(Debug, Default)]
pub struct OwnedColumns {
    len: usize,
    strings: Vec<(&'static str, Vec<i64>, String)>,
    ints: Vec<(&'static str, Vec<i64>)>,
    floats: Vec<(&'static str, Vec<f64>)>,
    bools: Vec<(&'static str, Vec<u8>)>,
}

impl OwnedColumns {
    pub fn from_rows(rows: &[FeatureRow]) -> Self {
        let string = |name, get: fn(&FeatureRow) -> &str| {
            let mut offsets = vec![0i64];
            let mut data = String::new();
            for r in rows {
                data.push_str(get(r));
                offsets.push(i64::try_from(data.len()).unwrap_or(i64::MAX));
            }
            (name, offsets, data)
        };
        let int = |name, get: fn(&FeatureRow) -> i64| (name, rows.iter().map(get).collect());
        let flag = |name, get: fn(&FeatureRow) -> bool| {
            (name, rows.iter().map(|r| u8::from(get(r))).collect())
        };
        OwnedColumns {
            len: rows.len(),
            strings: vec![
                string("title", |r| &r.title),
                string("industry", |r| &r.industry),
                string("country", |r| &r.country),
                string("email", |r| &r.email),
                string("source", |r| &r.source),
            ],
            ints: vec![
                int("employees", |r| {
                    i64::try_from(r.employees).unwrap_or(i64::MAX)
                }),
                int("days_since_activity", |r| i64::from(r.days_since_activity)),
                int("page_views", |r| i64::from(r.page_views)),
                int("email_opens", |r| i64::from(r.email_opens)),
                int("email_clicks", |r| i64::from(r.email_clicks)),
                int("form_fills", |r| i64::from(r.form_fills)),
                int("pricing_visits", |r| i64::from(r.pricing_visits)),
            ],
            floats: vec![("revenue", rows.iter().map(|r| r.revenue).collect())],
            bools: vec![
                flag("demo_requested", |r| r.demo_requested),
                flag("webinar_attended", |r| r.webinar_attended),
                flag("unsubscribed", |r| r.unsubscribed),
            ],
        }
    }

    /// A borrowed view for `CompiledPack::score_columns*`.
    pub fn view(&self) -> Result<Columns<'_>, String> {
        let mut cols = Columns::new(self.len);
        let err = |e: leadflow::Error| e.to_string();
        for (name, offsets, data) in &self.strings {
            let col = Column::utf8(Offsets::I64(offsets), data.as_bytes(), None).map_err(err)?;
            cols = cols.with(name, col).map_err(err)?;
        }
        for (name, values) in &self.ints {
            cols = cols.with(name, Column::i64(values, None)).map_err(err)?;
        }
        for (name, values) in &self.floats {
            cols = cols.with(name, Column::f64(values, None)).map_err(err)?;
        }
        for (name, values) in &self.bools {
            cols = cols
                .with(name, Column::bool_bytes(values, None))
                .map_err(err)?;
        }
        Ok(cols)
    }
}

fn pack(name: &str) -> Result<CompiledPack, String> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/packs")
        .join(name);
    CompiledPack::load(&dir).map_err(|e| format!("{}: {e}", dir.display()))
}

/// A pack folder with `lower = false` added to its `pack.toml`: every script
/// statement in the rhai interpreter.
fn interpreted(name: &str) -> Result<CompiledPack, String> {
    let dir: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/packs")
        .join(name);
    let read = |f: &str| {
        std::fs::read_to_string(dir.join(f)).map_err(|e| format!("{}/{f}: {e}", dir.display()))
    };
    let manifest = format!("lower = false\n{}", read("pack.toml")?);
    let scripts: Vec<(String, String)> = CompiledPack::load(&dir)
        .map_err(|e| e.to_string())?
        .manifest()
        .scripts
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|f| {
            let text = read(&f)?;
            Ok((f, text))
        })
        .collect::<Result<_, String>>()?;
    let scripts: Vec<(&str, &str)> = scripts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    CompiledPack::from_parts(
        &manifest,
        leadflow::rules::PackFormat::Toml,
        "pack.toml",
        &scripts,
    )
    .map_err(|e| format!("{name} (lower = false): {e}"))
}

/// Parses the first `n` leads of a leads-jsonl file (untimed load step).
pub fn load_leads(path: &Path, n: usize) -> Result<Vec<Lead>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let end = text
        .match_indices('\n')
        .nth(n.saturating_sub(1))
        .map_or(text.len(), |(i, _)| i);
    parse_records::<Lead>(&text[..end])
        .into_iter()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

fn sum_columns(pack: &CompiledPack, cols: &Columns<'_>, now: Timestamp, parallel: bool) -> f64 {
    let scores = if parallel {
        pack.score_columns(black_box(cols), now, ScoreOptions::default())
    } else {
        pack.score_columns(
            black_box(cols),
            now,
            ScoreOptions::default().with_sequential(true),
        )
    };
    // A failed row would be NaN and poison the checksum, which the driver catches.
    scores.total.iter().sum()
}

/// Builds a leadflow engine over columns: `(pack, parallel)` by engine id.
pub fn columns_engine<'a>(
    id: &str,
    cols: Columns<'a>,
    now: Timestamp,
) -> Result<Option<Box<dyn FnMut() -> f64 + 'a>>, String> {
    let (name, parallel) = match id {
        "leadflow-rust" => ("reference", false),
        "leadflow-rust-parallel" => ("reference", true),
        "leadflow-rust-rhai" => ("reference-rhai", false),
        "leadflow-rust-rhai-interpreted" => ("reference-rhai+interpreted", false),
        _ => return Ok(None),
    };
    let p = match name.strip_suffix("+interpreted") {
        Some(name) => interpreted(name)?,
        None => pack(name)?,
    };
    Ok(Some(Box::new(move || {
        sum_columns(&p, &cols, now, parallel)
    })))
}

/// Builds a leadflow engine over full leads (features derived from activities).
pub fn leads_engine<'a>(
    id: &str,
    leads: &'a [Lead],
    now: Timestamp,
) -> Result<Option<Box<dyn FnMut() -> f64 + 'a>>, String> {
    let parallel = match id {
        "leadflow-rust-leads" => false,
        "leadflow-rust-parallel-leads" => true,
        _ => return Ok(None),
    };
    let p = pack("reference")?;
    Ok(Some(Box::new(move || {
        let results = if parallel {
            p.score_batch(black_box(leads), now, ScoreOptions::default())
        } else {
            p.score_batch(
                black_box(leads),
                now,
                ScoreOptions::default().with_sequential(true),
            )
        };
        results
            .iter()
            .map(|r| r.as_ref().map_or(f64::NAN, |s| s.total))
            .sum()
    })))
}
