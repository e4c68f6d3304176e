#!/usr/bin/env bash
# Totals .build-fuzz/fuzz-log.tsv per target: seconds fuzzed, executions, sessions with a finding.
log="$(dirname "$0")/../.build-fuzz/fuzz-log.tsv"
[ -f "$log" ] || { echo "no fuzz log yet ($log)"; exit 0; }
printf "| target | time fuzzed | executions | sessions that stopped on a finding |\n|---|---|---|---|\n"
awk -F'\t' '{ s[$1] += $2; e[$1] += $3; f[$1] += $4 } END {
    for (t in s) printf "| %s | %d min %02d s | %d | %d |\n", t, s[t] / 60, s[t] % 60, e[t], f[t] }' "$log" | sort
