//! Loading rule packs from folders, single files or strings, with errors that
//! name the file, line and column.

use std::path::{Path, PathBuf};

use super::features::Axis;
use super::manifest::Manifest;
use crate::error::{Error, ErrorKind, Result};

/// The format of a pack manifest (or a single rhai file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackFormat {
    Toml,
    Json,
    Yaml,
    /// A single rhai script with an optional `//! name: ...` / `//! version: ...` header.
    Rhai,
}

impl PackFormat {
    /// The format for a file extension (`toml`, `json`, `yaml`/`yml`, `rhai`).
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "toml" => Some(PackFormat::Toml),
            "json" => Some(PackFormat::Json),
            "yaml" | "yml" => Some(PackFormat::Yaml),
            "rhai" => Some(PackFormat::Rhai),
            _ => None,
        }
    }
}

/// One rhai source of a pack.
#[derive(Debug, Clone)]
pub(crate) struct ScriptSource {
    /// Display name: the file path, or `<manifest>#rules.<name>` for a rule's inline script.
    pub name: String,
    pub text: String,
    /// Set for a rule's own script: every statement belongs to this rule.
    pub rule: Option<(String, Option<Axis>, Option<String>)>,
}

/// A pack read from disk or a string, not yet compiled.
#[derive(Debug, Clone)]
pub(crate) struct PackSource {
    pub manifest: Manifest,
    /// Display name of the manifest (or script) file.
    pub file: String,
    pub scripts: Vec<ScriptSource>,
}

const MANIFESTS: &[&str] = &["pack.toml", "pack.json", "pack.yaml", "pack.yml"];

/// Reads a pack from a folder (with a `pack.toml|json|yaml` manifest) or a single file.
pub(crate) fn from_path(path: &Path) -> Result<PackSource> {
    let shown = path.display().to_string();
    if path.is_dir() {
        let manifest = MANIFESTS
            .iter()
            .map(|m| path.join(m))
            .find(|p| p.is_file())
            .ok_or_else(|| {
                Error::config(format!(
                    "no manifest in pack folder (expected one of {})",
                    MANIFESTS.join(", ")
                ))
                .with_file(shown.clone())
            })?;
        return from_file(&manifest);
    }
    from_file(path)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::from(e).with_file(path.display().to_string()))
}

fn from_file(path: &Path) -> Result<PackSource> {
    let shown = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let format = PackFormat::from_extension(ext).ok_or_else(|| {
        Error::config(format!(
            "unknown pack file type {ext:?} (expected toml, json, yaml or rhai)"
        ))
        .with_file(shown.clone())
    })?;
    let text = read(path)?;
    let base = path.parent().map(Path::to_path_buf);
    from_text(&text, format, &shown, base.as_deref())
}

/// Reads a pack from text; `base` resolves the manifest's `scripts` (and lists `*.rhai`
/// files when `scripts` is absent). Without `base`, only inline scripts are used.
pub(crate) fn from_text(
    text: &str,
    format: PackFormat,
    file: &str,
    base: Option<&Path>,
) -> Result<PackSource> {
    if format == PackFormat::Rhai {
        return Ok(rhai_pack(text, file));
    }
    let manifest = parse_manifest(text, format, file)?;
    let mut scripts = Vec::new();
    if let Some(base) = base {
        let files: Vec<PathBuf> = if let Some(list) = &manifest.scripts {
            list.iter().map(|s| base.join(s)).collect()
        } else {
            let mut found: Vec<PathBuf> = std::fs::read_dir(base)
                .map_err(|e| Error::from(e).with_file(base.display().to_string()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "rhai"))
                .collect();
            found.sort();
            found
        };
        for f in files {
            scripts.push(ScriptSource {
                name: f.display().to_string(),
                text: read(&f)?,
                rule: None,
            });
        }
    } else if manifest.scripts.as_ref().is_some_and(|s| !s.is_empty()) {
        return Err(Error::config("`scripts` lists files, but the pack was given as text; inline the script with `script`")
            .with_file(file));
    }
    if let Some(inline) = &manifest.script {
        scripts.push(ScriptSource {
            name: format!("{file}#script"),
            text: inline.clone(),
            rule: None,
        });
    }
    Ok(PackSource {
        manifest,
        file: file.to_owned(),
        scripts,
    })
}

