//! One module per subcommand.

pub mod check;
pub mod convert;
pub mod demo;
pub mod generate;
pub mod report;
pub mod score;
pub mod validate;
