//! The way in: how a lead, a flat row or a column becomes the feature values
//! a compiled pack reads (`extract` and `activity` for leads, `rows` and
//! `row_feed` for flat records, `columns` for borrowed columnar buffers).

pub(crate) mod activity;
pub(crate) mod activity_plan;
pub(crate) mod columns;
pub(crate) mod extract;
pub(crate) mod json_text;
pub(crate) mod lead_view;
pub(crate) mod row_feed;
pub(crate) mod rows;
pub(crate) mod schema;
pub(crate) mod spelling;