/// A pack from a manifest text and named script texts (an embedded pack); the
/// manifest's `scripts` list, when present, must name exactly these scripts.
pub(crate) fn from_parts(
    text: &str,
    format: PackFormat,
    file: &str,
    scripts: &[(&str, &str)],
) -> Result<PackSource> {
    let manifest = parse_manifest(text, format, file)?;
    let order: Vec<&str> = match &manifest.scripts {
        Some(list) => list.iter().map(String::as_str).collect(),
        None => scripts.iter().map(|(n, _)| *n).collect(),
    };
    let mut out = Vec::new();
    for name in order {
        let (_, body) = scripts.iter().find(|(n, _)| *n == name).ok_or_else(|| {
            Error::config(format!("script {name:?} listed in `scripts` was not given"))
                .with_file(file)
        })?;
        out.push(ScriptSource {
            name: name.to_owned(),
            text: (*body).to_owned(),
            rule: None,
        });
    }
    if let Some(inline) = &manifest.script {
        out.push(ScriptSource {
            name: format!("{file}#script"),
            text: inline.clone(),
            rule: None,
        });
    }
    Ok(PackSource {
        manifest,
        file: file.to_owned(),
        scripts: out,
    })
}

/// Parses a manifest, mapping parser errors to line and column.
pub(crate) fn parse_manifest(text: &str, format: PackFormat, file: &str) -> Result<Manifest> {
    let located = |kind: ErrorKind, msg: String, pos: Option<(usize, usize)>| {
        let e = Error::new(kind, msg).with_file(file);
        match pos {
            Some((l, c)) => e.at(
                u32::try_from(l).unwrap_or(u32::MAX),
                u32::try_from(c).unwrap_or(u32::MAX),
            ),
            None => e,
        }
    };
    match format {
        PackFormat::Toml => toml::from_str::<Manifest>(text).map_err(|e| {
            let pos = e.span().map(|s| line_col(text, s.start));
            located(
                ErrorKind::Config,
                format!("invalid pack manifest: {}", e.message()),
                pos,
            )
        }),
        PackFormat::Json => serde_json::from_str::<Manifest>(text).map_err(|e| {
            let kind = if e.is_data() {
                ErrorKind::Config
            } else {
                ErrorKind::Parse
            };
            located(
                kind,
                format!("invalid pack manifest: {e}"),
                Some((e.line(), e.column())),
            )
        }),
        PackFormat::Yaml => serde_norway::from_str::<Manifest>(text).map_err(|e| {
            let pos = e.location().map(|l| (l.line(), l.column()));
            located(
                ErrorKind::Config,
                format!("invalid pack manifest: {e}"),
                pos,
            )
        }),
        PackFormat::Rhai => Ok(rhai_pack(text, file).manifest),
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// A single-file rhai pack: `//! name: x` and `//! version: y` header lines.
fn rhai_pack(text: &str, file: &str) -> PackSource {
    let mut manifest = Manifest {
        name: Path::new(file)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("pack")
            .to_owned(),
        version: "0.0.0".to_owned(),
        recognize: true,
        lower: true,
        ..Manifest::default()
    };
    for line in text
        .lines()
        .map(str::trim)
        .take_while(|l| l.starts_with("//"))
    {
        if let Some(rest) = line.strip_prefix("//!")
            && let Some((k, v)) = rest.split_once(':')
        {
            match k.trim() {
                "name" => v.trim().clone_into(&mut manifest.name),
                "version" => v.trim().clone_into(&mut manifest.version),
                "description" => manifest.description = Some(v.trim().to_owned()),
                _ => {}
            }
        }
    }
    PackSource {
        manifest,
        file: file.to_owned(),
        scripts: vec![ScriptSource {
            name: file.to_owned(),
            text: text.to_owned(),
            rule: None,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_have_positions() {
        let e = parse_manifest(
            "name = \"x\"\nversion = \"1\"\nbogus = 3\n",
            PackFormat::Toml,
            "p.toml",
        )
        .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert_eq!(e.file(), Some("p.toml"));
        assert_eq!(e.line(), Some(3));
        let e = parse_manifest("name = \n", PackFormat::Toml, "p.toml").unwrap_err();
        assert_eq!(e.line(), Some(1));
    }

    #[test]
    fn rhai_header() {
        let p = rhai_pack(
            "//! name: demo\n//! version: 2.1\nlet score = 0.0;\n",
            "x/demo.rhai",
        );
        assert_eq!(p.manifest.name, "demo");
        assert_eq!(p.manifest.version, "2.1");
        assert_eq!(p.scripts.len(), 1);
    }
}
