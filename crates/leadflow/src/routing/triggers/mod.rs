//! Automation triggers: on events (score crossed a threshold, stage or status
//! changed, SLA breached, opportunity closed, lead matched an account), when a
//! condition holds, plan actions (set stage/status, route or assign, convert,
//! recycle, notify). Evaluation returns the ordered actions as data; nothing is
//! sent or changed. Loop protection and one-shot triggers are built in.

mod config;
mod engine;
mod event;

pub use config::{ActionSpec, Direction, On, Recipient, Trigger, TriggerConfig};
pub use engine::{Action, Notification, PlannedAction, TriggerEngine, TriggerState};
pub use event::Event;

#[cfg(test)]
mod tests;
