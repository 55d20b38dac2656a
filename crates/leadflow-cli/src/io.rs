//! Reading inputs: a file path or `-` for standard input.

use std::io::Read;
use std::path::Path;

use leadflow::model::{RecordReader, RecordText};
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
        return Ok(Box::new(std::io::BufReader::with_capacity(
            1 << 16,
            std::io::stdin(),
        )));
    }
    let f = std::fs::File::open(path)
        .map_err(|e| Error::from(e).with_file(path.display().to_string()))?;
    Ok(Box::new(std::io::BufReader::with_capacity(1 << 16, f)))
}

/// The records of a lead (or account, contact) file, streamed: a JSON array read
/// element by element, one object, or JSON Lines read as bytes (BOM stripped).
/// Each bad record is one entry naming its line (or index); the items' `Err` is a
/// failed read of the file itself, named after it. Every command that reads
/// record files reads them through this.
/// Records come unparsed (`RecordText::parse`), so `score` parses them on its workers.
pub fn records(path: &Path) -> Result<impl Iterator<Item = Result<RecordText>>> {
    let file = path.display().to_string();
    Ok(RecordReader::new(open_input(path)?)
        .texts()
        .map(move |r| r.map_err(|e| e.with_file(file.clone()))))
}
