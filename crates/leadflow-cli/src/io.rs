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

/// Opens an input file, or standard input for `-`, for streaming reads.
pub fn open_input(path: &Path) -> Result<Box<dyn std::io::BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(std::io::BufReader::new(std::io::stdin())));
    }
    let f = std::fs::File::open(path)
        .map_err(|e| Error::from(e).with_file(path.display().to_string()))?;
    Ok(Box::new(std::io::BufReader::new(f)))
}
