//! Qualification frameworks as data: built-in BANT, CHAMP, MEDDIC, MEDDPICC, or
//! your own in JSON, YAML or TOML.

use std::collections::HashSet;
use std::path::Path;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::policy::Policy;
use crate::error::{Error, ErrorKind, Result};

/// One thing a framework asks to know about a lead.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable `snake_case` key; evidence is keyed by it (`economic_buyer`).
    pub key: String,
    /// Human name ("Economic buyer").
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Whether `all_required` policies demand it confirmed. Default `true`.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub required: bool,
    /// A lead field read when the lead has no explicit evidence for this
    /// criterion under `custom.qualification.<key>`: a dotted path such as
    /// `custom.budget_approved` or `annual_revenue` (see `Evidence::from_lead`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

fn yes() -> bool {
    true
}
#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_true(b: &bool) -> bool {
    *b
}

/// A named list of criteria, with an optional default policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Name stored on the lead (`BANT`).
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub criteria: Vec<Criterion>,
    /// The policy used when the caller gives none ([`Policy::all_required`] if absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
}

const BUILTIN_SOURCES: [&str; 4] = [
    include_str!("builtin/bant.json"),
    include_str!("builtin/champ.json"),
    include_str!("builtin/meddic.json"),
    include_str!("builtin/meddpicc.json"),
];

static BUILTINS: LazyLock<Vec<Framework>> = LazyLock::new(|| {
    BUILTIN_SOURCES
        .iter()
        .filter_map(|text| Framework::from_json(text).ok())
        .collect()
});

impl Framework {
    /// The built-in frameworks: BANT, CHAMP, MEDDIC, MEDDPICC.
    pub fn builtins() -> &'static [Framework] {
        &BUILTINS
    }

    /// A built-in framework by name, case-insensitive (`"bant"`, `"MEDDPICC"`).
    pub fn builtin(name: &str) -> Option<&'static Framework> {
        let name = name.trim();
        BUILTINS.iter().find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// A framework from a JSON value: a built-in's name (`"BANT"`) or an inline definition.
    pub fn resolve(value: &Value) -> Result<Framework> {
        match value {
            Value::String(name) => Framework::builtin(name).cloned().ok_or_else(|| {
                let known: Vec<&str> = BUILTINS.iter().map(|f| f.name.as_str()).collect();
                Error::not_found(format!(
                    "no built-in qualification framework {name:?} (built-in: {})",
                    known.join(", ")
                ))
                .with_field("framework")
            }),
            Value::Object(_) => Framework::checked(
                serde_path_to_error::deserialize(value.clone()).map_err(config_error)?,
            ),
            _ => Err(
                Error::config("a framework is a built-in name or a definition object")
                    .with_field("framework"),
            ),
        }
    }

    pub fn from_json(text: &str) -> Result<Framework> {
        let de = &mut serde_json::Deserializer::from_str(text);
        Framework::checked(serde_path_to_error::deserialize(de).map_err(|e| {
            let inner = e.inner();
            let err = Error::new(
                if inner.is_data() {
                    ErrorKind::Config
                } else {
                    ErrorKind::Parse
                },
                format!("qualification framework: {inner}"),
            )
            .at(
                u32::try_from(inner.line()).unwrap_or(u32::MAX),
                u32::try_from(inner.column()).unwrap_or(u32::MAX),
            );
            with_path(err, &e.path().to_string())
        })?)
    }

    pub fn from_yaml(text: &str) -> Result<Framework> {
        let de = serde_norway::Deserializer::from_str(text);
        Framework::checked(serde_path_to_error::deserialize(de).map_err(config_error)?)
    }

    pub fn from_toml(text: &str) -> Result<Framework> {
        let de = toml::Deserializer::parse(text)
            .map_err(|e| Error::parse(format!("qualification framework: {e}")))?;
        Framework::checked(serde_path_to_error::deserialize(de).map_err(config_error)?)
    }

    /// Reads a framework file; the format follows the extension (`.json`,
    /// `.yaml`/`.yml`, `.toml`). Errors name the file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Framework> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::from(e).with_file(&file))?;
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let parsed = match ext.to_ascii_lowercase().as_str() {
            "json" => Framework::from_json(&text),
            "yaml" | "yml" => Framework::from_yaml(&text),
            "toml" => Framework::from_toml(&text),
            _ => Err(Error::config(format!(
                "unknown framework file type {ext:?}: use .json, .yaml, .yml or .toml"
            ))),
        };
        parsed.map_err(|e| e.with_file(file))
    }

    /// The policy to use when the caller gives none.
    pub fn default_policy(&self) -> Policy {
        self.policy.clone().unwrap_or_default()
    }

    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.key == key)
    }

    /// Checks names, keys and the default policy.
    pub fn validate(&self) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::config("a framework needs a name").with_field("name"));
        }
        if self.criteria.is_empty() {
            return Err(
                Error::config("a framework needs at least one criterion").with_field("criteria")
            );
        }
        let mut seen = HashSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let at = |e: Error, f: &str| e.with_field(format!("criteria[{i}].{f}"));
            let valid_key = !c.key.is_empty()
                && c.key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !valid_key {
                return Err(at(
                    Error::config(format!(
                        "criterion key {:?} must be snake_case (a-z, 0-9, _)",
                        c.key
                    )),
                    "key",
                ));
            }
            if !seen.insert(c.key.as_str()) {
                return Err(at(
                    Error::config(format!("duplicate criterion key {:?}", c.key)),
                    "key",
                ));
            }
            if c.label.trim().is_empty() {
                return Err(at(Error::config("a criterion needs a label"), "label"));
            }
        }
        // The default policy must work too: a framework without required
        // criteria needs its own policy with `min_met`.
        self.check_policy(&self.default_policy())
    }

    /// Checks that `policy` can be satisfied by this framework.
    pub fn check_policy(&self, policy: &Policy) -> Result<()> {
        let required = self.criteria.iter().filter(|c| c.required).count();
        policy.validate(self.criteria.len(), required)
    }

    fn checked(f: Framework) -> Result<Framework> {
        f.validate()?;
        Ok(f)
    }
}

