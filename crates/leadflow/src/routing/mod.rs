//! Routing and assignment, touch status, speed-to-lead SLAs and automation triggers.
