//! # leadflow
//!
//! An embeddable lead-management engine: the rules and state that move a lead
//! from first touch to a qualified opportunity. A CRM stores the records;
//! leadflow decides what happens to them.
//!
//! - [`model`]: `Lead`, `Account`, `Contact`, `Opportunity` as serde data that
//!   round-trips JSON losslessly (unknown fields are kept).
//! - [`lifecycle`]: configurable state machines for lead stage, lead status and
//!   opportunity stage; every move is recorded in history, none is silently dropped.
//! - [`normalize`]: e-mail, domain and company-name normalization used for matching.
//! - [`convert`]: plan and apply the conversion of a lead into account, contact
//!   and opportunity, with matching against existing records.
//! - [`rules`]: sandboxed rule packs that score and explain leads, by stage:
//!   `define` (what a pack is), `compile`, `exec` (the evaluators), `input` (every reader).
//! - [`enrich`]: derived fields (domains, bands, title seniority and role) and enrichment hooks.
//! - [`qualify`]: qualification frameworks (BANT, MEDDIC, ...) and their verdicts.
//! - [`routing`]: assignment, touch status, speed-to-lead SLAs and triggers.
//! - [`sandbox`]: the host-owned limits, time budgets and file access of every script.
//! - [`metrics`]: funnel, velocity and pipeline metrics from history.
//! - [`boundary`]: catching panics at the Python and Node boundaries, quietly.
//! - [`synth`]: the seeded reference scoring workload (synthetic leads and feature
//!   rows) and its hand-written scorer, shared by tests and benchmarks.
//!
//! Conventions shared by every module:
//! - No wall clock: every time-dependent function takes an explicit `now`.
//! - One error type, [`Error`], with a stable [`ErrorKind`] that the Python and
//!   Node bindings expose under the same names.
//! - Batch functions return one result per record; one bad record never fails a batch.
#![forbid(unsafe_code)]

pub mod boundary;
mod bytes;
pub mod convert;
pub mod enrich;
pub mod error;
pub mod lifecycle;
pub mod metrics;
pub mod model;
pub mod normalize;
pub mod qualify;
pub mod routing;
pub mod rules;
pub mod sandbox;
pub mod synth;
pub mod time;

pub use error::{Error, ErrorKind, Result};
pub use model::{Account, Activity, Contact, Lead, Opportunity, Record};
pub use time::{Timestamp, parse_timestamp};
