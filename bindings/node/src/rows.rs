//! `scoreMany` over plain objects: the array crosses as JSON text (one text per
//! element, see [`Records`]), then the core's row batch scores flat records
//! without building a `Lead` for them (records with activities, `custom`, wrong
//! types ... are parsed as full leads).

use leadflow::Timestamp;
use leadflow::rules::{CompiledPack, ScoreResult};

use crate::pack::Entry;
use crate::values::Records;

/// Scores a batch of records (any thread): one JSON entry
/// (`ScoreResult` or `{error}`) per record, in order, identical to scoring each
/// lead on its own.
pub fn score_rows(
    pack: &CompiledPack,
    records: Records,
    now: Timestamp,
    explain: bool,
) -> leadflow::Result<String> {
    let values = records.values();
    let entries: Vec<Entry<ScoreResult>> = pack
        .score_values(values, now, explain)
        .into_iter()
        .map(Entry::from)
        .collect();
    Ok(serde_json::to_string(&entries)?)
}
