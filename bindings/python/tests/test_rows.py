"""score_many over lists of flat dicts: the fast row path equals scoring each lead."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

import leadflow
from conftest import REPO

NOW = "2026-06-01T00:00:00Z"
PACKS = REPO / "examples" / "packs"

MIXED = """
name = "mixed"
version = "1"
script = '''
let score = 0.0;
// rule: boom
if lead.title == "boom" { throw "bad title"; }
// rule: budget
score += lead.budget / 1000.0;
'''
[features.budget]
field = "budget"
[[rules]]
name = "domain"
when = { field = "email_domain", equals = "acme.io" }
points = 4
[[rules]]
name = "band"
when = { field = "employee_band", equals = "1-10" }
points = 1
[[rules]]
name = "rev"
value = "revenue"
per = 1000000
max = 10
[[rules]]
name = "views"
value = "page_views"
[[rules]]
name = "stale"
when = { field = "days_since_activity", gt = 30 }
points = -5
"""


class Name(str):
    """A str subclass (read like a str by the JSON conversion)."""


def one(pack: leadflow.Pack, lead: Any) -> Any:
    """What scoring the lead alone gives: a result dict or the error raised."""
    try:
        return pack.score(lead, NOW)
    except leadflow.LeadflowError as e:
        return e


def same(got: Any, want: Any) -> None:
    if isinstance(want, leadflow.LeadflowError):
        assert type(got) is type(want), (got, want)
        assert isinstance(got, leadflow.LeadflowError)
        assert (got.record, got.field, got.rule, str(got)) == (
            want.record,
            want.field,
            want.rule,
            str(want),
        )
    else:
        assert isinstance(got, dict), got
        assert got.keys() == want.keys()
        for k, v in want.items():
            if isinstance(v, float) and math.isnan(v):
                assert math.isnan(got[k])
            else:
                assert got[k] == v and type(got[k]) is type(v), (k, got[k], v)


def rows() -> list[Any]:
    base = {"id": "L-1", "created_at": "2026-04-01T00:00:00Z"}
    utc = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)
    return [
        base | {"title": "VP Sales", "employees": 800, "annual_revenue": 2.5e7, "page_views": 7},
        base | {"id": "L-2", "email": "x@acme.io", "employees": 5, "budget": 3000},
        base | {"id": "L-3", "revenue": 4_000_000, "days_since_activity": 2},
        base | {"id": "L-4", "employees": "many"},
        base | {"id": "L-5", "employees": 12.0},
        base | {"id": "L-6", "employees": True},
        base | {"id": "L-7", "employees": -3},
        base | {"id": "L-8", "employees": 2**70},
        base | {"id": "L-9", "annual_revenue": float("nan")},
        base | {"id": "L-10", "title": "boom"},
        base | {"id": "L-11", "title": None, "email": None, "budget": None},
        base | {"id": "L-12", "created_at": "yesterday"},
        base | {"id": "L-13", "created_at": utc},
        base | {"id": "L-14", "created_at": dt.datetime(2026, 4, 1)},
        base | {"id": 14},
        {"created_at": NOW},
        base | {"id": ""},
        base | {"id": "L-15", "phone": 5},
        base | {"id": "L-16", "utm_term": {"nested": [1, 2]}, "note": "ünïcödé 🚀"},
        base | {"id": "L-17", "custom": {"budget": 9}},
        base | {"id": "L-18", "activities": [{"type": "page_view", "at": NOW}]},
        base | {"id": "L-19", "budget": "3000", "page_views": "7"},
        base | {"id": "L-20", "page_views": 1.5, "budget": True},
        base | {"id": Name("L-21"), "title": Name("VP")},
        {**base, "id": "L-22", 7: "int key"},
        base | {"id": "L-23", "stage": "mql", "attempts": 2, "owner": "u-1"},
        base | {"id": "L-24", "attempts": -1},
        base | {"id": "L-25", "tags": ("a", "b"), "seen": dt.date(2026, 1, 1)},
        "not a dict",
        '{"id": "L-26", "created_at": "2026-04-01T00:00:00Z", "employees": 9}',
        42,
    ]


@pytest.mark.parametrize("pack_name", ["mixed", "reference", "b2b-saas"])
def test_mixed_good_and_bad_rows_match_single_scoring(pack_name: str) -> None:
    if pack_name == "mixed":
        pack = leadflow.Pack.from_str(MIXED)
    else:
        pack = leadflow.Pack.from_path(PACKS / pack_name)
    data = rows()
    got = pack.score_many(data, NOW)
    assert len(got) == len(data)
    for row, g in zip(data, got):
        same(g, one(pack, row))
    explained = pack.score_many(data, NOW, explain=True)
    for row, e in zip(data, explained):
        want = one(pack, row)
        if isinstance(want, dict):
            assert isinstance(e, dict) and "explanation" in e
        else:
            same(e, want)


def test_wrong_types_name_record_and_field() -> None:
    pack = leadflow.Pack.from_path(PACKS / "reference")
    out = pack.score_many(
        [
            {"id": "a", "created_at": NOW, "employees": "many"},
            {"id": "b", "created_at": NOW, "title": 3},
            {"id": "c", "created_at": NOW, "employees": 10, "title": "CEO"},
        ],
        NOW,
    )
    assert isinstance(out[0], leadflow.ValidationError)
    assert (out[0].record, out[0].field) == ("a", "employees")
    assert isinstance(out[1], leadflow.ValidationError) and out[1].field == "title"
    assert isinstance(out[2], dict) and out[2]["lead_id"] == "c"


def test_flat_reference_rows_score_like_the_reference() -> None:
    pack = leadflow.Pack.from_path(PACKS / "reference")
    leads = [
        {
            "id": f"L-{i}",
            "created_at": NOW,
            "annual_revenue": 1.0e6 * i,
            "title": ["VP Sales", "Intern", "CTO", "Director"][i % 4],
            "employees": 3 * i,
            "industry": "Software",
            "country": ["US", "JP"][i % 2],
            "email": ["a@gmail.com", "b@acme.io"][i % 2],
            "source": "referral",
            "page_views": i % 40,
            "email_opens": i % 25,
            "email_clicks": i % 6,
            "form_fills": i % 3,
            "pricing_visits": i % 6,
            "demo_requested": i % 10 == 0,
            "webinar_attended": i % 5 == 0,
            "unsubscribed": i % 20 == 0,
            "days_since_activity": i % 180,
        }
        for i in range(300)
    ]
    got = pack.score_many(leads, NOW)
    for lead, g in zip(leads, got):
        same(g, one(pack, lead))


class Count(int):
    """An int subclass (the fast path leaves it to the lead parser)."""


class Amount(float):
    """A float subclass, as NumPy's float64 is."""


