//! leadflow in Rust: score, explain, qualify and convert the sample leads.
//! Run it with `cargo run -p leadflow --example quickstart`.

use std::path::Path;

use leadflow::convert::{ConvertOptions, convert};
use leadflow::lifecycle::Pipeline;
use leadflow::model::{Record, parse_records};
use leadflow::rules::{CompiledPack, ScoreOptions};
use leadflow::{Account, Lead, parse_timestamp};

fn main() -> leadflow::Result<()> {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let now = parse_timestamp("2026-03-01T12:00:00Z")?;

    // Compile the pack once; the compiled pack is shared by every lead and thread.
    let pack = CompiledPack::load(examples.join("packs/b2b-saas"))?;
    let pipeline = Pipeline::default();

    // One result per record: a bad record is an error entry, never a failed batch.
    let text = std::fs::read_to_string(examples.join("data/sample-leads.jsonl"))?;
    let mut leads: Vec<Lead> = parse_records(&text).into_iter().collect::<Result<_, _>>()?;

    for result in pack.score_batch(&leads, now, ScoreOptions::default()) {
        let s = result?;
        println!(
            "{:8} {:5.1} {} {}",
            s.lead_id,
            s.total,
            s.grade.as_str(),
            s.temperature.as_str()
        );
    }

    // Every point explained.
    let why = pack.explain(&leads[7], now)?;
    for rule in why.explanation.iter().flat_map(|e| &e.rules) {
        println!("  {:+6.1}  {}", rule.points, rule.reason);
    }

    // Score, qualify and move through the lifecycle; moves land in history.
    let lead = &mut leads[7];
    let evaluation = pack.evaluate(lead, &pipeline, now)?;
    println!(
        "{} is now {:?} after {} moves",
        lead.id,
        lead.stage,
        evaluation.moves.len()
    );

    // Convert into account + contact + opportunity, matched against existing accounts.
    let accounts: Vec<Account> = serde_json::from_str(&std::fs::read_to_string(
        examples.join("data/accounts.json"),
    )?)?;
    let result = convert(lead, &accounts, &[], &ConvertOptions::default(), now)?;
    println!(
        "converted into account {} ({:?})",
        result.account.id, result.account_change
    );
    println!(
        "lead record: {}",
        serde_json::to_string(&lead.to_value()["conversion"])?
    );
    Ok(())
}
