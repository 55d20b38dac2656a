"""Routing: Router (assignment with explicit state), SlaPolicy, Triggers, record_activity.

The shared fixtures (tests/fixtures/routing) cover the behaviour; these tests cover the
Python API (tuples, keyword arguments, errors, notebooks, pickling).
"""

from __future__ import annotations

import copy
import datetime
import json
import pickle
import threading
import time
from typing import Any

import pytest

import leadflow
from conftest import FIXTURES, REPO

NOW = "2026-03-02T09:00:00Z"
CONFIG: dict[str, Any] = {
    "fallback_queue": "unassigned",
    "reps": [{"id": "ana"}, {"id": "ben"}],
    "teams": [{"name": "sdr", "members": ["ana", "ben"], "strategy": "round_robin"}],
    "rules": [{"name": "everyone", "assign": {"team": "sdr"}}],
}


def lead(id: str) -> dict[str, Any]:
    return {"id": id, "created_at": "2026-03-01T00:00:00Z"}


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / "routing" / name).read_text(encoding="utf-8"))
    return data["input"]  # type: ignore[no-any-return]


def test_assign_threads_the_state_and_assign_many_equals_one_by_one() -> None:
    router = leadflow.Router(CONFIG)
    first, state1 = router.assign(lead("L1"), now=NOW)
    aware = datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.timezone.utc)
    second, state2 = router.assign(lead("L2"), state1, now=aware)
    assert first["via"] == "rule" and first["rule"] == "everyone"
    assert first["assignee"] != second["assignee"]
    assignments, state = router.assign_many([lead("L1"), {"id": "bad"}, lead("L2")], None, now=NOW)
    assert assignments[0] == first
    bad = assignments[1]
    assert isinstance(bad, leadflow.ValidationError) and bad.record == "bad"
    assert isinstance(assignments[2], dict) and assignments[2]["assignee"] == second["assignee"]
    assert state == state2
    assert router.config["fallback_queue"] == "unassigned"


def test_the_state_passed_in_is_not_modified() -> None:
    router = leadflow.Router(CONFIG)
    _, state = router.assign(lead("L1"), now=NOW)
    kept = copy.deepcopy(state)
    router.assign(lead("L2"), state, now=NOW)
    router.assign_many([lead("L3")], state, now=NOW)
    assert state == kept


def test_assign_many_reads_json_text() -> None:
    router = leadflow.Router(CONFIG)
    text = "\n".join(json.dumps(lead(f"L{i}")) for i in range(4))
    from_text, s1 = router.assign_many(text, now=NOW)
    from_dicts, s2 = router.assign_many([lead(f"L{i}") for i in range(4)], now=NOW)
    assert from_text == from_dicts and s1 == s2
    broken, _ = router.assign_many('{"id": "x"', now=NOW)
    assert len(broken) == 1 and isinstance(broken[0], leadflow.ParseError)


def test_configs_from_text_and_files_and_config_errors(tmp_path: Any) -> None:
    expected = leadflow.Router(CONFIG).assign(lead("L1"), now=NOW)
    assert leadflow.Router.from_str(json.dumps(CONFIG), "json").assign(lead("L1"), now=NOW) == expected
    assert leadflow.Router(json.dumps(CONFIG)).assign(lead("L1"), now=NOW) == expected
    path = tmp_path / "routing.json"
    path.write_text(json.dumps(CONFIG), encoding="utf-8")
    assert leadflow.Router.from_path(path).assign(lead("L1"), now=NOW) == expected
    yaml = leadflow.Router.from_path(REPO / "examples/routing/routing.yaml")
    assert yaml.config["rules"], "the example routing config has rules"
    with pytest.raises(leadflow.ConfigError):
        leadflow.Router({**CONFIG, "rules": [{"name": "x", "assign": {"team": "nope"}}]})
    with pytest.raises(leadflow.ConfigError):
        leadflow.Router({**CONFIG, "typo": 1})
    with pytest.raises(leadflow.ConfigError):
        leadflow.Router.from_str("fallback_queue = 'q'", "xml")
    with pytest.raises(leadflow.IoError):
        leadflow.Router.from_path(tmp_path / "missing.yaml")


