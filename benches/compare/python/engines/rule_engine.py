"""rule-engine (Python): each of the 25 rules as a compiled `rule_engine.Rule`.

Conditions are boolean rules worth fixed points; the three decay terms are
value rules (rule-engine evaluates arithmetic in Decimal; `$e ** x` is exp(x)).
The host sums the points in the order of reference-rules.rhai and clamps.
"""

from __future__ import annotations

from importlib.metadata import version

import rule_engine

from .common import load_row_dicts

VERSION = f"rule-engine {version('rule-engine')}"
NOTES = "rules compiled once; very slow, scores a prefix of the leads"

DECAY = "$e ** (-days_since_activity / 30)"
# (expression, points); points None means "the expression's value is the points".
RULES = [
    ('"VP" in title or "Vice President" in title', 10.0),
    ('"Director" in title', 8.0),
    ('"Chief" in title or "CEO" in title or "CTO" in title', 15.0),
    ('"Intern" in title or "Student" in title', -10.0),
    ("employees > 500", 10.0),
    ("employees > 5000", 5.0),
    ("employees < 10", -5.0),
    ("revenue > 10000000", 8.0),
    ('industry == "Software"', 6.0),
    ('industry in ["Finance", "Healthcare"]', 4.0),
    ('country in ["US", "CA", "GB", "DE"]', 5.0),
    ('email.ends_with("@gmail.com") or email.ends_with("@yahoo.com")', -8.0),
    ('source == "referral"', 7.0),
    ('source == "paid_search"', 3.0),
    (f"$min([page_views * 0.5 * {DECAY}, 15])", None),
    (f"$min([email_opens, 10]) * 0.5 * {DECAY}", None),
    (f"email_clicks * 2 * {DECAY}", None),
    ("form_fills > 0", 10.0),
    ("demo_requested", 25.0),
    ("pricing_visits >= 3", 12.0),
    ("webinar_attended", 6.0),
    ("days_since_activity > 90", -15.0),
    ("unsubscribed", -20.0),
]


def load(inputs):
    return load_row_dicts(inputs.rows, inputs.n)


def build(rows):
    context = rule_engine.Context()
    compiled = [(rule_engine.Rule(text, context=context), points) for text, points in RULES]

    def score(row) -> float:
        s = 0.0
        for rule, points in compiled:
            if points is None:
                s += float(rule.evaluate(row))
            elif rule.matches(row):
                s += points
        return min(max(s, 0.0), 100.0)

    def score_all() -> float:
        total = 0.0
        for row in rows:
            total += score(row)
        return total

    return score_all
