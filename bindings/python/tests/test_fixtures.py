"""Runs every shared JSON fixture under the repo's tests/fixtures/ through the Python API.

The Rust suite (tests/fixtures.rs) and the Node suite run the same files and must give
the same results. An operation this runner does not know FAILS its case, so a fixture
can never go silently unrun: bind the operation and add it to OPERATIONS.
"""

from __future__ import annotations

import json
import pathlib
import re
from collections.abc import Callable
from typing import Any

import pytest

import leadflow
from conftest import FIXTURES, REPO, strict_equal


def _pipeline(input: dict[str, Any]) -> leadflow.Pipeline:
    if "pipeline" in input:
        return leadflow.Pipeline.from_dict(input["pipeline"])
    return leadflow.Pipeline()


def _change(step: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments `at`, `actor`, `reason` of a step."""
    return {key: step[key] for key in ("at", "actor", "reason") if key in step}


def lifecycle(input: dict[str, Any]) -> Any:
    p = _pipeline(input)
    lead = leadflow.parse_lead(input["lead"])
    for step in input["steps"]:
        action = step["action"]
        if action == "place":
            lead, _ = p.place(lead, **_change(step))
        elif action == "record_touch":
            lead, _ = p.record_touch(lead, step["outcome"], **_change(step))
        elif action in ("advance_stage", "recycle_stage", "set_status"):
            lead, _ = getattr(p, action)(lead, step["to"], **_change(step))
        else:
            pytest.fail(f"unknown lifecycle action {action!r}")
    return lead


def opportunity(input: dict[str, Any]) -> Any:
    p = _pipeline(input)
    o = input["open"]
    opp = p.open_opportunity(o["id"], o["name"], o["account_id"], **_change(o))
    for step in input["steps"]:
        opp, _ = p.move_opportunity(opp, step["to"], **_change(step))
    return opp


def _records(input: dict[str, Any]) -> tuple[Any, list[Any], list[Any]]:
    return input["lead"], input.get("accounts", []), input.get("contacts", [])


def match_lead(input: dict[str, Any]) -> Any:
    return leadflow.match_lead(*_records(input), input.get("options"))


def convert_plan(input: dict[str, Any]) -> Any:
    return leadflow.plan_conversion(*_records(input), input.get("options"), now=input["now"])


def convert(input: dict[str, Any]) -> Any:
    return leadflow.convert(*_records(input), input.get("options"), now=input["now"])


def enrich(input: dict[str, Any]) -> Any:
    lead, report = leadflow.enrich(input["lead"], input["data"], input["provider"])
    return {"lead": lead, "rejected": report["rejected"]}


def qualify(input: dict[str, Any]) -> Any:
    return leadflow.qualify(input["framework"], input.get("evidence"), input.get("policy"))


def qualify_lead(input: dict[str, Any]) -> Any:
    evidence = leadflow.qualification_evidence(input["lead"], input["framework"])
    result = leadflow.qualify(input["framework"], evidence)
    state = leadflow.qualification_state(result, now=input["now"])
    return {"evidence": evidence, "outcome": result["outcome"], "state": state}


def _pack(input: dict[str, Any]) -> leadflow.Pack:
    """The fixture's pack: a path relative to the repository root, or an inline manifest."""
    if isinstance(input["pack"], str):
        return leadflow.Pack.from_path(REPO / input["pack"])
    return leadflow.Pack.from_dict(input["pack"])


def _metrics_section(section: str) -> Callable[[Any], Any]:
    """One section of a metrics request's report (`funnel`, `velocity`, ...)."""
    return lambda input: leadflow.metrics(input)[section]


METRICS_SECTIONS = ("funnel", "conversion", "velocity", "board", "pipeline", "attribution")


def score(input: dict[str, Any]) -> Any:
    return _pack(input).score(input["lead"], input["now"], explain=input.get("explain", False))


def score_many(input: dict[str, Any]) -> Any:
    out = _pack(input).score_many(
        input["leads"], input["now"], explain=input.get("explain", False), columns=input.get("columns")
    )
    return [{"error": _error_json(r)} if isinstance(r, leadflow.LeadflowError) else r for r in out]


def score_columns(input: dict[str, Any]) -> Any:
    """The table as a pyarrow Table (types inferred by pyarrow), scored on the Arrow path."""
    import pyarrow as pa

    out = _pack(input).score_many(
        pa.table(input["table"]), input["now"], columns=input.get("columns"), strict=input.get("strict", True)
    )
    errors = [e for e in out["error"].to_pylist() if e is not None]
    assert not errors, f"score_columns fixtures score every row: {errors}"
    names = {"score": "total", "fit": "fit", "engagement": "engagement", "grade": "grade", "temperature": "temperature"}
    rows = out.select(list(names)).to_pylist()
    scores = [{names[k]: v for k, v in row.items()} for row in rows]
    return {"scores": scores, "warnings": json.loads(out.schema.metadata[b"warnings"])}


def evaluate(input: dict[str, Any]) -> Any:
    lead, _evaluation = _pack(input).evaluate(input["lead"], input["now"], pipeline=_pipeline(input))
    return lead


def _error_json(err: leadflow.LeadflowError) -> dict[str, Any]:
    """The core's JSON of an error (the `{"error": ...}` entry of a batch)."""
    keys = ("message", "record", "field", "rule", "file", "line", "column", "details")
    out: dict[str, Any] = {"kind": err.kind}
    out.update({key: getattr(err, key) for key in keys if getattr(err, key) is not None})
    return out


def route(input: dict[str, Any]) -> Any:
    existing: dict[str, Any] = {}
    if "accounts" in input:
        existing = {"accounts": input["accounts"], "contacts": input.get("contacts", [])}
    router = leadflow.Router(input["config"], **existing)
    assignments, state = router.assign_many(input.get("leads", []), input.get("state"), now=input["now"])
    entries = [{"error": _error_json(a)} if isinstance(a, leadflow.LeadflowError) else a for a in assignments]
    return {"assignments": entries, "state": state}


def sla(input: dict[str, Any]) -> Any:
    policy = leadflow.SlaPolicy(input["config"])
    reports: list[Any] = []
    for lead in input.get("leads", []):
        try:
            reports.append(policy.evaluate(lead, now=input["now"]))
        except leadflow.LeadflowError as e:
            reports.append({"error": _error_json(e)})
    return reports


def triggers(input: dict[str, Any]) -> Any:
    t = leadflow.Triggers(input["config"])
    state = input.get("state")
    actions: list[Any] = []
    for event in input.get("events", []):
        planned, state = t.evaluate(input["lead"], event, state)
        actions.extend(planned)
    return {"actions": actions, "state": state if state is not None else {}}


def touch(input: dict[str, Any]) -> Any:
    lead = input["lead"]
    results = []
    for activity in input.get("activities", []):
        lead, result = leadflow.record_activity(
            lead, activity, policy=input.get("policy"), actor=input.get("actor")
        )
        results.append(result)
    return {"lead": leadflow.parse_lead(lead), "results": results}


# operation name -> function of the fixture's `input` returning the JSON-like result.
OPERATIONS: dict[str, Callable[[Any], Any]] = {
    "parse_lead": leadflow.parse_lead,
    "lifecycle": lifecycle,
    "opportunity": opportunity,
    "match_lead": match_lead,
    "convert_plan": convert_plan,
    "convert": convert,
    "derive": leadflow.derive,
    "enrich": enrich,
    "qualify": qualify,
    "qualify_lead": qualify_lead,
    **{section: _metrics_section(section) for section in METRICS_SECTIONS},
    "route": route,
    "sla": sla,
    "triggers": triggers,
    "touch": touch,
    "score": score,
    "score_many": score_many,
    "score_columns": score_columns,
    "evaluate": evaluate,
}

# The hostile corpus's cases have the same format (tests/hostile/README.md).
HOSTILE = REPO / "tests" / "hostile" / "cases"
PATHS = sorted(FIXTURES.rglob("*.json")) + sorted(HOSTILE.rglob("*.json"))


def _id(path: pathlib.Path) -> str:
    return path.relative_to(REPO / "tests").as_posix()


def test_fixtures_exist() -> None:
    assert PATHS, f"no fixtures found under {FIXTURES}"


def test_every_documented_operation_is_bound() -> None:
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", readme, flags=re.MULTILINE))
    assert documented, "no operations found in tests/fixtures/README.md"
    missing = sorted(documented - OPERATIONS.keys())
    assert not missing, f"operations documented but not bound in test_fixtures.py: {missing}"


def _run(op: str, input: Any) -> Any:
    if op not in OPERATIONS:
        pytest.fail(f"unknown fixture operation {op!r}: add it to OPERATIONS in {__file__}")
    return OPERATIONS[op](input)


@pytest.mark.parametrize("path", PATHS, ids=[_id(p) for p in PATHS])
def test_fixture(path: pathlib.Path) -> None:
    fx = json.loads(path.read_text(encoding="utf-8"))
    op = fx.get("operation")
    assert isinstance(op, str), "a fixture needs an `operation`"
    assert ("expected" in fx) != ("error" in fx), "a fixture has exactly one of `expected` and `error`"
    if "expected" in fx:
        strict_equal(_run(op, fx["input"]), fx["expected"])
        return
    want = fx["error"]
    with pytest.raises(leadflow.LeadflowError) as info:
        got = _run(op, fx["input"])
        pytest.fail(f"expected {want}, got {got!r}")
    err = info.value
    assert type(err).__name__ == want["kind"], str(err)
    assert err.kind == want["kind"], str(err)
    for key in ("record", "field", "rule"):
        if key in want:
            assert getattr(err, key) == want[key], f"{key} of {err}"
