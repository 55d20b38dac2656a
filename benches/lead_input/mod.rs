//! Scoring full leads (activities) from their three input forms, shared by the
//! criterion bench `leads` and the comparison runner (`benches/compare`):
//! - [`borrowed`]: JSON text through a borrowed serde parse, the hand-written
//!   baseline for JSON text;
//! - [`digested`]: pre-digested 16-byte activities, the floor of any derivation;
//! - [`leadflow_json_lines`]: leadflow from JSON text (`score_json`);
//! - [`leadflow_parse_then_score`]: leadflow's lead parser, then `score`.

pub mod borrowed;
pub mod digested;

use leadflow::rules::ScoreOptions;
use std::path::Path;

use leadflow::rules::CompiledPack;
use leadflow::{Lead, Record, Timestamp};

/// leadflow scoring JSON text lines, one core: the sum of the totals (NaN for
/// a failed line, which the checksum catches).
///
/// `CompiledPack::score_json_batch` (sequential): each line read by the borrowed
/// reader and scored without building a `Lead` (the lead parser only for a
/// line the reader does not vouch for).
pub fn leadflow_json_lines(pack: &CompiledPack, lines: &[&str], now: Timestamp) -> f64 {
    pack.score_json_batch(lines, now, ScoreOptions::default().with_sequential(true))
        .iter()
        .map(|r| r.as_ref().map_or(f64::NAN, |s| s.total))
        .sum()
}

/// The lead parser (`Lead::from_json`), then `score`, per line: what
/// [`leadflow_json_lines`] did before `score_json`, for comparison.
pub fn leadflow_parse_then_score(pack: &CompiledPack, lines: &[&str], now: Timestamp) -> f64 {
    lines
        .iter()
        .map(|line| {
            Lead::from_json(line)
                .and_then(|lead| pack.score(&lead, now))
                .map_or(f64::NAN, |s| s.total)
        })
        .sum()
}

/// The non-empty lines of a JSON Lines text, at most `n`.
pub fn json_lines(text: &str, n: usize) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect()
}

/// The reference pack (`examples/packs/reference`: the 25 rules, all native).
///
/// # Errors
/// A message naming the folder when the pack does not load.
pub fn reference_pack() -> Result<CompiledPack, String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/packs/reference");
    CompiledPack::load(&dir).map_err(|e| format!("{}: {e}", dir.display()))
}
