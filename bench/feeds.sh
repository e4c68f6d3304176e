#!/usr/bin/env bash
# Feed parsing benchmark: feedd vs Python feedparser, side by side, one core.
#
#   bench/feeds.sh [ROUNDS]
#
# Builds feedd-bench-feeds in release mode, installs feedparser into a venv
# under .build/ (PyPI), generates a 100-item RSS 2.0 feed (bodies in
# content:encoded, about 600 KB) and the same as Atom 1.0 from gen_corpus.py,
# then times both tools on both files pinned to CPU 0 (CPU time, so other load
# on a shared machine does not count) and prints items/s and the ratio
# feedd/feedparser. Target: at least 20x.
#
# feedd's number is the whole job of a poll after the fetch: parse, identity,
# dates and HTMLNormalizer.normalize on every body; parse_items_per_s leaves
# the normalizer out. feedparser's includes its own sanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${1:-30}"
WORK=.build/bench-feeds
VENV=.build/bench-venv
mkdir -p "$WORK"

swift build -c release --product feedd-bench-feeds >&2
BIN="$(swift build -c release --show-bin-path)/feedd-bench-feeds"

if ! "$VENV/bin/python" -c "import feedparser" 2>/dev/null; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet feedparser >&2
fi

[ -f "$WORK/corpus/manifest.json" ] || python3 bench/gen_corpus.py "$WORK/corpus" 100 >&2
python3 bench/make_feeds.py "$WORK/corpus" "$WORK" 100 >&2

PIN=""
command -v taskset >/dev/null && PIN="taskset -c 0"
FEEDD="$($PIN "$BIN" "$WORK/rss.xml" "$WORK/atom.xml" --rounds "$ROUNDS")"
PEER="$($PIN "$VENV/bin/python" bench/feedparser_peer.py "$WORK/rss.xml" "$WORK/atom.xml" --rounds 7)"
echo "$FEEDD"
echo "$PEER"

python3 - "$FEEDD" "$PEER" <<'PY'
import json, os, sys
feedd = [json.loads(l) for l in sys.argv[1].splitlines()]
peer = {os.path.basename(d["file"]): d for d in map(json.loads, sys.argv[2].splitlines())}
print()
print(f"{'feed':<10}{'feedd items/s':>15}{'(parse only)':>14}{'feedparser items/s':>20}{'ratio':>8}{'(parse only)':>14}")
for d in feedd:
    name = os.path.basename(d["file"])
    p = peer[name]["items_per_s"]
    print(f"{name:<10}{d['items_per_s']:>15,.0f}{d['parse_items_per_s']:>14,.0f}{p:>20,.0f}"
          f"{d['items_per_s'] / p:>7.1f}x{d['parse_items_per_s'] / p:>13.1f}x")
print(f"\n{feedd[0]['tool']} vs {next(iter(peer.values()))['tool']}; one core (taskset -c 0); target >= 20x")
PY
