//! Reading inputs: a file path or `-` for standard input.

use std::io::Read;
use std::path::Path;

use leadflow::{Error, Result};

/// Reads a whole input file, or standard input for `-`.
pub fn read_input(path: &Path) -> Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s)?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| Error::from(e).with_file(path.display().to_string()))
}
