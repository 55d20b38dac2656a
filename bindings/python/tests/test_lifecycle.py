"""Pipeline moves, opportunities and history queries through the Python API."""

from __future__ import annotations

import datetime
import pathlib
import threading
from typing import Any

import pytest

import leadflow

UTC = datetime.timezone.utc
LEAD: dict[str, Any] = {"id": "L-1", "created_at": "2026-03-01T00:00:00Z"}


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, 9, 0, tzinfo=UTC)


def test_default_pipeline_shape() -> None:
    p = leadflow.Pipeline()
    assert p.stage_ladder[:3] == ["subscriber", "lead", "mql"]
    assert p.initial_stage in p.stage_ladder
    assert p.stage_rank("mql") == 2 and p.stage_rank("nope") is None
    assert p.is_stage("other") and not p.is_stage("nope")
    closed_lost = p.opportunity_stage("Closed Lost")
    assert closed_lost is not None and closed_lost["probability"] == 0
    assert p.opportunity_stage("nope") is None
    assert "Pipeline(stages=['subscriber'" in repr(p)
    html = p._repr_html_()
    assert html.startswith("<table>") and "Closed Lost (0%)" in html
    odd = leadflow.Pipeline.from_dict({"lead_stages": {"ladder": ["<b>", "x"], "initial": "<b>"}})
    assert "&lt;b&gt;" in odd._repr_html_() and "<b>" not in odd._repr_html_()


def test_moves_return_a_new_lead_and_the_transition() -> None:
    p = leadflow.Pipeline()
    original = dict(LEAD)
    lead, placed = p.place(original, at=at(1), actor="system")
    assert original == LEAD, "the input dict is never modified"
    assert [t["kind"] for t in placed] == ["initial", "initial"]
    lead, t = p.advance_stage(lead, "sql", at=at(2), actor="rule:x", reason="score")
    assert t["kind"] == "skip" and t["to"] == "sql" and t["actor"] == "rule:x"
    assert lead["stage"] == "sql"
    lead, t = p.recycle_stage(lead, "lead", at=at(3), reason="no budget")
    assert t["kind"] == "recycle"
    assert len(lead["history"]) == 4
    # Timestamps in history keep RFC 3339 text.
    assert lead["history"][2]["at"] == "2026-03-02T09:00:00Z"


def test_refused_moves_raise_invalid_transition_with_details() -> None:
    p = leadflow.Pipeline()
    lead, _ = p.advance_stage(LEAD, "sql", at=at(2))
    with pytest.raises(leadflow.InvalidTransition) as info:
        p.advance_stage(lead, "mql", at=at(3))
    err = info.value
    assert err.record == "L-1"
    assert err.details == {"dimension": "stage", "from": "sql", "to": "mql"}
    with pytest.raises(leadflow.InvalidTransition):
        p.recycle_stage(lead, "mql", at=at(3))  # no reason
    with pytest.raises(leadflow.NotFound) as nf:
        p.advance_stage(lead, "unicorn", at=at(3))
    assert "mql" in nf.value.details["known"]


def test_touches_and_status() -> None:
    p = leadflow.Pipeline()
    lead, t = p.record_touch(LEAD, "attempt", at=at(2))
    assert t is not None and t["to"] == "attempting" and lead["attempts"] == 1
    lead, t = p.record_touch(lead, "attempt", at=at(3))
    assert t is None and lead["attempts"] == 2
    lead, t = p.record_touch(lead, "connected", at=at(4))
    assert lead["status"] == "connected" and "attempts" not in lead
    with pytest.raises(leadflow.ValidationError) as info:
        p.record_touch(lead, "carrier pigeon", at=at(5))  # type: ignore[arg-type]
    assert info.value.field == "outcome"
    with pytest.raises(leadflow.InvalidTransition):
        p.set_status(lead, "nurture", at=at(5))  # nurture needs a reason
    lead, t = p.set_status(lead, "nurture", at=at(5), reason="timing")
    assert t["reason"] == "timing"


def test_time_arguments() -> None:
    p = leadflow.Pipeline()
    tokyo = datetime.timezone(datetime.timedelta(hours=9))
    lead, placed = p.place(LEAD, at=datetime.datetime(2026, 3, 1, 18, 0, tzinfo=tokyo))
    assert placed[0]["at"] == "2026-03-01T18:00:00+09:00"
    with pytest.raises(leadflow.ValidationError) as info:
        p.place(LEAD, at=datetime.datetime(2026, 3, 1))
    assert info.value.field == "at"
    with pytest.raises(leadflow.ValidationError):
        p.place(LEAD, at="yesterday")


