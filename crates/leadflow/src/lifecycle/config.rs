//! Pipeline configuration: the stage and status sets a team works with.
//!
//! Loaded from JSON, YAML or TOML and validated at load time, so a bad config
//! fails once with a clear error instead of mid-batch.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::ForecastCategory;

/// The whole lifecycle configuration. Every section has a built-in default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LifecycleConfig {
    pub lead_stages: StageConfig,
    pub lead_statuses: StatusConfig,
    pub opportunity_stages: OpportunityConfig,
}

/// Lead stages: an ordered ladder plus stages outside the order (`other`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StageConfig {
    /// Stages from earliest to latest; forward moves go up this list.
    pub ladder: Vec<String>,
    /// Stages outside the order (e.g. `other`): reachable from and leaving to any stage.
    #[serde(default)]
    pub off_ladder: Vec<String>,
    /// Stage of a newly placed lead.
    pub initial: String,
    /// When set, recycle reasons must be one of these codes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycle_reasons: Option<Vec<String>>,
}

/// Lead working statuses and the moves allowed between them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusConfig {
    pub states: Vec<String>,
    pub initial: String,
    /// Allowed moves: from -> list of to.
    pub transitions: BTreeMap<String, Vec<String>>,
    /// States with no way out (at least one is required).
    pub terminal: Vec<String>,
    /// The recycle state (`nurture`): entering it requires a reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recycle: Option<String>,
    /// Status a lead reaches when it is converted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<String>,
    /// Status entered by the first touch attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempting: Option<String>,
    /// Status entered when a touch connects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected: Option<String>,
}

/// Opportunity sales stages in pipeline order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpportunityConfig {
    pub stages: Vec<OpportunityStageDef>,
    pub initial: String,
}

/// One opportunity stage with the values copied onto a deal that enters it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpportunityStageDef {
    pub name: String,
    /// Win probability in percent, 0 to 100.
    pub probability: f64,
    pub forecast_category: ForecastCategory,
    #[serde(default)]
    pub is_closed: bool,
    #[serde(default)]
    pub is_won: bool,
    /// Entering this stage requires a reason (stored as `lost_reason` when not won).
    #[serde(default)]
    pub requires_reason: bool,
}

/// Format of a configuration text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    Json,
    Yaml,
    Toml,
}

impl ConfigFormat {
    /// Picks the format from a file extension (`.json`, `.yaml`/`.yml`, `.toml`).
    pub fn from_path(path: &Path) -> Result<Self> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Ok(ConfigFormat::Json),
            Some("yaml" | "yml") => Ok(ConfigFormat::Yaml),
            Some("toml") => Ok(ConfigFormat::Toml),
            _ => Err(
                Error::config("config files must end in .json, .yaml, .yml or .toml")
                    .with_file(path.display().to_string()),
            ),
        }
    }

    /// Parses a name such as `json`, `yaml`, `toml` (bindings pass strings).
    pub fn from_name(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Ok(ConfigFormat::Json),
            "yaml" | "yml" => Ok(ConfigFormat::Yaml),
            "toml" => Ok(ConfigFormat::Toml),
            other => Err(Error::config(format!(
                "unknown config format {other:?} (json, yaml or toml)"
            ))),
        }
    }
}

/// Deserializes any config type from text, with the error's line and column.
pub fn parse_config<T: serde::de::DeserializeOwned>(text: &str, format: ConfigFormat) -> Result<T> {
    match format {
        ConfigFormat::Json => {
            let de = &mut serde_json::Deserializer::from_str(text);
            serde_path_to_error::deserialize(de).map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner();
                let err = Error::config(inner.to_string())
                    .at(to_u32(inner.line()), to_u32(inner.column()));
                if path == "." {
                    err
                } else {
                    err.with_field(path)
                }
            })
        }
        ConfigFormat::Yaml => serde_norway::from_str(text).map_err(|e| {
            let err = Error::config(e.to_string());
            match e.location() {
                Some(loc) => err.at(to_u32(loc.line()), to_u32(loc.column())),
                None => err,
            }
        }),
        ConfigFormat::Toml => toml::from_str(text).map_err(|e| {
            let err = Error::config(e.message().to_owned());
            match e.span() {
                Some(span) => {
                    let (line, col) = line_col(text, span.start);
                    err.at(line, col)
                }
                None => err,
            }
        }),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (to_u32(line), to_u32(col))
}