def test_key_orders_key_objects_and_edge_values_match_single_scoring() -> None:
    # Rows walk their keys in their own order; the key seen at each position is
    # remembered, so rows whose orders differ, or whose key objects are shared
    # or fresh per row, must all read the same as scoring each lead alone.
    pack = leadflow.Pack.from_str(MIXED)
    shared = ["id", "created_at", "employees", "email", "page_views"]
    data: list[Any] = []
    for i in range(40):
        values = [f"L-{i}", NOW, 3 + i * 40, f"x{i}@acme.io", i % 7]
        keys = shared if i % 3 else ["".join(k) for k in shared]  # fresh key objects
        row = dict(zip(keys, values))
        if i % 4 == 0:
            row = dict(reversed(list(row.items())))
        if i % 5 == 0:
            row["phone"] = 5  # an unread key of the wrong type: an error entry
        if i % 6 == 0:
            row["utm_campaign"] = "spring"  # an unread, well-typed key
        data.append(row)
    base = {"id": "E", "created_at": NOW}
    data += [
        base | {"id": "E-1", "employees": 2**63 + 1},
        base | {"id": "E-2", "employees": -(2**63)},
        base | {"id": "E-3", "employees": Count(12)},
        base | {"id": "E-4", "annual_revenue": Amount(2.5e7)},
        base | {"id": "E-5", "title": "bad \ud800 surrogate"},
        base | {"id": "E-6", "page_views": False},
    ]
    got = pack.score_many(data, NOW)
    assert len(got) == len(data)
    for row, g in zip(data, got):
        same(g, one(pack, row))
    assert isinstance(got[0], leadflow.ValidationError) and got[0].field == "phone"
    assert isinstance(got[1], dict) and got[1]["lead_id"] == "L-1"


def test_batches_of_several_chunks_match_single_scoring() -> None:
    """More dicts than one chunk of the core's row feed (4,096): full chunks are
    scored on its thread while the next are read; order, ids and errors hold."""
    pack = leadflow.Pack.from_str(MIXED)
    data: list[Any] = []
    for i, row in enumerate(rows() * 320):  # about 9,900 records, every kind throughout
        if isinstance(row, dict) and type(row.get("id")) is str and row["id"]:
            row = row | {"id": f"{row['id']}-{i}"}
        data.append(row)
    got = pack.score_many(data, NOW)
    assert len(got) == len(data)
    for row, g in zip(data, got):
        same(g, one(pack, row))
    # A generator (no length) crosses chunks the same way.
    again = pack.score_many((row for row in data), NOW)
    assert [r["lead_id"] if isinstance(r, dict) else str(r) for r in again] == [
        r["lead_id"] if isinstance(r, dict) else str(r) for r in got
    ]
