"""Apache Spark glue: score a Spark DataFrame with a compiled pack, and compute funnel
metrics as mergeable partials. Glue only: every decision is the core's.

    from leadflow.spark import score_spark_df, spark_metrics
    scored = score_spark_df(df, pack, now="2026-03-01T00:00:00Z")
    report = spark_metrics(leads_df, opps_df, {"period": "2026-Q3", "now": now})

Scoring runs ``Pack.score_many`` on every Arrow record batch Spark hands the Python
workers (``mapInArrow``): no per-row Python objects, the GIL released while scoring.
The pack travels as its sources (a few KB) and is compiled once per executor Python
process (cached by pack id and a hash of its sources), not once per batch or task.

Metrics: each partition adds its records to a ``MetricsAccumulator`` (records reach
Python as one JSON Lines buffer per batch, built by Spark on the JVM side), yields
the partial as JSON text, and the driver merges the partials and finishes: exactly
the numbers ``leadflow.metrics`` gives on the same records, whatever the partitioning.

PySpark (>= 3.3, for ``mapInArrow``) and pyarrow are optional extras, imported lazily.
See docs/spark.md.
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
import warnings
from collections.abc import Iterator, Mapping
from importlib import import_module
from typing import Any

import leadflow

# pyspark and pyarrow are optional: imported when used, and typed loosely so this
# module type-checks (stubtest, mypy) where they are not installed.
DataFrame = Any  # pyspark.sql.DataFrame
_Batch = Any  # pyarrow.RecordBatch


def _mod(name: str) -> Any:
    return import_module(name)

__all__ = [
    "InputWarning",
    "RESULT_COLUMNS",
    "score_spark_df",
    "spark_metrics",
    "spark_metrics_accumulator",
]

class InputWarning(UserWarning):
    """A problem ``strict=False`` let through (a feature column the input lacks)."""


# Result columns appended by score_spark_df (the same as Pack.score_many on a table).
RESULT_COLUMNS = ("score", "fit", "engagement", "grade", "temperature", "error")

# A compiled pack (`leadflow.Pack`); typed loosely so this module type-checks
# whatever the stubs say about its private parts.
_Pack = Any

# Compiled packs of this (executor) process: (pack id, sha256 of its pickle) -> Pack.
_PACKS: dict[tuple[str, str], _Pack] = {}
# How many packs this process compiled (the tests check "once per process").
_STATS = {"compiled": 0}


def _pack_payload(pack: _Pack) -> tuple[str, str, bytes]:
    """What travels to the executors: the pack id, a digest, and the pickled pack
    (its sources and version, a few KB: unpickling compiles it)."""
    blob = pickle.dumps(pack)
    return pack.id, hashlib.sha256(blob).hexdigest(), blob


def _cached_pack(pack_id: str, digest: str, blob: bytes) -> _Pack:
    key = (pack_id, digest)
    pack = _PACKS.get(key)
    if pack is None:
        pack = pickle.loads(blob)  # compiles the pack (Pack.__reduce__)
        _PACKS[key] = pack
        _STATS["compiled"] += 1
    return pack


def _result_fields() -> list[Any]:
    t = _mod("pyspark.sql.types")
    DoubleType, StringType, StructField = t.DoubleType, t.StringType, t.StructField

    return [
        StructField("score", DoubleType()),
        StructField("fit", DoubleType()),
        StructField("engagement", DoubleType()),
        StructField("grade", StringType()),
        StructField("temperature", StringType()),
        StructField("error", StringType()),
    ]


def _score_batches(
    payload: tuple[str, str, bytes],
    now: str,
    columns: Mapping[str, str] | None,
    strict: bool,
    batches: Iterator[_Batch],
) -> Iterator[_Batch]:
    pa = _mod("pyarrow")

    pack = _cached_pack(*payload)
    for batch in batches:
        table = pack.score_many(batch, now, columns=columns, strict=strict)
        # Spark wants plain strings, not the dictionary-encoded grade/temperature;
        # keep the string width Spark used for its own columns.
        text = pa.large_string() if any(
            pa.types.is_large_string(f.type) for f in batch.schema
        ) else pa.string()
        arrays = []
        for field, column in zip(table.schema, table.columns):
            if field.name in RESULT_COLUMNS and not pa.types.is_floating(field.type):
                column = column.cast(text)
            arrays.append(column)
        out = pa.Table.from_arrays(arrays, names=table.column_names)
        yield from out.to_batches()


def _check_names(
    pack: _Pack, names: list[str], now: str, columns: Mapping[str, str] | None, strict: bool
) -> list[str]:
    """The schema check every batch gets, once on the driver: raises for an invalid
    ``now``, a feature column the input lacks (when strict), two columns reading as
    one name or a bad mapping; returns the lenient check's warnings."""
    pa = _mod("pyarrow")

    empty = pa.table({name: pa.array([], pa.string()) for name in names})
    scored = pack.score_many(empty, now, columns=columns, strict=strict)
    found: list[str] = json.loads(scored.schema.metadata[b"warnings"])
    return found


