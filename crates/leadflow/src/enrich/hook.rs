//! The enrichment hook: host-provided providers of firmographic data.

use serde_json::json;

use super::apply::{EnrichmentData, EnrichmentReport, apply_enrichment};
use crate::error::{Error, Result};
use crate::model::Lead;

/// A source of data about a lead's person and company, implemented by the host:
/// a Rust service calling its data vendor, or (through the bindings) a Python or
/// Node callable. Must be `Send + Sync` so batches can run on several threads.
pub trait Enricher: Send + Sync {
    /// The provider name recorded in `lead.provenance` (`clearbit`, `crm`, `zoominfo`).
    fn name(&self) -> &str;
    /// What the provider knows about this lead. Return empty data for "nothing
    /// found"; an error only for a failure (timeout, bad credentials, bad response).
    fn enrich(&self, lead: &Lead) -> Result<EnrichmentData>;
}

/// Runs `enrichers` in order on one lead, each filling only what is still empty
/// (so the first provider to know a field wins), and returns what was applied
/// and rejected.
///
/// All or nothing per lead: if an enricher fails, the lead is left exactly as it
/// was and the error names the provider (in the message and in
/// `details.provider`) and the lead.
pub fn enrich_lead(lead: &mut Lead, enrichers: &[&dyn Enricher]) -> Result<EnrichmentReport> {
    let mut work = lead.clone();
    let mut report = EnrichmentReport::default();
    for enricher in enrichers {
        let provider = enricher.name();
        let data = enricher.enrich(&work).map_err(|e| {
            Error::new(
                e.kind(),
                format!("enricher {provider:?} failed: {}", e.message()),
            )
            .with_record(&lead.id)
            .with_details(json!({"provider": provider}))
        })?;
        report.extend(apply_enrichment(&mut work, &data, provider)?);
    }
    *lead = work;
    Ok(report)
}

/// [`enrich_lead`] for every lead: one result per lead, in order; a failing
/// lead does not stop the others.
pub fn enrich_leads(
    leads: &mut [Lead],
    enrichers: &[&dyn Enricher],
) -> Vec<Result<EnrichmentReport>> {
    leads
        .iter_mut()
        .map(|lead| enrich_lead(lead, enrichers))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::time::parse_timestamp;

    struct Fixed(&'static str, EnrichmentData);
    impl Enricher for Fixed {
        fn name(&self) -> &str {
            self.0
        }
        fn enrich(&self, _: &Lead) -> Result<EnrichmentData> {
            Ok(self.1.clone())
        }
    }

    struct Failing;
    impl Enricher for Failing {
        fn name(&self) -> &'static str {
            "flaky"
        }
        fn enrich(&self, _: &Lead) -> Result<EnrichmentData> {
            Err(Error::new(ErrorKind::Io, "timeout after 2s"))
        }
    }

    fn lead(id: &str) -> Lead {
        Lead::new(id, parse_timestamp("2026-01-01T00:00:00Z").unwrap())
    }

    fn data(industry: &str, employees: u64) -> EnrichmentData {
        EnrichmentData {
            industry: Some(industry.into()),
            employees: Some(employees),
            ..EnrichmentData::default()
        }
    }

    #[test]
    fn first_provider_wins_and_later_conflicts_are_reported() {
        let a = Fixed("crm", data("Software", 120));
        let b = Fixed("vendor", data("Software", 150));
        let mut l = lead("L-1");
        let report = enrich_lead(&mut l, &[&a, &b]).unwrap();
        assert_eq!(l.industry.as_deref(), Some("Software"));
        assert_eq!(l.employees, Some(120));
        assert_eq!(l.provenance["industry"], "crm");
        assert_eq!(l.provenance["employees"], "crm");
        assert_eq!(report.applied, ["industry", "employees"]);
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].field, "employees");
        assert_eq!(report.rejected[0].provider, "vendor");
    }

    #[test]
    fn a_failing_enricher_leaves_the_lead_untouched_and_names_itself() {
        let a = Fixed("crm", data("Software", 120));
        let mut l = lead("L-2");
        let before = l.clone();
        let err = enrich_lead(&mut l, &[&a, &Failing]).unwrap_err();
        assert_eq!(l, before);
        assert_eq!(err.kind(), ErrorKind::Io);
        assert_eq!(err.record(), Some("L-2"));
        assert!(err.message().contains("\"flaky\""), "{err}");
        assert_eq!(err.details().unwrap()["provider"], "flaky");
    }

    #[test]
    fn batch_keeps_going() {
        struct FailsOn(&'static str);
        impl Enricher for FailsOn {
            fn name(&self) -> &'static str {
                "picky"
            }
            fn enrich(&self, lead: &Lead) -> Result<EnrichmentData> {
                if lead.id == self.0 {
                    Err(Error::validation("bad response"))
                } else {
                    Ok(data("Finance", 10))
                }
            }
        }
        let mut leads = vec![lead("a"), lead("b"), lead("c")];
        let out = enrich_leads(&mut leads, &[&FailsOn("b")]);
        assert!(out[0].is_ok() && out[2].is_ok());
        assert_eq!(out[1].as_ref().unwrap_err().record(), Some("b"));
        assert_eq!(leads[2].industry.as_deref(), Some("Finance"));
        assert_eq!(leads[1].industry, None);
    }
}
