//! Time budgets for script work: a CPU budget per lead and a wall-clock budget per
//! batch call, checked from rhai's progress callback.
//!
//! One rhai operation can be arbitrarily expensive (a `split` of a 16 KB string, a sort
//! of 4,000 strings), so operation counts alone do not bound a lead's time.
//!
//! A lead is stopped once it has run for its budget in wall time *and then* spent a
//! tenth of the budget more in CPU time. The cheap wall clock is read every
//! [`CHECK_EVERY`] operations; the thread CPU clock (a system call, about 1.4 µs on a
//! virtual machine) only after the wall budget is spent, so normal leads never pay
//! for it. A lead that was merely descheduled on a busy machine is not stopped for
//! time it did not use, and a spinning lead stops after at most 1.25x its budget of
//! CPU (a thread never gets more CPU time than wall time).

use std::cell::Cell;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind};

/// Operations between two clock reads: at most a few microseconds of normal script
/// work, and a bound on how far a run of expensive operations overshoots.
pub(crate) const CHECK_EVERY: u64 = 16;

/// Why script work was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The lead's CPU budget is spent.
    Lead,
    /// The batch's wall-clock budget is spent.
    Batch,
}

impl Stop {
    /// The `LimitExceeded` error. It names no duration (the default differs between
    /// debug and release builds, and fixtures compare messages) and no position
    /// (where a budget runs out depends on the machine, not on the input).
    pub(crate) fn error(self) -> Error {
        let (message, limit) = match self {
            Stop::Lead => ("the lead's time budget is spent", "lead_time_us"),
            Stop::Batch => ("the batch's time budget is spent", "batch_time_ms"),
        };
        Error::new(
            ErrorKind::LimitExceeded,
            format!("sandbox limit exceeded: {message}"),
        )
        .with_details(serde_json::json!({ "limit": limit }))
    }
}

/// The error for a script run that the progress callback terminated: the budget
/// the last check on this thread found spent (and forgets it).
pub(crate) fn stop_error() -> Error {
    STOPPED.take().unwrap_or(Stop::Lead).error()
}

#[derive(Debug, Clone, Copy)]
struct Lead {
    budget: Duration,
    wall_start: Instant,
    /// The thread's CPU time when the wall budget was first found spent.
    cpu_mark: Option<Duration>,
}

thread_local! {
    static LEAD: Cell<Option<Lead>> = const { Cell::new(None) };
    /// The wall-clock end of the batch this thread works for.
    static BATCH: Cell<Option<Instant>> = const { Cell::new(None) };
    /// The reason the last check stopped a run on this thread.
    static STOPPED: Cell<Option<Stop>> = const { Cell::new(None) };
}

/// This thread's CPU time (wall time where the platform has no thread clock).
#[cfg(unix)]
fn cpu_now() -> Option<Duration> {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    let secs = u64::try_from(t.tv_sec).ok()?;
    let nanos = u32::try_from(t.tv_nsec).ok()?;
    Some(Duration::new(secs, nanos))
}

#[cfg(not(unix))]
fn cpu_now() -> Option<Duration> {
    None
}

/// Starts the CPU budget of one lead's script work on this thread; it ends when the
/// guard drops. Nested calls keep the outer budget.
#[must_use]
pub(crate) fn lead(budget: Duration) -> LeadGuard {
    let outer = LEAD.get();
    if outer.is_none() {
        LEAD.set(Some(Lead {
            budget,
            wall_start: Instant::now(),
            cpu_mark: None,
        }));
    }
    STOPPED.set(None);
    LeadGuard { outer }
}

/// Ends a lead's budget (restores the outer one, if any).
#[derive(Debug)]
pub(crate) struct LeadGuard {
    outer: Option<Lead>,
}

impl Drop for LeadGuard {
    fn drop(&mut self) {
        LEAD.set(self.outer);
    }
}

/// The wall-clock end of a batch that starts now, if it has a budget.
pub(crate) fn batch_end(budget: Option<Duration>) -> Option<Instant> {
    budget.and_then(|b| Instant::now().checked_add(b))
}

/// Enters a batch's budget on this thread (each worker task of a batch enters it);
/// it ends when the guard drops.
#[must_use]
pub(crate) fn enter_batch(end: Option<Instant>) -> BatchGuard {
    let outer = BATCH.get();
    if end.is_some() {
        BATCH.set(end);
    }
    BatchGuard { outer }
}

