#!/usr/bin/env bash
# Feed parsing benchmark: feedd vs Python feedparser, side by side, one core.
#
#   bench/feeds.sh [RUNS=5]
#
# Builds feedd-bench-feeds in release mode, installs feedparser into a venv
# under .build/ (PyPI), generates a 100-item RSS 2.0 feed (bodies in
# content:encoded, about 600 KB) and the same as Atom 1.0 from gen_corpus.py,
# then runs feedparser and feedd alternately RUNS times on both files, pinned
# to CPU 0 (CPU time, so other load on a shared machine does not count). Each
# run pairs the two tools back to back; the script prints the median items/s
# and the median of the per-run ratios feedd/feedparser (as normalize.sh
# does). Target: at least 20x.
#
# feedd's number is the whole job of a poll after the fetch: parse, identity,
# dates and HTMLNormalizer.normalize on every body; parse_items_per_s leaves
# the normalizer out. feedparser's includes its own sanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
WORK=.build/bench-feeds
VENV=.build/bench-venv
mkdir -p "$WORK"

make -s bench-build PRODUCT=feedd-bench-feeds >&2
BIN="$PWD/.build/release/feedd-bench-feeds"

if ! "$VENV/bin/python" -c "import feedparser" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet feedparser >&2
fi

[ -f "$WORK/corpus/manifest.json" ] || python3 bench/gen_corpus.py "$WORK/corpus" 100 >&2
python3 bench/make_feeds.py "$WORK/corpus" "$WORK" 100 >&2

PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
RESULTS="$(mktemp)"
trap 'rm -f "$RESULTS"' EXIT
for run in $(seq 1 "$RUNS"); do
    echo "== run $run/$RUNS" >&2
    $PIN "$VENV/bin/python" bench/feedparser_peer.py "$WORK/rss.xml" "$WORK/atom.xml" --rounds 5 | sed "s/^/peer $run /" | tee -a "$RESULTS" >&2
    $PIN "$BIN" "$WORK/rss.xml" "$WORK/atom.xml" --rounds 10 | sed "s/^/feedd $run /" | tee -a "$RESULTS" >&2
done

python3 - "$RESULTS" <<'PY'
import json, os, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    who, run, text = line.split(" ", 2)
    d = json.loads(text)
    rows.setdefault((who, os.path.basename(d["file"])), {})[int(run)] = d
print()
print(f"{'feed':<10}{'feedd items/s':>15}{'(parse only)':>14}{'feedparser items/s':>20}{'ratio':>8}{'(parse only)':>14}  per-run ratios")
for name in ("rss.xml", "atom.xml"):
    feedd, peer = rows[("feedd", name)], rows[("peer", name)]
    runs = sorted(set(feedd) & set(peer))
    med = lambda side, key: statistics.median(side[r][key] for r in runs)
    # Each run pairs the tools back to back: the ratio is taken per run, and the median of those reported.
    ratios = [feedd[r]["items_per_s"] / peer[r]["items_per_s"] for r in runs]
    parse = [feedd[r]["parse_items_per_s"] / peer[r]["items_per_s"] for r in runs]
    print(f"{name:<10}{med(feedd, 'items_per_s'):>15,.0f}{med(feedd, 'parse_items_per_s'):>14,.0f}"
          f"{med(peer, 'items_per_s'):>20,.0f}{statistics.median(ratios):>7.1f}x{statistics.median(parse):>13.1f}x"
          f"  {', '.join(f'{r:.1f}' for r in ratios)}")
tool = lambda who: next(d for (w, _), v in rows.items() if w == who for d in v.values())["tool"]
print(f"\n{tool('feedd')} vs {tool('peer')}; {len(runs)} interleaved runs, one core (taskset -c 0); target >= 20x")
PY
