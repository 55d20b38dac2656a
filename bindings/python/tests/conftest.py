"""Shared helpers of the Python test suite."""

from __future__ import annotations

import pathlib
import random
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


def reference_rows(n: int, seed: int, titles: list[str]) -> list[dict[str, Any]]:
    """Seeded flat rows with every column the reference pack reads, in its own names."""
    rnd = random.Random(seed)
    return [
        {
            "title": rnd.choice(titles),
            "employees": rnd.choice([3, 50, 800, 9000]),
            "revenue": rnd.choice([1e5, 2e7]),
            "industry": rnd.choice(["Software", "Finance", "Retail"]),
            "country": rnd.choice(["US", "JP", "DE"]),
            "email": rnd.choice(["a@gmail.com", "b@acme.com"]),
            "source": rnd.choice(["referral", "paid_search", "event"]),
            "days_since_activity": rnd.randrange(0, 200),
            "page_views": rnd.randrange(0, 40),
            "email_opens": rnd.randrange(0, 20),
            "email_clicks": rnd.randrange(0, 5),
            "form_fills": rnd.randrange(0, 3),
            "demo_requested": rnd.random() < 0.2,
            "pricing_visits": rnd.randrange(0, 5),
            "webinar_attended": rnd.random() < 0.3,
            "unsubscribed": rnd.random() < 0.05,
        }
        for _ in range(n)
    ]
