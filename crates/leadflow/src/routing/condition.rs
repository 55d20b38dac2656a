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

use std::borrow::Cow;
use std::cell::OnceCell;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
/// Built from a [`Lead`] it is lazy: declarative conditions read the typed
/// fields directly, and the JSON (what scripts see) is only produced when
/// asked for, without `activities` and `history` (most of a lead's size)
/// unless a condition reads them.
#[derive(Debug, Clone)]
pub struct LeadView<'a> {
    lead: Option<&'a Lead>,
    facts: Cow<'a, LeadFacts>,
    /// The lead without `activities` and `history` when `lead` is set, else everything.
    base: OnceCell<Value>,
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
            lead: None,
            facts: Cow::Owned(facts.clone()),
            base: OnceCell::from(with_facts(json, facts)),
            full: OnceCell::new(),
            now: None,
        }
    }
}

impl<'a> LeadView<'a> {
    /// A lazy view of `lead` with `facts`.
    pub fn of(lead: &'a Lead, facts: &LeadFacts) -> Self {
        LeadView {
            lead: Some(lead),
            facts: Cow::Owned(facts.clone()),
            base: OnceCell::new(),
            full: OnceCell::new(),
            now: None,
        }
    }

    /// [`LeadView::of`] borrowing the facts (routing and SLAs keep them anyway).
    pub(crate) fn borrowing(lead: &'a Lead, facts: &'a LeadFacts) -> Self {
        LeadView {
            lead: Some(lead),
            facts: Cow::Borrowed(facts),
            base: OnceCell::new(),
            full: OnceCell::new(),
            now: None,
        }
    }

    /// The whole lead JSON with facts (what a script sees).
    pub fn json(&self) -> &Value {
        match self.lead {
            None => self.shallow(),
            Some(lead) => self
                .full
                .get_or_init(|| with_facts(lead.to_value(), &self.facts)),
        }
    }

    /// The lead JSON with facts, without `activities` and `history` when the
    /// view is lazy (no conversion of the heavy lists).
    pub fn shallow(&self) -> &Value {
        self.base.get_or_init(|| match self.lead {
            Some(lead) => with_facts(
                serde_json::to_value(Shallow { lead, keys: None }).unwrap_or(Value::Null),
                &self.facts,
            ),
            // `new` always sets it.
            None => Value::Null,
        })
    }

    /// What [`LeadView::shallow`] holds under the top-level `keys` (none of
    /// them `activities` or `history`), and nothing else: for a script that
    /// reads only these keys, without converting the rest of the lead.
    pub(crate) fn select(&self, keys: &[String]) -> Value {
        let wanted = |k: &str| keys.iter().any(|x| x == k);
        match self.lead {
            Some(lead) => {
                let mut json = serde_json::to_value(Shallow {
                    lead,
                    keys: Some(keys),
                })
                .unwrap_or(Value::Null);
                if let Value::Object(map) = &mut json {
                    put_facts(map, &self.facts, wanted);
                }
                json
            }
            None => match self.shallow() {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .filter(|(k, _)| wanted(k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                ),
                other => other.clone(),
            },
        }
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

    /// The value at a dotted path of the lead JSON, if present.
    pub fn get(&self, path: &str) -> Option<&Value> {
        let first = path.split('.').next().unwrap_or_default();
        let root = if HEAVY.contains(&first) {
            self.json()
        } else {
            self.shallow()
        };
        walk(root, path.split('.'))
    }

    /// The value at a dotted path as a condition reads it: the same value as
    /// [`LeadView::get`], read from the typed lead where it can be (no JSON).
    fn field(&self, path: &str) -> Option<Field<'_>> {
        let Some(lead) = self.lead else {
            return self.get(path).map(Field::Json);
        };
        let mut parts = path.split('.');
        let first = parts.next().unwrap_or_default();
        // Unknown top-level fields are written last into the JSON: they win over
        // a known field (or fact) of the same name.
        if let Some(v) = lead.extra.get(first) {
            return walk(v, parts).map(Field::Json);
        }
        let field = match first {
            "id" => Some(Field::Text(&lead.id)),
            "employees" => lead.employees.map(Field::Count),
            // JSON writes a non-finite number as null.
            "annual_revenue" => lead.annual_revenue.map(|f| {
                if f.is_finite() {
                    Field::Float(f)
                } else {
                    Field::Json(&Value::Null)
                }
            }),
            "attempts" => (lead.attempts != 0).then_some(Field::Count(u64::from(lead.attempts))),
            "custom" => return map_field(&lead.custom, parts),
            "provenance" => return map_field(&lead.provenance, parts),
            "segment" => self.facts.segment.as_deref().map(Field::Text),
            "region" => self.facts.region.as_deref().map(Field::Text),
            "email_domain" => self.facts.email_domain.as_deref().map(Field::Text),
            "territory" => (!self.facts.territories.is_empty())
                .then_some(Field::Texts(&self.facts.territories)),
            // Timestamps and nested engine state read as their JSON (rare in conditions).
            "created_at" | "score" | "qualification" | "conversion" | "activities" | "history" => {
                return self.get(path).map(Field::Json);
            }
            name => lead.text_field(name).flatten().map(Field::Text),
        }?;
        match (field, parts.next()) {
            (field, None) => Some(field),
            (Field::Texts(items), Some(i)) if parts.next().is_none() => i
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get(i))
                .map(|s| Field::Text(s.as_str())),
            _ => None,
        }
    }
}

