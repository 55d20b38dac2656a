"""GoRules ZEN (Python `zen-engine`): the 25 rules as a JDM decision graph
(benches/compare/jdm/reference-rules.json), decision created once, evaluated per lead.

ZEN's Python API has several ways to evaluate (a created decision, the engine
with a loader of pre-compiled content, dict or JSON-text contexts, a batch call);
`build` times each on a 300-lead calibration sample (untimed) and keeps the
fastest, as a user tuning for speed would.
"""

from __future__ import annotations

import time
from importlib.metadata import version
from pathlib import Path

import zen

from .common import load_row_dicts, load_row_lines

JDM = Path(__file__).resolve().parents[2] / "jdm" / "reference-rules.json"
VERSION = f"zen-engine {version('zen-engine')}"
NOTES = ""


def load(inputs):
    return {
        "dicts": load_row_dicts(inputs.rows, inputs.n),
        "lines": load_row_lines(inputs.rows, inputs.n),
    }


def count(data) -> int:
    return len(data["dicts"])


def _per_call(evaluate, contexts):
    def score_all() -> float:
        total = 0.0
        for ctx in contexts:
            total += evaluate(ctx)["result"]["score"]
        return total

    return score_all


def _batch(engine, contexts):
    requests = [{"key": "reference", "context": ctx} for ctx in contexts]

    def score_all() -> float:
        total = 0.0
        for r in engine.evaluate_batch(requests):
            total += r["data"]["result"]["score"]
        return total

    return score_all


def _variants(data, sample=None):
    content = JDM.read_text(encoding="utf-8")
    decision = zen.ZenEngine().create_decision(content)
    # The loader pattern with pre-compiled content is what ZEN documents as its fast path.
    compiled = zen.ZenDecisionContent(content)
    engine = zen.ZenEngine({"loader": lambda _key: compiled})
    dicts, lines = data["dicts"][:sample], data["lines"][:sample]
    by_key = lambda ctx: engine.evaluate("reference", ctx)  # noqa: E731
    return {
        "decision.evaluate(dict)": _per_call(decision.evaluate, dicts),
        "engine.evaluate(key, dict), pre-compiled loader": _per_call(by_key, dicts),
        "engine.evaluate(key, json text), pre-compiled loader": _per_call(by_key, lines),
        "engine.evaluate_batch(dicts), pre-compiled loader": _batch(engine, dicts),
    }


def build(data):
    global NOTES
    timings = {}
    for name, sample in _variants(data, sample=300).items():
        sample()
        t = time.perf_counter()
        sample()
        timings[name] = time.perf_counter() - t
    best = min(timings, key=timings.get)
    NOTES = f"fastest API variant on a 300-lead calibration: {best}"
    return _variants(data)[best]
