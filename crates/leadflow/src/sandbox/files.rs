//! [`PackDir`]: the only way a pack reads files. Every file must be a regular file
//! inside the pack's own canonical folder (no `..`, no absolute path, no symlink that
//! leaves it, no device), and reads are capped per file and per pack.
//!
//! A vendor unpacks a customer's pack and loads it: without this, `scripts =
//! ["/etc/passwd"]` would give that customer read access to the vendor's server.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// A pack's folder, canonicalized, with the bytes read so far.
#[derive(Debug)]
pub(crate) struct PackDir {
    /// The folder as the host named it (for messages).
    shown: PathBuf,
    /// The folder canonicalized (for the checks).
    root: PathBuf,
    max_file: u64,
    max_pack: u64,
    read: u64,
}

impl PackDir {
    /// The folder `dir` (canonicalized: a symlinked pack folder is fine, what counts is
    /// where it leads).
    pub(crate) fn open(dir: &Path, max_file: u64, max_pack: u64) -> Result<Self> {
        let root = dir.canonicalize().map_err(|e| io_error(&e, dir))?;
        Ok(PackDir {
            shown: dir.to_path_buf(),
            root,
            max_file,
            max_pack,
            read: 0,
        })
    }

    /// Reads `name`, a path relative to the pack folder, as UTF-8 text. The error
    /// names the file as the pack wrote it and never quotes its content.
    pub(crate) fn read(&mut self, name: &str) -> Result<String> {
        let path = self.resolve(name)?;
        let shown = self.display_name(name);
        self.read_resolved(&path, &shown)
    }

    /// How errors and explanations name a pack file: the host's folder path joined
    /// with the name the pack gave.
    pub(crate) fn display_name(&self, name: &str) -> String {
        self.shown.join(name).display().to_string()
    }

    /// The names of the folder's `*.rhai` files, sorted (symlinks included: `read`
    /// checks where they lead).
    pub(crate) fn rhai_files(&self) -> Result<Vec<String>> {
        let mut found: Vec<String> = std::fs::read_dir(&self.root)
            .map_err(|e| io_error(&e, &self.shown))?
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .filter(|n| Path::new(n).extension().is_some_and(|e| e == "rhai"))
            .filter_map(|n| n.into_string().ok())
            .collect();
        found.sort();
        Ok(found)
    }

    /// The canonical path of `name`, refused unless it stays inside the folder.
    fn resolve(&self, name: &str) -> Result<PathBuf> {
        let rel = Path::new(name);
        let plain = rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if name.is_empty() || !plain {
            return Err(refused(
                name,
                "must be a relative path inside the pack folder (no `..`, no absolute path)",
            ));
        }
        let joined = self.root.join(rel);
        let canonical = joined
            .canonicalize()
            .map_err(|e| io_error(&e, Path::new(name)))?;
        if !canonical.starts_with(&self.root) {
            return Err(refused(name, "leads outside the pack folder (a symlink?)"));
        }
        let meta = std::fs::metadata(&canonical).map_err(|e| io_error(&e, Path::new(name)))?;
        if !meta.is_file() {
            return Err(refused(name, "is not a regular file"));
        }
        Ok(canonical)
    }

    fn read_resolved(&mut self, path: &Path, shown: &str) -> Result<String> {
        let left = self.max_pack.saturating_sub(self.read);
        let cap = self.max_file.min(left);
        let file = std::fs::File::open(path).map_err(|e| io_error(&e, Path::new(shown)))?;
        let mut bytes = Vec::new();
        // One byte past the cap tells "exactly at the cap" from "over it".
        file.take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| io_error(&e, Path::new(shown)))?;
        let n = bytes.len() as u64;
        if n > cap {
            let (what, limit) = if cap == self.max_file {
                ("max_file_bytes", self.max_file)
            } else {
                ("max_pack_bytes", self.max_pack)
            };
            return Err(Error::new(
                crate::ErrorKind::LimitExceeded,
                format!("pack file is larger than the host's {what} ({limit} bytes)"),
            )
            .with_file(shown)
            .with_details(serde_json::json!({"limit": what, "value": limit})));
        }
        self.read += n;
        String::from_utf8(bytes).map_err(|e| {
            Error::config(format!(
                "pack file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ))
            .with_file(shown)
        })
    }
}

/// Reads a single pack file given by the host (a manifest or a `.rhai` pack), capped.
pub(crate) fn read_host_file(path: &Path, max_file: u64) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(&e, path))?;
    if !meta.is_file() {
        return Err(refused(
            &path.display().to_string(),
            "is not a regular file",
        ));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut pack = PackDir::open(dir, max_file, max_file)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let real = pack.resolve(&name)?;
    pack.read_resolved(&real, &path.display().to_string())
}

fn refused(name: &str, why: &str) -> Error {
    Error::config(format!("pack file {name:?} {why}"))
        .with_file(name)
        .with_field("scripts")
}

/// An I/O error reading a pack, in the user's words ("no such file or folder").
pub(crate) fn io_error(e: &std::io::Error, path: &Path) -> Error {
    let what = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    };
    Error::new(
        crate::ErrorKind::Io,
        format!("cannot read pack file: {what}"),
    )
    .with_file(path.display().to_string())
}
