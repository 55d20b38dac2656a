#!/usr/bin/env bash
# leadflow on Apache Spark, local mode: scores >= 100k generated leads and computes the
# funnel on >= 100k leads through leadflow.spark, and checks both equal the local
# Python results row by row and metric by metric (spark_tests/test_spark.py).
# Own venv (bindings/python/.venv-spark, requirements-spark.txt): PySpark needs pandas < 3.
# Uses the binding bindings/python/test.sh built (run it first; this script builds it
# if it is missing). Needs Java 17+: installed with apt-get when missing and root (CI).
#   LEADFLOW_SPARK_N=20000 LEADFLOW_SPARK_COPIES=20 LEADFLOW_SPARK_SMALL=1 ...  # quicker run
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
venv="$here/.venv-spark"
py="$venv/bin/python"

if ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "== Spark: installing Java (openjdk-17-jre-headless)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
    else
        echo "Java is missing: install openjdk-17-jre-headless (or any Java 17+)" >&2
        exit 1
    fi
fi

if [ ! -x "$py" ]; then
    echo "== Spark: creating $venv"
    base="${PYTHON:-python3}"
    if ! "$base" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        "$base" -m pip install --quiet --user virtualenv 2>/dev/null \
            || "$base" -m pip install --quiet --user --break-system-packages virtualenv
        "$base" -m virtualenv --quiet "$venv"
    fi
fi
stamp="$venv/.requirements-spark.txt"
if ! cmp -s "$here/requirements-spark.txt" "$stamp"; then
    "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-spark.txt"
    cp "$here/requirements-spark.txt" "$stamp"
fi

# The binding test.sh built lives in bindings/python/python (maturin develop puts the
# compiled module there): point this venv at it rather than building a second time.
if [ ! -x "$here/.venv/bin/python" ] || ! "$here/.venv/bin/python" -c "import leadflow.spark" 2>/dev/null; then
    "$here/test.sh"
fi
site="$("$py" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$here/python" > "$site/leadflow-dev.pth"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/leadflow-spark.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
n="${LEADFLOW_SPARK_N:-100000}"
echo "== Spark: generating $n reference feature rows"
(cd "$repo" && cargo build --quiet -p leadflow-cli)
"$repo/target/debug/leadflow" generate --n "$n" --seed 42 --format rows-jsonl --output "$tmp/rows.jsonl"

echo "== Spark: local[2] scoring and metrics vs the local binding"
export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$py" PYSPARK_DRIVER_PYTHON="$py"
export LEADFLOW_SPARK_ROWS="$tmp/rows.jsonl" LEADFLOW_SPARK_TMP="$tmp"
cd "$here"
"$py" -m pytest spark_tests -q -p no:cacheprovider --durations=5

echo "== Spark: examples/python/spark_scoring.py (small)"
(cd "$repo" && "$py" examples/python/spark_scoring.py --n 2000 > "$tmp/example.log" 2>&1) \
    || { cat "$tmp/example.log"; exit 1; }
