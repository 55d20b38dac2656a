"""Python side of the cross-language comparison (driven by benches/compare/run).

Loads one engine module from engines/, builds its rules once, scores the
workload `--warmup` times untimed and `--repeat` times timed, and prints one
JSON line: {"engine", "n", "build_s", "times_s", "checksum", "version", "notes"}.

An engine module defines:
    VERSION: str                           what is measured (library and version)
    load(inputs: Inputs) -> data           untimed: read the workload into the engine's natural form
    build(data) -> Callable[[], float]     timed separately as build_s: rules built once;
                                           the callable scores every lead and returns the sum
and may define NOTES: str, count(data) -> int, and latency(data) -> float (the median
µs of one call, measured after the timed runs, for single-lead engines).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


@dataclass(frozen=True)
class Inputs:
    rows: str  # rows-jsonl
    csv: str  # rows-csv
    leads: str  # leads-jsonl
    now: str  # RFC 3339 instant the leads are described as of
    n: int  # score the first n leads


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--engine", required=True)
    p.add_argument("--rows", default="")
    p.add_argument("--csv", default="")
    p.add_argument("--leads", default="")
    p.add_argument("--now", default="")
    p.add_argument("--n", type=int, default=sys.maxsize)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    a = p.parse_args()

    mod = importlib.import_module(f"engines.{a.engine.replace('-', '_')}")
    data = mod.load(Inputs(a.rows, a.csv, a.leads, a.now, a.n))
    t = time.perf_counter()
    score_all = mod.build(data)
    build_s = time.perf_counter() - t

    checksum = 0.0
    for _ in range(a.warmup):
        checksum = score_all()
    times = []
    for _ in range(a.repeat):
        t = time.perf_counter()
        checksum = score_all()
        times.append(time.perf_counter() - t)
    out = {
        "engine": a.engine,
        "n": mod.count(data) if hasattr(mod, "count") else len(data),
        "build_s": build_s,
        "times_s": times,
        "checksum": float(checksum),
        "version": getattr(mod, "VERSION", ""),
        "notes": getattr(mod, "NOTES", ""),
    }
    if hasattr(mod, "latency"):
        out["median_call_us"] = mod.latency(data)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
