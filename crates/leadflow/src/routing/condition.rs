//! Declarative conditions on lead fields, shared by routing rules, SLA
//! policies and triggers.
//!
//! ```json
//! {"all": [
//!   {"in": {"field": "country", "values": ["US", "CA"]}},
//!   {"range": {"field": "employees", "min": 200}},
//!   {"not": {"exists": {"field": "custom.partner"}}}
//! ]}
//! ```
//!
//! Fields are dotted paths into the lead's JSON (`country`, `custom.budget`,
//! `score.total`) plus the derived facts of [`LeadFacts`] (`segment`, `region`,
//! `territory`, `email_domain`). String comparisons ignore ASCII case. A field
//! holding an array matches `equals`/`in` when any element does.
//! `{"script": "lead.custom.budget > 50000"}` is a rhai script (see
//! `docs/routing.md`, "Script conditions").

use serde::{Deserialize, Serialize};
use std::cell::OnceCell;

use serde_json::Value;

use crate::error::{Error, Result};
use crate::model::{Lead, Record};
use crate::time::Timestamp;

/// A condition on a lead. Externally tagged: `{"equals": {...}}`, `{"all": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The field equals `value`.
    Equals { field: String, value: Value },
    /// The field equals one of `values`.
    In { field: String, values: Vec<Value> },
    /// A string field contains `value` (substring), or an array field has it as an element.
    Contains { field: String, value: Value },
    /// A numeric field within `[min, max]` (both inclusive, either optional).
    Range {
        field: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
    },
    /// The field is present, not null and not an empty string or array.
    Exists { field: String },
    /// Every condition holds (true when empty is refused by validation).
    All(Vec<Condition>),
    /// At least one condition holds.
    Any(Vec<Condition>),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// A rhai script returning a bool, run by a [`ScriptHost`] (by default the
    /// sandboxed [`crate::routing::ScriptConditions`], compiled once at load).
    Script(String),
}

/// Runs `Condition::Script` expressions. [`crate::routing::ScriptConditions`] is
/// the sandboxed rhai implementation the default constructors use; bring your
/// own through `Router::with_scripts` (and friends).
pub trait ScriptHost: Send + Sync {
    /// Compiles `script` up front so that config errors surface at load time
    /// (a compile error carries the line and column within the script).
    fn check(&self, script: &str) -> Result<()>;
    /// Evaluates `script` against the lead (JSON with derived facts); must return a boolean.
    fn eval(&self, script: &str, lead: &LeadView<'_>) -> Result<bool>;
}

/// The lead data a condition reads: the lead JSON plus derived facts.
///
/// Built from a [`Lead`] it is lazy: the JSON of `activities` and `history`
/// (most of a lead's size) is only produced when a condition reads them.
#[derive(Debug, Clone)]
pub struct LeadView<'a> {
    /// The lead without `activities` and `history` when `lead` is set, else everything.
    base: Value,
    lead: Option<&'a Lead>,
    facts: LeadFacts,
    full: OnceCell<Value>,
    now: Option<Timestamp>,
}

/// Top-level keys left out of the eager JSON of a lead.
const HEAVY: [&str; 2] = ["activities", "history"];

impl LeadView<'static> {
    /// A view of a lead JSON with `facts` added under their names (a lead's own
    /// top-level field of the same name is kept).
    pub fn new(json: Value, facts: &LeadFacts) -> Self {
        LeadView {
            base: with_facts(json, facts),
            lead: None,
            facts: facts.clone(),
            full: OnceCell::new(),
            now: None,
        }
    }
}

impl<'a> LeadView<'a> {
    /// A lazy view of `lead` with `facts`.
    pub fn of(lead: &'a Lead, facts: &LeadFacts) -> Self {
        let shallow = lead_fields(lead);
        LeadView {
            base: with_facts(shallow.to_value(), facts),
            lead: Some(lead),
            facts: facts.clone(),
            full: OnceCell::new(),
            now: None,
        }
    }

