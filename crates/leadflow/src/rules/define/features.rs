//! Features: the typed lead fields a pack reads, each compiled to a slot of a
//! pre-extracted feature row so that rules never look fields up by name per lead.
//!
//! Built-in features cover the lead's typed fields, derived fields and the
//! activity aggregates of the reference workload; packs add their own
//! (`[features.<name>]`). Only features a pack actually reads get a slot.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::rules::define::manifest::{FeatureSpec, FeaturesFrom};
use crate::rules::input::activity::{ActivityFilter, Aggregate};

/// The value type of a feature, as scripts see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeatureType {
    Int,
    Float,
    Bool,
    #[serde(rename = "string")]
    Str,
}

impl FeatureType {
    pub(crate) fn is_num(self) -> bool {
        !matches!(self, FeatureType::Str)
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "int" | "integer" => FeatureType::Int,
            "float" | "number" => FeatureType::Float,
            "bool" | "boolean" => FeatureType::Bool,
            "string" | "str" => FeatureType::Str,
            _ => return None,
        })
    }
}

/// The scoring axis: `fit` (who the lead is) or `engagement` (what they did).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Fit,
    Engagement,
}

impl Axis {
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "fit" => Some(Axis::Fit),
            "engagement" => Some(Axis::Engagement),
            _ => None,
        }
    }
    pub(crate) fn index(self) -> usize {
        match self {
            Axis::Fit => 0,
            Axis::Engagement => 1,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Fit => "fit",
            Axis::Engagement => "engagement",
        }
    }
}

/// A typed field of [`crate::Lead`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeadField {
    Title,
    Employees,
    Revenue,
    Industry,
    Country,
    Email,
    Source,
    Company,
    Website,
    FirstName,
    LastName,
    Phone,
    Campaign,
    Owner,
    Stage,
    Status,
}

/// A field derived from other fields of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Derived {
    EmailDomain,
    WebsiteDomain,
    FreeMail,
    CompanyNormalized,
    EmployeeBand,
    Seniority,
    Department,
}

/// Where a feature's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Source {
    Field(LeadField),
    /// `custom.x`, `extra.x` or a top-level unknown field `x`.
    Path(Vec<String>),
    Derived(Derived),
    Activity(Aggregate),
}

/// A feature with its compiled slot.
#[derive(Debug, Clone)]
pub(crate) struct Feature {
    pub name: String,
    pub ty: FeatureType,
    pub axis: Axis,
    pub source: Source,
    /// A value on the record (or a column of the same name) wins over derivation.
    pub record_first: bool,
    /// Index into the numeric or the string slots of a row, by `ty`.
    pub slot: usize,
}

/// The features a pack uses, with their slots. Built while compiling, then frozen.
#[derive(Debug, Clone, Default)]
pub(crate) struct FeatureTable {
    pub used: Vec<Feature>,
    by_name: HashMap<String, usize>,
    defined: HashMap<String, (FeatureType, Axis, Source, Option<FeaturesFrom>)>,
    default_from: FeaturesFrom,
    pub n_num: usize,
    pub n_str: usize,
}

/// The built-in features, by name.
fn builtin(name: &str) -> Option<(FeatureType, Axis, Source)> {
    use FeatureType::{Bool, Float, Int, Str};
    use LeadField as F;
    let field = |ty, f| Some((ty, Axis::Fit, Source::Field(f)));
    let derived = |ty, d| Some((ty, Axis::Fit, Source::Derived(d)));
    let act = |ty, a| Some((ty, Axis::Engagement, Source::Activity(a)));
    let count = |kind: &str| Aggregate::Count(ActivityFilter::kind(kind));
    let any = |kind: &str| Aggregate::Any(ActivityFilter::kind(kind));
    match name {
        "title" => field(Str, F::Title),
        "employees" => field(Int, F::Employees),
        "revenue" | "annual_revenue" => field(Float, F::Revenue),
        "industry" => field(Str, F::Industry),
        "country" => field(Str, F::Country),
        "email" => field(Str, F::Email),
        "source" => field(Str, F::Source),
        "company" => field(Str, F::Company),
        "website" => field(Str, F::Website),
        "first_name" => field(Str, F::FirstName),
        "last_name" => field(Str, F::LastName),
        "phone" => field(Str, F::Phone),
        "campaign" => field(Str, F::Campaign),
        "owner" => field(Str, F::Owner),
        "stage" => field(Str, F::Stage),
        "status" => field(Str, F::Status),
        "email_domain" => derived(Str, Derived::EmailDomain),
        "website_domain" => derived(Str, Derived::WebsiteDomain),
        "free_mail" => derived(Bool, Derived::FreeMail),
        "company_normalized" => derived(Str, Derived::CompanyNormalized),
        "employee_band" => derived(Str, Derived::EmployeeBand),
        "seniority" => derived(Str, Derived::Seniority),
        "department" => derived(Str, Derived::Department),
        "page_views" => act(Int, count("page_view")),
        "pricing_visits" => act(
            Int,
            Aggregate::Count(ActivityFilter {
                url_prefix: Some("/pricing".into()),
                ..ActivityFilter::kind("page_view")
            }),
        ),
        "email_opens" => act(Int, count("email_open")),
        "email_clicks" => act(Int, count("email_click")),
        "form_fills" => act(Int, count("form_submit")),
        "demo_requested" => act(
            Bool,
            Aggregate::Any(ActivityFilter {
                meta: vec![("form".into(), "demo".into())],
                ..ActivityFilter::kind("form_submit")
            }),
        ),
        "webinar_attended" => act(Bool, any("webinar")),
        "unsubscribed" => act(Bool, any("unsubscribe")),
        "activity_count" => act(Int, Aggregate::Count(ActivityFilter::default())),
        "days_since_activity" => act(Int, Aggregate::DaysSinceLast),
        _ => None,
    }
}

