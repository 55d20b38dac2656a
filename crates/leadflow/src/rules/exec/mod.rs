//! The evaluators: native rules over one row (`native`) or a block of rows
//! (`vector`), the per-lead program loop (`program`), the sandboxed rhai tier
//! (`script`), and the lifecycle moves a score triggers (`evaluate`).

pub(crate) mod evaluate;
pub(crate) mod native;
pub(crate) mod program;
pub(crate) mod script;
pub(crate) mod vector;
