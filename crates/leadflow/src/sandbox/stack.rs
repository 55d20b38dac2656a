//! A known amount of native stack for parsing and running scripts.
//!
//! rhai parses and evaluates recursively. The depth limits ([`super::Limits::HARD`])
//! bound the recursion, and this module makes sure the stack below is large enough
//! for them wherever the host calls from: the Python main thread, a Node worker with
//! a small stack, a rayon worker. When less than [`RED_ZONE`] is left, the work runs
//! on a fresh segment of [`SEGMENT`] bytes (stacker, as rustc does), which costs one
//! comparison when the stack is already deep enough.

/// Stack that must be left before script work starts: recursion to the hard call
/// depth (64) needs 1-2 MiB in a debug build (measured by the ignored test
/// `stack_need`), far less in release. Below the 2 MiB of a rayon worker in
/// release, so batch workers do not switch stacks per lead.
pub(crate) const RED_ZONE: usize = if cfg!(debug_assertions) {
    4 << 20
} else {
    1 << 20
};
/// Size of a fresh segment when less is left.
pub(crate) const SEGMENT: usize = 16 << 20;

/// Runs `f` with at least [`RED_ZONE`] bytes of native stack available.
pub(crate) fn with_stack<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}
