//! Qualification frameworks (BANT, CHAMP, MEDDIC, MEDDPICC, or your own) as
//! data, evaluated against per-criterion evidence under a configurable policy.
//!
//! ```
//! use leadflow::qualify::{Evidence, Framework, Outcome, Status, evaluate};
//!
//! let bant = Framework::builtin("BANT").unwrap();
//! let mut evidence = Evidence::new();
//! evidence
//!     .set("budget", Status::Confirmed, Some("50k approved".into()))
//!     .set("authority", Status::Confirmed, None)
//!     .set("need", Status::Partial, None);
//! let result = evaluate(bant, &evidence, &bant.default_policy()).unwrap();
//! assert_eq!(result.outcome, Outcome::NotYet);
//! assert_eq!(result.missing, ["need", "timeline"]);
//! ```
//!
//! See `docs/qualification.md` for the JSON shapes.

mod evaluate;
mod evidence;
mod framework;
mod from_lead;
mod policy;

pub use evaluate::{CriterionResult, Outcome, QualificationResult, evaluate};
pub use evidence::{CriterionEvidence, Evidence, Status};
pub use framework::{Criterion, Framework};
pub use from_lead::EVIDENCE_FIELD;
pub use policy::Policy;