/// The value at the remaining `parts` of a path below `v`.
fn walk<'v, 'p>(v: &'v Value, mut parts: impl Iterator<Item = &'p str>) -> Option<&'v Value> {
    parts.try_fold(v, |v, key| match v {
        Value::Object(m) => m.get(key),
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

/// A map field of the lead (`custom`, `provenance`): absent from the JSON when empty.
fn map_field<'v, 'p>(
    map: &'v Map<String, Value>,
    mut parts: impl Iterator<Item = &'p str>,
) -> Option<Field<'v>> {
    if map.is_empty() {
        return None;
    }
    match parts.next() {
        None => Some(Field::Map(map)),
        Some(key) => walk(map.get(key)?, parts).map(Field::Json),
    }
}

/// A lead value as conditions see it: borrowed from the typed lead, or JSON.
/// Each variant reads exactly as the JSON of the same value would.
#[derive(Debug, Clone, Copy)]
enum Field<'v> {
    Json(&'v Value),
    /// A JSON object held as a map (`custom`).
    Map(&'v Map<String, Value>),
    Text(&'v str),
    /// An unsigned integer (a JSON number).
    Count(u64),
    /// A finite number.
    Float(f64),
    /// A list of strings (`territory`).
    Texts(&'v [String]),
}

impl Field<'_> {
    /// True when the value, or any element of a list, is [`same`] as `w`.
    fn any_same(self, w: &Value) -> bool {
        match self {
            Field::Json(v) => any_elem(v, |x| same(x, w)),
            Field::Texts(items) => items.iter().any(|x| Field::Text(x).same(w)),
            other => other.same(w),
        }
    }

    /// [`same`] for a single (non-list) value.
    fn same(self, w: &Value) -> bool {
        match (self, w) {
            (Field::Json(v), _) => same(v, w),
            (Field::Map(m), Value::Object(o)) => m == o,
            (Field::Text(s), Value::String(y)) => s.eq_ignore_ascii_case(y),
            (Field::Count(n), Value::Number(y)) => Some(n as f64) == y.as_f64(),
            (Field::Float(f), Value::Number(y)) => Some(f) == y.as_f64(),
            (Field::Texts(items), Value::Array(ys)) => {
                items.len() == ys.len()
                    && items
                        .iter()
                        .zip(ys)
                        .all(|(x, y)| y.as_str() == Some(x.as_str()))
            }
            _ => false,
        }
    }

    fn contains(self, value: &Value) -> bool {
        match self {
            Field::Json(Value::String(s)) => contains_text(s, value),
            Field::Text(s) => contains_text(s, value),
            Field::Json(Value::Array(items)) => items.iter().any(|x| same(x, value)),
            Field::Texts(items) => items.iter().any(|x| Field::Text(x).same(value)),
            _ => false,
        }
    }

    fn number(self) -> Option<f64> {
        match self {
            Field::Json(v) => number(v),
            Field::Text(s) => s.trim().parse().ok(),
            Field::Count(n) => Some(n as f64),
            Field::Float(f) => Some(f),
            Field::Map(_) | Field::Texts(_) => None,
        }
    }

    fn exists(self) -> bool {
        match self {
            Field::Json(Value::Null) => false,
            Field::Json(Value::String(s)) => !s.trim().is_empty(),
            Field::Text(s) => !s.trim().is_empty(),
            Field::Json(Value::Array(a)) => !a.is_empty(),
            Field::Texts(a) => !a.is_empty(),
            _ => true,
        }
    }
}

/// The lead without the heavy lists, serialized as `Lead` serializes (same keys,
/// same order, same omissions) without copying it first; with `keys`, only
/// the entries under those keys.
struct Shallow<'l> {
    lead: &'l Lead,
    keys: Option<&'l [String]>,
}

impl Serialize for Shallow<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
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
        } = self.lead;
        let wanted = |k: &str| self.keys.is_none_or(|keys| keys.iter().any(|x| x == k));
        let mut m = s.serialize_map(None)?;
        if wanted("id") {
            m.serialize_entry("id", id)?;
        }
        if wanted("created_at") {
            m.serialize_entry("created_at", created_at)?;
        }
        macro_rules! some {
            ($($name:ident),*) => {$(
                if let Some(v) = $name
                    && wanted(stringify!($name))
                {
                    m.serialize_entry(stringify!($name), v)?;
                }
            )*};
        }
        some!(
            first_name, last_name, email, phone, title, company, website, industry
        );
        some!(employees, annual_revenue, country, source, campaign, owner);
        if !custom.is_empty() && wanted("custom") {
            m.serialize_entry("custom", custom)?;
        }
        some!(stage, status);
        if *attempts != 0 && wanted("attempts") {
            m.serialize_entry("attempts", attempts)?;
        }
        some!(score, qualification, conversion);
        if !provenance.is_empty() && wanted("provenance") {
            m.serialize_entry("provenance", provenance)?;
        }
        for (k, v) in extra {
            if wanted(k) {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

fn with_facts(mut json: Value, facts: &LeadFacts) -> Value {
    if let Value::Object(map) = &mut json {
        put_facts(map, facts, |_| true);
    }
    json
}

/// Adds the `wanted` facts under their names, unless the lead has a field of that name.
fn put_facts(map: &mut Map<String, Value>, facts: &LeadFacts, wanted: impl Fn(&str) -> bool) {
    let text = |v: &Option<String>| v.clone().map(Value::String);
    let territory =
        || (!facts.territories.is_empty()).then(|| Value::from(facts.territories.clone()));
    let mut put = |k: &str, v: &dyn Fn() -> Option<Value>| {
        if wanted(k)
            && !map.contains_key(k)
            && let Some(v) = v()
        {
            map.insert(k.to_owned(), v);
        }
    };
    put("segment", &|| text(&facts.segment));
    put("region", &|| text(&facts.region));
    put("territory", &territory);
    put("email_domain", &|| text(&facts.email_domain));
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
            Condition::Equals { field, value } => {
                lead.field(field).is_some_and(|v| v.any_same(value))
            }
            Condition::In { field, values } => lead
                .field(field)
                .is_some_and(|v| values.iter().any(|w| v.any_same(w))),
            Condition::Contains { field, value } => {
                lead.field(field).is_some_and(|v| v.contains(value))
            }
            Condition::Range { field, min, max } => lead
                .field(field)
                .and_then(Field::number)
                .is_some_and(|n| min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m)),
            Condition::Exists { field } => lead.field(field).is_some_and(Field::exists),
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

/// Case-insensitive substring test of a text against a string `value`.
fn contains_text(s: &str, value: &Value) -> bool {
    value.as_str().is_some_and(|needle| {
        if s.is_ascii() && needle.is_ascii() {
            // Lowercasing ASCII maps byte to byte: search without copying.
            needle.is_empty()
                || s.as_bytes()
                    .windows(needle.len())
                    .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        } else {
            s.to_lowercase().contains(&needle.to_lowercase())
        }
    })
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

    mod typed_reader {
        //! The typed reader against the JSON view it replaces, on random leads,
        //! facts, paths and conditions.

        use proptest::prelude::*;
        use serde_json::{Value, json};

        use super::super::*;
        use crate::model::Activity;
        use crate::time::parse_timestamp;

        fn text() -> BoxedStrategy<String> {
            proptest::sample::select(
                &["DE", "de", " ", "", "Acme Ltd", "1200", " 42 ", "x.edu"][..],
            )
            .prop_map(str::to_owned)
            .boxed()
        }

        fn value() -> BoxedStrategy<Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                (0u64..3000).prop_map(Value::from),
                (-5i64..5).prop_map(Value::from),
                prop_oneof![Just(0.0), Just(-0.0), Just(1200.0), Just(2.5)].prop_map(Value::from),
                text().prop_map(Value::from),
            ];
            leaf.prop_recursive(2, 8, 3, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
                    proptest::collection::vec((key(), inner), 0..3)
                        .prop_map(|kv| Value::Object(kv.into_iter().collect())),
                ]
            })
            .boxed()
        }

        /// Keys of `custom`, `extra` and nested objects; some shadow known fields and facts.
        fn key() -> BoxedStrategy<String> {
            proptest::sample::select(
                &[
                    "budget",
                    "tags",
                    "a",
                    "0",
                    "utm",
                    "country",
                    "segment",
                    "territory",
                    "custom",
                    "id",
                ][..],
            )
            .prop_map(str::to_owned)
            .boxed()
        }

        fn facts() -> impl Strategy<Value = LeadFacts> {
            (
                proptest::option::of(text()),
                proptest::option::of(text()),
                proptest::collection::vec(text(), 0..3),
                proptest::option::of(text()),
            )
                .prop_map(|(segment, region, territories, email_domain)| LeadFacts {
                    segment,
                    region,
                    territories,
                    email_domain,
                })
        }

        prop_compose! {
            fn lead()(
                texts in proptest::collection::vec(proptest::option::of(text()), 14),
                employees in proptest::option::of(prop_oneof![Just(0u64), Just(1200), 0u64..3000]),
                revenue in proptest::option::of(prop_oneof![Just(1200.0), Just(f64::NAN), Just(-0.0)]),
                attempts in prop_oneof![Just(0u32), 1u32..4],
                custom in proptest::collection::vec((key(), value()), 0..4),
                extra in proptest::collection::vec((key(), value()), 0..2),
                provenance in proptest::collection::vec((key(), value()), 0..2),
                activities in 0usize..3,
            ) -> Lead {
                let t = parse_timestamp("2026-03-02T09:00:00+01:00").unwrap();
                let mut l = Lead::new("L-1", t);
                let mut it = texts.into_iter();
                for slot in [
                    &mut l.first_name, &mut l.last_name, &mut l.email, &mut l.phone, &mut l.title,
                    &mut l.company, &mut l.website, &mut l.industry, &mut l.country, &mut l.source,
                    &mut l.campaign, &mut l.owner, &mut l.stage, &mut l.status,
                ] {
                    *slot = it.next().flatten();
                }
                l.employees = employees;
                l.annual_revenue = revenue;
                l.attempts = attempts;
                l.custom = custom.into_iter().collect();
                l.extra = extra.into_iter().collect();
                l.provenance = provenance.into_iter().collect();
                for i in 0..activities {
                    l.activities.push(Activity::new("webinar", t).with_meta("n", i));
                }
                l
            }
        }

        fn path() -> BoxedStrategy<String> {
            let top = proptest::sample::select(
                &[
                    "id",
                    "created_at",
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "title",
                    "company",
                    "website",
                    "industry",
                    "employees",
                    "annual_revenue",
                    "country",
                    "source",
                    "campaign",
                    "owner",
                    "custom",
                    "activities",
                    "stage",
                    "status",
                    "attempts",
                    "score",
                    "history",
                    "provenance",
                    "segment",
                    "region",
                    "territory",
                    "email_domain",
                    "utm",
                    "budget",
                    "",
                ][..],
            );
            let sub =
                proptest::sample::select(&["budget", "tags", "a", "0", "1", "+0", "type", ""][..]);
            (top, proptest::collection::vec(sub, 0..3))
                .prop_map(|(t, subs)| std::iter::once(t).chain(subs).collect::<Vec<_>>().join("."))
                .boxed()
        }

        fn condition() -> impl Strategy<Value = Condition> {
            (
                path(),
                value(),
                proptest::collection::vec(value(), 1..3),
                0u8..5,
                proptest::option::of(-10.0f64..3000.0),
            )
                .prop_map(|(field, value, values, op, bound)| match op {
                    0 => Condition::Equals { field, value },
                    1 => Condition::In { field, values },
                    2 => Condition::Contains { field, value },
                    3 => Condition::Range {
                        field,
                        min: bound,
                        max: bound.map(|b| b + 100.0),
                    },
                    _ => Condition::Exists { field },
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn typed_fields_read_as_the_json_view(
                lead in lead(), facts in facts(), conditions in proptest::collection::vec(condition(), 1..6),
            ) {
                let typed = LeadView::of(&lead, &facts);
                let json = LeadView::new(lead.to_value(), &facts);
                let mut light = lead.clone();
                light.activities.clear();
                light.history.clear();
                prop_assert_eq!(
                    serde_json::to_string(&Shallow { lead: &lead, keys: None }).unwrap(),
                    serde_json::to_string(&light).unwrap()
                );
                for c in &conditions {
                    prop_assert_eq!(
                        c.eval(&typed, None).unwrap(),
                        c.eval(&json, None).unwrap(),
                        "{:?} on {}", c, json.json()
                    );
                }
                // Declarative conditions alone never build the lead's JSON.
                let reads_json_fields = conditions.iter().any(|c| {
                    let (Condition::Equals { field: f, .. } | Condition::In { field: f, .. }
                        | Condition::Contains { field: f, .. } | Condition::Range { field: f, .. }
                        | Condition::Exists { field: f }) = c else {
                        return false;
                    };
                    let first = f.split('.').next().unwrap_or_default();
                    ["created_at", "score", "qualification", "conversion"].contains(&first)
                });
                prop_assert!(typed.base.get().is_none() || reads_json_fields);
            }
        }

        #[test]
        fn shadowing_fields_and_json_fallbacks() {
            let t = parse_timestamp("2026-03-02T09:00:00Z").unwrap();
            let mut lead = Lead::new("L", t);
            lead.country = Some("JP".into());
            lead.extra.insert("country".into(), json!("DE"));
            lead.extra.insert("segment".into(), json!(["smb"]));
            let facts = LeadFacts {
                segment: Some("enterprise".into()),
                territories: vec!["emea".into()],
                ..LeadFacts::default()
            };
            let v = LeadView::of(&lead, &facts);
            let holds = |c: Value| {
                serde_json::from_value::<Condition>(c)
                    .unwrap()
                    .eval(&v, None)
                    .unwrap()
            };
            // An unknown field of a known name is what the JSON shows.
            assert!(holds(
                json!({"equals": {"field": "country", "value": "de"}})
            ));
            assert!(holds(
                json!({"equals": {"field": "segment", "value": "SMB"}})
            ));
            assert!(holds(
                json!({"equals": {"field": "territory.0", "value": "EMEA"}})
            ));
            assert!(v.base.get().is_none(), "no JSON for typed fields");
            assert!(holds(
                json!({"contains": {"field": "created_at", "value": "2026-03-02"}})
            ));
            assert!(v.base.get().is_some(), "timestamps read as their JSON text");
        }
    }
}

#[cfg(test)]
mod contains_tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn ascii_search_equals_lowercased_search(
            s in "[a-cA-C.@É]{0,12}", needle in "[a-cA-C.@É]{0,3}",
        ) {
            let v = Value::String(needle.clone());
            prop_assert_eq!(
                contains_text(&s, &v),
                s.to_lowercase().contains(&needle.to_lowercase())
            );
        }
    }
}
