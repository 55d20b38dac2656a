"""Records in and out: dict and JSON text inputs, batches, Python value types."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

import leadflow
from conftest import FIXTURES, strict_equal

LEAD: dict[str, Any] = {
    "id": "L-1",
    "created_at": "2026-03-01T09:30:00+09:00",
    "email": "ada@example.com",
    "employees": 120,
    "annual_revenue": 1.5e6,
    "custom": {"budget": 25000, "tags": ["apac"], "ok": True, "none": None},
    "activities": [{"type": "page_view", "at": "2026-03-02T00:00:00Z", "meta": {"url": "/pricing"}}],
    "utm_medium": "partner",
}


def test_parse_lead_round_trips_dict_and_text() -> None:
    strict_equal(leadflow.parse_lead(LEAD), LEAD)
    strict_equal(leadflow.parse_lead(json.dumps(LEAD)), LEAD)


def test_parse_lead_keeps_key_order() -> None:
    assert list(leadflow.parse_lead(LEAD)["custom"]) == ["budget", "tags", "ok", "none"]


def test_parse_lead_fixtures_through_json_text() -> None:
    for path in sorted(FIXTURES.rglob("*.json")):
        fx = json.loads(path.read_text(encoding="utf-8"))
        if fx["operation"] != "parse_lead" or "expected" not in fx:
            continue
        strict_equal(leadflow.parse_lead(json.dumps(fx["input"])), fx["expected"])


def test_aware_datetimes_and_dates_become_text() -> None:
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    lead = leadflow.parse_lead(
        {
            "id": "L-2",
            "created_at": datetime.datetime(2026, 3, 1, 9, 30, tzinfo=tokyo),
            "custom": {"renewal": datetime.date(2026, 12, 31), "pair": (1, 2.5)},
        }
    )
    assert lead["created_at"] == "2026-03-01T09:30:00+09:00"
    assert lead["custom"] == {"renewal": "2026-12-31", "pair": [1, 2.5]}


def test_large_unsigned_integers_survive() -> None:
    lead = leadflow.parse_lead({"id": "L-3", "created_at": "2026-01-01T00:00:00Z", "employees": 2**64 - 1})
    assert lead["employees"] == 2**64 - 1


def test_negative_employees_is_rejected_by_the_core() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_lead({"id": "L-4", "created_at": "2026-01-01T00:00:00Z", "employees": -1})
    assert info.value.field == "employees"


def test_parse_leads_jsonl_keeps_going_after_bad_records() -> None:
    text = "\n".join(
        [
            json.dumps({"id": "a", "created_at": "2026-01-01T00:00:00Z"}),
            "{oops",
            "",
            json.dumps({"id": "c", "created_at": "2026-01-01T00:00:00Z", "employees": -1}),
            json.dumps({"id": "d", "created_at": "2026-01-01T00:00:00Z"}),
        ]
    )
    out = leadflow.parse_leads(text)
    assert len(out) == 4
    assert isinstance(out[0], dict) and out[0]["id"] == "a"
    assert isinstance(out[1], leadflow.ParseError) and out[1].line == 2
    assert isinstance(out[2], leadflow.ValidationError) and out[2].record == "c"
    assert isinstance(out[3], dict) and out[3]["id"] == "d"


def test_parse_leads_accepts_an_array_and_an_iterable_of_dicts() -> None:
    arr = leadflow.parse_leads(json.dumps([LEAD, 5]))
    assert isinstance(arr[0], dict)
    assert isinstance(arr[1], leadflow.ValidationError)
    rows = leadflow.parse_leads(iter([LEAD, {"id": "x", "created_at": datetime.datetime(2026, 1, 1)}]))
    assert isinstance(rows[0], dict)
    err = rows[1]
    assert isinstance(err, leadflow.ValidationError)
    assert (err.record, err.field) == ("x", "created_at")


def test_other_records() -> None:
    account = {"id": "A-1", "name": "Acme", "domains": ["acme.com"], "is_customer": True, "x": 1}
    strict_equal(leadflow.parse_account(account), account)
    contact = {"id": "C-1", "account_id": "A-1", "email": "ada@acme.com"}
    strict_equal(leadflow.parse_contact(json.dumps(contact)), contact)
    opp = {
        "id": "O-1",
        "name": "Acme - new",
        "account_id": "A-1",
        "stage": "Prospecting",
        "probability": 10.0,
        "forecast_category": "pipeline",
        "is_closed": False,
        "is_won": False,
        "close_date": "2026-03-31",
    }
    strict_equal(leadflow.parse_opportunity(opp), opp)
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.parse_opportunity({**opp, "forecast_category": "maybe"})
    assert (info.value.record, info.value.field) == ("O-1", "forecast_category")
