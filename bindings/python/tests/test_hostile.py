"""Hostile values at the Python boundary: records that try to crash the interpreter
(cycles, nesting deeper than the stack), values JSON cannot hold, frames pyarrow
cannot convert, and panics. Each case asserts the typed error, that the rest of a
batch is exactly what scoring the good leads alone gives, and that the
interpreter is alive after it (the same file exists in bindings/node/tests).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

import leadflow
from conftest import REPO, strict_equal

NOW = "2026-02-01T00:00:00Z"
PACK = leadflow.Pack.from_path(REPO / "examples" / "packs" / "b2b-saas")
GOOD: list[dict[str, Any]] = [
    json.loads(line)
    for line in (REPO / "examples" / "data" / "sample-leads.jsonl").read_text().splitlines()[:6]
]
# Nesting the core refuses in JSON text (serde_json's limit of 128 levels).
TOO_DEEP = 5_000


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def cyclic_list() -> list[Any]:
    items: list[Any] = [1]
    items.append(items)
    return items


def cyclic_dict() -> dict[str, Any]:
    d: dict[str, Any] = {"a": 1}
    d["me"] = d
    return d


def bad(id: str, **fields: Any) -> dict[str, Any]:
    return {"id": id, "created_at": "2026-01-01T00:00:00Z", **fields}


# (name, the bad lead, the field path the error must name)
BAD_LEADS: list[tuple[str, Callable[[], dict[str, Any]], str]] = [
    ("cyclic list", lambda: bad("B-1", custom={"x": cyclic_list()}), "custom.x[1]"),
    ("cyclic dict", lambda: bad("B-2", custom={"x": cyclic_dict()}), "custom.x.me"),
    ("5,000 deep", lambda: bad("B-3", custom={"deep": nested(TOO_DEEP)}), "custom.deep"),
    ("unsupported type", lambda: bad("B-4", custom={"when": object()}), "custom.when"),
    ("int beyond 64 bits", lambda: bad("B-5", employees=2**64), "employees"),
]


def assert_names(err: object, lead_id: str, field: str) -> None:
    assert isinstance(err, leadflow.ValidationError), repr(err)
    assert err.record == lead_id
    assert err.field is not None and err.field.startswith(field), err.field


def assert_alive() -> None:
    assert PACK.score(GOOD[0], NOW) == PACK.score_many([GOOD[0]], NOW)[0]


@pytest.mark.parametrize(("name", "make", "field"), BAD_LEADS, ids=[b[0] for b in BAD_LEADS])
def test_parse_lead_and_score_raise_a_validation_error(
    name: str, make: Callable[[], dict[str, Any]], field: str
) -> None:
    lead = make()
    for call in (leadflow.parse_lead, lambda x: PACK.score(x, NOW)):
        with pytest.raises(leadflow.ValidationError) as info:
            call(lead)
        assert_names(info.value, lead["id"], field)
    assert_alive()


@pytest.mark.parametrize(("name", "make", "field"), BAD_LEADS, ids=[b[0] for b in BAD_LEADS])
def test_one_bad_lead_is_one_error_entry_in_every_batch(
    name: str, make: Callable[[], dict[str, Any]], field: str
) -> None:
    lead = make()
    leads = [*GOOD[:3], lead, *GOOD[3:]]

    scores = PACK.score_many(leads, NOW)
    assert_names(scores.pop(3), lead["id"], field)
    strict_equal(scores, PACK.score_many(GOOD, NOW))

    explained = PACK.score_many(leads, NOW, explain=True)
    assert_names(explained.pop(3), lead["id"], field)
    strict_equal(explained, PACK.score_many(GOOD, NOW, explain=True))

    parsed = leadflow.parse_leads(leads)
    assert_names(parsed.pop(3), lead["id"], field)
    strict_equal(parsed, leadflow.parse_leads(GOOD))

    router = leadflow.Router({"fallback_queue": "q", "reps": [{"id": "ana"}, {"id": "ben"}],
                              "teams": [{"name": "t", "members": ["ana", "ben"],
                                         "strategy": "round_robin"}],
                              "rules": [{"name": "all", "assign": {"team": "t"}}]})
    assigned, state = router.assign_many(leads, None, now=NOW)
    assert_names(assigned.pop(3), lead["id"], field)
    alone, alone_state = router.assign_many(GOOD, None, now=NOW)
    strict_equal(assigned, alone)
    strict_equal(state, alone_state)

    acc = leadflow.MetricsAccumulator("2025", NOW)
    skipped = acc.add_leads(leads, skip_invalid=True)
    assert len(skipped) == 1
    assert_names(skipped[0], lead["id"], field)
    only_good = leadflow.MetricsAccumulator("2025", NOW)
    only_good.add_leads(GOOD)
    strict_equal(acc.finish(), only_good.finish())
    assert_alive()


def test_depth_limit_is_the_json_limit() -> None:
    """A dict is refused exactly when the same record as JSON text is (128 levels)."""
    for depth in (120, 125, 126, 130):
        lead = bad("D-1", custom={"a": nested(depth)})
        outcomes = []
        for form in (lead, json.dumps(lead)):
            try:
                leadflow.parse_lead(form)
                outcomes.append("ok")
            except leadflow.LeadflowError:
                outcomes.append("refused")
        assert outcomes[0] == outcomes[1], (depth, outcomes)
    assert leadflow.parse_lead(bad("D-2", custom={"a": nested(120)}))["id"] == "D-2"


def test_a_shared_value_is_not_a_cycle() -> None:
    shared = {"k": [1, 2]}
    lead = bad("S-1", custom={"a": shared, "b": shared, "c": [shared, shared]})
    assert leadflow.parse_lead(lead)["custom"]["c"] == [shared, shared]


def _pandas() -> Any:
    return pytest.importorskip("pandas")


def test_mixed_object_column_is_a_validation_error_naming_it() -> None:
    pd = _pandas()
    df = pd.DataFrame({"id": ["A-1", "A-2"], "employees": [10, "many"]})
    with pytest.raises(leadflow.ValidationError) as info:
        PACK.score_many(df, NOW)
    assert info.value.field == "employees"
    assert_alive()


def test_uint64_above_2_63_is_a_validation_error_naming_it() -> None:
    pd = _pandas()
    pa = pytest.importorskip("pyarrow")
    big = pd.Series([1, 2**63 + 5], dtype="uint64")
    for data in (pd.DataFrame({"id": ["A-1", "A-2"], "employees": big}),
                 pa.table({"id": ["A-1", "A-2"], "employees": pa.array(big, pa.uint64())})):
        with pytest.raises(leadflow.ValidationError) as info:
            PACK.score_many(data, NOW)
        assert info.value.field == "employees"
    # Within range, the same column is read.
    ok = pd.DataFrame({"id": ["A-1"], "employees": pd.Series([420], dtype="uint64")})
    assert list(PACK.score_many(ok, NOW, strict=False)["error"]) == [None]
    assert_alive()


def _child(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("LEADFLOW_BACKTRACE", "RUST_BACKTRACE")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**environ, **env}, timeout=120, check=False)


PANIC = """
import leadflow
from leadflow._leadflow import _panic
try:
    _panic("kaboom")
