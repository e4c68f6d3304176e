#!/usr/bin/env bash
# Fuzzes the built targets in turn, FUZZ_SECONDS (default 300) each, round
# after round, at the lowest CPU priority (nice 19: only idle CPU), until
# killed. FUZZ_TARGETS picks and orders the targets; a second rotation beside
# the first sets FUZZ_LOG_SUFFIX so their session logs do not collide. Progress: .build-fuzz/fuzz-log.tsv (a line per session),
# .build-fuzz/fuzz-<target>.log (the current session), findings under
# .build-fuzz/findings/. `Fuzz/summary.sh` totals the log.
cd "$(dirname "$0")/.."
bin=.build-fuzz/x86_64-unknown-linux-gnu/release
while true; do
    for t in ${FUZZ_TARGETS:-normalizer feed json-list dates charset config jekyll stories}; do
        [ -x "$bin/fuzz-$t" ] || continue
        FUZZ_NO_BUILD=1 FUZZ_SECONDS=${FUZZ_SECONDS:-300} nice -n 19 Fuzz/run.sh "$t"
    done
    sleep 1
done
