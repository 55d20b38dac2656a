"""leadflow on Apache Spark (local[2]): scoring through mapInArrow and funnel metrics
from merged per-partition partials give exactly the local results, row by row and
metric by metric. Run by bindings/python/spark_test.sh (its own venv: PySpark needs
pandas < 3); the data paths come from the environment that script sets."""

from __future__ import annotations

import json
import os
import pathlib
import sys
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq
import pytest
from pyspark.sql import DataFrame, SparkSession

import leadflow
from leadflow.spark import RESULT_COLUMNS, score_spark_df, spark_metrics, spark_metrics_accumulator

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE.parent / "tests"))
from conftest import strict_equal  # noqa: E402

NOW = "2026-03-01T00:00:00Z"
TMP = pathlib.Path(os.environ.get("LEADFLOW_SPARK_TMP", "/tmp"))
ROWS = os.environ.get("LEADFLOW_SPARK_ROWS")
COPIES = int(os.environ.get("LEADFLOW_SPARK_COPIES", "170"))  # x 600 sample leads
METRICS_CONFIG = {
    "period": "2026-Q3",
    "now": "2026-09-15T00:00:00Z",
    "options": json.loads((REPO / "examples/data/funnel-sample.options.json").read_text()),
}


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("leadflow-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.local.dir", str(TMP / "spark-local"))
        .config("spark.sql.warehouse.dir", str(TMP / "spark-warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Djava.io.tmpdir={TMP}")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "5000")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def pack() -> leadflow.Pack:
    return leadflow.Pack.from_path(REPO / "examples/packs/reference")


@pytest.fixture(scope="session")
def rows_path() -> pathlib.Path:
    """The reference feature rows (leadflow generate) with an `id`, as Parquet."""
    assert ROWS, "LEADFLOW_SPARK_ROWS is not set: run bindings/python/spark_test.sh"
    table = pajson.read_json(ROWS)
    assert table.num_rows >= 100_000 or os.environ.get("LEADFLOW_SPARK_SMALL")
    table = table.add_column(0, "id", pa.array(range(table.num_rows), pa.int64()))
    path = TMP / "rows.parquet"
    pq.write_table(table, path)
    return path


def _sorted(df: DataFrame) -> pa.Table:
    return df.toArrow().sort_by("id")


def test_scoring_equals_local_row_by_row(
    spark: SparkSession, pack: leadflow.Pack, rows_path: pathlib.Path
) -> None:
    local = pack.score_many(pq.read_table(rows_path), NOW).sort_by("id")
    df = spark.read.parquet(str(rows_path)).repartition(8)
    scored = score_spark_df(df, pack, NOW)
    assert scored.columns[-6:] == list(RESULT_COLUMNS)
    remote = _sorted(scored)
    assert remote.num_rows == local.num_rows
    assert remote.column("id").equals(local.column("id"))
    for name in ("score", "fit", "engagement"):
        # Same core, same inputs: bit-identical floats, not approximately equal.
        assert remote.column(name).equals(local.column(name).cast(pa.float64())), name
    for name in ("grade", "temperature", "error"):
        got = remote.column(name).to_pylist()
        want = local.column(name).cast(pa.string()).to_pylist()
        assert got == want, name
    assert remote.column("error").null_count == remote.num_rows


