#!/usr/bin/env bash
# Side-by-side benchmark of feedd's HTML normalizer and nh3 (the Python binding
# of the Rust sanitizer ammonia) on the same synthetic corpus, one core each.
#
#   bench/normalize.sh [RUNS=3]
#
# Steps: generate the corpus with ../shared/bench/gen_corpus.py (2,000 bodies,
# 11 MB), install nh3 into a virtualenv under .build/, build the Swift bench
# in release, then run nh3_peer.py and feedd-bench-normalize alternately RUNS
# times pinned to core 0 (each run reports the median of 5 rounds; the Swift
# bench also times libxml2's bare HTML parse, alternating with its own rounds).
# Prints the medians and the ratios feedd/nh3 and feedd/bare-parse.
#
# Environment: SHARED (default: ../../shared from this script, i.e. the shared
# folder beside the repository; copies of gen_corpus.py / nh3_peer.py beside
# this script are used otherwise), CORPUS (default .build/bench-corpus),
# PYTHON (default python3), CORE (default 0). The venv is .build/bench-venv,
# shared with the other benchmarks.
set -euo pipefail

runs=${1:-3}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
shared=${SHARED:-$(cd "$here/../../shared" 2>/dev/null && pwd || true)}
corpus=${CORPUS:-$repo/.build/bench-corpus}
python=${PYTHON:-python3}
core=${CORE:-0}
venv=$repo/.build/bench-venv

# The shared scripts, or copies of them beside this one.
find_script() {
    for candidate in "$shared/bench/$1" "$here/$1"; do
        if [[ -f "$candidate" ]]; then echo "$candidate"; return; fi
    done
    echo "cannot find $1 (looked in ${shared:-?}/bench and $here); set SHARED=/path/to/shared" >&2
    exit 2
}
gen_corpus=$(find_script gen_corpus.py)
nh3_peer=$(find_script nh3_peer.py)

echo "== corpus: $corpus"
if [[ ! -f "$corpus/manifest.json" ]]; then
    "$python" "$gen_corpus" "$corpus" | head -1
else
    echo "(exists; delete it to regenerate)"
fi

echo "== nh3"
if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import nh3' 2>/dev/null; then
    "$venv/bin/pip" install --quiet nh3
fi
"$venv/bin/python" -c 'import nh3; print("nh3", getattr(nh3, "__version__", "?"))'

echo "== build"
make -s -C "$repo" bench-build PRODUCT=feedd-bench-normalize 2>&1 | tail -1
bench=$repo/.build/release/feedd-bench-normalize

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for run in $(seq 1 "$runs"); do
    echo "== run $run/$runs"
    taskset -c "$core" "$venv/bin/python" "$nh3_peer" "$corpus" 5 | tee -a "$results"
    taskset -c "$core" "$bench" "$corpus" 5 | tee -a "$results"
done

"$python" - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
nh3 = [r for r in rows if r["peer"] == "nh3"]
feedd = [r for r in rows if r["peer"] == "feedd"]
med = lambda rs, key: statistics.median(r[key] for r in rs)
nh3_items, feedd_items = med(nh3, "items_per_s"), med(feedd, "items_per_s")
bare_items = med(feedd, "bare_parse_items_per_s")
print()
print(f"nh3               {nh3_items:10.0f} bodies/s  {med(nh3, 'MB_per_s'):7.1f} MB/s")
print(f"feedd normalize   {feedd_items:10.0f} bodies/s  {med(feedd, 'MB_per_s'):7.1f} MB/s")
print(f"bare libxml2 parse {bare_items:9.0f} bodies/s  {med(feedd, 'bare_parse_MB_per_s'):7.1f} MB/s  (HTML parser, events to no callback)")
print(f"feedd peak RSS    {max(r['peak_rss_kib'] for r in feedd) / 1024:10.1f} MiB")
# The machine is shared and noisy: each run pairs nh3 and feedd back to back,
# so the ratio is taken per run and the median of those ratios is reported.
pairs = [f["items_per_s"] / n["items_per_s"] for n, f in zip(nh3, feedd)]
bare = [f["items_per_s"] / f["bare_parse_items_per_s"] for f in feedd]
print(f"feedd/nh3 = {statistics.median(pairs):.2f}× (median of per-run ratios: {', '.join(f'{r:.2f}' for r in pairs)})")
print(f"feedd/bare-parse = {statistics.median(bare):.2f}")
EOF
