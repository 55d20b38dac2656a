"""Shared loaders for the Python engines."""

from __future__ import annotations

import itertools
import json


def load_row_dicts(path: str, n: int) -> list[dict]:
    """The first n feature rows as plain dicts (the form a Python service holds)."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in itertools.islice(f, n)]


def load_row_lines(path: str, n: int) -> list[str]:
    """The first n feature rows as JSON text lines."""
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in itertools.islice(f, n)]


def load_lead_dicts(path: str, n: int) -> list[dict]:
    """The first n leads (leads-jsonl, with activities) as plain dicts."""
    return load_row_dicts(path, n)


def load_lead_lines(path: str, n: int) -> list[str]:
    """The first n leads as JSON text lines."""
    return load_row_lines(path, n)


def median_call_us(call, items) -> float:
    """The median wall time of `call(item)` over `items`, in µs (one timed call each)."""
    import statistics
    import time

    clock = time.perf_counter_ns
    times = []
    for item in items:
        t = clock()
        call(item)
        times.append(clock() - t)
    return statistics.median(times) / 1e3
