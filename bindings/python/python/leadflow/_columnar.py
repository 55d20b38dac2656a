"""Columnar ``Pack.score_many``: pandas DataFrames and Arrow tables in, the same kind out.

Data crosses into Rust through the Arrow C stream interface (``__arrow_c_stream__``)
with no per-row Python objects. This module only normalizes column types (casts that
pyarrow does vectorized) and wraps the result buffers; the scoring is the core's.
pandas and pyarrow are imported lazily: leadflow does not depend on them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from ._leadflow import GRADES, TEMPERATURES
RESULT_COLUMNS = ("score", "fit", "engagement", "grade", "temperature", "error")


def _error(message: str, column: str | None = None) -> Exception:
    """A leadflow ``ValidationError`` (naming the column in ``field``)."""
    from ._leadflow import _error_from_dict

    error: dict[str, Any] = {"kind": "ValidationError", "message": message}
    if column is not None:
        error["field"] = column
    exc: Exception = _error_from_dict(error)
    return exc


def _arrow_errors() -> tuple[type[Exception], ...]:
    """What pyarrow raises for values it cannot convert or cast."""
    import pyarrow as pa

    return (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError)


def _readable(table: Any) -> Any:
    """Casts columns to the types the core reads: (large) strings, float64, int64, bool.

    A value the cast cannot represent (a ``uint64`` above 2^63 - 1) is a
    ``ValidationError`` naming the column, not a pyarrow exception.
    """
    import pyarrow as pa
    import pyarrow.types as t

    columns, changed = [], False
    for field, column in zip(table.schema, table.columns):
        ty = field.type
        try:
            if t.is_dictionary(ty):
                column, ty, changed = column.cast(ty.value_type), ty.value_type, True
            if t.is_string_view(ty):
                column, changed = column.cast(pa.large_string()), True
            elif t.is_integer(ty) and not t.is_int64(ty):
                column, changed = column.cast(pa.int64()), True
            elif t.is_floating(ty) and not t.is_float64(ty):
                column, changed = column.cast(pa.float64()), True
            elif t.is_decimal(ty):
                column, changed = column.cast(pa.float64()), True
        except _arrow_errors() as e:
            raise _error(f"column `{field.name}` ({ty}): {e}", field.name) from e
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names) if changed else table


def _from_pandas(df: Any) -> Any:
    """The frame as an Arrow table; a column pyarrow cannot convert (an object
    column mixing ints and strings) is a ``ValidationError`` naming it."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(df, preserve_index=False)
    except _arrow_errors() as e:
        # Find the column (pyarrow names it only in the message text).
        for name in df.columns:
            try:
                pa.Array.from_pandas(df[name])
            except _arrow_errors() as col_error:
                raise _error(f"column `{name}`: {col_error}", str(name)) from e
        raise _error(f"cannot read the DataFrame as Arrow: {e}") from e


def _to_table(data: Any) -> Any:
    import pyarrow as pa

    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    return pa.table(data)  # any __arrow_c_stream__ producer (polars, duckdb, ...)


def score_many(pack: Any, data: Any, now: Any, columns: Mapping[str, str] | None = None,
               strict: bool = True) -> Any:
    """Scores a DataFrame (returns a DataFrame) or an Arrow table/batch (returns a Table).

    Column names are matched to features by the core (``columns`` and ``strict`` go to
    it unchanged). The lenient check's warnings travel with the result: in
    ``DataFrame.attrs["warnings"]`` (a list of str) or in the Table's schema metadata
    under ``b"warnings"`` (a JSON list); both are empty lists when nothing was let through.
    """
    import pyarrow as pa

    is_frame = type(data).__module__.startswith("pandas") and hasattr(data, "iloc")
    if is_frame:
        table = _from_pandas(data)
    else:
        try:
            table = _to_table(data)
        except _arrow_errors() as e:
            raise _error(f"cannot read the data as an Arrow table: {e}") from e
    n, total, fit, engagement, grade, temperature, errors, warnings = pack._score_arrow(
        _readable(table), now, columns, strict
    )
    if is_frame:
        out = _frame(data, n, total, fit, engagement, grade, temperature, errors)
        out.attrs["warnings"] = list(warnings)
        return out
    out = _table(table, n, total, fit, engagement, grade, temperature, errors)
    metadata = dict(out.schema.metadata or {})
    metadata[b"warnings"] = json.dumps(warnings).encode()
    return out.replace_schema_metadata(metadata)


def _frame(df: Any, n: int, total: bytearray, fit: bytearray, engagement: bytearray,
           grade: bytearray, temperature: bytearray, errors: list[Any]) -> Any:
    import numpy as np
    import pandas as pd

    out = df.copy(deep=False)
    index = df.index
    out["score"] = pd.Series(np.frombuffer(total, dtype=np.float64), index=index)
    out["fit"] = pd.Series(np.frombuffer(fit, dtype=np.float64), index=index)
    out["engagement"] = pd.Series(np.frombuffer(engagement, dtype=np.float64), index=index)
    codes = np.frombuffer(grade, dtype=np.int8)
    out["grade"] = pd.Categorical.from_codes(codes, categories=GRADES)
    codes = np.frombuffer(temperature, dtype=np.int8)
    out["temperature"] = pd.Categorical.from_codes(codes, categories=TEMPERATURES)
    error = np.full(n, None, dtype=object)
    for row, exc in errors:
        error[row] = str(exc)
    out["error"] = pd.Series(error, index=index, dtype=object)
    return out


def _table(table: Any, n: int, total: bytearray, fit: bytearray, engagement: bytearray,
           grade: bytearray, temperature: bytearray, errors: list[Any]) -> Any:
    import pyarrow as pa

    valid = None
    if errors:
        failed = set(row for row, _ in errors)
        valid = pa.array([i not in failed for i in range(n)], pa.bool_()).buffers()[1]

    def floats(buf: bytearray) -> Any:
        return pa.Array.from_buffers(pa.float64(), n, [valid, pa.py_buffer(buf)])

    def categories(buf: bytearray, names: Sequence[str]) -> Any:
        indices = pa.Array.from_buffers(pa.int8(), n, [valid, pa.py_buffer(buf)])
        return pa.DictionaryArray.from_arrays(indices, pa.array(names))

    if errors:
        messages: list[str | None] = [None] * n
        for row, exc in errors:
            messages[row] = str(exc)
        error = pa.array(messages, pa.string())
    else:
        error = pa.nulls(n, pa.string())
    columns = [floats(total), floats(fit), floats(engagement),
               categories(grade, GRADES), categories(temperature, TEMPERATURES), error]
    for name, column in zip(RESULT_COLUMNS, columns):
        if name in table.column_names:
            table = table.drop_columns([name])
        table = table.append_column(name, column)
    return table
