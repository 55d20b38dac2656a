//! Funnel metrics, velocity, status board, pipeline forecast and attribution,
//! computed from lifecycle history.
