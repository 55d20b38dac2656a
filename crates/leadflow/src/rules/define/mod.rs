//! What a pack is: its manifest, how it is loaded (folders, files, strings),
//! the texts it was built from, the features it reads, and its lint.

pub(crate) mod features;
pub(crate) mod lint;
pub(crate) mod load;
pub mod manifest;
pub(crate) mod sources;