/// Names of every built-in feature (for docs and `leadflow check`).
pub const BUILTIN_FEATURES: &[&str] = &[
    "title",
    "employees",
    "revenue",
    "annual_revenue",
    "industry",
    "country",
    "email",
    "source",
    "company",
    "website",
    "first_name",
    "last_name",
    "phone",
    "campaign",
    "owner",
    "stage",
    "status",
    "email_domain",
    "website_domain",
    "free_mail",
    "company_normalized",
    "employee_band",
    "seniority",
    "department",
    "page_views",
    "pricing_visits",
    "email_opens",
    "email_clicks",
    "form_fills",
    "demo_requested",
    "webinar_attended",
    "unsubscribed",
    "activity_count",
    "days_since_activity",
];

impl FeatureTable {
    /// A table with the pack's own feature definitions (checked here).
    pub fn new(
        specs: &std::collections::BTreeMap<String, FeatureSpec>,
        default_from: FeaturesFrom,
    ) -> Result<Self> {
        let mut defined = HashMap::new();
        for (name, spec) in specs {
            let def = define(spec).map_err(|e| e.with_field(format!("features.{name}")))?;
            defined.insert(name.clone(), (def.0, def.1, def.2, spec.from));
        }
        Ok(FeatureTable {
            defined,
            default_from,
            ..FeatureTable::default()
        })
    }

    /// True when `name` is a built-in or pack-defined feature.
    pub fn knows(&self, name: &str) -> bool {
        self.defined.contains_key(name) || builtin(name).is_some()
    }

    /// The feature's index in `used`, giving it a slot on first use.
    pub fn resolve(&mut self, name: &str) -> Option<usize> {
        if let Some(&i) = self.by_name.get(name) {
            return Some(i);
        }
        let (ty, axis, source, from) = if let Some((ty, axis, src, from)) = self.defined.get(name) {
            (*ty, *axis, src.clone(), *from)
        } else {
            let (ty, axis, src) = builtin(name)?;
            (ty, axis, src, None)
        };
        let from = from.unwrap_or(self.default_from);
        let record_first =
            matches!(source, Source::Activity(_)) && from == FeaturesFrom::RecordOrActivities;
        let slot = if ty.is_num() {
            self.n_num += 1;
            self.n_num - 1
        } else {
            self.n_str += 1;
            self.n_str - 1
        };
        self.used.push(Feature {
            name: name.to_owned(),
            ty,
            axis,
            source,
            record_first,
            slot,
        });
        let i = self.used.len() - 1;
        self.by_name.insert(name.to_owned(), i);
        Some(i)
    }

    /// The index of a feature already resolved, without giving it a slot.
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.by_name.get(name).copied()
    }

    pub fn get(&self, i: usize) -> &Feature {
        &self.used[i]
    }
}

fn define(spec: &FeatureSpec) -> Result<(FeatureType, Axis, Source)> {
    let declared = match &spec.ty {
        Some(t) => Some(FeatureType::parse(t).ok_or_else(|| {
            Error::config(format!(
                "unknown feature type {t:?} (expected int, float, bool or string)"
            ))
        })?),
        None => None,
    };
    let filter = |kinds: &crate::rules::define::manifest::OneOrMany| ActivityFilter {
        kinds: kinds.to_vec(),
        url_prefix: spec.url_prefix.clone(),
        meta: spec
            .meta
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        within_days: spec.within_days,
    };
    let mut found = Vec::new();
    if let Some(path) = &spec.field {
        let parts: Vec<String> = path.split('.').map(str::to_owned).collect();
        if parts.iter().any(String::is_empty) {
            return Err(Error::config(format!("invalid field path {path:?}")));
        }
        found.push((
            declared.unwrap_or(FeatureType::Float),
            Axis::Fit,
            Source::Path(parts),
        ));
    }
    if let Some(k) = &spec.count {
        found.push((
            FeatureType::Int,
            Axis::Engagement,
            Source::Activity(Aggregate::Count(filter(k))),
        ));
    }
    if let Some(k) = &spec.any {
        found.push((
            FeatureType::Bool,
            Axis::Engagement,
            Source::Activity(Aggregate::Any(filter(k))),
        ));
    }
    if let Some(k) = &spec.decayed {
        let h = spec
            .half_life_days
            .ok_or_else(|| Error::config("`decayed` needs `half_life_days`"))?;
        if h.is_nan() || h <= 0.0 {
            return Err(Error::config("`half_life_days` must be positive"));
        }
        found.push((
            FeatureType::Float,
            Axis::Engagement,
            Source::Activity(Aggregate::Decayed(filter(k), h)),
        ));
    }
    if let Some(path) = &spec.days_since {
        found.push((
            FeatureType::Int,
            Axis::Engagement,
            Source::Activity(Aggregate::DaysSincePath(
                path.split('.').map(str::to_owned).collect(),
            )),
        ));
    }
    if found.len() != 1 {
        return Err(Error::config(
            "a feature needs exactly one of `field`, `count`, `any`, `decayed`, `days_since`",
        ));
    }
    let (ty, axis, source) = found.remove(0);
    if let Some(d) = declared
        && !matches!(source, Source::Path(_))
        && d != ty
        && !(d == FeatureType::Float && ty == FeatureType::Int)
    {
        return Err(Error::config(format!(
            "feature type {d:?} does not match its definition ({ty:?})"
        )));
    }
    Ok((declared.unwrap_or(ty), axis, source))
}