except leadflow.InternalError as e:
    assert isinstance(e, leadflow.LeadflowError) and e.kind == "InternalError", e
    print("caught", e.message)
print(leadflow.parse_lead({"id": "L-1", "created_at": "2026-01-01T00:00:00Z"})["id"])
"""


def test_a_panic_is_an_internal_error_and_silent_on_stderr() -> None:
    child = _child(PANIC)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split("\n")[:2] == ["caught leadflow panicked: kaboom", "L-1"]
    assert child.stderr == ""


def test_leadflow_backtrace_prints_caught_panics() -> None:
    child = _child(PANIC, LEADFLOW_BACKTRACE="1")
    assert child.returncode == 0, child.stderr
    assert "leadflow panicked at " in child.stderr and "kaboom" in child.stderr
    assert "stack backtrace" in child.stderr or "backtrace" in child.stderr.lower()



# The host owns the sandbox (docs/sandbox.md): a pack lowers its limits, never raises them.
SPIN = {"name": "spin", "version": "1", "rules": [{"name": "spin", "script": "loop { score += 1.0; }"}]}


def test_host_limits_bind_the_pack_and_travel_with_a_pickle() -> None:
    import pickle

    pack = leadflow.Pack.from_dict(SPIN, limits={"max_operations": 50})
    assert pack.limits["max_operations"] == 50
    with pytest.raises(leadflow.LimitExceeded) as info:
        pack.score(GOOD[0], NOW)
    assert info.value.record == GOOD[0]["id"]
    again = pickle.loads(pickle.dumps(pack))
    assert again.limits == pack.limits
    with pytest.raises(leadflow.LimitExceeded):
        again.score(GOOD[0], NOW)


@pytest.mark.parametrize(
    ("pack_limits", "host_limits", "field"),
    [
        ({"max_operations": 0}, None, "limits.max_operations"),
        ({"max_call_depth": 10_000_000}, None, "limits.max_call_depth"),
        ({"max_operations": 100}, {"max_operations": 50}, "limits.max_operations"),
        ({}, {"max_operations": 0}, "limits.max_operations"),
        ({}, {"max_expr_depth": 1_000}, "limits.max_expr_depth"),
        ({}, {"no_such_limit": 1}, "limits"),
    ],
)
def test_limits_out_of_range_are_config_errors_naming_the_key(
    pack_limits: dict[str, int], host_limits: dict[str, int] | None, field: str
) -> None:
    with pytest.raises(leadflow.ConfigError) as info:
        leadflow.Pack.from_dict({**SPIN, "limits": pack_limits}, limits=host_limits)  # type: ignore[arg-type]
    assert info.value.field == field


def test_packs_read_nothing_outside_their_folder() -> None:
    for name in ["escape-dotdot", "escape-absolute", "escape-symlink", "escape-device"]:
        with pytest.raises(leadflow.ConfigError) as info:
            leadflow.Pack.from_path(REPO / "tests" / "hostile" / "packs" / name)
        assert info.value.field == "scripts"
        assert "leadflow_outside_secret_token" not in str(info.value)
    assert leadflow.Pack.from_path(REPO / "examples" / "packs" / "b2b-saas").name == PACK.name


def test_a_bad_element_of_a_text_array_is_one_entry() -> None:
    # A NaN is not JSON: before, the whole array was one ParseError.
    text = "[" + json.dumps(GOOD[0]) + ", NaN, " + json.dumps(GOOD[1]) + "]"
    out = leadflow.parse_leads(text)
    assert len(out) == 3
    assert isinstance(out[1], leadflow.ParseError)
    strict_equal([out[0], out[2]], leadflow.parse_leads(GOOD[:2]))
    scores = PACK.score_many(text, NOW)
    assert len(scores) == 3
    assert isinstance(scores[1], leadflow.ParseError)
    strict_equal([scores[0], scores[2]], PACK.score_many(GOOD[:2], NOW))
    strict_equal(PACK.score_many(text.encode(), NOW)[2], scores[2])
    # A BOM before an array loses nothing.
    assert leadflow.parse_leads("\ufeff" + json.dumps(GOOD[:2])) == leadflow.parse_leads(GOOD[:2])
