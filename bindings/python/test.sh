#!/usr/bin/env bash
# Builds the Python binding into bindings/python/.venv and runs its tests and the
# stub check. Needs only Rust, Python >= 3.10 with pip, and PyPI. Run from anywhere.
#   PYTHON=python3.12 bindings/python/test.sh      # another interpreter
#   LEADFLOW_PY_RELEASE=1 bindings/python/test.sh  # optimized build (slower to build)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
py="$venv/bin/python"

if [ ! -x "$py" ]; then
    echo "== Python: creating $venv"
    base="${PYTHON:-python3}"
    # Debian's python3 may lack the venv module (python3-venv): fall back to virtualenv from PyPI.
    if ! "$base" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        "$base" -m pip install --quiet --user virtualenv 2>/dev/null \
            || "$base" -m pip install --quiet --user --break-system-packages virtualenv
        "$base" -m virtualenv --quiet "$venv"
    fi
fi
# Reinstall the tools only when requirements-dev.txt changed.
stamp="$venv/.requirements-dev.txt"
if ! cmp -s "$here/requirements-dev.txt" "$stamp"; then
    "$py" -m pip install --quiet --disable-pip-version-check -r "$here/requirements-dev.txt"
    cp "$here/requirements-dev.txt" "$stamp"
fi

echo "== Python: building the binding (maturin develop)"
profile=()
if [ "${LEADFLOW_PY_RELEASE:-0}" = 1 ]; then profile=(--release); fi
start=$(date +%s)
(cd "$here" && VIRTUAL_ENV="$venv" PATH="$venv/bin:$PATH" \
    "$venv/bin/maturin" develop --quiet "${profile[@]}")
echo "   built in $(( $(date +%s) - start ))s"

echo "== Python: pytest"
cd "$here"
"$py" -m pytest tests -q

echo "== Python: examples/python/quickstart.py"
(cd "$here/../.." && "$py" examples/python/quickstart.py > /dev/null)

echo "== Python: stubtest (stubs vs compiled module)"
"$py" -m mypy.stubtest --mypy-config-file pyproject.toml leadflow

echo "== Python: mypy --strict (the tests type-check against the stubs)"
"$py" -m mypy --strict --no-error-summary tests
