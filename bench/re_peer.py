#!/usr/bin/env python3
"""The peer of feedd-bench-rules: Python's `re` (a backtracking engine, like
most feed tools' filters) over the same titles and patterns, case-insensitive.
Prints the median of ROUNDS rounds as `titles/s`.

    re_peer.py CORPUS_DIR [ROUNDS=5]
Also `re_peer.py --hostile N`: seconds for `(a+)+$` on N `a`s and a `!`.
"""
import re
import statistics
import sys
import time

if sys.argv[1] == "--hostile":
    n = int(sys.argv[2])
    started = time.perf_counter()
    assert re.search(r"(a+)+$", "a" * n + "!", re.IGNORECASE) is None
    print(f"{time.perf_counter() - started:.4f}")
    sys.exit(0)

folder = sys.argv[1]
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
titles = open(f"{folder}/titles.txt", encoding="utf-8").read().splitlines()
rules = []
for line in open(f"{folder}/patterns.tsv", encoding="utf-8").read().splitlines():
    kind, pattern, replacement = line.split("\t")
    rules.append((kind, re.compile(pattern, re.IGNORECASE), re.sub(r"\$(\d+)", r"\\\1", replacement)))

times = []
hits = 0
for _ in range(rounds):
    hits = 0
    started = time.perf_counter()
    for t in titles:
        for kind, p, r in rules:
            if kind == "match":
                hits += p.search(t) is not None
            else:
                hits += p.sub(r, t) != t
    times.append(time.perf_counter() - started)
print(f"{len(titles) / statistics.median(times):.0f} titles/s hits={hits}")
