//! Panics at a language boundary (the Python and Node bindings share this).
//! Every binding entry catches a panic (a leadflow bug) with [`catch`] and reports
//! it to the host as `InternalError`; the hook [`install_hook`] installs once keeps
//! those caught panics off the host's stderr (set `LEADFLOW_BACKTRACE=1` to print
//! them with a backtrace). Panics of the host's own threads still go to the hook
//! that was installed before.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Once;

thread_local! {
    /// Calls in progress on this thread that catch panics (nested calls count).
    static CATCHING: Cell<u32> = const { Cell::new(0) };
}

/// Installs the hook (once per process, whatever the number of imports).
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !caught_at_boundary() {
                previous(info);
            } else if std::env::var_os("LEADFLOW_BACKTRACE").is_some_and(|v| v == "1") {
                report(info);
            }
        }));
    });
}

/// True on a thread whose panic the binding catches: one inside a call, or a
/// worker of leadflow (rayon's pool of this library, the `leadflow-*` threads),
/// whose panics resume on the calling thread.
fn caught_at_boundary() -> bool {
    CATCHING.with(Cell::get) > 0
        || rayon::current_thread_index().is_some()
        || std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with("leadflow-"))
}

fn report(info: &PanicHookInfo<'_>) {
    let at = info
        .location()
        .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
    let backtrace = std::backtrace::Backtrace::force_capture();
    eprintln!(
        "leadflow panicked{at}: {}\n{backtrace}",
        message(info.payload())
    );
}

/// Runs `work`, catching a panic: `Err` holds its message.
pub fn catch<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    CATCHING.with(|c| c.set(c.get() + 1));
    let out = panic::catch_unwind(AssertUnwindSafe(work));
    CATCHING.with(|c| c.set(c.get().saturating_sub(1)));
    out.map_err(|payload| {
        let text = message(payload.as_ref());
        // A payload whose destructor panics again must not unwind out of here.
        std::mem::forget(payload);
        text
    })
}

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_owned())
}
