//! Lifecycle state machines: lead stage, lead status and opportunity stage,
//! configurable, with full history.
