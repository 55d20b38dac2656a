//! Lead conversion into account, contact and opportunity, and matching of leads
//! to existing records.
