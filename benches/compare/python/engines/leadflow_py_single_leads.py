"""leadflow's Python binding, one call per full lead: `pack.score(lead, now)` in a
loop. Measures the per-call Python/Rust crossing (latency), not throughput."""

from __future__ import annotations

from pathlib import Path

import leadflow

from .common import load_lead_dicts, median_call_us

PACK = Path(__file__).resolve().parents[4] / "examples" / "packs" / "reference"
VERSION = f"leadflow {leadflow.__version__} (Python binding)"
NOTES = "pack.score(lead dict, now) per lead (one thread): the single-call latency"


def load(inputs):
    return load_lead_dicts(inputs.leads, inputs.n), inputs.now


def count(data):
    return len(data[0])


def build(data):
    leads, now = data
    pack = leadflow.Pack.from_path(PACK)

    def score_all() -> float:
        total = 0.0
        for lead in leads:
            total += pack.score(lead, now)["total"]
        return total

    return score_all


def latency(data) -> float:
    leads, now = data
    pack = leadflow.Pack.from_path(PACK)
    return median_call_us(lambda lead: pack.score(lead, now), leads)
