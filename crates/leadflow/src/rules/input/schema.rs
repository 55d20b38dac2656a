//! The schema check of flat input: the input's column (or key) names against
//! the features the pack reads. Every flat path (columns, dict and object rows,
//! CSV and flat JSONL in the CLI) resolves its names here, so `Title`, `TITLE`
//! and ` title ` mean the same on all of them, and a column the pack needs but
//! the input lacks is an error (or, when lenient, a warning), never a silent 0.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::fields;
use crate::rules::define::features::{Derived, LeadField, Source};
use crate::rules::pack::CompiledPack;

/// How flat input names are matched to features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputOptions {
    /// Explicit mapping, input column -> feature or lead field (`"Job Title" -> "title"`);
    /// it wins over case- and space-insensitive matching.
    pub columns: Vec<(String, String)>,
    /// A feature column the input lacks is an error (default) or, when false, a warning.
    pub strict: bool,
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            columns: Vec::new(),
            strict: true,
        }
    }
}

/// The resolved names of one input: the name each input column is read as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Schema {
    names: Vec<String>,
    /// Problems downgraded by `strict: false` (missing feature columns).
    pub warnings: Vec<String>,
}

impl Schema {
    /// The name input column `i` is read as (its own name when it matches nothing).
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i).map_or("", String::as_str)
    }

    /// Every resolved name, in input order.
    pub fn names(&self) -> impl ExactSizeIterator<Item = &str> {
        self.names.iter().map(String::as_str)
    }
}

/// The names the keys of JSON records, dicts and objects read as, resolved as
/// [`CompiledPack::record_schema`] resolves them, one key at a time (cached
/// per distinct key).
#[derive(Debug, Clone)]
pub struct KeyNames {
    /// Explicit renames (input key -> name) and every name by its folded spelling.
    mapping: HashMap<String, String>,
    known: HashMap<String, String>,
    alias: HashMap<String, Option<String>>,
}

impl KeyNames {
    pub fn new(pack: &CompiledPack, opts: &InputOptions) -> Self {
        KeyNames {
            mapping: opts.columns.iter().cloned().collect(),
            known: pack.known_names(),
            alias: HashMap::new(),
        }
    }

    /// True when some keys are renamed explicitly.
    pub fn maps(&self) -> bool {
        !self.mapping.is_empty()
    }

    /// The name key `name` reads as, when not itself.
    pub fn alias_of(&mut self, name: &str) -> Option<&str> {
        if !self.alias.contains_key(name) {
            let to = self.resolve(name).map(str::to_owned);
            self.alias.insert(name.to_owned(), to);
        }
        self.alias.get(name).and_then(|a| a.as_deref())
    }

    /// [`alias_of`](Self::alias_of) without the cache (for readers sharing one
    /// `KeyNames` across threads); no allocation for an ASCII name already folded.
    pub fn resolve(&self, name: &str) -> Option<&str> {
        if let Some(to) = self.mapping.get(name) {
            return Some(to);
        }
        let to = if is_folded(name) {
            self.known.get(name)?
        } else {
            self.known.get(&fold(name))?
        };
        // A mapped name is taken by its mapping.
        (to != name && !self.mapping.values().any(|m| m == to)).then_some(to.as_str())
    }

    /// A record's keys renamed to the names they read as; two keys reading as
    /// one name are the record's error, naming both.
    pub fn rename(&mut self, map: Map<String, Value>) -> Result<Map<String, Value>> {
        if self.mapping.is_empty() && map.keys().all(|k| self.alias_of(k).is_none()) {
            return Ok(map);
        }
        rename_keys(map, |k| self.alias_of(k).map(str::to_owned))
    }

    /// [`rename`](Self::rename) without the cache.
    pub fn rename_shared(&self, map: Map<String, Value>) -> Result<Map<String, Value>> {
        rename_keys(map, |k| self.resolve(k).map(str::to_owned))
    }
}

