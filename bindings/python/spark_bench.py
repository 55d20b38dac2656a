"""Scoring throughput on Spark (local mode) against the local binding, same data.

    bindings/python/.venv-spark/bin/python bindings/python/spark_bench.py ROWS.jsonl [--runs 3]

ROWS.jsonl: `leadflow generate --format rows-jsonl` output. Prints one Markdown table
row per measurement (best of --runs, after one untimed warm-up) for BENCHMARKS.md:
  - local: Pack.score_many on the whole Arrow table (all cores, GIL released);
  - spark noop: read Parquet and write to the `noop` sink, no Python (JVM baseline);
  - spark identity mapInArrow: the same through a Python worker that returns each
    batch unchanged (JVM <-> Python Arrow transfer + worker overhead);
  - spark score_spark_df: the real thing;
plus the one-off costs: session start, the first scoring job (Python workers start,
pack unpickled and compiled), and the pack's pickle size and compile time.
Use a release build of the binding (maturin build --release) for meaningful figures.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import pickle
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyarrow as pa
import pyarrow.json as pajson
import pyarrow.parquet as pq

import leadflow
from leadflow.spark import score_spark_df

REPO = pathlib.Path(__file__).resolve().parents[2]
NOW = "2026-03-01T00:00:00Z"


def best(runs: int, work: Callable[[], Any]) -> float:
    work()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def identity(batches: Iterator[Any]) -> Iterator[Any]:
    yield from batches


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("rows")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=10_000, help="maxRecordsPerBatch")
    args = parser.parse_args()

    pack = leadflow.Pack.from_path(REPO / "examples/packs/reference")
    table = pajson.read_json(args.rows)
    table = table.add_column(0, "id", pa.array(range(table.num_rows), pa.int64()))
    n = table.num_rows
    print(f"leadflow {leadflow.__version__}, {n} rows, {os.cpu_count()} cpus, "
          f"load {os.getloadavg()[0]:.1f}")

    def row(name: str, seconds: float) -> None:
        print(f"| {name} | {n} | {n / seconds / 1000:.0f}k | {seconds:.2f} s |", flush=True)

    row("local `Pack.score_many(arrow_table)`", best(args.runs, lambda: pack.score_many(table, NOW)))
    blob = pickle.dumps(pack)
    start = time.perf_counter()
    pickle.loads(blob)
    print(f"pack pickle: {len(blob)} bytes, unpickle+compile {1000 * (time.perf_counter() - start):.1f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "rows.parquet")
        pq.write_table(table, path)
        from pyspark.sql import SparkSession

        start = time.perf_counter()
        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.local.dir", tmp)
            .config("spark.driver.memory", "2g")
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(args.batch))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        print(f"SparkSession start: {time.perf_counter() - start:.1f} s")
        try:
            df = spark.read.parquet(path).repartition(2).cache()
            df.count()

            def noop(frame: Any) -> Callable[[], None]:
                return lambda: frame.write.format("noop").mode("overwrite").save()

            start = time.perf_counter()
            noop(score_spark_df(df, pack, NOW))()
            print(f"first scoring job (workers start, pack compiled): "
                  f"{time.perf_counter() - start:.2f} s")
            row("Spark noop (cached DataFrame, no Python)", best(args.runs, noop(df)))
            row("Spark identity `mapInArrow` (Arrow to Python and back)",
                best(args.runs, noop(df.mapInArrow(identity, df.schema))))
            row("Spark `score_spark_df`", best(args.runs, noop(score_spark_df(df, pack, NOW))))
        finally:
            spark.stop()


if __name__ == "__main__":
    main()
