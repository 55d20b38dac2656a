//! Speed-to-lead SLAs: first touch within N minutes of creation or of reaching
//! MQL (per segment), follow-up cadence and maximum time in a status, with
//! optional business hours. Evaluated for any lead at an explicit `now`.

mod business_hours;
mod config;
mod evaluate;

pub use business_hours::BusinessHours;
pub use config::{
    ClockStart, FirstTouchPolicy, FollowUpPolicy, MAX_DAYS_IN_STATUS, MAX_WITHIN_MINUTES, SlaConfig,
};
pub use evaluate::{SlaKind, SlaReport, SlaState, SlaStatus};

#[cfg(test)]
mod tests;
