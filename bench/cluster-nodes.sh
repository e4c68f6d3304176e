#!/usr/bin/env bash
# Issue 12's benchmark with real nodes: N sources over three `feedd run`
# processes (built by `make build`) sharing one throwaway PostgreSQL 15
# (needs the `postgresql` package), steady state after a warm-up refresh.
# Usage: bench/cluster-nodes.sh [--sizes 1000,10000] [--nodes 3] [--interval 60] [--window 130] [--settle 70]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s build >/dev/null
exec python3 bench/cluster_nodes.py .build/release/feedd "$@"
