//! `scoreMany` over plain objects: the array crosses as JSON text (one text per
//! element, see [`Records`]), then the core's row batch scores flat records
//! without building a `Lead` for them (records with activities, `custom`, wrong
//! types ... are parsed as full leads).

use leadflow::Timestamp;
use leadflow::rules::{CompiledPack, InputOptions, ScoreResult};

use crate::pack::Entry;
use crate::values::Records;

/// Scores a batch of records (any thread): one JSON entry
/// (`ScoreResult` or `{error}`) per record, in order, identical to scoring each
/// lead on its own. Keys read as `opts` says (`Title` is `title`, explicit
/// mappings win); a mapping the pack cannot read fails the batch.
pub fn score_rows(
    pack: &CompiledPack,
    records: Records,
    now: Timestamp,
    explain: bool,
    opts: &InputOptions,
) -> leadflow::Result<String> {
    // A record may omit any key: only the mapping itself is checked up front.
    let mapped: Vec<&str> = opts.columns.iter().map(|(c, _)| c.as_str()).collect();
    pack.record_schema(&mapped, opts)?;
    let values = records.values();
    let entries: Vec<Entry<ScoreResult>> = pack
        .score_values_with(values, now, explain, opts)
        .into_iter()
        .map(Entry::from)
        .collect();
    Ok(serde_json::to_string(&entries)?)
}
