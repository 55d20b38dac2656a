"""leadflow's Python binding over a pyarrow Table: `Pack.score_many(table, now)`
returns the Table with score columns appended."""

from __future__ import annotations

from pathlib import Path

import leadflow
import pyarrow
import pyarrow.compute as pc
import pyarrow.csv

PACK = Path(__file__).resolve().parents[4] / "examples" / "packs" / "reference"
VERSION = f"leadflow {leadflow.__version__} (Python binding), pyarrow {pyarrow.__version__}"
NOTES = "pyarrow Table from read_csv; read through the Arrow C stream interface, all cores"


def load(inputs):
    table = pyarrow.csv.read_csv(inputs.csv)
    return table.slice(0, inputs.n), inputs.now


def count(data):
    return data[0].num_rows


def build(data):
    table, now = data
    pack = leadflow.Pack.from_path(PACK)
    return lambda: pc.sum(pack.score_many(table, now)["score"]).as_py()
