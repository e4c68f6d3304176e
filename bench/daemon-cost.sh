#!/usr/bin/env bash
# Steady-state cost of `feedd run`: 200 sources x 100 items for 60 s.
# Usage: bench/daemon-cost.sh [--sources N] [--duration S] [--interval S]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
exec python3 bench/daemon_cost.py .build/release/feedd "$@"
