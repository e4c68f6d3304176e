#!/usr/bin/env bash
# Builds the libFuzzer targets (release, AddressSanitizer) and runs each for
# FUZZ_SECONDS (default 60). Exit 1 on any finding: a crash, a sanitizer
# report or a broken property (the input is kept under .build-fuzz/findings/).
#
#   Fuzz/run.sh                 every target
#   Fuzz/run.sh feed dates      the named ones
#   FUZZ_SECONDS=1800 Fuzz/run.sh normalizer
#   Fuzz/run.sh --build-only
#   FUZZ_NO_BUILD=1 Fuzz/run.sh feed    run what is built (Fuzz/rotate.sh)
#
# New inputs the fuzzer finds interesting go to .build-fuzz/corpus/<target>
# (not the repository); the seeds in Fuzz/<target>/corpus are read only.
# Each run appends "target seconds executions findings time" to
# .build-fuzz/fuzz-log.tsv (Fuzz/LOG.md summarizes it).
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-60}
SCRATCH=.build-fuzz
ALL=(normalizer feed json-list dates charset config jekyll stories)
declare -A DICT=([normalizer]=html [feed]=xml [json-list]=json [dates]=dates [charset]=charset [config]=yaml [jekyll]=yaml [stories]=html)

build_only=0
targets=()
for a in "$@"; do
    if [ "$a" = --build-only ]; then build_only=1; else targets+=("$a"); fi
done
[ ${#targets[@]} -gt 0 ] || targets=("${ALL[@]}")

# -enable-testing: the targets reach internal parsers (@testable import).
# lld: gold fails to link libFuzzer's main beside SwiftPM's entry point.
FLAGS=(-c release --scratch-path "$SCRATCH" -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFEEDD_FUZZ
       -Xswiftc -enable-testing -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld)
for t in "${targets[@]}"; do
    [ -n "${DICT[$t]:-}" ] || { echo "no fuzz target '$t' (have: ${ALL[*]})" >&2; exit 2; }
    [ "${FUZZ_NO_BUILD:-0}" = 1 ] && continue
    echo "building fuzz-$t" >&2
    swift build "${FLAGS[@]}" --product "fuzz-$t" 2>&1 | grep -v "Cannot export local symbol" | tail -3 >&2
    [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build of fuzz-$t failed" >&2; exit 2; }
done
[ $build_only = 1 ] && exit 0

bin="$SCRATCH/release"  # the symlink SwiftPM keeps to the release products
status=0
mkdir -p "$SCRATCH/findings"
for t in "${targets[@]}"; do
    work="$SCRATCH/corpus/$t"
    mkdir -p "$work"
    log="$SCRATCH/fuzz-$t${FUZZ_LOG_SUFFIX:-}.log"  # a second rotation sets a suffix
    mkdir -p "Fuzz/regressions/$t"
    echo "fuzzing $t for ${SECONDS_EACH}s (log: $log)" >&2
    started=$(date +%s)
    # The Swift runtime's backtracer, run on abort under ASan, reads unmapped memory and adds a bogus report.
    SWIFT_BACKTRACE=enable=no "$bin/fuzz-$t" "$work" "Fuzz/$t/corpus" "Fuzz/regressions/$t" -dict="Fuzz/dict/${DICT[$t]}.dict" -max_total_time="$SECONDS_EACH" \
        -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$SCRATCH/findings/$t-" >"$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - started ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    findings=$([ $rc -eq 0 ] && echo 0 || echo 1)
    printf '%s\t%s\t%s\t%s\t%s\n' "$t" "$elapsed" "${execs:-0}" "$findings" "$(date -u +%FT%TZ)" >> "$SCRATCH/fuzz-log.tsv"
    if [ $rc -ne 0 ]; then
        echo "FINDING in $t (exit $rc):" >&2
        grep -E "FUZZ PROPERTY FAILED|ERROR: AddressSanitizer|ERROR: libFuzzer|SUMMARY|Test unit written" "$log" | head -8 >&2
        status=1
    else
        echo "$t: ${execs:-?} executions, no finding" >&2
    fi
done
exit $status
