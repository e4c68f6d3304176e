#!/usr/bin/env bash
# Render benchmark: feedd's RSS 2.0 + Atom writers vs Python feedgen, side by
# side in one run, one core.
#
#   bench/render.sh [RUNS=5]
#
# Generates 100 categories x 100 items (bench/make_render_input.py: normalized
# HTML bodies of about 2 KB, CJK titles with & and <), installs feedgen into
# the venv under .build/ (PyPI), builds feedd-bench-render in release, then
# runs feedgen_peer.py and feedd-bench-render alternately RUNS times, pinned
# to core 0, which one goes first alternating. Each writes both feeds of
# every category to a fresh folder (feedd through one AtomicFile.Batch, as a
# render writes: temp files, made durable together, renamed, each folder
# fsynced; then once with each file made durable on its own, AtomicFile.write,
# as renders wrote before batches; then once more with plain writes, as the
# peer writes, to show what the durable writes cost).
# Times are CPU seconds of the rendering and the writes, not the input
# loading. Prints items/s (an item counts once for both formats), peak RSS,
# and the median of the per-run ratios feedd/feedgen. Target: >= 4x, feedd
# under 30 MB.
#
# Two things of this machine's (a VM on ext4 without a journal) that are no
# tool's doing are kept out of the measured runs, for both tools alike:
# - Each run writes to a folder of its own, all removed at the end, not
#   between runs: without a journal, ext4 checks every inode freed in the
#   last minutes when it allocates one (ialloc.c, recently_deleted), and
#   removing the previous run's 1,200 files and folders just before made
#   each new file cost about 1 ms of kernel time (perf: 42 % of feedd's
#   samples in __ext4_new_inode).
# - Before each run the guest's free memory is written once (PREFAULT_GB,
#   default 3; 0 skips it): a page the guest has not used lately is backed
#   by the host only at its first write (the 53 MB each tool writes go to new
#   page-cache pages), which took feedd's runs from 0.15-0.20 CPU s to
#   0.27-0.30, and which tool met such pages varied from run to run.
# The per-run lines stay in .build/bench-render/last-results.jsonl.
#
# Environment: PYTHON (default python3), CORE (default 0), PREFAULT_GB (3).
set -euo pipefail

runs=${1:-5}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
python=${PYTHON:-python3}
core=${CORE:-0}
venv=$repo/.build/bench-venv
work=$repo/.build/bench-render

echo "== input: $work/input"
if [[ ! -f "$work/input/manifest.json" ]]; then
    "$python" "$here/make_render_input.py" "$work/input" 100 100
else
    echo "(exists; delete it to regenerate)"
fi

echo "== feedgen"
[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv"
"$venv/bin/python" -c 'import feedgen' 2>/dev/null || "$venv/bin/pip" install --quiet feedgen
"$venv/bin/python" -c 'import feedgen.version as v; print("feedgen", v.version_str)'

echo "== build"
make -s -C "$repo" bench-build PRODUCT=feedd-bench-render 2>&1 | tail -1
bench=$repo/.build/release/feedd-bench-render

pin=()
command -v taskset >/dev/null && pin=(taskset -c "$core")
results=$(mktemp)
trap 'cp "$results" "$work/last-results.jsonl"; rm -f "$results"; rm -rf "$work/out"' EXIT
prefault=${PREFAULT_GB:-3}
rm -rf "$work/out"
for run in $(seq 1 "$runs"); do
    echo "== run $run/$runs"
    if [[ "$prefault" != 0 ]]; then
        "$python" -c "import sys; b = bytearray(int(float(sys.argv[1]) * (1 << 30))); b[::4096] = b'\\x01' * len(b[::4096])" "$prefault"
    fi
    out=$work/out/$run
    # Which tool goes first alternates, so neither always meets what the other left behind.
    if (( run % 2 )); then
        "${pin[@]}" "$venv/bin/python" "$here/feedgen_peer.py" "$work/input" "$out/feedgen" | tee -a "$results"
        "${pin[@]}" "$bench" "$work/input" "$out/feedd" | tee -a "$results"
    else
        "${pin[@]}" "$bench" "$work/input" "$out/feedd" | tee -a "$results"
        "${pin[@]}" "$venv/bin/python" "$here/feedgen_peer.py" "$work/input" "$out/feedgen" | tee -a "$results"
    fi
    "${pin[@]}" "$bench" "$work/input" "$out/feedd-per-file" --per-file | tee -a "$results"
    "${pin[@]}" "$bench" "$work/input" "$out/feedd-plain" --plain-writes | tee -a "$results"
done

"$python" - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
peer = [r for r in rows if r["peer"].startswith("feedgen")]
feedd = [r for r in rows if r["peer"] == "feedd"]
med = lambda rs, key: statistics.median(r[key] for r in rs)
print()
print(f"feedgen  {med(peer, 'items_per_s'):10,.0f} items/s (RSS + Atom)  peak RSS {max(r['peak_rss_kib'] for r in peer) / 1024:6.1f} MiB")
print(f"feedd    {med(feedd, 'items_per_s'):10,.0f} items/s (RSS + Atom)  peak RSS {max(r['peak_rss_kib'] for r in feedd) / 1024:6.1f} MiB")
# Each run pairs the two tools back to back: the ratio is taken per run, the median of those reported.
pairs = [f["items_per_s"] / p["items_per_s"] for p, f in zip(peer, feedd)]
plain = [r for r in rows if r["peer"] == "feedd-plain-writes"]
plain_pairs = [f["items_per_s"] / p["items_per_s"] for p, f in zip(peer, plain)]
per_file = [r for r in rows if r["peer"] == "feedd-per-file"]
per_file_pairs = [f["items_per_s"] / p["items_per_s"] for p, f in zip(peer, per_file)]
print(f"feedd, each file made durable on its own (AtomicFile.write): {med(per_file, 'items_per_s'):,.0f} items/s")
print(f"feedd, written as the peer writes (no temp file, no fsync): {med(plain, 'items_per_s'):,.0f} items/s")
print(f"feedd's writers alone: {statistics.median(f['items'] / f['render_only_cpu_s'] for f in feedd):,.0f} items/s "
      f"({statistics.median(f['render_only_cpu_s'] / f['cpu_s'] for f in feedd) * 100:.0f} % of its time; the rest is AtomicFile.Batch: temp files, fdatasync, rename, fsync of the folders)")
print()
print(f"feedd/feedgen = {statistics.median(pairs):.2f}x (median of per-run ratios: {', '.join(f'{r:.2f}' for r in pairs)}); target >= 4x, feedd < 30 MB")
print(f"feedd/feedgen with each file made durable on its own = {statistics.median(per_file_pairs):.2f}x ({', '.join(f'{r:.2f}' for r in per_file_pairs)})")
print(f"feedd/feedgen with the peer's plain writes = {statistics.median(plain_pairs):.2f}x ({', '.join(f'{r:.2f}' for r in plain_pairs)})")
PY
