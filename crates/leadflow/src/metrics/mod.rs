//! Funnel metrics, velocity, status board, pipeline forecast and attribution,
//! computed from lifecycle history.
//!
//! CRMs usually count leads by their *current* stage, so a lead that moved on no
//! longer counts for the stages it passed. Here every metric is computed from
//! stage history, with an explicit period and `now`:
//!
//! ```
//! use leadflow::metrics::{MetricsAccumulator, MetricsConfig, Period, utc};
//! use leadflow::parse_timestamp;
//!
//! let period = Period::parse("2026-Q3", utc())?;
//! let now = parse_timestamp("2026-10-01T00:00:00Z")?;
//! let mut acc = MetricsAccumulator::new(MetricsConfig::new(period, now))?;
//! // for lead in stream { acc.add_lead(&lead) } ... acc.merge(&other_partition)?
//! let report = acc.finish();
//! assert_eq!(report.funnel.groups.total.cohort_size, 0);
//! # Ok::<(), leadflow::Error>(())
//! ```
//!
//! Definitions of every figure are in `docs/metrics.md`.

mod aggregate;
mod attribution;
mod board;
mod conversion;
mod facts;
mod fast_time;
mod funnel;
mod group;
mod histogram;
mod ladder;
mod options;
mod period;
mod pipeline;
mod profile;
pub mod render;
mod request;
pub mod sample;
mod velocity;
pub mod view;
mod wire;

pub use aggregate::{
    ConversionReport, MetricsAccumulator, MetricsReport, compute, compute_parallel,
};
pub use attribution::{AttributionReport, AttributionRow};
pub use board::{BoardReport, OwnerBoard, StalledLead, StatusCell};
pub use conversion::{ConversionGroup, ConversionRate};
pub use facts::LeadFacts;
pub use fast_time::parse_rfc3339;
pub use funnel::{FunnelGroup, FunnelReport, FunnelStage};
pub use group::{Grouped, Merge, NONE_KEY};
pub use histogram::{DurationHistogram, DurationStats};
pub use ladder::{DEFAULT_LADDER, Ladder, default_ladder};
pub use options::{Cost, DEFAULT_TOUCH_TYPES, MetricsConfig, MetricsOptions};
pub use period::{Period, parse_offset, utc};
pub use pipeline::{Forecast, PipelineFigures, PipelineReport};
pub use request::{PeriodSpec, config_from_request, run_request};
pub use velocity::{SpeedBucket, SpeedToLead, StageTime, StageToStage, VelocityReport};
pub use view::{ActivityView, LeadView};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod view_tests;
