#!/usr/bin/env bash
# Issue 11's cost-growth benchmark: `feedd run` (built by `make build`) in
# steady state at 200, 1,000, 5,000 and 10,000 JSON-list sources, 304s only.
# Usage: bench/scale.sh [--sizes 200,1000] [--interval 30] [--window 60] [--slow-interval 60] [--warmup-only]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
exec python3 bench/scale.py .build/release/feedd "$@"
