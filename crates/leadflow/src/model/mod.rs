//! The domain model: leads, accounts, contacts, opportunities, their activities
//! and lifecycle history. Plain serde data; behaviour lives in the other modules.

mod account;
mod activity;
mod compact_map;
pub mod fields;
mod history;
mod lead;
mod opportunity;
pub mod parse;
mod records;

pub use account::{Account, Contact};
pub use activity::{Activity, kinds as activity_kinds};
pub use compact_map::{CompactMap, ValueRef};
pub use history::{Dimension, Transition, TransitionKind};
pub use lead::{ConversionRef, Lead, QualificationState, ScoreState};
pub use opportunity::{ForecastCategory, MAX_AMOUNT, Opportunity};
pub use parse::{Record, parse_records, split_records};
pub use records::{RawRecord, RecordReader, RecordText, RecordTexts};
