"""The 25 rules written by hand as a Python function over dicts (pure-Python limit)."""

from __future__ import annotations

import math
import sys

from .common import load_row_dicts

VERSION = f"CPython {sys.version.split()[0]}"
NOTES = "plain loop over dicts"


def load(inputs):
    return load_row_dicts(inputs.rows, inputs.n)


def score(r: dict) -> float:
    title = r["title"]
    s = 0.0
    if "VP" in title or "Vice President" in title:
        s += 10.0
    if "Director" in title:
        s += 8.0
    if "Chief" in title or "CEO" in title or "CTO" in title:
        s += 15.0
    if "Intern" in title or "Student" in title:
        s -= 10.0
    employees = r["employees"]
    if employees > 500:
        s += 10.0
    if employees > 5000:
        s += 5.0
    if employees < 10:
        s -= 5.0
    if r["revenue"] > 10000000.0:
        s += 8.0
    industry = r["industry"]
    if industry == "Software":
        s += 6.0
    if industry == "Finance" or industry == "Healthcare":
        s += 4.0
    if r["country"] in ("US", "CA", "GB", "DE"):
        s += 5.0
    email = r["email"]
    if email.endswith("@gmail.com") or email.endswith("@yahoo.com"):
        s -= 8.0
    source = r["source"]
    if source == "referral":
        s += 7.0
    if source == "paid_search":
        s += 3.0
    days = r["days_since_activity"]
    decay = math.exp(-days / 30.0)
    s += min(r["page_views"] * 0.5 * decay, 15.0)
    s += min(r["email_opens"], 10) * 0.5 * decay
    s += r["email_clicks"] * 2.0 * decay
    if r["form_fills"] > 0:
        s += 10.0
    if r["demo_requested"]:
        s += 25.0
    if r["pricing_visits"] >= 3:
        s += 12.0
    if r["webinar_attended"]:
        s += 6.0
    if days > 90:
        s -= 15.0
    if r["unsubscribed"]:
        s -= 20.0
    if s < 0.0:
        s = 0.0
    if s > 100.0:
        s = 100.0
    return s


def build(rows):
    def score_all() -> float:
        total = 0.0
        for r in rows:
            total += score(r)
        return total

    return score_all