/// `map` with each key renamed to `alias(key)` (itself when `None`); two keys
/// reading as one name are the record's error, naming both.
fn rename_keys(
    map: Map<String, Value>,
    mut alias: impl FnMut(&str) -> Option<String>,
) -> Result<Map<String, Value>> {
    let id = map.get("id").and_then(Value::as_str).map(str::to_owned);
    let mut out = Map::new();
    let mut from: HashMap<String, String> = HashMap::new();
    for (k, v) in map {
        let to = alias(&k).unwrap_or_else(|| k.clone());
        if let Some(other) = from.get(&to) {
            let e = Error::validation(format!(
                "keys `{other}` and `{k}` both read as `{to}`: rename one or map it explicitly"
            ))
            .with_field(k.clone());
            return Err(match id {
                Some(id) => e.with_record(id),
                None => e,
            });
        }
        from.insert(to.clone(), k);
        out.insert(to, v);
    }
    Ok(out)
}

/// Whether `fold(name) == name`, decided without building the fold for an
/// ASCII name (the common case: keys already spelled as the pack spells them).
fn is_folded(name: &str) -> bool {
    if !name.is_ascii() {
        return fold(name) == name;
    }
    let b = name.as_bytes();
    b.first() != Some(&b'_')
        && b.last() != Some(&b'_')
        && !b.windows(2).any(|w| w == b"__")
        && !b
            .iter()
            .any(|&c| c.is_ascii_uppercase() || char::from(c).is_whitespace() || c == b'-')
}

/// The name `name` matches case- and space-insensitively: trimmed, lower case,
/// runs of spaces, `-` and `_` read as one `_` (`" Annual-Revenue "` is `annual_revenue`).
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.trim().chars() {
        if c.is_whitespace() || c == '-' || c == '_' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push('_');
        }
        gap = false;
        out.extend(c.to_lowercase());
    }
    out
}

pub(crate) fn field_name(f: LeadField) -> &'static str {
    match f {
        LeadField::Title => "title",
        LeadField::Employees => "employees",
        LeadField::Revenue => "annual_revenue",
        LeadField::Industry => "industry",
        LeadField::Country => "country",
        LeadField::Email => "email",
        LeadField::Source => "source",
        LeadField::Company => "company",
        LeadField::Website => "website",
        LeadField::FirstName => "first_name",
        LeadField::LastName => "last_name",
        LeadField::Phone => "phone",
        LeadField::Campaign => "campaign",
        LeadField::Owner => "owner",
        LeadField::Stage => "stage",
        LeadField::Status => "status",
    }
}

/// The column names any one of which supplies feature `name` from `source`,
/// or none when flat input cannot hold it (an activity aggregate the record
/// never overrides).
fn supplied_by(name: &str, source: &Source, record_first: bool) -> Vec<String> {
    let mut names = vec![name.to_owned()];
    match source {
        Source::Field(LeadField::Revenue) => names.push("annual_revenue".to_owned()),
        Source::Field(f) => names.push(field_name(*f).to_owned()),
        Source::Path(p) => {
            names.push(p.join("."));
            names.extend(p.last().cloned());
        }
        Source::Derived(d) => names.push(
            match d {
                Derived::EmailDomain | Derived::FreeMail => "email",
                Derived::WebsiteDomain => "website",
                Derived::CompanyNormalized => "company",
                Derived::EmployeeBand => "employees",
                Derived::Seniority | Derived::Department => "title",
            }
            .to_owned(),
        ),
        Source::Activity(_) if record_first => {}
        Source::Activity(_) => return Vec::new(),
    }
    names
}

impl CompiledPack {
    /// Resolves the names of a flat input (`columns`: a CSV header, a
    /// `DataFrame`'s columns, a record's keys) against the features this pack
    /// reads. Errors (all `ValidationError`): two columns that read as the same
    /// name, a mapping naming a column the input lacks or a name the pack does
    /// not know, and (when `strict`) a feature no column supplies.
    pub fn input_schema(&self, columns: &[&str], opts: &InputOptions) -> Result<Schema> {
        self.resolve_names(columns, opts, true)
    }

