//! Routing and assignment, touch status, speed-to-lead SLAs and automation triggers.
//!
//! - [`Router`]: assigns leads to reps, teams or queues from a [`RoutingConfig`]
//!   and an explicit, serializable [`RoutingState`]; never drops a lead.
//! - [`condition`]: the declarative conditions shared by rules, SLAs and triggers.
//!
//! Everything here is deterministic: the same config, state, lead and `now`
//! always give the same result, and nothing reads the wall clock.

pub mod assign;
pub mod condition;
pub mod config;
mod load;
mod script_host;
mod scripts;
pub mod sla;
pub mod state;
pub mod territory;
pub mod touch;
pub mod triggers;
pub mod zone;

pub use assign::{
    AccountMatch, AccountMatcher, Assignee, Assignment, ExistingAccounts, FallbackReason, Router,
    RuleError, SkipReason, Skipped, Via,
};
pub use condition::{Condition, LeadFacts, LeadView, ScriptHost};
pub use config::{Ownership, Rep, RoutingConfig, Rule, Strategy, Target, Team};
pub use load::ConfigFormat;
pub use script_host::ScriptConditions;
pub use sla::{SlaConfig, SlaReport, SlaState, SlaStatus};
pub use state::RoutingState;
pub use territory::Segmentation;
pub use touch::{TouchKind, TouchPolicy, TouchResult, TouchSummary};
pub use triggers::{Event, PlannedAction, TriggerConfig, TriggerEngine, TriggerState};
pub use zone::Zone;

#[cfg(test)]
mod script_tests;
