//! Panics at the binding boundary: the core's [`leadflow::boundary`], shared with
//! the other binding (a caught panic becomes `InternalError`; the hook keeps caught
//! panics off the host's stderr unless `LEADFLOW_BACKTRACE=1`).

pub use leadflow::boundary::{catch, install_hook};
