"""Enrichment and qualification through the Python API."""

from __future__ import annotations

import pytest

import leadflow

LEAD = {
    "id": "L-1",
    "created_at": "2026-03-01T00:00:00Z",
    "email": "ada@acme.com",
    "title": "VP of Sales",
    "employees": 250,
}


def test_derive_returns_every_key() -> None:
    d = leadflow.derive(LEAD)
    assert d["email_domain"] == "acme.com" and d["free_mail"] is False
    assert {"seniority", "department", "employee_band"} <= d.keys()


def test_enrich_fills_empty_fields_only() -> None:
    lead, report = leadflow.enrich(LEAD, {"industry": "Software", "employees": 300}, "clearbit")
    assert lead["industry"] == "Software" and lead["employees"] == 250
    assert "industry" in report["applied"]
    assert [r["field"] for r in report["rejected"]] == ["employees"]
    assert lead["provenance"]["industry"] == "clearbit"
    assert "industry" not in LEAD
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.enrich(LEAD, {"revenue": 1}, "x")
    assert info.value.field == "data"


def test_qualify_builtin_and_errors() -> None:
    r = leadflow.qualify("BANT", {"budget": "confirmed", "authority": "confirmed", "need": "partial"})
    assert r["outcome"] == "not_yet" and r["missing"] == ["need", "timeline"]
    state = leadflow.qualification_state(r, now="2026-03-10T00:00:00Z")
    assert state["framework"] == r["framework"] and state["at"] == "2026-03-10T00:00:00Z"
    with pytest.raises(leadflow.NotFound) as info:
        leadflow.qualify("NOPE")
    assert info.value.field == "framework"
    with pytest.raises(leadflow.ValidationError):
        leadflow.qualify("BANT", {"budget": "maybe"})


def test_qualification_evidence_from_lead() -> None:
    lead = {**LEAD, "custom": {"qualification": {"budget": "confirmed"}}}
    ev = leadflow.qualification_evidence(lead, "BANT")
    assert ev["budget"]["status"] == "confirmed"
    bad = {**LEAD, "custom": {"qualification": 5}}
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.qualification_evidence(bad, "BANT")
    assert (info.value.record, info.value.field) == ("L-1", "custom.qualification")


def test_conversion_with_a_custom_pipeline() -> None:
    p = leadflow.Pipeline.from_dict(
        {
            "opportunity_stages": {
                "stages": [
                    {"name": "Discovery", "probability": 5, "forecast_category": "pipeline"},
                    {"name": "Won", "probability": 100, "forecast_category": "closed", "is_closed": True, "is_won": True},
                    {"name": "Lost", "probability": 0, "forecast_category": "omitted", "is_closed": True, "requires_reason": True},
                ],
                "initial": "Discovery",
            }
        }
    )
    result = leadflow.convert(LEAD, now="2026-03-05T00:00:00Z", pipeline=p)
    assert result["opportunity"]["stage"] == "Discovery"
    assert result["opportunity"]["probability"] == 5