def test_argument_errors_name_the_argument() -> None:
    router = leadflow.Router(CONFIG)
    with pytest.raises(leadflow.ValidationError) as info:
        router.assign(lead("L1"), {"nonsense": 1}, now=NOW)
    assert (info.value.field or "").startswith("state")
    with pytest.raises(leadflow.ValidationError) as naive:
        router.assign(lead("L1"), now=datetime.datetime(2026, 3, 2))
    assert naive.value.field == "now"
    with pytest.raises(leadflow.ValidationError) as bad_lead:
        router.assign({"id": "L9"}, now=NOW)
    assert bad_lead.value.record == "L9"
    with pytest.raises(leadflow.ValidationError) as bad_account:
        leadflow.Router(CONFIG, accounts=[{"id": "A-1", "name": "Acme"}, {"id": "A-2"}])
    assert bad_account.value.field == "accounts[1]" and bad_account.value.record == "A-2"
    with pytest.raises(leadflow.ValidationError) as bad_contact:
        leadflow.Router(CONFIG, contacts=[{"id": "C-1", "email": 5}])
    assert bad_contact.value.field == "contacts[0].email" and bad_contact.value.record == "C-1"


def test_ownership_routes_known_accounts_to_their_owner() -> None:
    fx = fixture("route_rules_territories_ownership.json")
    with_accounts = leadflow.Router(fx["config"], accounts=fx["accounts"], contacts=fx.get("contacts", []))
    without = leadflow.Router(fx["config"])
    vias = [a["via"] for a in with_accounts.assign_many(fx["leads"], now=fx["now"])[0] if isinstance(a, dict)]
    assert "ownership" in vias
    assert "ownership" not in [a["via"] for a in without.assign_many(fx["leads"], now=fx["now"])[0] if isinstance(a, dict)]
    assert "ownership=True" in repr(with_accounts) and "ownership=False" in repr(without)


def test_facts_derive_segment_and_territories() -> None:
    fx = fixture("route_rules_territories_ownership.json")
    router = leadflow.Router(fx["config"])
    facts = router.facts(fx["leads"][0])
    assert isinstance(facts, dict)
    assert facts == router.assign(fx["leads"][0], now=fx["now"])[0].get("facts", {})


def test_routers_pickle_with_their_accounts() -> None:
    fx = fixture("route_rules_territories_ownership.json")
    router = leadflow.Router(fx["config"], accounts=fx["accounts"], contacts=fx.get("contacts", []))
    clone = pickle.loads(pickle.dumps(router))
    assert clone.config == router.config
    assert clone.assign_many(fx["leads"], now=fx["now"]) == router.assign_many(fx["leads"], now=fx["now"])
    plain = pickle.loads(pickle.dumps(leadflow.Router(CONFIG)))
    assert repr(plain) == repr(leadflow.Router(CONFIG))


def test_sla_triggers_and_record_activity_run_the_fixture_inputs() -> None:
    sla = fixture("sla_first_touch_boundaries.json")
    report = leadflow.SlaPolicy(sla["config"]).evaluate(sla["leads"][0], now=sla["now"])
    assert report["lead_id"] == sla["leads"][0]["id"]
    tr = fixture("triggers_cascade_and_one_shot.json")
    triggers = leadflow.Triggers(tr["config"])
    actions, state = triggers.evaluate(tr["lead"], tr["events"][0], tr.get("state"))
    assert isinstance(actions, list) and isinstance(state, dict)
    loop = fixture("triggers_loop_is_refused.json")
    with pytest.raises(leadflow.TriggerLoop):
        t = leadflow.Triggers(loop["config"])
        for event in loop["events"]:
            t.evaluate(loop["lead"], event)
    touch = fixture("touch_recycle_after_attempts.json")
    original = copy.deepcopy(touch["lead"])
    new_lead, result = leadflow.record_activity(
        touch["lead"], touch["activities"][0], policy=touch.get("policy"), pipeline=leadflow.Pipeline()
    )
    assert touch["lead"] == original, "the dict passed in is never modified"
    assert len(new_lead["activities"]) == len(original.get("activities", [])) + 1
    assert result["touch"] == "attempt"
    with pytest.raises(leadflow.ValidationError) as info:
        leadflow.record_activity(touch["lead"], {"type": "call_attempt"})
    assert info.value.field == "activity"
    with pytest.raises(leadflow.ValidationError) as policy:
        leadflow.record_activity(touch["lead"], touch["activities"][0], policy={"max_attempts": "x"})
    assert policy.value.field == "policy"