def score_spark_df(
    df: DataFrame,
    pack: _Pack,
    now: Any,
    *,
    columns: Mapping[str, str] | None = None,
    strict: bool = True,
) -> DataFrame:
    """Scores every row of a Spark DataFrame of lead feature rows (columns named like
    ``pack.features``, matched as ``Pack.score_many`` matches them: ``Title`` is
    ``title``, ``columns`` maps others; strings, integers, doubles, booleans).

    A feature column the DataFrame lacks raises on the driver unless ``strict=False``;
    then it reads as missing and, as a Spark DataFrame carries no metadata, the
    warning is issued with ``warnings.warn`` (``leadflow.spark.InputWarning``).

    Returns the DataFrame with ``score``, ``fit``, ``engagement`` (double), ``grade``,
    ``temperature`` and ``error`` (string) appended (replacing columns of those names),
    the same values ``pack.score_many`` gives locally. A row the pack cannot score
    gets its error message in ``error`` and null scores; it never fails the job.
    ``now`` is RFC 3339 text (the core never reads the clock).
    """
    StructType = _mod("pyspark.sql.types").StructType

    if not isinstance(now, str):
        now = now.isoformat()
    kept = [f for f in df.schema.fields if f.name not in RESULT_COLUMNS]
    # Fail on the driver, not in every task, for an invalid `now` or input names.
    for message in _check_names(pack, [f.name for f in kept], now, columns, strict):
        warnings.warn(message, InputWarning, stacklevel=2)
    schema = StructType(kept + _result_fields())
    work = functools.partial(_score_batches, _pack_payload(pack), now, columns, strict)
    return df.mapInArrow(work, schema)


# --- metrics ---------------------------------------------------------------------------

_LEAD, _OPPORTUNITY = 0, 1
_MAX_ERRORS_PER_PARTITION = 100


def _json_lines(column: Any) -> bytes:
    """The bytes of a string column whose values each end with a newline, as one
    buffer (JSON Lines), read from the Arrow buffers without per-row objects."""
    pa = _mod("pyarrow")

    if len(column) == 0:
        return b""
    _validity, offsets, data = column.buffers()[:3]
    raw = memoryview(offsets)
    view = raw.cast("q") if pa.types.is_large_string(column.type) else raw.cast("i")
    start, end = view[column.offset], view[column.offset + len(column)]
    return data[start:end].to_pybytes() if data is not None else b""


