"""Matching and conversion through the Python API."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest

import leadflow

NOW = "2026-03-05T00:00:00Z"
LEAD: dict[str, Any] = {
    "id": "L-1",
    "created_at": "2026-03-01T00:00:00Z",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@acme.com",
    "company": "Acme Inc",
    "custom": {"budget": 5000},
}
ACCOUNTS: list[dict[str, Any]] = [
    {"id": "A-1", "name": "Acme", "domains": ["acme.com"]},
    {"id": "A-2", "name": "Globex", "domains": ["globex.com"]},
]
CONTACTS: list[dict[str, Any]] = [{"id": "C-9", "account_id": "A-1", "email": "ADA@acme.com"}]
OPTIONS = {"field_map": {"budget": "opportunity.amount"}}


def test_match_lead_ranks_candidates_with_reasons() -> None:
    m = leadflow.match_lead(LEAD, ACCOUNTS, CONTACTS)
    assert [c["id"] for c in m["contacts"]] == ["C-9"]
    assert m["contacts"][0]["reasons"][0]["code"] == "email_exact"
    assert [a["id"] for a in m["accounts"]] == ["A-1"]
    assert 0 < m["accounts"][0]["confidence"] <= 1
    assert leadflow.match_lead(LEAD) == {"contacts": [], "accounts": []}
    none = leadflow.match_lead(LEAD, ACCOUNTS, CONTACTS, {"min_confidence": 0.999})
    assert none["accounts"] == []


def test_plan_then_apply_equals_convert_and_inputs_stay_untouched() -> None:
    lead, accounts, contacts = copy.deepcopy(LEAD), copy.deepcopy(ACCOUNTS), copy.deepcopy(CONTACTS)
    plan = leadflow.plan_conversion(lead, accounts, contacts, OPTIONS, now=NOW)
    assert plan["lead_id"] == "L-1"
    assert plan["account"] == {**plan["account"], "action": "link", "id": "A-1"}
    assert plan["opportunity"] == {"action": "create", "id": "opp-L-1"}
    # The plan survives a JSON round trip (store it, review it, apply it later).
    plan = json.loads(json.dumps(plan))
    applied = leadflow.apply_conversion(plan, lead, accounts, contacts, OPTIONS, now=NOW)
    assert (lead, accounts, contacts) == (LEAD, ACCOUNTS, CONTACTS)
    assert applied["lead"]["status"] == "converted"
    assert applied["lead"]["conversion"]["opportunity_id"] == "opp-L-1"
    assert applied["account_change"] == "unchanged"
    assert applied["opportunity"]["amount"] == 5000.0
    one_shot = leadflow.convert(lead, accounts, contacts, OPTIONS, now=datetime.datetime(2026, 3, 5, tzinfo=datetime.timezone.utc))
    assert one_shot == applied


def test_converting_twice_is_already_converted() -> None:
    result = leadflow.convert(LEAD, now=NOW)
    assert result["account_change"] == "created"
    with pytest.raises(leadflow.AlreadyConverted) as info:
        leadflow.convert(result["lead"], now=NOW)
    assert info.value.record == "L-1"
    assert info.value.details["account_id"] == result["account"]["id"]


def test_stale_plan_is_a_conversion_error() -> None:
    plan = leadflow.plan_conversion(LEAD, ACCOUNTS, CONTACTS, now=NOW)
    changed = {**LEAD, "email": "ada@globex.com"}
    with pytest.raises(leadflow.ConversionError):
        leadflow.apply_conversion(plan, changed, ACCOUNTS, CONTACTS, now=NOW)


def test_bad_inputs_name_record_and_field() -> None:
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.convert(LEAD, [{"id": "A-3", "name": "X", "employees": "many"}], now=NOW)
    assert (info.value.record, info.value.field) == ("A-3", "employees")
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.convert(LEAD, options={"auto_lnk": False}, now=NOW)
    assert info.value.field == "options" and "auto_lnk" in str(info.value)
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.apply_conversion({"lead_id": "L-1"}, LEAD, now=NOW)
    assert info.value.field == "plan"
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.convert(LEAD, now=datetime.datetime(2026, 3, 5))
    assert info.value.field == "now"


def test_explicit_account_that_does_not_exist() -> None:
    with pytest.raises(leadflow.NotFound) as info:
        leadflow.convert(LEAD, ACCOUNTS, CONTACTS, {"account_id": "A-404"}, now=NOW)
    assert (info.value.record, info.value.field) == ("L-1", "options.account_id")
    assert "A-404" in str(info.value)
