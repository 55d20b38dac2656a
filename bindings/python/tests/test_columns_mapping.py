"""Column and key names of flat input (DataFrames, Arrow tables, dict rows) are matched to
the pack's features by the core's schema check: CRM casing, ALL CAPS and explicit
``columns=`` mappings score like the pack's own names, and a missing feature column is an
error (``strict=True``, the default) or a warning on the result (``strict=False``).

The Node suite runs the same cases (bindings/node/tests/test_columns_mapping.mjs).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import leadflow
from conftest import REPO, reference_rows

NOW = "2026-03-01T00:00:00Z"
REFERENCE = REPO / "examples" / "packs" / "reference"


def rows(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """Flat rows with every column the reference pack reads, in its own names."""
    return reference_rows(n, seed, ["VP Sales", "Director of IT", "CEO", "Intern", ""])


def crm(name: str) -> str:
    """A CRM export's spelling of a feature name: `days_since_activity` -> `Days Since Activity`."""
    return name.replace("_", " ").title()


def caps(name: str) -> str:
    return name.upper()


def renamed(data: list[dict[str, Any]], spell: Any) -> list[dict[str, Any]]:
    return [{spell(k): v for k, v in row.items()} for row in data]


@pytest.fixture(scope="module")
def pack() -> leadflow.Pack:
    return leadflow.Pack.from_path(REFERENCE)


@pytest.fixture(scope="module")
def data() -> list[dict[str, Any]]:
    return rows(300)


@pytest.fixture(scope="module")
def lower(pack: leadflow.Pack, data: list[dict[str, Any]]) -> pd.DataFrame:
    out = pack.score_many(pd.DataFrame(data), NOW)
    assert out["error"].isna().all()
    # The data must spread the scores, or equal results would prove nothing.
    assert out["score"].nunique() > 20
    return out


def same_scores(got: Any, want: pd.DataFrame) -> None:
    if isinstance(got, pa.Table):
        got = got.to_pandas()
    assert list(got["score"]) == list(want["score"])
    assert list(got["fit"]) == list(want["fit"])
    assert list(got["grade"].astype(str)) == list(want["grade"].astype(str))
    assert list(got["temperature"].astype(str)) == list(want["temperature"].astype(str))


@pytest.mark.parametrize("spell", [crm, caps, lambda n: f" {n.title()} "], ids=["crm", "caps", "spaced"])
def test_cased_dataframe_columns_score_like_the_pack_names(
    pack: leadflow.Pack, data: Any, lower: pd.DataFrame, spell: Any
) -> None:
    got = pack.score_many(pd.DataFrame(renamed(data, spell)), NOW)
    same_scores(got, lower)
    assert got.attrs["warnings"] == []


def test_cased_arrow_columns_score_like_the_pack_names(
    pack: leadflow.Pack, data: Any, lower: pd.DataFrame
) -> None:
    table = pa.Table.from_pylist(renamed(data, caps))
    got = pack.score_many(table, NOW)
    same_scores(got, lower)
    assert json.loads(got.schema.metadata[b"warnings"]) == []
    # The input's own column names are kept in the result.
    assert got.column_names[:2] == ["TITLE", "EMPLOYEES"]


def test_cased_dict_keys_score_like_the_pack_names(
    pack: leadflow.Pack, data: Any, lower: pd.DataFrame
) -> None:
    def lead(i: int, row: dict[str, Any]) -> dict[str, Any]:
        return {"ID": f"L-{i}", "Created At": NOW, "Annual Revenue": row.pop("Revenue"), **row}

    leads = [lead(i, row) for i, row in enumerate(renamed(data, crm))]
    got = pack.score_many(leads, NOW)
    assert [r["total"] for r in got] == list(lower["score"])
    assert [r["lead_id"] for r in got[:2]] == ["L-0", "L-1"]


def test_single_lead_reads_crm_cased_keys_as_score_many(pack: leadflow.Pack, data: Any) -> None:
    # With and without activities: a flat dict and a nested one take different readers.
    for activities in ([], [{"type": "page_view", "at": "2026-02-27T10:00:00Z", "meta": {"url": "/pricing"}}]):
        for i, row in enumerate(data[:40]):
            own = {"id": f"L-{i}", "created_at": NOW, "annual_revenue": row["revenue"], **row}
            own["activities"] = activities
            cased = {crm(k): v for k, v in own.items()}
            got = pack.score(cased, NOW)
            assert got == pack.score_many([cased], NOW)[0]
            assert got == pack.score(own, NOW)
    # `Title` is read: without it the lead scores differently (the test can fail).
    lead = {"id": "L-1", "created_at": NOW, "Title": "VP Sales"}
    assert pack.score(lead, NOW)["fit"] != pack.score({"id": "L-1", "created_at": NOW}, NOW)["fit"]


