//! Memory of parsed leads: live heap bytes held by `Lead`s parsed from JSON
//! text, per lead and per activity, counted by a global allocator that tracks
//! live bytes. Leads of the reference workload with 36 activities each (about
//! the reference leads' mean) and, for the marginal cost, with none.
//!
//! `cargo run --release -p leadflow-benches --bin lead-memory [-- --n 2000 --activities 36]`
#![allow(unsafe_code)] // the counting allocator: GlobalAlloc is an unsafe trait

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use leadflow::model::parse_records;
use leadflow::{Lead, synth};

/// Live heap bytes (allocated minus freed) of the whole process.
static LIVE: AtomicIsize = AtomicIsize::new(0);

struct Counting;

fn signed(n: usize) -> isize {
    isize::try_from(n).unwrap_or(isize::MAX)
}

// SAFETY: every call is forwarded to the system allocator unchanged; only
// counters are updated besides.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(signed(layout.size()), Ordering::Relaxed);
        // SAFETY: the caller upholds `alloc`'s contract, which we pass on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(signed(layout.size()), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with `layout` (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(signed(layout.size()), Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(signed(new_size) - signed(layout.size()), Ordering::Relaxed);
        // SAFETY: `ptr`/`layout` come from this allocator; the caller upholds the rest.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The JSON text of `n` workload leads with `activities` each, and the live
/// heap bytes their parsed `Lead`s hold.
fn parsed_bytes(n: usize, activities: usize) -> Result<(usize, isize), String> {
    let now = leadflow::parse_timestamp("2026-03-01T00:00:00Z").map_err(|e| e.to_string())?;
    let mut text = String::new();
    for lead in synth::reference_leads_with_activities(n, synth::DEFAULT_SEED, now, activities) {
        text.push_str(&serde_json::to_string(&lead).map_err(|e| e.to_string())?);
        text.push('\n');
    }
    let before = LIVE.load(Ordering::Relaxed);
    let mut leads = parse_records::<Lead>(&text)
        .into_iter()
        .collect::<Result<Vec<Lead>, _>>()
        .map_err(|e| e.to_string())?;
    leads.shrink_to_fit();
    let held = LIVE.load(Ordering::Relaxed) - before;
    drop(leads);
    Ok((text.len(), held))
}

fn run() -> Result<(), String> {
    let (mut n, mut activities) = (2000usize, 36usize);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value: usize = args
            .next()
            .ok_or(format!("{flag} needs a value"))?
            .parse()
            .map_err(|e| format!("{flag}: {e}"))?;
        match flag.as_str() {
            "--n" => n = value.max(1),
            "--activities" => activities = value.max(1),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let (json, held) = parsed_bytes(n, activities)?;
    let (_, bare) = parsed_bytes(n, 0)?;
    let per = |bytes: isize, count: usize| bytes as f64 / count as f64;
    println!("parsed Lead, {n} leads x {activities} activities (the reference workload):");
    println!("  JSON text      {:>9.0} B per lead", per(signed(json), n));
    println!("  parsed Lead    {:>9.0} B per lead", per(held, n));
    println!(
        "  per activity   {:>9.0} B (all bytes / activities)",
        per(held, n * activities)
    );
    println!(
        "  per activity   {:>9.0} B (marginal: minus the same leads without activities)",
        per(held - bare, n * activities)
    );
    println!(
        "  digested       {:>9} B per activity (benches/lead_input/digested.rs)",
        16
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("lead-memory: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
