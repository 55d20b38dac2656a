"""leadflow in a notebook: score, explain, evaluate and convert leads.

Run from the repository root:  python examples/python/quickstart.py
(executed by bindings/python/test.sh, so it stays runnable).
"""

# %% Compile a rule pack once; it is immutable, thread-safe and picklable.
import json
from pathlib import Path

import pandas as pd

import leadflow

ROOT = Path(__file__).resolve().parents[2]
pack = leadflow.Pack.from_path(ROOT / "examples/packs/b2b-saas")
print(pack)

# %% Score the sample leads (a list of dicts in, a list of results out).
leads = [json.loads(line) for line in open(ROOT / "examples/data/sample-leads.jsonl")]
now = "2026-01-15T00:00:00Z"  # leadflow never reads the clock: time is always explicit
scores = pack.score_many(leads, now)
for s in scores[:3]:
    print(s)

# %% Why did the best lead score what it did?
best = max(leads, key=lambda lead: pack.score(lead, now)["total"])
explanation = pack.explain(best, now)["explanation"]
for rule in explanation["rules"]:
    print(f"{rule['points']:+6.1f}  {rule['rule']:<22} {rule['reason']}")
print(explanation["grade_reason"], "/", explanation["temperature_reason"])

# %% Evaluate: score, qualify (BANT) and move through the lifecycle by the pack's thresholds.
lead, evaluation = pack.evaluate(best, now)
print("stage:", lead["stage"], "moves:", [(m["to"], m["reason"]) for m in evaluation["moves"]])

# %% Convert the qualified lead into account + contact + opportunity.
result = leadflow.convert(lead, accounts=[], contacts=[], now=now)
print("account:", result["account"]["name"], "| contact:", result["contact"]["email"],
      "| opportunity:", (result["opportunity"] or {}).get("name"))

# %% Score a DataFrame: columns named like the pack's features, scored on all cores.
# Only firmographic columns here: activity features (page_views, ...) read 0 without
# a column of that name, so this scores fit alone.
df = pd.DataFrame(leads)[["id", "title", "employees", "industry", "country", "email"]]
scored = pack.score_many(df, now)
print(scored[["id", "title", "score", "grade", "temperature"]].head())
print(scored.groupby("grade", observed=True)["score"].agg(["count", "mean"]))
