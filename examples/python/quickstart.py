"""leadflow in a notebook: score, explain, evaluate, convert and route leads.

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

# %% Score a DataFrame on all cores. Column names match features case- and space-
# insensitively (`Title` is `title`); `columns=` maps others ({"Job Title": "title"}).
# Only firmographic columns here: a feature column the frame lacks (page_views, ...)
# is an error unless strict=False, which reads it as 0 and lists it in attrs["warnings"].
df = pd.DataFrame(leads)[["id", "title", "employees", "industry", "country", "email"]]
scored = pack.score_many(df, now, strict=False)
print(scored.attrs["warnings"])
print(scored[["id", "title", "score", "grade", "temperature"]].head())
print(scored.groupby("grade", observed=True)["score"].agg(["count", "mean"]))

# %% Route new leads to reps. The routing state (round-robin positions, daily caps) is a
# plain dict: load it from your store, pass it in, store the one you get back.
routing = ROOT / "examples/routing"
router = leadflow.Router.from_path(
    routing / "routing.yaml", accounts=json.loads((routing / "accounts.json").read_text())
)
print(router)  # in a notebook, `router` alone renders its rules, teams and reps as a table
inbound = [json.loads(line) for line in open(routing / "leads.jsonl")]
state: dict = {}
assignments, state = router.assign_many(inbound, state, now="2026-03-02T09:00:00Z")
for a in assignments[:5]:
    if isinstance(a, leadflow.LeadflowError):  # a bad lead is an error entry, not a failed batch
        print("skipped:", a)
        continue
    print(f"{a['lead_id']:<5} -> {a['assignee']}  via {a['via']}: {a['reason']}")
print("state to store:", state)

# %% Work the first lead: record touches (status moves, recycling), then check its SLAs.
lead = inbound[0]
for activity in [{"type": "call_attempt", "at": "2026-03-02T09:20:00+01:00"},
                 {"type": "call_connected", "at": "2026-03-02T11:00:00+01:00"}]:
    lead, touched = leadflow.record_activity(lead, activity, actor="rep:ana")
    print(activity["type"], "->", lead["status"], f"(a touch: {touched['touch']})")
sla = leadflow.SlaPolicy({"first_touch": [{"name": "inbound", "from": "created", "within_minutes": 30}]})
report = sla.evaluate(lead, now="2026-03-02T12:00:00Z")
print("speed to lead:", report["speed_to_lead_seconds"], "s;",
      [(s["policy"], s["state"]) for s in report["slas"]])

# %% Automation triggers plan actions for events; the host performs them.
triggers = leadflow.Triggers({"triggers": [{
    "name": "hot-lead", "on": {"score_crossed": {"threshold": 60}},
    "actions": [{"set_stage": "mql"}, {"notify": {"to": "lead_owner", "template": "hot_lead"}}],
}]})
actions, trigger_state = triggers.evaluate(lead, {"type": "score_changed", "from": 40, "to": 72})
print([(a["trigger"], *a["action"]) for a in actions])  # [('hot-lead', 'set_stage'), ...]
