//! Loading rule packs from folders, single files or strings, with errors that
//! name the file, line and column.

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::rules::define::features::Axis;
use crate::rules::define::manifest::Manifest;
use crate::sandbox::Limits;
use crate::sandbox::files::{self, PackDir};

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
/// Every file is read through [`PackDir`]: regular files inside the pack's folder only,
/// with the host's size caps.
pub(crate) fn from_path(path: &Path, limits: &Limits) -> Result<PackSource> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| files::io_error(&e, path))?;
    if meta.is_dir() {
        let mut dir = PackDir::open(path, limits.max_file_bytes, limits.max_pack_bytes)?;
        let manifest = MANIFESTS
            .iter()
            .find(|m| path.join(m).exists())
            .ok_or_else(|| {
                Error::config(format!(
                    "no manifest in pack folder (expected one of {})",
                    MANIFESTS.join(", ")
                ))
                .with_file(shown.clone())
            })?;
        let text = dir.read(manifest)?;
        let format = format_of(&path.join(manifest))?;
        return from_text(
            &text,
            format,
            &path.join(manifest).display().to_string(),
            Some(&mut dir),
        );
    }
    let format = format_of(path)?;
    let text = files::read_host_file(path, limits.max_file_bytes)?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut dir = PackDir::open(base, limits.max_file_bytes, limits.max_pack_bytes)?;
    from_text(&text, format, &shown, Some(&mut dir))
}

fn format_of(path: &Path) -> Result<PackFormat> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    PackFormat::from_extension(ext).ok_or_else(|| {
        Error::config(format!(
            "unknown pack file type {ext:?} (expected toml, json, yaml or rhai)"
        ))
        .with_file(path.display().to_string())
    })
}

/// Reads a pack from text; `base` resolves the manifest's `scripts` (and lists `*.rhai`
/// files when `scripts` is absent) inside the pack folder. Without `base`, only inline
/// scripts are used.
pub(crate) fn from_text(
    text: &str,
    format: PackFormat,
    file: &str,
    base: Option<&mut PackDir>,
) -> Result<PackSource> {
    if format == PackFormat::Rhai {
        return Ok(rhai_pack(text, file));
    }
    let manifest = parse_manifest(text, format, file)?;
    let mut scripts = Vec::new();
    if let Some(dir) = base {
        if let Some(list) = &manifest.scripts {
            for name in list {
                scripts.push(ScriptSource {
                    name: dir.display_name(name),
                    text: dir.read(name)?,
                    rule: None,
                });
            }
        } else {
            for name in dir.rhai_files()? {
                scripts.push(ScriptSource {
                    name: dir.display_name(&name),
                    text: dir.read(&name)?,
                    rule: None,
                });
            }
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
        PackFormat::Toml => {
            let m = toml::from_str::<Manifest>(text).map_err(|e| {
                let pos = e.span().map(|s| line_col(text, s.start));
                located(
                    ErrorKind::Config,
                    format!("invalid pack manifest: {}", e.message()),
                    pos,
                )
            })?;
            if let Ok(v) = toml::from_str::<toml::Value>(text) {
                non_finite_toml(&v, &mut String::new()).map_err(|key| non_finite(&key, file))?;
            }
            Ok(m)
        }
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
        PackFormat::Yaml => {
            let m = serde_norway::from_str::<Manifest>(text).map_err(|e| {
                let pos = e.location().map(|l| (l.line(), l.column()));
                located(
                    ErrorKind::Config,
                    format!("invalid pack manifest: {e}"),
                    pos,
                )
            })?;
            if let Ok(v) = serde_norway::from_str::<serde_norway::Value>(text) {
                non_finite_yaml(&v, &mut String::new()).map_err(|key| non_finite(&key, file))?;
            }
            Ok(m)
        }
        PackFormat::Rhai => Ok(rhai_pack(text, file).manifest),
    }
}

/// NaN and infinities (TOML `nan`/`inf`, YAML `.nan`/`.inf`) are refused anywhere in
/// a manifest: a NaN threshold or points value would score silently wrong. (JSON
/// has no such numbers; `serde_json` refuses them.)
fn non_finite(key: &str, file: &str) -> Error {
    Error::config(format!(
        "{key} is not a finite number (NaN and infinity are not allowed in a pack)"
    ))
    .with_field(key)
    .with_file(file)
}

fn join_key(
    path: &mut String,
    key: &str,
    f: impl FnOnce(&mut String) -> Result<(), String>,
) -> Result<(), String> {
    let len = path.len();
    if !path.is_empty() && !key.starts_with('[') {
        path.push('.');
    }
    path.push_str(key);
    let r = f(path);
    path.truncate(len);
    r
}

fn non_finite_toml(v: &toml::Value, path: &mut String) -> Result<(), String> {
    match v {
        toml::Value::Float(f) if !f.is_finite() => Err(path.clone()),
        toml::Value::Array(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| join_key(path, &format!("[{i}]"), |p| non_finite_toml(v, p))),
        toml::Value::Table(t) => t
            .iter()
            .try_for_each(|(k, v)| join_key(path, k, |p| non_finite_toml(v, p))),
        _ => Ok(()),
    }
}

fn non_finite_yaml(v: &serde_norway::Value, path: &mut String) -> Result<(), String> {
    match v {
        serde_norway::Value::Number(n) if n.as_f64().is_some_and(|f| !f.is_finite()) => {
            Err(path.clone())
        }
        serde_norway::Value::Sequence(a) => a
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| join_key(path, &format!("[{i}]"), |p| non_finite_yaml(v, p))),
        serde_norway::Value::Mapping(m) => m.iter().try_for_each(|(k, v)| {
            let key = k.as_str().map_or_else(|| format!("{k:?}"), str::to_owned);
            join_key(path, &key, |p| non_finite_yaml(v, p))
        }),
        serde_norway::Value::Tagged(t) => non_finite_yaml(&t.value, path),
        _ => Ok(()),
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
