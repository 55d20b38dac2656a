//! Enrichment: fields derived from a lead before rules run (domains, company
//! name, employee band, seniority, department), and the hook through which a
//! host adds firmographic data from its own providers.

mod role;
pub mod title;

pub use role::{Department, Seniority};
pub use title::{TitleInfo, parse_title};
