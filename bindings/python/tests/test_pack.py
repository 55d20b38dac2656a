"""Compiled packs: loading, scoring, explaining, evaluating, pickling."""

from __future__ import annotations

import json
import multiprocessing
import pickle
from typing import Any

import pytest

import leadflow
from conftest import REPO

PACKS = REPO / "examples" / "packs"
NOW = "2026-01-15T00:00:00Z"
LEADS: list[dict[str, Any]] = [
    json.loads(line)
    for line in (REPO / "examples" / "data" / "sample-leads.jsonl").read_text().splitlines()
    if line.strip()
]
TINY = """
name = "tiny"
version = "2.0.0"

[[rules]]
name = "vp"
when = { field = "title", contains = "VP" }
points = 10

[[rules]]
name = "big"
when = { field = "employees", gt = 500 }
points = 5
"""


@pytest.fixture(scope="module")
def b2b() -> leadflow.Pack:
    return leadflow.Pack.from_path(PACKS / "b2b-saas")


def test_from_path_exposes_metadata(b2b: leadflow.Pack) -> None:
    assert (b2b.name, b2b.version, b2b.id) == ("b2b-saas", "1.0.0", "b2b-saas@1.0.0")
    tiers = {r["tier"] for r in b2b.rules}
    assert tiers == {"native", "script"}
    assert all({"name", "axis", "tier", "kind", "reason"} <= r.keys() for r in b2b.rules)
    assert "seniority" in b2b.features
    assert "b2b-saas@1.0.0" in repr(b2b) and "native" in repr(b2b)
    assert "<table>" in b2b._repr_html_()


def test_from_str_formats_agree() -> None:
    toml = leadflow.Pack.from_str(TINY)
    as_dict = {
        "name": "tiny",
        "version": "2.0.0",
        "rules": [
            {"name": "vp", "when": {"field": "title", "contains": "VP"}, "points": 10},
            {"name": "big", "when": {"field": "employees", "gt": 500}, "points": 5},
        ],
    }
    from_json = leadflow.Pack.from_str(json.dumps(as_dict), format="json")
    from_dict = leadflow.Pack.from_dict(as_dict)
    rhai = leadflow.Pack.from_str(
        '//! name: tiny\n//! version: 2.0.0\nlet score = 0.0;\n'
        'if lead.title.contains("VP") { score += 10.0; }\n'
        "if lead.employees > 500 { score += 5.0; }\n",
        format="rhai",
    )
    lead = {"id": "L-1", "created_at": NOW, "title": "VP Sales", "employees": 900}
    for pack in (toml, from_json, from_dict, rhai):
        assert pack.id == "tiny@2.0.0"
        assert pack.score(lead, NOW)["total"] == 15.0


def test_bad_packs_raise_located_errors() -> None:
    with pytest.raises(leadflow.ConfigError) as info:
        leadflow.Pack.from_str('name = "x"\nversion = "1"\nbogus = 3\n', file="p.toml")
    assert info.value.file == "p.toml" and info.value.line == 3
    with pytest.raises(leadflow.ConfigError):
        leadflow.Pack.from_str(TINY, format="xml")  # type: ignore[arg-type]
    with pytest.raises(leadflow.IoError):
        leadflow.Pack.from_path(PACKS / "missing" / "pack.toml")
    with pytest.raises(leadflow.ScriptError):
        leadflow.Pack.from_str("let x = ;", format="rhai")


def test_score_explain_and_lead_errors(b2b: leadflow.Pack) -> None:
    r = b2b.score(LEADS[0], NOW)
    assert r["lead_id"] == LEADS[0]["id"] and "explanation" not in r
    assert r["grade"] in "ABCDEF" and r["temperature"] in ("cold", "warm", "hot")
    assert r["total"] == pytest.approx(min(100.0, r["fit"] + r["engagement"]))
    e = b2b.explain(LEADS[0], NOW)
    assert {k: v for k, v in e.items() if k != "explanation"} == r
    fired = e["explanation"]["rules"]
    assert fired and sum(f["points"] for f in fired) == pytest.approx(
        e["explanation"]["fit_raw"] + e["explanation"]["engagement_raw"]
    )
    assert b2b.score(json.dumps(LEADS[0]), NOW) == r
    with pytest.raises(leadflow.ValidationError) as info:
        b2b.score({"id": "L-x", "created_at": NOW, "employees": "many"}, NOW)
    assert info.value.record == "L-x" and info.value.field == "employees"
    with pytest.raises(leadflow.ValidationError):
        b2b.score(LEADS[0], "yesterday")


def test_evaluate_moves_the_lead_without_mutating_the_input(b2b: leadflow.Pack) -> None:
    results = [b2b.evaluate(lead, NOW) for lead in LEADS]
    moved = [(lead, ev) for lead, ev in results if ev["moves"]]
    assert moved, "some sample lead should cross a lifecycle threshold"
    lead, ev = moved[0]
    assert lead["score"]["pack"] == "b2b-saas@1.0.0"
    assert lead["stage"] == ev["moves"][-1]["to"]
    assert lead["history"][-len(ev["moves"]) :] == ev["moves"]
    assert ev["qualification"]["framework"] == "BANT"
    assert all("score" not in original for original in LEADS)
    custom = leadflow.Pipeline.from_dict(
        {"lead_stages": {"ladder": ["lead", "mql", "sql", "won"], "initial": "lead"}}
    )
    lead2, ev2 = b2b.evaluate(moved[0][0] | {"stage": None, "history": []}, NOW, pipeline=custom)
    assert ev2["moves"][0]["to"] == "lead"


def test_score_many_list_matches_score_and_keeps_bad_records(b2b: leadflow.Pack) -> None:
    bad = {"id": "L-bad", "created_at": "not a date"}
    out = b2b.score_many([*LEADS, bad, "{not json"], NOW)
    assert len(out) == len(LEADS) + 2
    assert out[: len(LEADS)] == [b2b.score(lead, NOW) for lead in LEADS]
    assert isinstance(out[-2], leadflow.ValidationError) and out[-2].record == "L-bad"
    assert isinstance(out[-1], leadflow.ParseError)
    explained = b2b.score_many(LEADS[:2], NOW, explain=True)
    assert all(isinstance(r, dict) and "explanation" in r for r in explained)
    assert b2b.score_many(iter(LEADS[:3]), NOW) == out[:3]
    assert b2b.score_many([], NOW) == []


def test_packs_pickle_from_their_sources(b2b: leadflow.Pack) -> None:
    for pack in (b2b, leadflow.Pack.from_str(TINY), leadflow.Pack.from_path(PACKS / "reference")):
        back = pickle.loads(pickle.dumps(pack))
        assert isinstance(back, leadflow.Pack)
        assert (back.id, back.rules, back.features) == (pack.id, pack.rules, pack.features)
        assert back.score_many(LEADS, NOW) == pack.score_many(LEADS, NOW)
    with pytest.raises(leadflow.ConfigError):
        leadflow.Pack._from_sources("{}", "0.0.0")


def _score_in_worker(args: tuple[leadflow.Pack, dict[str, Any]]) -> float:
    pack, lead = args
    return float(pack.score(lead, NOW)["total"])


def test_packs_cross_process_boundaries(b2b: leadflow.Pack) -> None:
    # "spawn" pickles the pack (the "fork" default would share memory instead).
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        totals = pool.map(_score_in_worker, [(b2b, lead) for lead in LEADS[:4]])
    assert totals == [b2b.score(lead, NOW)["total"] for lead in LEADS[:4]]
