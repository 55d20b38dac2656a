//! The routing config: reps, teams, ordered rules, ownership and territories.
//!
//! Plain serde data (JSON, YAML or TOML) with `deny_unknown_fields`; a typo in
//! a key is a `ConfigError`, never a silently ignored setting.
//! [`RoutingConfig::validate`] checks every reference and names the rule or
//! path at fault.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::condition::{Condition, ScriptHost};
use super::load::{ConfigFormat, parse_config, read_config};
use super::territory::Segmentation;
use super::zone::Zone;
use crate::error::{Error, Result};
use crate::time::{Timestamp, parse_timestamp};

/// How a team hands out leads among its eligible members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Next eligible member after the last one assigned, in member order.
    #[default]
    RoundRobin,
    /// Smooth weighted round robin: a rep at weight 200 gets twice the leads of one at 100.
    Weighted,
    /// The member with the fewest leads today relative to weight; ties go round robin.
    LeastLoaded,
}

impl Strategy {
    pub fn name(self) -> &'static str {
        match self {
            Strategy::RoundRobin => "round_robin",
            Strategy::Weighted => "weighted",
            Strategy::LeastLoaded => "least_loaded",
        }
    }
}

/// What a rule assigns to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// A team; its strategy picks the rep.
    Team(String),
    /// One rep directly.
    Rep(String),
    /// A queue (no rep), for review or later pickup.
    Queue(String),
}

/// An ordered routing rule: the first rule whose `when` holds decides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub name: String,
    /// Matches every lead when absent (a catch-all as the last rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    pub assign: Target,
}

/// A team of reps with a distribution strategy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Team {
    pub name: String,
    #[serde(default)]
    pub strategy: Strategy,
    pub members: Vec<String>,
}

/// One end of an out-of-office period: a date (`2026-03-02`, in the rep's time
/// zone, inclusive) or an instant (`2026-03-02T13:00:00+09:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Date(NaiveDate),
    Instant(Timestamp),
}

/// An out-of-office period (`start` inclusive; a date `end` includes that whole day,
/// an instant `end` is exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: Bound,
    pub end: Bound,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Period {
    /// Whether the period contains no instant at all (`end` at or before `start`),
    /// reading date bounds in `zone` as `is_away` does: a date `start` from its
    /// local midnight, a date `end` up to the next local midnight.
    fn is_empty_in(&self, zone: Zone) -> bool {
        let midnight = |d: NaiveDate| zone.instant(d.and_time(NaiveTime::MIN));
        let start = match self.start {
            Bound::Date(d) => midnight(d),
            Bound::Instant(t) => t,
        };
        let end = match self.end {
            // The last representable day has no next midnight: it ends after any start.
            Bound::Date(d) => match d.succ_opt() {
                Some(next) => midnight(next),
                None => return false,
            },
            Bound::Instant(t) => t,
        };
        end <= start
    }
}

fn bound_text(b: Bound) -> String {
    match b {
        Bound::Date(d) => d.to_string(),
        Bound::Instant(t) => t.to_rfc3339(),
    }
}

/// A sales rep who can receive leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rep {
    pub id: String,
    /// Share in weighted teams, in percent (100 = normal, 200 = twice as many).
    #[serde(default = "default_weight")]
    pub weight: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_cap: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_cap: Option<u32>,
    /// Decides the rep's days and weeks (caps) and date-only out-of-office bounds.
    #[serde(default)]
    pub time_zone: Zone,
    /// `false` pauses the rep entirely.
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub out_of_office: Vec<Period>,
    /// When non-empty, the rep only takes leads in one of these territories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<String>,
}

/// Account ownership: a lead matched to an existing account goes to its owner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ownership {
    /// Hold owners to their caps too (by default an owner always gets their accounts' leads,
    /// unless inactive or away).
    #[serde(default)]
    pub respect_caps: bool,
}

/// The whole routing setup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingConfig {
    /// Where a lead goes when nothing else can take it; never empty.
    pub fallback_queue: String,
    #[serde(default)]
    pub reps: Vec<Rep>,
    #[serde(default)]
    pub teams: Vec<Team>,
    /// Ordered; the first match wins.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Route leads of known accounts to the account owner first (needs an `AccountMatcher`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<Ownership>,
    #[serde(default)]
    pub segmentation: Segmentation,
}

fn default_weight() -> u32 {
    100
}
fn yes() -> bool {
    true
}

impl RoutingConfig {
    /// Parses a config; call [`RoutingConfig::validate`] (or `Router::new`) before use.
    pub fn from_str(text: &str, format: ConfigFormat) -> Result<Self> {
        parse_config(text, format, "routing config")
    }