    /// The whole lead JSON with facts (what a script sees).
    pub fn json(&self) -> &Value {
        match self.lead {
            None => &self.base,
            Some(lead) => self
                .full
                .get_or_init(|| with_facts(lead.to_value(), &self.facts)),
        }
    }

    /// The lead JSON with facts, without `activities` and `history` when the
    /// view is lazy (cheap: no conversion of the heavy lists).
    pub fn shallow(&self) -> &Value {
        &self.base
    }

    /// The derived facts.
    pub fn facts(&self) -> &LeadFacts {
        &self.facts
    }

    /// The instant of the decision, for scripts (`now`); routing and SLAs set it.
    #[must_use]
    pub fn at(mut self, now: Timestamp) -> Self {
        self.now = Some(now);
        self
    }

    /// The instant of the decision, when the caller has one.
    pub fn now(&self) -> Option<Timestamp> {
        self.now
    }

    /// The value at a dotted path, if present.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let first = path.split('.').next().unwrap_or_default();
        let root = if HEAVY.contains(&first) {
            self.json()
        } else {
            &self.base
        };
        path.split('.').try_fold(root, |v, key| match v {
            Value::Object(m) => m.get(key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        })
    }
}

/// Every field of `lead` except the heavy lists, which stay empty (cheap to clone).
fn lead_fields(lead: &Lead) -> Lead {
    // Exhaustive on purpose: a new `Lead` field fails to compile here instead of
    // silently vanishing from conditions.
    let Lead {
        id,
        created_at,
        first_name,
        last_name,
        email,
        phone,
        title,
        company,
        website,
        industry,
        employees,
        annual_revenue,
        country,
        source,
        campaign,
        owner,
        custom,
        activities: _,
        stage,
        status,
        attempts,
        score,
        qualification,
        history: _,
        conversion,
        provenance,
        extra,
    } = lead;
    Lead {
        id: id.clone(),
        created_at: *created_at,
        first_name: first_name.clone(),
        last_name: last_name.clone(),
        email: email.clone(),
        phone: phone.clone(),
        title: title.clone(),
        company: company.clone(),
        website: website.clone(),
        industry: industry.clone(),
        employees: *employees,
        annual_revenue: *annual_revenue,
        country: country.clone(),
        source: source.clone(),
        campaign: campaign.clone(),
        owner: owner.clone(),
        custom: custom.clone(),
        activities: Vec::new(),
        stage: stage.clone(),
        status: status.clone(),
        attempts: *attempts,
        score: score.clone(),
        qualification: qualification.clone(),
        history: Vec::new(),
        conversion: conversion.clone(),
        provenance: provenance.clone(),
        extra: extra.clone(),
    }
}

fn with_facts(mut json: Value, facts: &LeadFacts) -> Value {
    if let Value::Object(map) = &mut json {
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                map.entry(k.to_owned()).or_insert(v);
            }
        };
        put("segment", facts.segment.clone().map(Value::String));
        put("region", facts.region.clone().map(Value::String));
        put(
            "territory",
            (!facts.territories.is_empty()).then(|| Value::from(facts.territories.clone())),
        );
        put(
            "email_domain",
            facts.email_domain.clone().map(Value::String),
        );
    }
    json
}

/// Facts derived from the lead and the routing config (segment bands, regions, territories).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_domain: Option<String>,
}

