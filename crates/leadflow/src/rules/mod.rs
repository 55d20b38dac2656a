//! The rules engine: enrichment, scoring, explanation and qualification from
//! rule packs (declarative and sandboxed rhai).

pub mod enrich;
pub mod qualify;