fn with_path(err: Error, path: &str) -> Error {
    if path == "." || path.is_empty() {
        err
    } else {
        err.with_field(path)
    }
}

#[allow(clippy::needless_pass_by_value)] // used as a map_err callback
fn config_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Error {
    let path = e.path().to_string();
    with_path(
        Error::config(format!("qualification framework: {}", e.inner())),
        &path,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_load_and_validate() {
        let names: Vec<&str> = Framework::builtins()
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(names, ["BANT", "CHAMP", "MEDDIC", "MEDDPICC"]);
        for f in Framework::builtins() {
            f.validate().unwrap();
            f.check_policy(&f.default_policy()).unwrap();
        }
        let m = Framework::builtin("meddpicc").unwrap();
        assert_eq!(m.criteria.len(), 8);
        assert!(!m.criterion("competition").unwrap().required);
        assert_eq!(Framework::builtin("MEDDIC").unwrap().criteria.len(), 6);
    }

    #[test]
    fn resolve_by_name_or_inline() {
        assert_eq!(Framework::resolve(&"bant".into()).unwrap().name, "BANT");
        let e = Framework::resolve(&"SPICED".into()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NotFound);
        let inline =
            serde_json::json!({"name": "Mini", "criteria": [{"key": "fit", "label": "Fit"}]});
        assert_eq!(Framework::resolve(&inline).unwrap().criteria[0].key, "fit");
    }

    #[test]
    fn errors_name_the_field() {
        let e = Framework::from_json(
            r#"{"name": "X", "criteria": [{"key": "a", "label": "A", "requried": true}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.field(), Some("criteria[0].requried"));
        let e = Framework::from_json(r#"{"name": "X", "criteria": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]}"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("criteria[1].key"));
        let e = Framework::from_json(
            r#"{"name": "X", "criteria": [{"key": "Big Deal", "label": "A"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.field(), Some("criteria[0].key"));
        let e = Framework::from_json(
            r#"{"name": "X", "criteria": [{"key": "a", "label": "A", "required": false}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e.field(),
            Some("policy"),
            "all_required with nothing required: {e}"
        );
        assert_eq!(
            Framework::from_json("{").unwrap_err().kind(),
            ErrorKind::Parse
        );
    }

    #[test]
    fn yaml_and_toml() {
        let y = "name: GPCT\ncriteria:\n  - {key: goals, label: Goals}\n  - {key: plans, label: Plans, required: false}\npolicy: {all_required: false, min_met: 1}\n";
        let f = Framework::from_yaml(y).unwrap();
        assert_eq!(f.criteria.len(), 2);
        assert_eq!(f.default_policy().min_met, Some(1.0));
        let t = "name = \"Mini\"\n[[criteria]]\nkey = \"fit\"\nlabel = \"Fit\"\n";
        assert_eq!(Framework::from_toml(t).unwrap().name, "Mini");
        let e = Framework::from_yaml("name: X\ncriteria: 3\n").unwrap_err();
        assert_eq!(e.field(), Some("criteria"));
    }
}
