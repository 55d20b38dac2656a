//! One module per subcommand.

pub mod convert;
pub mod generate;
pub mod route;
pub mod sla;
pub mod validate;
