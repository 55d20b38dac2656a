"""leadflow's Python binding over a list of lead dicts: `Pack.score_many(leads, now)`."""

from __future__ import annotations

from pathlib import Path

import leadflow

from .common import load_row_dicts

PACK = Path(__file__).resolve().parents[4] / "examples" / "packs" / "reference"
VERSION = f"leadflow {leadflow.__version__} (Python binding)"
NOTES = "list of lead dicts in, list of result dicts out; parsed and scored on all cores"


def load(inputs):
    # Feature rows become leads (untimed): an id, a creation date, and the revenue
    # under the Lead field's name; the other features are lead fields the pack reads.
    leads = []
    for i, row in enumerate(load_row_dicts(inputs.rows, inputs.n)):
        lead = {"id": f"L-{i}", "created_at": inputs.now, "annual_revenue": row.pop("revenue")}
        lead.update(row)
        leads.append(lead)
    return leads, inputs.now


def count(data):
    return len(data[0])


def build(data):
    leads, now = data
    pack = leadflow.Pack.from_path(PACK)

    def score_all() -> float:
        return sum(r["total"] for r in pack.score_many(leads, now))

    return score_all