def test_an_explicit_mapping_wins(pack: leadflow.Pack, data: Any, lower: pd.DataFrame) -> None:
    df = pd.DataFrame(data).rename(columns={"title": "Job Title", "page_views": "Web Visits"})
    # A `Title` column the mapping displaces keeps its own name and is not read.
    df["Title"] = "Intern"
    got = pack.score_many(df, NOW, columns={"Job Title": "title", "Web Visits": "page_views"})
    same_scores(got, lower)
    table = pa.Table.from_pandas(df)
    same_scores(pack.score_many(table, NOW, columns={"Job Title": "title", "Web Visits": "page_views"}), lower)
    records = [{"id": "L-1", "created_at": NOW, "Job Title": "VP Sales", "Title": "Intern"}]
    [mapped] = pack.score_many(records, NOW, columns={"Job Title": "title"})
    [plain] = pack.score_many([{"id": "L-1", "created_at": NOW, "title": "VP Sales"}], NOW)
    assert mapped == plain


def test_a_missing_feature_column_is_an_error_by_default(pack: leadflow.Pack, data: Any) -> None:
    df = pd.DataFrame(data).drop(columns=["page_views", "employees"])
    with pytest.raises(leadflow.ValidationError) as info:
        pack.score_many(df, NOW)
    assert "`employees`" in str(info.value) and "`page_views`" in str(info.value)
    assert info.value.field == "employees"
    assert info.value.details is not None and "page_views" in info.value.details["missing"]
    with pytest.raises(leadflow.ValidationError):
        pack.score_many(pa.Table.from_pandas(df), NOW)


def test_strict_false_scores_with_a_warning_on_the_result(pack: leadflow.Pack, data: Any) -> None:
    df = pd.DataFrame(data).drop(columns=["page_views"])
    got = pack.score_many(df, NOW, strict=False)
    [warning] = got.attrs["warnings"]
    assert "`page_views`" in warning
    assert got["error"].isna().all()
    # The missing feature reads 0, as in a lead without page views.
    zero = pack.score_many(pd.DataFrame(data).assign(page_views=0), NOW)
    assert list(got["score"]) == list(zero["score"])
    table = pack.score_many(pa.Table.from_pandas(df), NOW, strict=False)
    assert json.loads(table.schema.metadata[b"warnings"]) == [warning]


def test_two_columns_reading_as_one_name_are_an_error_naming_both(pack: leadflow.Pack, data: Any) -> None:
    df = pd.DataFrame(data)
    df["Title"] = "CEO"
    for frame in (df, pa.Table.from_pandas(df)):
        with pytest.raises(leadflow.ValidationError) as info:
            pack.score_many(frame, NOW)
        assert "`title`" in str(info.value) and "`Title`" in str(info.value)
    # In dict rows, that record is the error entry; the others score.
    got = pack.score_many(
        [
            {"id": "L-1", "created_at": NOW, "title": "CEO", "TITLE": "VP"},
            {"id": "L-2", "created_at": NOW, "title": "CEO"},
        ],
        NOW,
    )
    assert isinstance(got[0], leadflow.ValidationError) and got[0].record == "L-1"
    assert "`title`" in str(got[0]) and "`TITLE`" in str(got[0])
    assert isinstance(got[1], dict)


def test_bad_mappings_are_errors(pack: leadflow.Pack, data: Any) -> None:
    df = pd.DataFrame(data)
    with pytest.raises(leadflow.ValidationError, match="`rank`"):
        pack.score_many(df, NOW, columns={"title": "rank"})
    with pytest.raises(leadflow.ValidationError, match="`Position`"):
        pack.score_many(df, NOW, columns={"Position": "title"})
    with pytest.raises(leadflow.ValidationError, match="`rank`"):
        pack.score_many([{"id": "L-1", "created_at": NOW}], NOW, columns={"title": "rank"})
    with pytest.raises(leadflow.ValidationError) as info:
        pack.score_many(df, NOW, columns={"title": 3})  # type: ignore[dict-item]
    assert info.value.field == "columns.title"
    with pytest.raises(leadflow.ValidationError) as info:
        pack.score_many(df, NOW, columns=["title"])  # type: ignore[call-overload]
    assert info.value.field == "columns"


def test_spark_glue_passes_the_options_to_every_batch(pack: leadflow.Pack, data: Any, lower: pd.DataFrame) -> None:
    """`score_spark_df`'s driver check and executor loop, without Spark (pyarrow only)."""
    from leadflow import spark

    table = pa.Table.from_pylist(renamed(data, crm))
    table = table.rename_columns(["Job Title" if n == "Title" else n for n in table.column_names])
    columns = {"Job Title": "title"}
    assert spark._check_names(pack, table.column_names, NOW, columns, True) == []
    with pytest.raises(leadflow.ValidationError, match="`title`"):
        spark._check_names(pack, table.column_names, NOW, None, True)
    [warning] = spark._check_names(pack, table.column_names, NOW, None, False)
    assert "`title`" in warning
    payload = spark._pack_payload(pack)
    out = pa.Table.from_batches(spark._score_batches(payload, NOW, columns, True, iter(table.to_batches())))
    assert out["score"].to_pylist() == list(lower["score"])