def test_opportunities() -> None:
    p = leadflow.Pipeline()
    opp = p.open_opportunity("O-1", "Acme", "A-1", at=at(1))
    assert opp["stage"] == "Prospecting" and opp["probability"] == 10
    opp, t = p.move_opportunity(opp, "Proposal", at=at(2))
    assert opp["probability"] == 65 and t["to"] == "Proposal"
    with pytest.raises(leadflow.InvalidTransition):
        p.move_opportunity(opp, "Closed Lost", at=at(3))
    opp, _ = p.move_opportunity(opp, "Closed Lost", at=at(3), reason="price")
    assert opp["is_closed"] is True and opp["is_won"] is False


def test_history_queries() -> None:
    p = leadflow.Pipeline()
    lead, _ = p.place(LEAD, at=at(1))
    lead, _ = p.advance_stage(lead, "mql", at=at(3))
    assert leadflow.entered_at(lead, "mql") == "2026-03-03T09:00:00Z"
    assert leadflow.entered_at(lead["history"], "mql") == "2026-03-03T09:00:00Z"
    assert leadflow.entered_at(lead, "sql") is None
    assert leadflow.last_entered_at(lead, "new", dimension="status") == "2026-03-01T09:00:00Z"
    assert leadflow.time_in_current(lead, now=at(5)) == pytest.approx(2.0)
    assert leadflow.time_in_current({"id": "x"}, now=at(5)) is None
    totals = leadflow.cumulative_time(lead, now=at(5))
    assert totals == pytest.approx({p.initial_stage: 2.0, "mql": 2.0})
    rows = leadflow.timeline(lead, now="2026-03-05T09:00:00Z")
    assert [r["state"] for r in rows] == [p.initial_stage, "mql"]
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.entered_at(lead, "mql", dimension="mood")  # type: ignore[arg-type]
    assert info.value.field == "dimension"
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.entered_at({"history": [{"to": "x"}]}, "x")
    assert info.value.field == "history"


def test_custom_pipeline_from_dict_str_and_path(tmp_path: pathlib.Path) -> None:
    config = {"lead_stages": {"ladder": ["new", "hot", "won"], "initial": "new"}}
    p = leadflow.Pipeline.from_dict(config)
    assert p.stage_ladder == ["new", "hot", "won"]
    assert leadflow.Pipeline.from_dict(p.config).config == p.config
    toml = '[lead_stages]\nladder = ["a", "b"]\ninitial = "a"\n'
    assert leadflow.Pipeline.from_str(toml, "toml").stage_ladder == ["a", "b"]
    path = tmp_path / "pipeline.toml"
    path.write_text(toml, encoding="utf-8")
    assert leadflow.Pipeline.from_path(path).stage_ladder == ["a", "b"]
    assert leadflow.Pipeline.from_path(str(path)).stage_ladder == ["a", "b"]


def test_config_errors() -> None:
    with pytest.raises(leadflow.ConfigError):
        leadflow.Pipeline.from_dict({"lead_stages": {"ladder": [], "initial": "x"}})
    with pytest.raises(leadflow.LeadflowError) as info:
        leadflow.Pipeline.from_dict({"lead_stagez": {}})
    assert "lead_stagez" in str(info.value)
    with pytest.raises(leadflow.ConfigError):
        leadflow.Pipeline.from_str("{}", "xml")
    with pytest.raises(leadflow.IoError) as io:
        leadflow.Pipeline.from_path("/nonexistent/pipeline.toml")
    assert io.value.file == "/nonexistent/pipeline.toml"
    # The core reports malformed config text as ConfigError, with the position.
    with pytest.raises(leadflow.ConfigError) as bad:
        leadflow.Pipeline.from_str("[lead_stages\n", "toml")
    assert (bad.value.line, bad.value.column) == (1, 13)


def test_converted_leads_are_read_only() -> None:
    converted = {
        **LEAD,
        "conversion": {
            "converted_at": "2026-03-02T00:00:00Z",
            "account_id": "A-1",
            "contact_id": "C-1",
        },
    }
    with pytest.raises(leadflow.InvalidTransition) as info:
        leadflow.Pipeline().advance_stage(converted, "mql", at=at(3))
    assert info.value.details["account_id"] == "A-1"


def test_pipeline_is_shared_across_threads() -> None:
    p = leadflow.Pipeline()
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(200):
                lead, _ = p.advance_stage({"id": f"L-{n}-{i}", "created_at": "2026-03-01T00:00:00Z"}, "mql", at=at(2))
                assert lead["stage"] == "mql"
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