def test_pack_compiled_once_per_executor_process(
    spark: SparkSession, pack: leadflow.Pack, rows_path: pathlib.Path
) -> None:
    # 8 tasks of several batches each, on 2 reused Python workers.
    score_spark_df(spark.read.parquet(str(rows_path)).repartition(8), pack, NOW).count()

    def report(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from leadflow import spark as glue

        for _ in batches:
            pass
        yield pa.RecordBatch.from_pydict(
            {"pid": [os.getpid()], "compiled": [glue._STATS["compiled"]]}
        )

    stats = spark.range(0, 8, numPartitions=8).mapInArrow(report, "pid long, compiled long")
    per_pid = {r["pid"]: r["compiled"] for r in stats.collect()}
    assert per_pid and max(per_pid.values()) <= 1, per_pid


def test_bad_row_is_an_error_value_not_a_failed_job(spark: SparkSession) -> None:
    pack = leadflow.Pack.from_str(
        'name = "boom"\nversion = "1"\nscript = """\n'
        'if lead.title == "boom" { throw "cannot score this lead"; }\n'
        'score += lead.employees / 100.0;\n"""\n'
    )
    table = pa.table({"id": [1, 2, 3], "title": ["CEO", "boom", "VP"], "employees": [100, 200, 300]})
    local = pack.score_many(table, NOW)
    remote = _sorted(score_spark_df(spark.createDataFrame(table.to_pandas()), pack, NOW))
    errors = remote.column("error").to_pylist()
    assert errors[0] is None and errors[2] is None
    assert errors[1] is not None and "cannot score this lead" in errors[1]
    assert errors == local.column("error").to_pylist()
    assert remote.column("score").to_pylist() == local.column("score").to_pylist()


def _metrics_files() -> tuple[pathlib.Path, pathlib.Path, int]:
    """The funnel sample repeated COPIES times with distinct ids, as JSON Lines."""
    leads_path, opps_path = TMP / "leads.jsonl", TMP / "opps.jsonl"
    lines = (REPO / "examples/data/funnel-sample.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    n = 0
    with leads_path.open("w") as leads, opps_path.open("w") as opps:
        for copy in range(COPIES):
            for r in records:
                r = dict(r, id=f"{r['id']}-{copy}")
                kind = r.pop("record_type")
                if kind == "lead":
                    n += 1
                    leads.write(json.dumps(r) + "\n")
                else:
                    opps.write(json.dumps(r) + "\n")
    return leads_path, opps_path, n


def test_funnel_equals_local_metric_by_metric(spark: SparkSession) -> None:
    leads_path, opps_path, n = _metrics_files()
    assert n >= 100_000 or os.environ.get("LEADFLOW_SPARK_SMALL")
    local = leadflow.MetricsAccumulator(**METRICS_CONFIG)
    local.add_leads(leads_path.read_bytes())
    local.add_opportunities(opps_path.read_bytes())
    want = local.finish()
    assert want["leads"] == n and want["funnel"]["total"]["cohort_size"] > 0

    # Raw JSON text per row, shuffled over 7 partitions: any split merges exactly.
    leads = spark.read.text(str(leads_path)).repartition(7)
    opps = spark.read.text(str(opps_path)).repartition(3)
    strict_equal(spark_metrics(leads, opps, METRICS_CONFIG), want)


def test_metrics_from_structured_columns(spark: SparkSession) -> None:
    # A DataFrame with typed columns (spark.read.json) goes through to_json.
    sample = REPO / "examples/data/funnel-sample.jsonl"
    records = spark.read.json(str(sample))
    leads = records.where("record_type = 'lead'").drop("record_type")
    opps = records.where("record_type = 'opportunity'").drop("record_type")
    request: dict[str, Any] = {"leads": [], "opportunities": [], **METRICS_CONFIG}
    for line in sample.read_text().splitlines():
        r = json.loads(line)
        request["leads" if r.pop("record_type") == "lead" else "opportunities"].append(r)
    strict_equal(spark_metrics(leads, opps, METRICS_CONFIG), leadflow.metrics(request))


def test_invalid_metrics_records(spark: SparkSession) -> None:
    lines = ['{"id": "ok", "created_at": "2026-07-02T00:00:00Z"}', '{"id": "bad"}']
    df = spark.createDataFrame([(line,) for line in lines], "value string")
    with pytest.raises(Exception, match="created_at"):
        spark_metrics(df, None, METRICS_CONFIG)
    acc, errors = spark_metrics_accumulator(df, None, METRICS_CONFIG, skip_invalid=True)
    assert acc.finish()["leads"] == 1
    assert [e["record"] for e in errors] == ["bad"]