def test_one_shot_triggers_fire_once_per_state() -> None:
    tr = fixture("triggers_cascade_and_one_shot.json")
    triggers = leadflow.Triggers(tr["config"])
    event = tr["events"][2]
    first, state = triggers.evaluate(tr["lead"], event)
    again, same = triggers.evaluate(tr["lead"], event, state)
    assert first and len(again) < len(first)
    assert same == state
    fresh, _ = triggers.evaluate(tr["lead"], event)
    assert fresh == first, "without the state the one-shot trigger fires again"
    with pytest.raises(leadflow.ValidationError) as info:
        triggers.evaluate(tr["lead"], {"type": "nonsense"})
    assert info.value.field == "event"


def test_notebook_views() -> None:
    router = leadflow.Router(
        {**CONFIG, "rules": [{"name": "<b>vip</b>", "assign": {"rep": "ana"}}, *CONFIG["rules"]]}
    )
    text = repr(router)
    assert text.startswith("Router(rules=['<b>vip</b>', 'everyone'], teams=['sdr'], reps=['ana', 'ben']")
    html = router._repr_html_()
    assert html.startswith("<table><caption>leadflow.Router</caption>")
    assert "&lt;b&gt;vip&lt;/b&gt;" in html and "<b>vip" not in html
    assert "round_robin: ana, ben" in html and "queue unassigned" in html

    sla = leadflow.SlaPolicy(fixture("sla_first_touch_boundaries.json")["config"])
    assert repr(sla).startswith("SlaPolicy(first_touch=[")
    assert sla._repr_html_().startswith("<table><caption>leadflow.SlaPolicy</caption>")
    assert "first touch" in sla._repr_html_()

    triggers = leadflow.Triggers(fixture("triggers_cascade_and_one_shot.json")["config"])
    assert repr(triggers).startswith("Triggers([")
    html = triggers._repr_html_()
    assert html.startswith("<table><caption>leadflow.Triggers</caption>")
    for t in fixture("triggers_cascade_and_one_shot.json")["config"]["triggers"]:
        assert t["name"] in html


def test_every_public_class_has_notebook_views() -> None:
    """Every typed object of the binding reads well in a notebook (repr and HTML)."""
    classes = [
        getattr(leadflow, name)
        for name in leadflow.__all__
        if isinstance(getattr(leadflow, name), type)
        and not issubclass(getattr(leadflow, name), BaseException)
    ]
    assert {c.__name__ for c in classes} >= {"Router", "SlaPolicy", "Triggers", "Pipeline", "Pack"}
    for cls in classes:
        assert "_repr_html_" in vars(cls), f"{cls.__name__} lacks _repr_html_"
        assert "__repr__" in vars(cls), f"{cls.__name__} lacks __repr__"


def test_assign_many_releases_the_gil() -> None:
    """Another Python thread keeps running while a batch is routed.

    A spinner thread counts while the main thread routes a batch, then while it
    sleeps (which releases the GIL) for as long. Holding the GIL would leave the
    spinner about one switch interval (5 ms) of the call instead of all of it.
    """
    router = leadflow.Router(CONFIG)
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    def counted(call: Any) -> tuple[int, float]:
        before, start = ticks, time.perf_counter()
        call()
        return ticks - before, time.perf_counter() - start

    spinner = threading.Thread(target=spin)
    spinner.start()
    try:
        n = 2_000
        while True:  # a batch long enough (>= 0.2 s) for one switch interval to be noise
            text = "\n".join(json.dumps(lead(f"L{i}")) for i in range(n))
            during, seconds = counted(lambda: router.assign_many(text, now=NOW))
            if seconds >= 0.2 or n >= 640_000:
                break
            n *= 2
        asleep, _ = counted(lambda: time.sleep(seconds))
    finally:
        stop.set()
        spinner.join()
    assert during > 0.1 * asleep, f"spinner: {during} ticks in assign_many, {asleep} asleep ({seconds:.2f} s)"


def test_a_router_is_shared_across_threads() -> None:
    router = leadflow.Router(CONFIG)
    leads = [lead(f"L{i}") for i in range(50)]
    expected = router.assign_many(leads, now=NOW)
    results: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                results.append(router.assign_many(leads, now=NOW))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 80 and all(r == expected for r in results)