impl Condition {
    /// Evaluates the condition. Only a script can fail.
    pub fn eval(&self, lead: &LeadView<'_>, scripts: Option<&dyn ScriptHost>) -> Result<bool> {
        Ok(match self {
            Condition::Equals { field, value } => lead
                .get(field)
                .is_some_and(|v| any_elem(v, |x| same(x, value))),
            Condition::In { field, values } => lead
                .get(field)
                .is_some_and(|v| any_elem(v, |x| values.iter().any(|w| same(x, w)))),
            Condition::Contains { field, value } => lead.get(field).is_some_and(|v| match v {
                Value::String(s) => value
                    .as_str()
                    .is_some_and(|needle| s.to_lowercase().contains(&needle.to_lowercase())),
                Value::Array(items) => items.iter().any(|x| same(x, value)),
                _ => false,
            }),
            Condition::Range { field, min, max } => lead
                .get(field)
                .and_then(number)
                .is_some_and(|n| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)),
            Condition::Exists { field } => lead.get(field).is_some_and(|v| match v {
                Value::Null => false,
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(a) => !a.is_empty(),
                _ => true,
            }),
            // Errors get the sub-path (`[1].not`); the caller prefixes its own (`rules[2].when`).
            Condition::All(items) => {
                for (i, c) in items.iter().enumerate() {
                    if !c
                        .eval(lead, scripts)
                        .map_err(|e| e.with_field(format!("[{i}]")))?
                    {
                        return Ok(false);
                    }
                }
                true
            }
            Condition::Any(items) => {
                for (i, c) in items.iter().enumerate() {
                    if c.eval(lead, scripts)
                        .map_err(|e| e.with_field(format!("[{i}]")))?
                    {
                        return Ok(true);
                    }
                }
                false
            }
            Condition::Not(inner) => !inner.eval(lead, scripts).map_err(|e| e.with_field("not"))?,
            Condition::Script(src) => match scripts {
                Some(host) => host.eval(src, lead)?,
                None => {
                    return Err(Error::config(
                        "a script condition needs a script host (leadflow::rules)",
                    ));
                }
            },
        })
    }

    /// Whether the condition (or a part of it) is a script.
    pub fn has_script(&self) -> bool {
        match self {
            Condition::Script(_) => true,
            Condition::All(items) | Condition::Any(items) => {
                items.iter().any(Condition::has_script)
            }
            Condition::Not(inner) => inner.has_script(),
            _ => false,
        }
    }

    /// Checks the condition's shape; `path` locates it in the config for messages.
    pub fn validate(&self, path: &str, scripts: Option<&dyn ScriptHost>) -> Result<()> {
        let bad = |msg: String| Err(Error::config(msg).with_field(path.to_owned()));
        match self {
            Condition::Equals { field, .. }
            | Condition::Contains { field, .. }
            | Condition::Exists { field } => check_field(field, path),
            Condition::In { field, values } => {
                check_field(field, path)?;
                if values.is_empty() {
                    return bad(format!("`in` on {field:?} has no values"));
                }
                Ok(())
            }
            Condition::Range { field, min, max } => {
                check_field(field, path)?;
                match (min, max) {
                    (None, None) => bad(format!("`range` on {field:?} needs min or max")),
                    (Some(a), Some(b)) if a > b => {
                        bad(format!("`range` on {field:?} has min {a} above max {b}"))
                    }
                    _ => Ok(()),
                }
            }
            Condition::All(items) | Condition::Any(items) => {
                if items.is_empty() {
                    return bad("`all`/`any` needs at least one condition".to_owned());
                }
                for (i, c) in items.iter().enumerate() {
                    c.validate(&format!("{path}[{i}]"), scripts)?;
                }
                Ok(())
            }
            Condition::Not(inner) => inner.validate(&format!("{path}.not"), scripts),
            Condition::Script(src) => match scripts {
                Some(host) => host.check(src).map_err(|e| e.with_field(path.to_owned())),
                None => bad(
                    "script conditions need the rules engine (a ScriptHost), and none is configured here"
                        .to_owned(),
                ),
            },
        }
    }
}

fn check_field(field: &str, path: &str) -> Result<()> {
    if field.trim().is_empty() || field.split('.').any(str::is_empty) {
        return Err(
            Error::config(format!("invalid field path {field:?}")).with_field(path.to_owned())
        );
    }
    Ok(())
}

