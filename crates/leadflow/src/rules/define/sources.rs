//! [`PackSources`]: the texts a compiled pack was built from, kept so the same
//! pack can be rebuilt elsewhere (Python pickling, shipping a pack to worker
//! processes) without the files it was loaded from.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::rules::define::load::{PackSource, ScriptSource};
use crate::rules::define::manifest::Manifest;
use crate::rules::pack::{CompiledPack, LoadOptions};
use crate::sandbox::Limits;

/// A pack's manifest (as parsed) and its script texts, in load order.
/// Serializable; [`CompiledPack::from_sources`] compiles it back into the same pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackSources {
    pub manifest: Manifest,
    /// Display name of the manifest (or single script) file, used in errors.
    pub file: String,
    pub scripts: Vec<ScriptText>,
    /// The host's limits the pack was loaded under, so a rebuilt pack (a pickled pack
    /// on a worker) keeps the host's sandbox. Absent in older serializations: defaults.
    #[serde(default)]
    pub host_limits: Limits,
}

/// One script of a pack: its display name (a path) and text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptText {
    pub name: String,
    pub text: String,
}

impl PackSources {
    pub(crate) fn of(src: &PackSource, host_limits: Limits) -> Self {
        PackSources {
            host_limits,
            manifest: src.manifest.clone(),
            file: src.file.clone(),
            scripts: src
                .scripts
                .iter()
                .map(|s| ScriptText {
                    name: s.name.clone(),
                    text: s.text.clone(),
                })
                .collect(),
        }
    }

    fn to_source(&self) -> PackSource {
        PackSource {
            manifest: self.manifest.clone(),
            file: self.file.clone(),
            scripts: self
                .scripts
                .iter()
                .map(|s| ScriptSource {
                    name: s.name.clone(),
                    text: s.text.clone(),
                    rule: None,
                })
                .collect(),
        }
    }
}

impl CompiledPack {
    /// The manifest and scripts this pack was compiled from.
    pub fn sources(&self) -> &PackSources {
        &self.0.sources
    }

    /// Compiles a pack from [`sources`](Self::sources) (e.g. after a serde round trip):
    /// same rules, same scores, same errors.
    pub fn from_sources(sources: &PackSources) -> Result<Self> {
        Self::compile(
            sources.to_source(),
            &LoadOptions::with_limits(sources.host_limits),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::PackFormat;
    use crate::{Lead, Record, parse_timestamp};

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn same(a: &CompiledPack, b: &CompiledPack) {
        assert_eq!(a.id(), b.id());
        assert_eq!(a.rules(), b.rules());
        assert_eq!(a.features(), b.features());
        let now = parse_timestamp("2026-01-15T00:00:00Z").unwrap();
        let text =
            std::fs::read_to_string(root().join("examples/data/sample-leads.jsonl")).unwrap();
        for line in text.lines() {
            let lead = Lead::from_json(line).unwrap();
            assert_eq!(a.explain(&lead, now).ok(), b.explain(&lead, now).ok());
        }
    }

    #[test]
    fn packs_rebuild_from_serialized_sources() {
        for name in ["b2b-saas", "reference", "reference-rhai"] {
            let pack = CompiledPack::load(root().join("examples/packs").join(name)).unwrap();
            let json = serde_json::to_string(pack.sources()).unwrap();
            let back: PackSources = serde_json::from_str(&json).unwrap();
            assert_eq!(&back, pack.sources());
            same(&pack, &CompiledPack::from_sources(&back).unwrap());
        }
        let text =
            "//! name: tiny\n//! version: 2\nif lead.title.contains(\"VP\") { score += 5; }\n";
        let pack = CompiledPack::from_str(text, PackFormat::Rhai, "tiny.rhai").unwrap();
        assert_eq!(pack.sources().scripts.len(), 1);
        same(&pack, &CompiledPack::from_sources(pack.sources()).unwrap());
    }
}
