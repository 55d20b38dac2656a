"""leadflow's Python binding over the pandas DataFrame the pandas engine reads:
`Pack.score_many(df, now)` returns the DataFrame with score columns added."""

from __future__ import annotations

from pathlib import Path

import leadflow

from . import pandas_vectorized

PACK = Path(__file__).resolve().parents[4] / "examples" / "packs" / "reference"
VERSION = f"leadflow {leadflow.__version__} (Python binding), {pandas_vectorized.VERSION}"
NOTES = "same DataFrame as pandas_vectorized; read through the Arrow C stream interface, all cores"


def load(inputs):
    return pandas_vectorized.load(inputs), inputs.now


def count(data):
    return len(data[0])


def build(data):
    df, now = data
    pack = leadflow.Pack.from_path(PACK)
    return lambda: float(pack.score_many(df, now)["score"].sum())
