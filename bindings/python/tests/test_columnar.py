"""Columnar `Pack.score_many`: pandas DataFrames and Arrow tables through the C stream interface."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest

import leadflow
from conftest import REPO, reference_rows

NOW = "2026-03-01T00:00:00Z"
REFERENCE = REPO / "examples" / "packs" / "reference"
TITLES = ["VP Sales", "Director of IT", "CEO", "Intern", "Engineer", ""]
RESULTS = ["score", "fit", "engagement", "grade", "temperature", "error"]


def rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    return reference_rows(n, seed, TITLES)


def as_leads(data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for i, row in enumerate(data):
        lead = {k: v for k, v in row.items() if k != "revenue"}
        out.append(lead | {"id": f"L-{i}", "created_at": NOW, "annual_revenue": row["revenue"]})
    return out


@pytest.fixture(scope="module")
def pack() -> leadflow.Pack:
    return leadflow.Pack.from_path(REFERENCE)


@pytest.fixture(scope="module")
def data() -> list[dict[str, Any]]:
    return rows(5000)


@pytest.fixture(scope="module")
def expected(pack: leadflow.Pack, data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = [r for r in pack.score_many(as_leads(data), NOW) if isinstance(r, dict)]
    assert len(out) == len(data)
    return out


def check(got: pd.DataFrame, expected: list[dict[str, Any]]) -> None:
    assert list(got["score"]) == pytest.approx([r["total"] for r in expected])
    assert list(got["fit"]) == pytest.approx([r["fit"] for r in expected])
    assert list(got["grade"].astype(str)) == [r["grade"] for r in expected]
    assert list(got["temperature"].astype(str)) == [r["temperature"] for r in expected]
    assert got["error"].isna().all()


def test_dataframe_in_dataframe_out(pack: leadflow.Pack, data: Any, expected: Any) -> None:
    df = pd.DataFrame(data, index=pd.RangeIndex(10, 10 + len(data)))
    out = pack.score_many(df, NOW)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == [*df.columns, *RESULTS]
    assert out.index.equals(df.index)
    assert isinstance(out["grade"].dtype, pd.CategoricalDtype)
    check(out, expected)
    assert RESULTS[0] not in df.columns  # the input is not modified


def test_arrow_table_and_batch_in_table_out(pack: leadflow.Pack, data: Any, expected: Any) -> None:
    table = pa.Table.from_pylist(data)
    out = pack.score_many(table, NOW)
    assert isinstance(out, pa.Table)
    assert out.column_names == [*table.column_names, *RESULTS]
    assert out.schema.field("score").type == pa.float64()
    check(out.to_pandas(), expected)
    batch = table.to_batches()[0]
    assert pack.score_many(batch, NOW).num_rows == batch.num_rows


def test_every_arrow_layout_reads_the_same(pack: leadflow.Pack, data: Any, expected: Any) -> None:
    table = pa.Table.from_pylist(data)
    strings = ["title", "industry", "country", "email", "source"]
    variants = {
        "large_string": table.cast(
            pa.schema([pa.field(f.name, pa.large_string()) if f.name in strings else f for f in table.schema])
        ),
        "string_view": table.cast(
            pa.schema([pa.field(f.name, pa.string_view()) if f.name in strings else f for f in table.schema])
        ),
        "dictionary": pa.table(
            {n: table[n].dictionary_encode() if n in strings else table[n] for n in table.column_names}
        ),
        "int32_float32": table.cast(
            pa.schema([
                pa.field(f.name, pa.int32()) if f.type == pa.int64() else
                pa.field(f.name, pa.float32()) if f.name == "revenue" else f
                for f in table.schema
            ])
        ),
        "chunked": pa.concat_tables([table.slice(0, 1000), table.slice(1000, 2500), table.slice(3500)]),
    }
    for variant in variants.values():
        check(pack.score_many(variant, NOW).to_pandas(), expected)
    # A slice starts at an offset inside shared buffers.
    sliced = table.slice(123, 1000)
    check(pack.score_many(sliced, NOW).to_pandas(), expected[123:1123])


def test_nulls_read_as_missing_values(pack: leadflow.Pack) -> None:
    table = pa.table({
        "title": pa.array(["VP Sales", None]),
        "employees": pa.array([None, 900], pa.int64()),
        "demo_requested": pa.array([None, True]),
        "days_since_activity": pa.array([5, None], pa.int64()),
    })
    # The other features' columns are missing: they read 0 (with a warning).
    out = pack.score_many(table, NOW, strict=False).to_pylist()
    lead_like = [
        {"id": "a", "created_at": NOW, "title": "VP Sales", "days_since_activity": 5},
        {"id": "b", "created_at": NOW, "employees": 900, "demo_requested": True},
    ]
    assert [r["score"] for r in out] == [pack.score(x, NOW)["total"] for x in lead_like]


def test_a_failing_row_is_an_error_value_not_a_failed_batch() -> None:
    pack = leadflow.Pack.from_str(
        '//! name: strict\nlet score = 1.0;\nif lead.title == "boom" { throw "bad title"; }\n',
        format="rhai",
    )
    table = pa.table({"id": ["a", "b", "c"], "title": ["ok", "boom", "fine"]})
    out = pack.score_many(table, NOW)
    assert out["score"].to_pylist() == [1.0, None, 1.0]
    assert out["grade"].to_pylist()[1] is None and out["temperature"].to_pylist()[1] is None
    errors = out["error"].to_pylist()
    assert errors[0] is None and errors[2] is None
    assert errors[1] is not None and "bad title" in errors[1] and "b" in errors[1]
    df = pack.score_many(table.to_pandas(), NOW)
    assert df["score"].isna().tolist() == [False, True, False]
    assert df["error"].notna().tolist() == [False, True, False]


def test_columnar_errors(pack: leadflow.Pack) -> None:
    table = pa.table({"title": ["x"], "employees": pa.array([[1]], pa.list_(pa.int64()))})
    with pytest.raises(leadflow.ValidationError) as info:
        pack.score_many(table, NOW)
    assert info.value.field == "employees"
    # Columns the pack does not read may have any type.
    unread = pa.table({"title": ["VP"], "tags": pa.array([[1]], pa.list_(pa.int64()))})
    assert pack.score_many(unread, NOW, strict=False).num_rows == 1
    with pytest.raises(leadflow.ValidationError):
        pack.score_many(unread, NOW, explain=True)
    empty = pack.score_many(pa.table({"title": pa.array([], pa.string())}), NOW, strict=False)
    assert empty.num_rows == 0 and empty.column_names[-1] == "error"
    one = pack.score_many(pd.DataFrame({"title": ["CEO"]}), NOW, strict=False)
    assert not math.isnan(one["score"][0])
    # Strict (the default), even a table of no rows lacking columns is an error.
    with pytest.raises(leadflow.ValidationError):
        pack.score_many(pa.table({"title": pa.array([], pa.string())}), NOW)



def test_grade_and_temperature_labels_are_the_cores(
    pack: leadflow.Pack, data: Any, expected: Any
) -> None:
    # The labels of the codes come from the core, in code order; a DataFrame's
    # categories are exactly those (check() compares the labels row by row).
    assert leadflow.GRADES == ("A", "B", "C", "D", "E", "F")
    assert leadflow.TEMPERATURES == ("cold", "warm", "hot")
    out = pack.score_many(pd.DataFrame(data), NOW)
    assert tuple(out["grade"].cat.categories) == leadflow.GRADES
    assert tuple(out["temperature"].cat.categories) == leadflow.TEMPERATURES
    check(out, expected)
