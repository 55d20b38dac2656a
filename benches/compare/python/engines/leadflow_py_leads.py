"""leadflow's Python binding over full lead dicts (activities): `Pack.score_many(leads, now)`."""

from __future__ import annotations

from pathlib import Path

import leadflow

from .common import load_lead_dicts

PACK = Path(__file__).resolve().parents[4] / "examples" / "packs" / "reference"
VERSION = f"leadflow {leadflow.__version__} (Python binding)"
NOTES = "list of lead dicts (with activities) in, list of result dicts out; features derived in the timed region"


def load(inputs):
    return load_lead_dicts(inputs.leads, inputs.n), inputs.now


def count(data):
    return len(data[0])


def build(data):
    leads, now = data
    pack = leadflow.Pack.from_path(PACK)

    def score_all() -> float:
        return sum(r["total"] for r in pack.score_many(leads, now))

    return score_all
