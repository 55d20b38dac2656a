//! Segments (employee bands), regions (groups of countries) and territories
//! (combinations of both), and the facts they give a lead.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::condition::LeadFacts;
use crate::error::{Error, Result};
use crate::model::Lead;

/// An employee band: `{"name": "mid_market", "min_employees": 200, "max_employees": 999}`
/// (both bounds inclusive and optional). The first band that contains the lead wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SegmentBand {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_employees: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_employees: Option<u64>,
}

/// A territory: a lead is in it when every given dimension contains the lead's
/// value (`countries`: ISO codes, `regions`: names from `regions`, `segments`: band names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Territory {
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<String>,
}

/// The geography and segmentation part of a routing (or SLA) config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Segmentation {
    /// Employee bands, checked in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<SegmentBand>,
    /// Region name to its country codes (`{"emea": ["DE", "FR"]}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub regions: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub territories: Vec<Territory>,
}

impl SegmentBand {
    fn contains(&self, employees: u64) -> bool {
        self.min_employees.is_none_or(|m| employees >= m)
            && self.max_employees.is_none_or(|m| employees <= m)
    }
}

impl Segmentation {
    /// The segment of a company size, if a band contains it.
    pub fn segment_of(&self, employees: Option<u64>) -> Option<&str> {
        let n = employees?;
        self.segments
            .iter()
            .find(|b| b.contains(n))
            .map(|b| b.name.as_str())
    }

    /// Everything routing derives from a lead: segment, region, territories, email domain.
    pub fn facts(&self, lead: &Lead) -> LeadFacts {
        let segment = self.segment_of(lead.employees).map(str::to_owned);
        let country = lead.country.as_deref().map(str::trim);
        let region = country.and_then(|c| {
            self.regions
                .iter()
                .find(|(_, cs)| cs.iter().any(|x| x.eq_ignore_ascii_case(c)))
                .map(|(name, _)| name.clone())
        });
        let territories = self
            .territories
            .iter()
            .filter(|t| {
                let has = |list: &[String], v: Option<&str>| {
                    list.is_empty()
                        || v.is_some_and(|v| list.iter().any(|x| x.eq_ignore_ascii_case(v)))
                };
                has(&t.countries, country)
                    && has(&t.regions, region.as_deref())
                    && has(&t.segments, segment.as_deref())
            })
            .map(|t| t.name.clone())
            .collect();
        let email_domain = lead
            .email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| d.trim().to_ascii_lowercase())
            .filter(|d| !d.is_empty());
        LeadFacts {
            segment,
            region,
            territories,
            email_domain,
        }
    }

    /// Checks names are unique and references resolve.
    pub fn validate(&self) -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        for (i, b) in self.segments.iter().enumerate() {
            if !seen.insert(b.name.as_str()) {
                return Err(dup("segment", &b.name, format!("segments[{i}]")));
            }
            if let (Some(a), Some(z)) = (b.min_employees, b.max_employees)
                && a > z
            {
                return Err(Error::config(format!(
                    "segment {:?} has min_employees {a} above max_employees {z}",
                    b.name
                ))
                .with_field(format!("segments[{i}]")));
            }
        }
        let mut tseen = std::collections::BTreeSet::new();
        for (i, t) in self.territories.iter().enumerate() {
            let at = format!("territories[{i}]");
            if !tseen.insert(t.name.as_str()) {
                return Err(dup("territory", &t.name, at));
            }
            if t.countries.is_empty() && t.regions.is_empty() && t.segments.is_empty() {
                return Err(Error::config(format!(
                    "territory {:?} names no countries, regions or segments",
                    t.name
                ))
                .with_field(at));
            }
            for r in &t.regions {
                if !self.regions.contains_key(r) {
                    return Err(Error::config(format!(
                        "territory {:?} uses unknown region {r:?}",
                        t.name
                    ))
                    .with_field(format!("{at}.regions")));
                }
            }
            for s in &t.segments {
                if !seen.contains(s.as_str()) {
                    return Err(Error::config(format!(
                        "territory {:?} uses unknown segment {s:?}",
                        t.name
                    ))
                    .with_field(format!("{at}.segments")));
                }
            }
        }
        Ok(())
    }

    /// True when a territory of this name is defined.
    pub fn has_territory(&self, name: &str) -> bool {
        self.territories.iter().any(|t| t.name == name)
    }
}

fn dup(what: &str, name: &str, at: String) -> Error {
    Error::config(format!("{what} {name:?} is defined twice")).with_field(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::parse_timestamp;
    use serde_json::json;

    #[test]
    fn derives_segment_region_territories() {
        let seg: Segmentation = serde_json::from_value(json!({
            "segments": [{"name": "smb", "max_employees": 199}, {"name": "mid", "min_employees": 200, "max_employees": 999}, {"name": "ent", "min_employees": 1000}],
            "regions": {"emea": ["DE", "FR"], "apac": ["JP"]},
            "territories": [{"name": "emea-ent", "regions": ["emea"], "segments": ["ent"]}, {"name": "germany", "countries": ["de"]}]
        }))
        .unwrap();
        seg.validate().unwrap();
        let mut lead = Lead::new("L", parse_timestamp("2026-01-01T00:00:00Z").unwrap());
        lead.country = Some("DE".into());
        lead.employees = Some(1000);
        lead.email = Some("Ann@Acme.COM".into());
        let f = seg.facts(&lead);
        assert_eq!(f.segment.as_deref(), Some("ent"));
        assert_eq!(f.region.as_deref(), Some("emea"));
        assert_eq!(f.territories, vec!["emea-ent", "germany"]);
        assert_eq!(f.email_domain.as_deref(), Some("acme.com"));
        lead.employees = Some(199);
        assert_eq!(seg.facts(&lead).territories, vec!["germany"]);
    }

    #[test]
    fn unknown_region_is_a_config_error() {
        let seg: Segmentation = serde_json::from_value(json!({
            "territories": [{"name": "x", "regions": ["mars"]}]
        }))
        .unwrap();
        let e = seg.validate().unwrap_err();
        assert!(e.message().contains("mars"));
        assert_eq!(e.field(), Some("territories[0].regions"));
    }
}
