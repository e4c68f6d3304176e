#!/usr/bin/env bash
# Side-by-side benchmark of the rules' regex engine (FeedRules, a Pike VM)
# and Python's `re` (backtracking, what most feed filters use) on the same
# 20,000 generated titles and six rule patterns, case-insensitive, one core each.
#
#   bench/rules.sh [RUNS=3]
#
# Runs feedd-bench-rules and re_peer.py alternately RUNS times pinned to core
# CORE (default 0); each run reports the median of 5 rounds. Prints each
# pair's ratio feedd/re and their median, then the hostile case: `(a+)+$` on a
# title of N `a`s and a `!` — exponential for `re` (so small N only), one pass
# for feedd (50 KB).
set -euo pipefail

runs=${1:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
python=${PYTHON:-python3}
core=${CORE:-0}
corpus=$repo/.build/bench-rules

echo "== corpus"
"$python" "$here/rules_corpus.py" "$corpus"
echo "== build"
make -s -C "$repo" bench-build PRODUCT=feedd-bench-rules 2>&1 | tail -1
bench=$repo/.build/release/feedd-bench-rules

pin() { if command -v taskset >/dev/null; then taskset -c "$core" "$@"; else "$@"; fi; }
ratios=()
for run in $(seq 1 "$runs"); do
    ours=$(pin "$bench" "$corpus")
    theirs=$(pin "$python" "$here/re_peer.py" "$corpus")
    a=${ours%% *}; b=${theirs%% *}
    if [[ "${ours#* }" != "${theirs#* }" ]]; then echo "hit counts differ: $ours vs $theirs" >&2; exit 1; fi
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')
    ratios+=("$ratio")
    echo "run $run: feedd $ours, re $theirs, feedd/re = ${ratio}x"
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
echo "median feedd/re over $runs paired runs: ${median}x"

echo "== hostile: (a+)+\$ on N a's and a '!' (seconds)"
for n in 20 22 24; do echo "re,    N=$n: $(pin "$python" "$here/re_peer.py" --hostile "$n")"; done
for n in 50000; do echo "feedd, N=$n: $(pin "$bench" --hostile "$n")"; done
