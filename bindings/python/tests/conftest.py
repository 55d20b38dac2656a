"""Shared helpers of the Python test suite."""

from __future__ import annotations

import pathlib
from typing import Any

REPO = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures"


def strict_equal(got: Any, want: Any, path: str = "$") -> None:
    """Asserts JSON equality the way serde_json compares values: 1 != 1.0, True != 1."""
    if isinstance(want, bool) or isinstance(got, bool):
        assert got is want, f"{path}: {got!r} != {want!r}"
    elif isinstance(want, (int, float)):
        assert type(got) is type(want) and got == want, f"{path}: {got!r} != {want!r}"
    elif isinstance(want, dict):
        assert isinstance(got, dict), f"{path}: expected an object, got {got!r}"
        assert set(got) == set(want), f"{path}: keys {sorted(got)} != {sorted(want)}"
        for key, value in want.items():
            strict_equal(got[key], value, f"{path}.{key}")
    elif isinstance(want, list):
        assert isinstance(got, list), f"{path}: expected an array, got {got!r}"
        assert len(got) == len(want), f"{path}: {len(got)} items != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            strict_equal(g, w, f"{path}[{i}]")
    else:
        assert type(got) is type(want) and got == want, f"{path}: {got!r} != {want!r}"
