//! Enrichment: fields derived from a lead before rules run (domains, company
//! name, employee band, seniority, department), and the hook through which a
//! host adds firmographic data from its own providers.
//!
//! See `docs/enrichment.md` for the JSON shapes and the title-parsing rules.

mod apply;
mod band;
mod derived;
mod hook;
mod role;
pub mod title;

pub use apply::{EnrichmentData, EnrichmentReport, RejectReason, Rejected, apply_enrichment};
pub use band::EmployeeBand;
pub use derived::{DERIVED_PROVIDER, Derived, derive, fill_website_from_email};
pub use hook::{Enricher, enrich_lead, enrich_leads};
pub use role::{Department, Seniority};
pub use title::{TitleInfo, parse_title};