impl LifecycleConfig {
    /// Checks the configuration for contradictions; called by every loader.
    pub fn validate(&self) -> Result<()> {
        self.lead_stages.validate()?;
        self.lead_statuses.validate()?;
        self.opportunity_stages.validate()
    }
}

fn unique<'a>(
    section: &str,
    names: impl IntoIterator<Item = &'a String>,
) -> Result<HashSet<&'a str>> {
    let mut seen = HashSet::new();
    for n in names {
        if n.trim().is_empty() {
            return Err(Error::config(format!("{section}: empty state name")).with_field(section));
        }
        if !seen.insert(n.as_str()) {
            return Err(
                Error::config(format!("{section}: duplicate state {n:?}")).with_field(section)
            );
        }
    }
    if seen.is_empty() {
        return Err(Error::config(format!("{section}: no states defined")).with_field(section));
    }
    Ok(seen)
}

fn known(section: &str, set: &HashSet<&str>, name: &str, role: &str) -> Result<()> {
    if set.contains(name) {
        Ok(())
    } else {
        Err(
            Error::config(format!("{section}: {role} names unknown state {name:?}"))
                .with_field(section),
        )
    }
}

impl StageConfig {
    fn validate(&self) -> Result<()> {
        let s = "lead_stages";
        let all = unique(s, self.ladder.iter().chain(&self.off_ladder))?;
        if self.ladder.is_empty() {
            return Err(Error::config("lead_stages: the ladder is empty").with_field(s));
        }
        known(s, &all, &self.initial, "initial")
    }
}

impl StatusConfig {
    fn validate(&self) -> Result<()> {
        let s = "lead_statuses";
        let all = unique(s, &self.states)?;
        known(s, &all, &self.initial, "initial")?;
        if self.terminal.is_empty() {
            return Err(Error::config(
                "lead_statuses: no terminal state (a lead must be able to finish)",
            )
            .with_field(s));
        }
        for t in &self.terminal {
            known(s, &all, t, "terminal")?;
            if self.transitions.get(t).is_some_and(|to| !to.is_empty()) {
                return Err(Error::config(format!(
                    "lead_statuses: terminal state {t:?} has outgoing transitions"
                ))
                .with_field(s));
            }
        }
        for (from, tos) in &self.transitions {
            known(s, &all, from, "a transition")?;
            for to in tos {
                known(s, &all, to, &format!("transition from {from:?}"))?;
            }
        }
        for (role, name) in [
            ("recycle", &self.recycle),
            ("converted", &self.converted),
            ("attempting", &self.attempting),
            ("connected", &self.connected),
        ] {
            if let Some(n) = name {
                known(s, &all, n, role)?;
            }
        }
        Ok(())
    }
}

impl OpportunityConfig {
    fn validate(&self) -> Result<()> {
        let s = "opportunity_stages";
        let all = unique(s, self.stages.iter().map(|d| &d.name))?;
        known(s, &all, &self.initial, "initial")?;
        for d in &self.stages {
            if !(0.0..=100.0).contains(&d.probability) {
                return Err(Error::config(format!(
                    "opportunity_stages: {:?} has probability {} outside 0..100",
                    d.name, d.probability
                ))
                .with_field(s));
            }
            if d.is_won && !d.is_closed {
                return Err(Error::config(format!(
                    "opportunity_stages: {:?} is won but not closed",
                    d.name
                ))
                .with_field(s));
            }
        }
        if !self.stages.iter().any(|d| d.is_closed) {
            return Err(Error::config(
                "opportunity_stages: no closed stage (a deal must be able to finish)",
            )
            .with_field(s));
        }
        if self
            .stages
            .iter()
            .any(|d| d.name == self.initial && d.is_closed)
        {
            return Err(
                Error::config("opportunity_stages: the initial stage is closed").with_field(s),
            );
        }
        Ok(())
    }
}