/// Leaves a batch's budget.
#[derive(Debug)]
pub(crate) struct BatchGuard {
    outer: Option<Instant>,
}

impl Drop for BatchGuard {
    fn drop(&mut self) {
        BATCH.set(self.outer);
    }
}

/// Whether script work on this thread must stop now. Called from rhai's progress
/// callback (every operation; it reads a clock every [`CHECK_EVERY`]) and from the
/// compiled script tier.
pub(crate) fn expired(operations: u64) -> bool {
    if !operations.is_multiple_of(CHECK_EVERY) {
        return false;
    }
    check().is_some()
}

/// Checks both budgets now; remembers and returns the reason to stop.
pub(crate) fn check() -> Option<Stop> {
    let now = Instant::now();
    if let Some(end) = BATCH.get()
        && now >= end
    {
        STOPPED.set(Some(Stop::Batch));
        return STOPPED.get();
    }
    let mut lead = LEAD.get()?;
    if now.duration_since(lead.wall_start) < lead.budget {
        return None;
    }
    let Some(cpu) = cpu_now() else {
        // No thread clock on this platform: the wall clock decides.
        STOPPED.set(Some(Stop::Lead));
        return STOPPED.get();
    };
    let Some(mark) = lead.cpu_mark else {
        lead.cpu_mark = Some(cpu);
        LEAD.set(Some(lead));
        return None;
    };
    if cpu.saturating_sub(mark) < lead.budget / 10 {
        return None;
    }
    STOPPED.set(Some(Stop::Lead));
    STOPPED.get()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spends `d` of wall time and, where the platform has a thread clock, of CPU
    /// time too (a loaded machine must not make the test flaky).
    fn spin(d: Duration) {
        let start = Instant::now();
        let cpu = cpu_now();
        loop {
            let cpu_done = match (cpu, cpu_now()) {
                (Some(a), Some(b)) => b.saturating_sub(a) >= d,
                _ => true,
            };
            if cpu_done && start.elapsed() >= d {
                return;
            }
            std::hint::spin_loop();
        }
    }

    #[test]
    fn a_lead_budget_expires_after_cpu_time_is_spent() {
        let _g = lead(Duration::from_millis(2));
        assert!(!expired(CHECK_EVERY));
        spin(Duration::from_millis(3));
        // Wall budget spent: the CPU clock is marked, the lead goes on ...
        if cfg!(unix) {
            assert!(!expired(CHECK_EVERY));
            spin(Duration::from_millis(1));
        }
        // ... until it spends a tenth of the budget more.
        assert!(expired(CHECK_EVERY));
        assert_eq!(STOPPED.take(), Some(Stop::Lead));
        assert!(
            !expired(CHECK_EVERY + 1),
            "checks only every CHECK_EVERY operations"
        );
    }

    #[test]
    fn sleeping_spends_no_cpu_budget() {
        let _g = lead(Duration::from_millis(2));
        std::thread::sleep(Duration::from_millis(5));
        if cfg!(unix) {
            assert!(check().is_none(), "a descheduled lead is not failed");
            std::thread::sleep(Duration::from_millis(5));
            assert!(check().is_none(), "sleeping uses no CPU");
        }
    }

    #[test]
    fn a_batch_budget_ends_every_lead_after_it() {
        let end = batch_end(Some(Duration::from_millis(1)));
        let batch = enter_batch(end);
        spin(Duration::from_millis(2));
        let guard = lead(Duration::from_secs(10));
        assert_eq!(check(), Some(Stop::Batch));
        drop(guard);
        drop(batch);
        let _g = lead(Duration::from_secs(10));
        assert_eq!(check(), None, "the budget ends with the batch");
    }

    #[test]
    fn guards_restore_the_outer_budget() {
        assert!(LEAD.get().is_none());
        {
            let _outer = lead(Duration::from_secs(1));
            {
                let _inner = lead(Duration::from_millis(1));
                assert_eq!(LEAD.get().map(|l| l.budget), Some(Duration::from_secs(1)));
            }
            assert!(LEAD.get().is_some());
        }
        assert!(LEAD.get().is_none());
    }
}
