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