    /// Every name flat input can mean, by its folded spelling.
    pub(crate) fn known_names(&self) -> HashMap<String, String> {
        let mut known: HashMap<String, String> = HashMap::new();
        let mut add = |n: &str| {
            known.entry(fold(n)).or_insert_with(|| n.to_owned());
        };
        for f in fields::plain_fields() {
            add(f);
        }
        for f in &self.0.features.used {
            for n in supplied_by(&f.name, &f.source, f.record_first) {
                add(&n);
            }
            add(&f.name);
        }
        known
    }

    /// [`input_schema`](Self::input_schema) for the keys of JSON records, dicts
    /// and objects: names resolve alike, but there is no missing-feature check,
    /// since each record may omit a field (that record's value is missing); a
    /// tabular input (CSV, `DataFrame`, columns) lacking a column lacks it for
    /// every row, which is what the check is for.
    pub fn record_schema(&self, keys: &[&str], opts: &InputOptions) -> Result<Schema> {
        self.resolve_names(keys, opts, false)
    }

    pub(crate) fn resolve_names(
        &self,
        columns: &[&str],
        opts: &InputOptions,
        check_missing: bool,
    ) -> Result<Schema> {
        let used = &self.0.features.used;
        let known = self.known_names();
        let mut names: Vec<Option<String>> = vec![None; columns.len()];
        // Input column taking each name, and whether a mapping put it there.
        let mut taken: HashMap<String, (usize, bool)> = HashMap::new();
        for (from, to) in &opts.columns {
            let Some(i) = columns.iter().position(|c| c == from) else {
                return Err(Error::validation(format!(
                    "column mapping names `{from}`, which the input does not have (columns: {})",
                    list(columns)
                ))
                .with_field(from.clone()));
            };
            let Some(target) = known.get(&fold(to)) else {
                return Err(Error::validation(format!(
                    "column mapping `{from}` -> `{to}`: the pack reads no feature or field `{to}`"
                ))
                .with_field(from.clone()));
            };
            if let Some((j, _)) = taken.get(target) {
                return Err(Error::validation(format!(
                    "columns `{}` and `{from}` are both mapped to `{target}`",
                    columns[*j]
                ))
                .with_field(from.clone()));
            }
            taken.insert(target.clone(), (i, true));
            names[i] = Some(target.clone());
        }
        for (i, c) in columns.iter().enumerate() {
            if names[i].is_some() {
                continue;
            }
            let name = match known.get(&fold(c)).cloned() {
                Some(t) => match taken.get(&t) {
                    // A mapping wins: this column keeps its own name (an unknown
                    // field), unless that name is the mapped one (as in a record,
                    // whose keys `title` and a key mapped to `title` are an error).
                    Some((_, true)) if *c != t => (*c).to_owned(),
                    Some((j, _)) => {
                        return Err(Error::validation(format!(
                            "columns `{}` and `{c}` both read as `{t}`: rename one or map it explicitly",
                            columns[*j]
                        ))
                        .with_field((*c).to_owned()));
                    }
                    None => {
                        taken.insert(t.clone(), (i, false));
                        t
                    }
                },
                None => (*c).to_owned(),
            };
            names[i] = Some(name);
        }
        let names: Vec<String> = names.into_iter().map(Option::unwrap_or_default).collect();
        let mut schema = Schema {
            names,
            warnings: Vec::new(),
        };
        if check_missing {
            let missing: Vec<&str> = used
                .iter()
                .filter(|f| {
                    let by = supplied_by(&f.name, &f.source, f.record_first);
                    !by.is_empty() && !by.iter().any(|n| schema.names.contains(n))
                })
                .map(|f| f.name.as_str())
                .collect();
            if !missing.is_empty() {
                let msg = format!(
                    "the input has no column for feature(s) {} (columns: {})",
                    list(&missing),
                    list(columns)
                );
                if opts.strict {
                    return Err(Error::validation(format!(
                        "{msg}; map a column to each, or score leniently"
                    ))
                    .with_field(missing[0])
                    .with_details(serde_json::json!({"missing": missing, "columns": columns})));
                }
                schema.warnings.push(msg);
            }
        }
        Ok(schema)
    }
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
#[path = "schema_tests.rs"]
mod tests;
