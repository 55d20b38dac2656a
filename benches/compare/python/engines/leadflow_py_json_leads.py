"""leadflow's Python binding over leads as JSON text: `Pack.score_many(text, now)` with
one JSON Lines `str` (the form a file or a queue gives; no dicts built)."""

from __future__ import annotations

from pathlib import Path

import leadflow

from .common import load_lead_lines

PACK = Path(__file__).resolve().parents[4] / "examples" / "packs" / "reference"
VERSION = f"leadflow {leadflow.__version__} (Python binding)"
NOTES = "one JSON Lines str (full leads) in, list of result dicts out"


def load(inputs):
    lines = load_lead_lines(inputs.leads, inputs.n)
    return "\n".join(lines), len(lines), inputs.now


def count(data):
    return data[1]


def build(data):
    text, _, now = data
    pack = leadflow.Pack.from_path(PACK)

    def score_all() -> float:
        return sum(r["total"] for r in pack.score_many(text, now))

    return score_all
