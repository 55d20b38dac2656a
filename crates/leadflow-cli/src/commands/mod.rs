//! One module per subcommand.

pub mod check;
pub mod convert;
pub mod demo;
pub mod generate;
pub mod report;
pub mod route;
pub mod score;
pub mod score_output;
pub mod sla;
pub mod validate;
