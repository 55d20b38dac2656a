"""leadflow.metrics and leadflow.MetricsAccumulator: partials computed anywhere,
serialized, merged in any order, give exactly the report of one pass over the data."""

from __future__ import annotations

import copy
import json
import pickle
from typing import Any

import pytest

import leadflow
from conftest import REPO, strict_equal

SAMPLE = REPO / "examples" / "data" / "funnel-sample.jsonl"
OPTIONS = json.loads((REPO / "examples" / "data" / "funnel-sample.options.json").read_text())
PERIOD = "2026-Q3"
NOW = "2026-09-15T00:00:00Z"


def _sample() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    leads: list[dict[str, Any]] = []
    opps: list[dict[str, Any]] = []
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        kind = record.pop("record_type")
        (leads if kind == "lead" else opps).append(record)
    return leads, opps


LEADS, OPPS = _sample()


def _request(leads: list[Any], opps: list[Any]) -> dict[str, Any]:
    return {"leads": leads, "opportunities": opps, "period": PERIOD, "now": NOW, "options": OPTIONS}


def _acc() -> leadflow.MetricsAccumulator:
    return leadflow.MetricsAccumulator(PERIOD, NOW, options=OPTIONS)


def test_metrics_request_gives_every_section() -> None:
    report = leadflow.metrics(_request(LEADS, OPPS))
    assert report["leads"] == len(LEADS) and report["opportunities"] == len(OPPS)
    for section in ("funnel", "conversion", "velocity", "board", "pipeline", "attribution"):
        assert section in report
    assert report["funnel"]["total"]["cohort_size"] > 0
    # JSON text in gives the same report.
    strict_equal(leadflow.metrics(json.dumps(_request(LEADS, OPPS))), report)


def test_accumulator_equals_request() -> None:
    acc = _acc()
    assert acc.add_leads(LEADS) == []
    assert acc.add_opportunities(OPPS) == []
    strict_equal(acc.finish(), leadflow.metrics(_request(LEADS, OPPS)))


@pytest.mark.parametrize("cuts", [[0, 600], [0, 1, 599, 600], [0, 97, 250, 251, 480, 600]])
def test_partials_through_text_and_pickle_merge_to_the_whole(cuts: list[int]) -> None:
    whole = leadflow.metrics(_request(LEADS, OPPS))
    parts = []
    for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
        part = _acc()
        part.add_leads(LEADS[a:b])
        part.add_opportunities(OPPS[i::len(cuts) - 1])
        # Every other partial travels by pickle, the rest as JSON text.
        if i % 2:
            parts.append(pickle.loads(pickle.dumps(part)))
        else:
            parts.append(leadflow.MetricsAccumulator.from_json(part.to_json().encode()))
    merged = _acc()
    for part in reversed(parts):
        merged.merge(part)
    strict_equal(merged.finish(), whole)


def test_json_lines_text_and_bytes_equal_dicts() -> None:
    text = "\n".join(json.dumps(lead) for lead in LEADS)
    a, b, c = _acc(), _acc(), _acc()
    a.add_leads(LEADS)
    b.add_leads(text)
    c.add_leads(text.encode())
    strict_equal(b.finish(), a.finish())
    strict_equal(c.finish(), a.finish())


def test_single_record_adds() -> None:
    a, b = _acc(), _acc()
    for lead in LEADS[:50]:
        a.add_lead(lead)
    a.add_opportunity(json.dumps(OPPS[0]))
    b.add_leads(LEADS[:50])
    b.add_opportunities(OPPS[:1])
    strict_equal(a.finish(), b.finish())


def test_invalid_lead_raises_and_adds_nothing() -> None:
    acc = _acc()
    bad = [LEADS[0], {"id": "broken", "created_at": "yesterday"}, LEADS[1]]
    with pytest.raises(leadflow.ValidationError) as info:
        acc.add_leads(bad)
    assert info.value.record == "broken"
    assert info.value.field == "created_at"
    assert acc.finish()["leads"] == 0


