"""The 25 rules as vectorized pandas/numpy over a DataFrame with pyarrow strings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow

VERSION = f"pandas {pd.__version__}, numpy {np.__version__}, pyarrow {pyarrow.__version__}"
NOTES = "DataFrame columns: string[pyarrow] + numpy numbers"

STRING_COLUMNS = ("title", "industry", "country", "email", "source")


def load(inputs):
    df = pd.read_csv(inputs.csv, engine="pyarrow", nrows=None)
    df = df.head(inputs.n) if inputs.n < len(df) else df
    for c in STRING_COLUMNS:
        df[c] = df[c].astype(pd.StringDtype("pyarrow"))
    return df


def _mask(series) -> np.ndarray:
    return series.to_numpy(dtype=bool, na_value=False)


def score_frame(df: pd.DataFrame) -> np.ndarray:
    title = df["title"].str
    has = lambda s: _mask(title.contains(s, regex=False))  # noqa: E731
    emp = df["employees"].to_numpy()
    days = df["days_since_activity"].to_numpy()
    s = np.zeros(len(df))
    s += np.where(has("VP") | has("Vice President"), 10.0, 0.0)
    s += np.where(has("Director"), 8.0, 0.0)
    s += np.where(has("Chief") | has("CEO") | has("CTO"), 15.0, 0.0)
    s -= np.where(has("Intern") | has("Student"), 10.0, 0.0)
    s += np.where(emp > 500, 10.0, 0.0)
    s += np.where(emp > 5000, 5.0, 0.0)
    s -= np.where(emp < 10, 5.0, 0.0)
    s += np.where(df["revenue"].to_numpy() > 10_000_000.0, 8.0, 0.0)
    industry = df["industry"]
    s += np.where(_mask(industry == "Software"), 6.0, 0.0)
    s += np.where(_mask(industry.isin(["Finance", "Healthcare"])), 4.0, 0.0)
    s += np.where(_mask(df["country"].isin(["US", "CA", "GB", "DE"])), 5.0, 0.0)
    email = df["email"].str
    free = _mask(email.endswith("@gmail.com")) | _mask(email.endswith("@yahoo.com"))
    s -= np.where(free, 8.0, 0.0)
    source = df["source"]
    s += np.where(_mask(source == "referral"), 7.0, 0.0)
    s += np.where(_mask(source == "paid_search"), 3.0, 0.0)
    decay = np.exp(-days / 30.0)
    s += np.minimum(df["page_views"].to_numpy() * 0.5 * decay, 15.0)
    s += np.minimum(df["email_opens"].to_numpy(), 10) * 0.5 * decay
    s += df["email_clicks"].to_numpy() * 2.0 * decay
    s += np.where(df["form_fills"].to_numpy() > 0, 10.0, 0.0)
    s += np.where(df["demo_requested"].to_numpy(dtype=bool), 25.0, 0.0)
    s += np.where(df["pricing_visits"].to_numpy() >= 3, 12.0, 0.0)
    s += np.where(df["webinar_attended"].to_numpy(dtype=bool), 6.0, 0.0)
    s -= np.where(days > 90, 15.0, 0.0)
    s -= np.where(df["unsubscribed"].to_numpy(dtype=bool), 20.0, 0.0)
    return np.clip(s, 0.0, 100.0)


def build(df):
    return lambda: float(score_frame(df).sum())