fn any_elem(v: &Value, f: impl Fn(&Value) -> bool) -> bool {
    match v {
        Value::Array(items) => items.iter().any(f),
        other => f(other),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Equality with ASCII-case-insensitive strings and numeric (not textual) numbers.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x.eq_ignore_ascii_case(y),
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(v: Value) -> LeadView<'static> {
        LeadView::new(
            v,
            &LeadFacts {
                segment: Some("enterprise".into()),
                territories: vec!["emea".into(), "dach".into()],
                ..LeadFacts::default()
            },
        )
    }

    fn cond(v: Value) -> Condition {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn operators() {
        let lead = view(
            json!({"country": "de", "employees": 500, "custom": {"tags": ["a", "B"]}, "email": ""}),
        );
        let t = |c: Value| cond(c).eval(&lead, None).unwrap();
        assert!(t(json!({"equals": {"field": "country", "value": "DE"}})));
        assert!(t(
            json!({"in": {"field": "country", "values": ["FR", "DE"]}})
        ));
        assert!(t(
            json!({"contains": {"field": "custom.tags", "value": "b"}})
        ));
        assert!(t(
            json!({"range": {"field": "employees", "min": 500, "max": 500}})
        ));
        assert!(!t(json!({"range": {"field": "employees", "max": 499}})));
        assert!(!t(json!({"exists": {"field": "email"}})));
        assert!(!t(json!({"exists": {"field": "custom.missing.deep"}})));
        assert!(t(
            json!({"equals": {"field": "segment", "value": "enterprise"}})
        ));
        assert!(t(
            json!({"equals": {"field": "territory", "value": "dach"}})
        ));
        assert!(t(
            json!({"all": [{"exists": {"field": "country"}}, {"not": {"equals": {"field": "country", "value": "FR"}}}]})
        ));
        assert!(t(
            json!({"any": [{"equals": {"field": "country", "value": "FR"}}, {"equals": {"field": "employees", "value": 500.0}}]})
        ));
    }

    #[test]
    fn lazy_view_of_a_lead_reads_every_field() {
        let t = crate::time::parse_timestamp("2026-03-02T09:00:00Z").unwrap();
        let mut lead = Lead::new("L", t);
        lead.country = Some("JP".into());
        lead.extra.insert("utm_source".into(), json!("ads"));
        lead.activities
            .push(crate::model::Activity::new("webinar", t));
        let facts = LeadFacts {
            region: Some("apac".into()),
            ..LeadFacts::default()
        };
        let v = LeadView::of(&lead, &facts);
        let t = |c: Value| cond(c).eval(&v, None).unwrap();
        assert!(t(json!({"equals": {"field": "country", "value": "jp"}})));
        assert!(t(
            json!({"equals": {"field": "utm_source", "value": "ads"}})
        ));
        assert!(t(json!({"equals": {"field": "region", "value": "apac"}})));
        assert!(t(
            json!({"equals": {"field": "activities.0.type", "value": "webinar"}})
        ));
        assert!(!t(json!({"exists": {"field": "history"}})));
        assert_eq!(v.json(), LeadView::new(lead.to_value(), &facts).json());
    }

    #[test]
    fn unknown_keys_and_empty_groups_are_refused() {
        let e = serde_json::from_value::<Condition>(
            json!({"equals": {"field": "country", "value": "DE", "case": true}}),
        );
        assert!(e.is_err());
        let e = cond(json!({"all": []}))
            .validate("rules[0].when", None)
            .unwrap_err();
        assert_eq!(e.field(), Some("rules[0].when"));
        let e = cond(json!({"range": {"field": "employees"}}))
            .validate("w", None)
            .unwrap_err();
        assert!(e.message().contains("min or max"));
        let e = cond(json!({"script": "lead.x > 1"}))
            .validate("w", None)
            .unwrap_err();
        assert!(e.message().contains("rules engine"));
    }
}