def test_invalid_leads_skipped_on_request() -> None:
    acc = _acc()
    errors = acc.add_leads([LEADS[0], {"id": "broken"}, LEADS[1]], skip_invalid=True)
    assert len(errors) == 1 and isinstance(errors[0], leadflow.ValidationError)
    assert errors[0].record == "broken"
    assert acc.finish()["leads"] == 2
    # A malformed JSON line names its line.
    errors = acc.add_leads(json.dumps(LEADS[2]) + "\n{not json\n", skip_invalid=True)
    assert len(errors) == 1 and isinstance(errors[0], leadflow.ParseError)
    assert errors[0].line == 2 and errors[0].field == "leads[1]"
    assert acc.finish()["leads"] == 3


def test_merge_refuses_another_configuration() -> None:
    acc = _acc()
    other = leadflow.MetricsAccumulator(PERIOD, NOW)  # default options
    with pytest.raises(leadflow.ConfigError):
        acc.merge(other)
    later = leadflow.MetricsAccumulator(PERIOD, "2026-09-16T00:00:00Z", options=OPTIONS)
    with pytest.raises(leadflow.ConfigError):
        acc.merge(later)


def test_merge_with_itself_doubles() -> None:
    acc = _acc()
    acc.add_leads(LEADS[:10])
    acc.merge(acc)
    assert acc.finish()["leads"] == 20


def test_config_round_trips_and_empty_like() -> None:
    acc = _acc()
    acc.add_leads(LEADS[:5])
    again = leadflow.MetricsAccumulator(**acc.config)
    again.merge(acc)  # equal configurations
    empty = acc.empty_like()
    assert empty.finish()["leads"] == 0
    empty.merge(acc)
    assert empty.finish()["leads"] == 5
    from_request = leadflow.MetricsAccumulator.from_request(_request(LEADS, OPPS))
    assert from_request.finish()["leads"] == 0  # records of a request are not added
    from_request.merge(acc)


def test_copies_are_independent() -> None:
    acc = _acc()
    acc.add_leads(LEADS[:5])
    for dup in (copy.copy(acc), copy.deepcopy(acc)):
        dup.add_leads(LEADS[5:7])
        assert dup.finish()["leads"] == 7
    assert acc.finish()["leads"] == 5


def test_bad_partials_are_refused() -> None:
    with pytest.raises(leadflow.ParseError):
        leadflow.MetricsAccumulator.from_json("{}")
    with pytest.raises(leadflow.ParseError):
        leadflow.MetricsAccumulator.from_json(b"\xff")
    tampered = json.loads(_acc().to_json())
    tampered["velocity"]["latest"] = []
    with pytest.raises(leadflow.ValidationError):
        leadflow.MetricsAccumulator.from_json(json.dumps(tampered))


def test_invalid_configuration() -> None:
    with pytest.raises(leadflow.ConfigError) as info:
        leadflow.MetricsAccumulator(PERIOD, NOW, options={"cohort_stage": "nope"})
    assert info.value.field == "cohort_stage"
    with pytest.raises(leadflow.ValidationError) as v:
        leadflow.MetricsAccumulator(PERIOD, NOW, options={"no_such_option": 1})
    assert v.value.field is not None and "options" in v.value.field
    with pytest.raises(leadflow.LeadflowError):
        leadflow.MetricsAccumulator("2026-Q5", NOW)
    # A custom period and an offset.
    acc = leadflow.MetricsAccumulator(
        {"from": "2026-07-01T00:00:00Z", "to": "2026-10-01T00:00:00Z"}, NOW
    )
    assert acc.config["period"]["from"] == "2026-07-01T00:00:00Z"
    acc = leadflow.MetricsAccumulator(PERIOD, NOW, utc_offset="-05:00")
    assert acc.config["period"]["from"] == "2026-07-01T00:00:00-05:00"
    assert "2026-Q3" in repr(acc)
    html = acc._repr_html_()
    assert html.startswith("<table><caption>leadflow.MetricsAccumulator</caption>")
    assert "2026-Q3" in html and "mql" in html
