//! Lifecycle state machines: lead stage, lead status and opportunity stage.
//!
//! Three separate dimensions, each configurable (see [`LifecycleConfig`]) with
//! built-in defaults:
//! - **stage**: where the buyer is (`subscriber < lead < mql < sal < sql <
//!   opportunity < customer < evangelist`, plus `other`). Forward moves may skip
//!   stages (recorded as `skip`); backward moves are explicit recycles with a reason.
//! - **status**: what sales is doing (`new -> attempting -> connected -> qualified |
//!   unqualified | nurture | converted`), with an attempt counter.
//! - **opportunity stage**: the deal pipeline, with probability and forecast category.
//!
//! A refused move is an `InvalidTransition` error naming the record and both states;
//! nothing is silently ignored. Every accepted move appends a [`Transition`] to the
//! record's history, stamped with the explicit time of the [`Change`].
//!
//! [`Transition`]: crate::model::Transition

mod change;
mod config;
mod defaults;
pub mod history;
mod opportunity;
mod pipeline;
mod status;

pub use change::Change;
pub use config::{
    ConfigFormat, LifecycleConfig, OpportunityConfig, OpportunityStageDef, StageConfig,
    StatusConfig, parse_config,
};
pub use pipeline::Pipeline;
pub use status::TouchOutcome;

#[cfg(test)]
mod tests;
