//! The host's sandbox limits as command-line flags (`docs/sandbox.md`), shared by
//! every command that loads a pack. A pack's own `[limits]` may only lower them.

use leadflow::Result;
use leadflow::rules::LoadOptions;
use leadflow::sandbox::Limits;

#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Sandbox limits (the host's ceilings; a pack may only lower them)")]
pub struct LimitArgs {
    /// rhai operations per script run of one lead [default: 10000]
    #[arg(long, value_name = "N")]
    pub max_operations: Option<u64>,
    /// Nested function calls in a script (at most 64) [default: 32]
    #[arg(long, value_name = "N")]
    pub max_call_depth: Option<usize>,
    /// Nesting of expressions (at most 128) [default: 64]
    #[arg(long, value_name = "N")]
    pub max_expr_depth: Option<usize>,
    /// Bytes of one string [default: 16384]
    #[arg(long, value_name = "BYTES")]
    pub max_string_size: Option<usize>,
    /// Elements of one array [default: 4096]
    #[arg(long, value_name = "N")]
    pub max_array_size: Option<usize>,
    /// Entries of one object map [default: 1024]
    #[arg(long, value_name = "N")]
    pub max_map_size: Option<usize>,
    /// CPU microseconds one lead may spend in scripts [default: 5000]
    #[arg(long, value_name = "US")]
    pub lead_time_us: Option<u64>,
    /// Wall milliseconds the whole run may spend in scripts (per chunk of leads) [default: none]
    #[arg(long, value_name = "MS")]
    pub batch_time_ms: Option<u64>,
    /// Bytes of one pack file [default: 1 MiB]
    #[arg(long, value_name = "BYTES")]
    pub max_file_bytes: Option<u64>,
    /// Bytes of all files of the pack [default: 8 MiB]
    #[arg(long, value_name = "BYTES")]
    pub max_pack_bytes: Option<u64>,
}

impl LimitArgs {
    /// The load options: the defaults with the given flags; out-of-range values are a
    /// `ConfigError` naming the key.
    pub fn options(&self) -> Result<LoadOptions> {
        let d = Limits::default();
        let limits = Limits {
            max_operations: self.max_operations.unwrap_or(d.max_operations),
            max_call_depth: self.max_call_depth.unwrap_or(d.max_call_depth),
            max_expr_depth: self.max_expr_depth.unwrap_or(d.max_expr_depth),
            max_string_size: self.max_string_size.unwrap_or(d.max_string_size),
            max_array_size: self.max_array_size.unwrap_or(d.max_array_size),
            max_map_size: self.max_map_size.unwrap_or(d.max_map_size),
            lead_time_us: self.lead_time_us.unwrap_or(d.lead_time_us),
            batch_time_ms: self.batch_time_ms.or(d.batch_time_ms),
            max_file_bytes: self.max_file_bytes.unwrap_or(d.max_file_bytes),
            max_pack_bytes: self.max_pack_bytes.unwrap_or(d.max_pack_bytes),
        };
        limits.validate()?;
        Ok(LoadOptions::with_limits(limits))
    }
}