    /// Reads a config file (`.json`, `.yaml`, `.yml`, `.toml`).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self> {
        read_config(path.as_ref(), "routing config")
    }

    pub fn rep(&self, id: &str) -> Option<&Rep> {
        self.reps.iter().find(|r| r.id == id)
    }

    pub fn team(&self, name: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.name == name)
    }

    /// Whether any rule has a `script` condition.
    pub fn has_scripts(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.when.as_ref().is_some_and(Condition::has_script))
    }

    /// Checks every name and reference; errors name the rule, team or rep.
    pub fn validate(&self, scripts: Option<&dyn ScriptHost>) -> Result<()> {
        if self.fallback_queue.trim().is_empty() {
            return Err(
                Error::config("fallback_queue must not be empty").with_field("fallback_queue")
            );
        }
        self.segmentation
            .validate()
            .map_err(|e| e.with_field("segmentation"))?;
        let ids = self.validate_reps()?;
        let names = self.validate_teams(&ids)?;
        self.validate_rules(&ids, &names, scripts)
    }

    fn validate_reps(&self) -> Result<BTreeSet<&str>> {
        let mut ids = BTreeSet::new();
        for (i, rep) in self.reps.iter().enumerate() {
            let at = format!("reps[{i}]");
            if rep.id.trim().is_empty() {
                return Err(Error::config("rep id must not be empty").with_field(at));
            }
            if !ids.insert(rep.id.as_str()) {
                return Err(
                    Error::config(format!("rep {:?} is defined twice", rep.id)).with_field(at)
                );
            }
            if rep.weight == 0 {
                return Err(Error::config(format!(
                    "rep {:?} has weight 0: weights are percentages above 0 (set active: false to pause a rep)",
                    rep.id
                ))
                .with_field(format!("{at}.weight")));
            }
            for (j, p) in rep.out_of_office.iter().enumerate() {
                if p.is_empty_in(rep.time_zone) {
                    return Err(Error::config(format!(
                        "rep {:?} has an out-of-office period that ends ({}) before it starts ({})",
                        rep.id,
                        bound_text(p.end),
                        bound_text(p.start)
                    ))
                    .with_field(format!("{at}.out_of_office[{j}].end")));
                }
            }
            for t in &rep.territories {
                if !self.segmentation.has_territory(t) {
                    return Err(Error::config(format!(
                        "rep {:?} names unknown territory {t:?}",
                        rep.id
                    ))
                    .with_field(format!("{at}.territories")));
                }
            }
        }
        Ok(ids)
    }

    fn validate_teams(&self, ids: &BTreeSet<&str>) -> Result<BTreeSet<&str>> {
        let mut names = BTreeSet::new();
        for (i, team) in self.teams.iter().enumerate() {
            let at = format!("teams[{i}]");
            if !names.insert(team.name.as_str()) {
                return Err(
                    Error::config(format!("team {:?} is defined twice", team.name)).with_field(at),
                );
            }
            if team.members.is_empty() {
                return Err(
                    Error::config(format!("team {:?} has no members", team.name))
                        .with_field(format!("{at}.members")),
                );
            }
            let mut members = BTreeSet::new();
            for m in &team.members {
                if !ids.contains(m.as_str()) {
                    return Err(Error::config(format!(
                        "team {:?} lists unknown rep {m:?}",
                        team.name
                    ))
                    .with_field(format!("{at}.members")));
                }
                if !members.insert(m.as_str()) {
                    return Err(Error::config(format!(
                        "team {:?} lists rep {m:?} twice",
                        team.name
                    ))
                    .with_field(format!("{at}.members")));
                }
            }
        }
        Ok(names)
    }

    fn validate_rules(
        &self,
        ids: &BTreeSet<&str>,
        names: &BTreeSet<&str>,
        scripts: Option<&dyn ScriptHost>,
    ) -> Result<()> {
        let mut rules = BTreeSet::new();
        for (i, rule) in self.rules.iter().enumerate() {
            let at = format!("rules[{i}]");
            let err = |msg: String, field: String| {
                Error::config(msg)
                    .with_rule(rule.name.clone())
                    .with_field(field)
            };
            if rule.name.trim().is_empty() {
                return Err(Error::config("rule name must not be empty").with_field(at));
            }
            if !rules.insert(rule.name.as_str()) {
                return Err(err(format!("rule {:?} is defined twice", rule.name), at));
            }
            match &rule.assign {
                Target::Team(t) if !names.contains(t.as_str()) => {
                    return Err(err(
                        format!("rule {:?} assigns to unknown team {t:?}", rule.name),
                        format!("{at}.assign"),
                    ));
                }
                Target::Rep(r) if !ids.contains(r.as_str()) => {
                    return Err(err(
                        format!("rule {:?} assigns to unknown rep {r:?}", rule.name),
                        format!("{at}.assign"),
                    ));
                }
                Target::Queue(q) if q.trim().is_empty() => {
                    return Err(err(
                        format!("rule {:?} assigns to an empty queue name", rule.name),
                        format!("{at}.assign"),
                    ));
                }
                _ => {}
            }
            if let Some(c) = &rule.when {
                c.validate(&format!("{at}.when"), scripts)
                    .map_err(|e| e.with_rule(rule.name.clone()))?;
            }
        }
        Ok(())
    }
}

impl Serialize for Bound {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Bound::Date(d) => s.collect_str(d),
            Bound::Instant(t) => s.serialize_str(&t.to_rfc3339()),
        }
    }
}

impl<'de> Deserialize<'de> for Bound {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.len() == 10
            && let Ok(date) = NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        {
            return Ok(Bound::Date(date));
        }
        parse_timestamp(&s).map(Bound::Instant).map_err(|_| {
            serde::de::Error::custom(format!(
                "invalid period bound {s:?}: expected a date (2026-03-02) or an RFC 3339 timestamp"
            ))
        })
    }
}
