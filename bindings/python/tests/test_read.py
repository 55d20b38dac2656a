"""Lead dicts read element by element into the core's borrowed lead reader (issue 17):
`score_many` over dicts and `Pack.score(dict)` give what the value path gives (each
lead parsed by the core, then scored) and what JSON text gives, results and error
entries alike, for seeded leads with activities, good and bad.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections import OrderedDict
from typing import Any

import leadflow
from conftest import REPO

NOW = "2026-03-01T00:00:00Z"
PACK = leadflow.Pack.from_path(REPO / "examples" / "packs" / "reference")
BASE = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)
KINDS = ["page_view", "email_open", "email_click", "form_submit", "webinar", "unsubscribe", "call"]


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


class Text(str):
    """A str subclass: the reader refuses it, the value conversion reads it as a str."""


def when(rnd: random.Random) -> Any:
    """An activity time: RFC 3339 text mostly, sometimes an aware datetime (another offset)."""
    t = BASE - dt.timedelta(days=rnd.randrange(0, 200), seconds=rnd.randrange(0, 86_400))
    if rnd.random() < 0.2:
        return t.astimezone(dt.timezone(dt.timedelta(hours=rnd.choice([-5, 0, 9]))))
    return t.isoformat().replace("+00:00", "Z")


def activity(rnd: random.Random) -> dict[str, Any]:
    kind = rnd.choice(KINDS)
    a: dict[str, Any] = {"type": kind, "at": when(rnd)}
    if kind == "page_view":
        a["meta"] = {"url": rnd.choice(["https://x.io/pricing/team", "https://x.io/blog", "/pricing"])}
    elif kind == "form_submit":
        a["meta"] = {"form": rnd.choice(["demo", "contact"])}
    if rnd.random() < 0.3:
        a = dict(reversed(list(a.items())))
    return a


def good_lead(rnd: random.Random, i: int) -> dict[str, Any]:
    lead: dict[str, Any] = {
        "id": f"L-{i}",
        "created_at": rnd.choice(["2025-06-01T00:00:00Z", BASE - dt.timedelta(days=400)]),
        "title": rnd.choice(["VP Sales", "Director of IT", "CEO", "Intern", None]),
        "employees": rnd.choice([3, 50, 800, 9000, None]),
        "annual_revenue": rnd.choice([1e5, 2e7, 12_000_000, None]),
        "industry": rnd.choice(["Software", "Finance", "Retail"]),
        "country": rnd.choice(["US", "JP", "DE"]),
        "email": rnd.choice(["a@gmail.com", "b@acme.com"]),
        "source": rnd.choice(["referral", "paid_search", "event"]),
        "activities": [activity(rnd) for _ in range(rnd.choice([0, 1, 5, 36]))],
    }
    if rnd.random() < 0.3:
        lead["crm_note"] = rnd.choice(["x", 7, -7, 2.5, True, None, [1, "a", {"b": None}], {"c": [2**63]}])
    if rnd.random() < 0.2:
        lead["custom"] = {"tier": rnd.choice(["gold", 1, [True]]), "seen": dt.date(2026, 1, 2)}
    if rnd.random() < 0.1:
        lead["activities"] = tuple(lead["activities"])
    if rnd.random() < 0.3:
        keys = list(lead)
        rnd.shuffle(keys)
        lead = {k: lead[k] for k in keys}
    return lead


def naive(lead: dict[str, Any]) -> None:
    lead["created_at"] = dt.datetime(2025, 6, 1)


def naive_activity(lead: dict[str, Any]) -> None:
    lead["activities"].append({"type": "email_open", "at": dt.datetime(2026, 1, 1)})


# (name, JSON text can say it, mutation): each makes a good lead bad, or odd but good.
MUTATIONS: list[tuple[str, bool, Any]] = [
    ("employees is text", True, lambda d: d.update(employees="many")),
    ("employees negative", True, lambda d: d.update(employees=-3)),
    ("employees bool", True, lambda d: d.update(employees=True)),
    ("employees above 2**63", True, lambda d: d.update(employees=2**63 + 5)),
    ("id is a number", True, lambda d: d.update(id=5)),
    ("title is a number", True, lambda d: d.update(title=5)),
    ("created_at missing", True, lambda d: d.pop("created_at")),
    ("created_at is not a time", True, lambda d: d.update(created_at="yesterday")),
    ("activities is text", True, lambda d: d.update(activities="x")),
    ("activity at is a number", True, lambda d: d["activities"].append({"type": "call", "at": 12})),
    ("activity type is null", True, lambda d: d["activities"].append({"type": None, "at": NOW})),
    ("activity unknown field", True, lambda d: d["activities"].append({"type": "call", "at": NOW, "x": 1})),
    ("activity meta is text", True, lambda d: d["activities"].append({"type": "call", "at": NOW, "meta": "m"})),
    ("activity is a list", True, lambda d: d["activities"].append(["call", NOW])),
    ("unknown fields", True, lambda d: d.update(zz=[{"a": 1}], Yy=None)),
    ("custom is a list", True, lambda d: d.update(custom=[1])),
    ("revenue is NaN", False, lambda d: d.update(annual_revenue=math.nan)),
    ("revenue is inf", False, lambda d: d.update(annual_revenue=math.inf)),
    ("NaN in an unknown field", False, lambda d: d.update(zz={"v": [math.nan]})),
    ("NaN in an activity meta", False, lambda d: d["activities"].append({"type": "x", "at": NOW, "meta": {"v": math.nan}})),
    ("naive created_at", False, naive),
    ("naive activity time", False, naive_activity),
    ("date as created_at", False, lambda d: d.update(created_at=dt.date(2025, 6, 1))),
    ("non-str key", False, lambda d: d.update(zz={1: "x"})),
    ("non-str key at the top", False, lambda d: d.update({2: "x"})),
    ("nested too deep", False, lambda d: d.update(zz=nested(200))),
    ("nested just deep enough", False, lambda d: d.update(zz=nested(126))),
    ("int beyond 64 bits", False, lambda d: d.update(zz=2**70)),
    ("unsupported object", False, lambda d: d.update(zz=object())),
    ("str subclass", False, lambda d: d.update(title=Text("VP Sales"))),
    ("dict subclass activity", False, lambda d: d["activities"].append(OrderedDict(type="call", at=NOW))),
    ("set value", False, lambda d: d.update(zz={1, 2})),
]


def as_json(value: Any) -> Any:
    """The JSON the value conversion makes of a value (aware datetimes and dates as text)."""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [as_json(v) for v in value]
    return value


def leads(n: int, seed: int) -> list[tuple[dict[str, Any], bool]]:
    """Seeded leads, about a third mutated; each with whether JSON text can say it
    (`as_json` of it)."""
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        lead = good_lead(rnd, i)
        jsonable = True
        if rnd.random() < 0.35:
            _, jsonable, mutate = rnd.choice(MUTATIONS)
            if not isinstance(lead["activities"], list):
                lead["activities"] = list(lead["activities"])
            mutate(lead)
        out.append((lead, jsonable))
    return out


def outcome(call: Any) -> Any:
    try:
        return call()
    except leadflow.LeadflowError as e:
        return e


def same(got: Any, want: Any, what: str) -> None:
    if isinstance(want, leadflow.LeadflowError):
        assert isinstance(got, leadflow.LeadflowError), f"{what}: {got!r} != {want!r}"
        assert (type(got), got.record, got.field, got.rule, str(got)) == (
            type(want),
            want.record,
            want.field,
            want.rule,
            str(want),
        ), what
    else:
        assert got == want, f"{what}: {got!r} != {want!r}"


def parsed_then_scored(lead: Any) -> Any:
    """The value path: the lead parsed by the core, then scored."""
    try:
        parsed = leadflow.parse_lead(lead)
    except leadflow.LeadflowError as e:
        return e
    return outcome(lambda: PACK.score(json.dumps(parsed), NOW))


def test_dicts_score_as_the_parsed_leads_and_as_json_text() -> None:
    data = leads(600, seed=17)
    dicts = [lead for lead, _ in data]
    many = PACK.score_many(dicts, NOW)
    texts = PACK.score_many([json.dumps(as_json(lead)) for lead, ok in data if ok], NOW)
    as_text = iter(texts)
    for i, ((lead, jsonable), got) in enumerate(zip(data, many, strict=True)):
        same(got, parsed_then_scored(lead), f"lead {i}: score_many vs parsed")
        same(outcome(lambda: PACK.score(lead, NOW)), got, f"lead {i}: score vs score_many")
        if jsonable:
            same(next(as_text), got, f"lead {i}: dict vs JSON text")
    # The leads must spread the results and the errors, or equality would prove little.
    errors = [r for r in many if isinstance(r, leadflow.LeadflowError)]
    scores = {r["total"] for r in many if isinstance(r, dict)}
    assert 100 < len(errors) < 300 and len(scores) > 50
    assert len({str(e) for e in errors}) > 15
    assert len(texts) > 450


def test_explained_dicts_score_as_the_parsed_leads() -> None:
    for i, (lead, _) in enumerate(leads(80, seed=5)):
        want = outcome(lambda: PACK.explain(json.dumps(leadflow.parse_lead(lead)), NOW))
        got = outcome(lambda: PACK.explain(lead, NOW))
        if isinstance(want, dict):
            same(got, want, f"lead {i}")
        [many] = PACK.score_many([lead], NOW, explain=True)
        same(many, got, f"lead {i}: score_many")


def test_a_tzinfo_that_changes_the_lead_while_read_does_not_crash() -> None:
    lead: dict[str, Any] = {"id": "L-1", "created_at": NOW, "note": "x", "activities": []}

    class Meddling(dt.tzinfo):
        def utcoffset(self, _: dt.datetime | None) -> dt.timedelta:
            lead.pop("note", None)
            lead.pop("activities", None)
            return dt.timedelta(0)

        def dst(self, _: dt.datetime | None) -> None:
            return None

        def tzname(self, _: dt.datetime | None) -> str:
            return "meddling"

    lead["zz"] = dt.datetime(2026, 1, 1, tzinfo=Meddling())
    got = outcome(lambda: PACK.score_many([lead, {"id": "L-2", "created_at": NOW}], NOW))
    assert isinstance(got, (list, leadflow.LeadflowError))
    assert PACK.score({"id": "L-3", "created_at": NOW}, NOW)["lead_id"] == "L-3"
