#!/usr/bin/env bash
# Cluster coordination (issue 12): N sources over K lease-scheduler nodes
# sharing one throwaway PostgreSQL (the tests' TestPostgres: needs the
# `postgresql` package), steady state after a warm-up of 1.5 intervals.
#
#   bench/cluster.sh [SOURCES=10000] [INTERVAL_S=30] [INTERVALS=2] [NODES=3]
#
# Each poll only records itself (no HTTP): what is measured is the
# coordination. It prints one JSON line: polls per source per interval (from
# each source's gaps between polls, and counted in the window; the policy
# adds up to min(interval/10, 5 s) of jitter, so a source's rhythm is a little
# slower than its interval), sources polled twice within 0.9 of an interval
# (target 0), database round trips per poll (claims, releases, renewals,
# notices), client CPU per poll and the peak RSS of the one process that runs
# all the nodes (the server's CPU is not counted).
#
# Not a peer comparison: Miniflux's scheduler takes no lock (two of its
# workers poll the same feeds twice) and RSSHub shares only a cache.
#
# Environment: MODE (release, or debug to skip the release build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
mode=${MODE:-release}
echo "== build ($mode)"
(cd "$repo" && swift build -c "$mode" --product feedd-bench-cluster 2>&1 | tail -1)
bench=$(cd "$repo" && swift build -c "$mode" --show-bin-path)/feedd-bench-cluster
echo "== run"
"$bench" "${1:-10000}" "${2:-30}" "${3:-2}" "${4:-3}"
