"""The features and the 25 rules written by hand in Python over full lead dicts
(activities, `datetime.fromisoformat` timestamps): the pure-Python limit for
lead input, the baseline of `leadflow_py-leads`."""

from __future__ import annotations

import sys
from datetime import datetime

from .common import load_lead_dicts
from .python_hand import score

VERSION = f"CPython {sys.version.split()[0]}"
NOTES = "plain loop over lead dicts: synth::features_of by hand, then the rules"


def load(inputs):
    return load_lead_dicts(inputs.leads, inputs.n), inputs.now


def count(data):
    return len(data[0])


def url_path(url: str) -> str:
    """`https://x.com/pricing?a=1` -> `/pricing?a=1`; a bare path as it is."""
    scheme = url.find("://")
    if scheme < 0:
        return url
    slash = url.find("/", scheme + 3)
    return "/" if slash < 0 else url[slash:]


def features(lead: dict, now: datetime) -> dict:
    """`synth::features_of`: counts of activities at or before `now`, flags, and
    whole days since the latest of them (else since `created_at`)."""
    fromisoformat = datetime.fromisoformat
    page_views = pricing_visits = email_opens = email_clicks = form_fills = 0
    demo = webinar = unsubscribed = False
    latest = None
    for a in lead.get("activities") or ():
        at = fromisoformat(a["at"])
        if at > now:
            continue
        if latest is None or at > latest:
            latest = at
        kind = a["type"]
        if kind == "page_view":
            page_views += 1
            url = (a.get("meta") or {}).get("url")
            if isinstance(url, str) and url_path(url).startswith("/pricing"):
                pricing_visits += 1
        elif kind == "email_open":
            email_opens += 1
        elif kind == "email_click":
            email_clicks += 1
        elif kind == "form_submit":
            form_fills += 1
            if (a.get("meta") or {}).get("form") == "demo":
                demo = True
        elif kind == "webinar":
            webinar = True
        elif kind == "unsubscribe":
            unsubscribed = True
    since = latest if latest is not None else fromisoformat(lead["created_at"])
    # Whole days rounded down, 0 when `since` is after `now` (timedelta.days floors).
    days = max((now - since).days, 0)
    return {
        "title": lead.get("title") or "",
        "employees": lead.get("employees") or 0,
        "revenue": lead.get("annual_revenue") or 0.0,
        "industry": lead.get("industry") or "",
        "country": lead.get("country") or "",
        "email": lead.get("email") or "",
        "source": lead.get("source") or "",
        "days_since_activity": days,
        "page_views": page_views,
        "email_opens": email_opens,
        "email_clicks": email_clicks,
        "form_fills": form_fills,
        "demo_requested": demo,
        "pricing_visits": pricing_visits,
        "webinar_attended": webinar,
        "unsubscribed": unsubscribed,
    }


def build(data):
    leads, now_text = data
    now = datetime.fromisoformat(now_text)

    def score_all() -> float:
        total = 0.0
        for lead in leads:
            total += score(features(lead, now))
        return total

    return score_all
