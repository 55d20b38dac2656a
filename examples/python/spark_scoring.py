"""Score a Spark DataFrame of leads with a leadflow pack and compute the funnel on
Spark, checking both against the local Python binding.

    PYSPARK_PYTHON=python python examples/python/spark_scoring.py            # 20,000 rows
    python examples/python/spark_scoring.py --rows rows.jsonl               # `leadflow generate --format rows-jsonl`
    python examples/python/spark_scoring.py --n 2000                        # quick

Needs `pip install pyspark pyarrow "pandas<3"` and the leadflow binding; Java 17+.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import tempfile

import pyarrow as pa
import pyarrow.json as pajson
from pyspark.sql import SparkSession

import leadflow
from leadflow.spark import score_spark_df, spark_metrics

REPO = pathlib.Path(__file__).resolve().parents[2]
NOW = "2026-03-01T00:00:00Z"


def feature_rows(n: int, seed: int = 7) -> pa.Table:
    """A small synthetic feature table (use `leadflow generate` for the reference data)."""
    rng = random.Random(seed)
    titles = ["VP Sales", "Director of IT", "CEO", "Engineer", "Intern", "Analyst"]
    return pa.table({
        "id": list(range(n)),
        "title": [rng.choice(titles) for _ in range(n)],
        "employees": [int(10 ** rng.uniform(0, 5)) for _ in range(n)],
        "industry": [rng.choice(["Software", "Finance", "Retail"]) for _ in range(n)],
        "country": [rng.choice(["US", "DE", "FR", "BR"]) for _ in range(n)],
        "source": [rng.choice(["referral", "paid_search", "organic"]) for _ in range(n)],
        "days_since_activity": [rng.randrange(180) for _ in range(n)],
        "page_views": [rng.randrange(40) for _ in range(n)],
        "demo_requested": [rng.random() < 0.1 for _ in range(n)],
    })


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--rows", help="feature rows as JSON Lines (leadflow generate)")
    args = parser.parse_args()

    pack = leadflow.Pack.from_path(REPO / "examples/packs/reference")
    table = pajson.read_json(args.rows) if args.rows else feature_rows(args.n)
    if "id" not in table.column_names:
        table = table.add_column(0, "id", pa.array(range(table.num_rows), pa.int64()))

    with tempfile.TemporaryDirectory() as tmp:
        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.local.dir", tmp)
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        try:
            # 1. Scoring: the pack travels as its sources, compiled once per executor process.
            df = spark.createDataFrame(table.to_pandas()).repartition(4)
            # The synthetic table holds a few features only: strict=False reads the
            # others as 0 (the driver warns, leadflow.spark.InputWarning) instead of
            # refusing the input; `leadflow generate` rows (--rows) hold them all.
            scored = score_spark_df(df, pack, NOW, strict=False)
            scored.orderBy("score", ascending=False).select(
                "id", "title", "score", "grade", "temperature", "error").show(5)
            remote = scored.toArrow().sort_by("id")
            local = pack.score_many(table, NOW, strict=False).sort_by("id")
            assert remote.column("score").equals(local.column("score")), "scores differ"
            print(f"scored {remote.num_rows} rows on Spark: identical to local score_many")

            # 2. Funnel metrics: one partial per partition, merged on the driver.
            sample = REPO / "examples/data/funnel-sample.jsonl"
            records = spark.read.text(str(sample))
            leads = records.where("value like '%\"record_type\":\"lead\"%'")
            opps = records.where("value like '%\"record_type\":\"opportunity\"%'")
            config = {"period": "2026-Q3", "now": "2026-09-15T00:00:00Z"}
            report = spark_metrics(leads, opps, config)
            for stage in report["funnel"]["total"]["stages"]:
                print(f"  {stage['stage']:<12} {stage['reached']:>5}")
            lines = [json.loads(line) for line in sample.read_text().splitlines()]
            local_report = leadflow.metrics({
                **config,
                "leads": [r for r in lines if r["record_type"] == "lead"],
                "opportunities": [r for r in lines if r["record_type"] == "opportunity"],
            })
            assert report == local_report, "metrics differ"
            print("funnel on Spark: identical to leadflow.metrics")
        finally:
            spark.stop()


if __name__ == "__main__":
    main()