def _metrics_partition(
    template: str, skip_invalid: bool, batches: Iterator[_Batch]
) -> Iterator[_Batch]:
    import json

    pa, pc = _mod("pyarrow"), _mod("pyarrow.compute")

    acc = leadflow.MetricsAccumulator.from_json(template)
    errors: list[dict[str, Any]] = []
    for batch in batches:
        kinds, lines = batch.column(0), batch.column(1)
        for kind, add in ((_LEAD, acc.add_leads), (_OPPORTUNITY, acc.add_opportunities)):
            selected = pc.filter(lines, pc.equal(kinds, kind))
            skipped = add(_json_lines(selected), skip_invalid=skip_invalid)
            for e in skipped[: _MAX_ERRORS_PER_PARTITION - len(errors)]:
                errors.append({"kind": e.kind, "message": e.message, "record": e.record,
                               "field": e.field})
    yield pa.RecordBatch.from_arrays(
        [pa.array([acc.to_json()], pa.string()), pa.array([json.dumps(errors)], pa.string())],
        names=["partial", "errors"],
    )


def _json_rows(df: DataFrame, kind: int) -> DataFrame:
    """(kind, one line of JSON + newline) per row, built on the JVM side: a DataFrame
    of one string column is taken as JSON text per row (e.g. ``spark.read.text``),
    any other as fields (``to_json`` of the row; null fields are left out)."""
    F = _mod("pyspark.sql.functions")
    StringType = _mod("pyspark.sql.types").StringType

    fields = df.schema.fields
    if len(fields) == 1 and isinstance(fields[0].dataType, StringType):
        text = F.col(fields[0].name)
    else:
        text = F.to_json(F.struct(*[F.col(f"`{f.name}`") for f in fields]))
    return df.select(F.lit(kind).alias("kind"), F.concat(text, F.lit("\n")).alias("line"))


def _template(config: leadflow.MetricsAccumulator | Mapping[str, Any]) -> leadflow.MetricsAccumulator:
    if isinstance(config, leadflow.MetricsAccumulator):
        return config.empty_like()
    return leadflow.MetricsAccumulator(**config)


def spark_metrics_accumulator(
    leads: DataFrame | None,
    opportunities: DataFrame | None,
    config: leadflow.MetricsAccumulator | Mapping[str, Any],
    *,
    skip_invalid: bool = False,
) -> tuple[leadflow.MetricsAccumulator, list[dict[str, Any]]]:
    """Like :func:`spark_metrics`, returning the merged accumulator (to merge with more
    partials, or to ``finish()``) and the skipped records' errors (``skip_invalid``;
    at most 100 per partition, each ``{kind, message, record, field}``)."""
    import json

    acc = _template(config)
    parts = [_json_rows(df, kind) for df, kind in
             ((leads, _LEAD), (opportunities, _OPPORTUNITY)) if df is not None]
    if not parts:
        return acc, []
    rows = functools.reduce(lambda a, b: a.unionByName(b), parts)
    work = functools.partial(_metrics_partition, acc.to_json(), skip_invalid)
    errors: list[dict[str, Any]] = []
    for row in rows.mapInArrow(work, "partial string, errors string").collect():
        acc.merge(leadflow.MetricsAccumulator.from_json(row["partial"]))
        errors.extend(json.loads(row["errors"]))
    return acc, errors


def spark_metrics(
    leads: DataFrame | None,
    opportunities: DataFrame | None,
    config: leadflow.MetricsAccumulator | Mapping[str, Any],
    *,
    skip_invalid: bool = False,
) -> dict[str, Any]:
    """Funnel, conversion, velocity, board, pipeline and attribution over Spark
    DataFrames of leads and opportunities: one partial per partition, merged on the
    driver. Gives exactly the report of ``leadflow.metrics`` on the same records.

    ``config``: the keyword arguments of ``leadflow.MetricsAccumulator`` as a dict
    (``{"period": "2026-Q3", "now": ..., "options": {...}, "utc_offset": ...}``) or an
    accumulator whose configuration to use. A DataFrame with a single string column is
    read as one JSON record per row; any other is converted with ``to_json``. By
    default an invalid record fails the job (a report silently missing records would
    be wrong); ``skip_invalid=True`` leaves such records out.
    """
    acc, _errors = spark_metrics_accumulator(
        leads, opportunities, config, skip_invalid=skip_invalid
    )
    return acc.finish()
