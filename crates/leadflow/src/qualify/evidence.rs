//! What is known about each qualification criterion of a lead.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// How far a criterion is established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nothing known yet.
    #[default]
    Unknown,
    /// Some evidence, not conclusive ("budget being discussed").
    Partial,
    /// Established ("budget of 50k approved for Q3").
    Confirmed,
    /// Rules the lead out ("no budget until 2028"), whatever the other criteria say.
    Disqualifying,
}

impl Status {
    /// The stable `snake_case` name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Unknown => "unknown",
            Status::Partial => "partial",
            Status::Confirmed => "confirmed",
            Status::Disqualifying => "disqualifying",
        }
    }

    /// Parses a status name (case-insensitive, surrounding space ignored).
    pub fn parse(text: &str) -> Option<Status> {
        let t = text.trim();
        [
            Status::Unknown,
            Status::Partial,
            Status::Confirmed,
            Status::Disqualifying,
        ]
        .into_iter()
        .find(|s| s.as_str().eq_ignore_ascii_case(t))
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The evidence for one criterion: a status and where it came from.
///
/// In JSON either an object (`{"status": "confirmed", "evidence": "...",
/// "source": "call:2026-03-02", "at": "2026-03-02T10:00:00Z"}`) or just a
/// status string (`"confirmed"`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(try_from = "EvidenceInput")]
pub struct CriterionEvidence {
    pub status: Status,
    /// What was said or observed ("CFO approved 50k for Q3").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Who or what established it: a rep, a call, a form field, `rule:<name>` for a scripted criterion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// When it was established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Timestamp>,
}

impl CriterionEvidence {
    pub fn new(status: Status) -> Self {
        CriterionEvidence {
            status,
            ..CriterionEvidence::default()
        }
    }
    #[must_use]
    pub fn evidence(mut self, text: impl Into<String>) -> Self {
        self.evidence = Some(text.into());
        self
    }
    #[must_use]
    pub fn source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }
    #[must_use]
    pub fn at(mut self, at: Timestamp) -> Self {
        self.at = Some(at);
        self
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum EvidenceInput {
    Status(String),
    Full {
        status: Status,
        #[serde(default)]
        evidence: Option<String>,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        at: Option<Timestamp>,
    },
}

impl TryFrom<EvidenceInput> for CriterionEvidence {
    type Error = String;
    fn try_from(input: EvidenceInput) -> Result<Self, String> {
        match input {
            EvidenceInput::Status(s) => Status::parse(&s).map(CriterionEvidence::new).ok_or_else(|| {
                format!("unknown status {s:?}: expected unknown, partial, confirmed or disqualifying")
            }),
            EvidenceInput::Full {
                status,
                evidence,
                source,
                at,
            } => Ok(CriterionEvidence {
                status,
                evidence,
                source,
                at,
            }),
        }
    }
}

/// Evidence per criterion key (`budget`, `economic_buyer`). Keys that a
/// framework does not define are ignored by it, so one evidence map can serve
/// several frameworks (BANT and CHAMP share `authority`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Evidence(BTreeMap<String, CriterionEvidence>);

impl Evidence {
    pub fn new() -> Self {
        Evidence::default()
    }

    /// Sets a criterion's status and evidence text, replacing what was there.
    /// This is how the rules engine feeds in statuses computed by scripted criteria.
    pub fn set(
        &mut self,
        criterion: impl Into<String>,
        status: Status,
        evidence: Option<String>,
    ) -> &mut Self {
        let entry = CriterionEvidence {
            status,
            evidence,
            ..CriterionEvidence::default()
        };
        self.0.insert(criterion.into(), entry);
        self
    }

    /// Sets a criterion's full evidence (status, text, source, time).
    pub fn insert(
        &mut self,
        criterion: impl Into<String>,
        evidence: CriterionEvidence,
    ) -> &mut Self {
        self.0.insert(criterion.into(), evidence);
        self
    }

    pub fn get(&self, criterion: &str) -> Option<&CriterionEvidence> {
        self.0.get(criterion)
    }

    /// The status of a criterion; `unknown` when there is no evidence.
    pub fn status(&self, criterion: &str) -> Status {
        self.0.get(criterion).map_or(Status::Unknown, |e| e.status)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &CriterionEvidence)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_short_and_full_forms() {
        let e: Evidence = serde_json::from_value(json!({
            "budget": "confirmed",
            "need": {"status": "partial", "evidence": "evaluating tools", "source": "call", "at": "2026-03-02T10:00:00Z"}
        }))
        .unwrap();
        assert_eq!(e.status("budget"), Status::Confirmed);
        assert_eq!(e.status("need"), Status::Partial);
        assert_eq!(
            e.get("need").unwrap().evidence.as_deref(),
            Some("evaluating tools")
        );
        assert_eq!(e.status("timeline"), Status::Unknown);
    }

    #[test]
    fn rejects_unknown_status() {
        let err = serde_json::from_value::<Evidence>(json!({"budget": "maybe"})).unwrap_err();
        assert!(err.to_string().contains("unknown status"), "{err}");
        assert!(
            serde_json::from_value::<Evidence>(json!({"budget": {"status": "maybe"}})).is_err()
        );
    }

    #[test]
    fn set_replaces() {
        let mut e = Evidence::new();
        e.set("champion", Status::Partial, None).set(
            "champion",
            Status::Confirmed,
            Some("script".into()),
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e.status("champion"), Status::Confirmed);
        assert_eq!(
            Status::parse(" Disqualifying "),
            Some(Status::Disqualifying)
        );
    }
}
