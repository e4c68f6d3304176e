#!/usr/bin/env python3
"""Peer baseline for the feed benchmark: Python feedparser, default settings
(HTML sanitizing and relative-URI resolution on, as a reader uses it).

Usage: python3 feedparser_peer.py FEED... [--rounds R]
For each feed prints one JSON line: items, the median round's CPU seconds and items/s.
A warm-up round is not timed.
"""
import json, statistics, sys, time
import feedparser

args = sys.argv[1:]
rounds = 7
if "--rounds" in args:
    k = args.index("--rounds")
    rounds = int(args[k + 1])
    del args[k:k + 2]
for path in args:
    data = open(path, "rb").read()
    items = len(feedparser.parse(data).entries)
    secs = []
    for _ in range(rounds):
        t0 = time.thread_time()  # CPU time, as feedd-bench-feeds measures
        parsed = feedparser.parse(data)
        for e in parsed.entries:  # touch what feedd produces: body, summary, link, date
            _ = (e.get("content"), e.get("summary"), e.get("link"), e.get("published_parsed"))
        secs.append(time.thread_time() - t0)
    med = statistics.median(secs)
    print(json.dumps({"tool": "feedparser " + feedparser.__version__, "file": path, "items": items,
                      "median_s": round(med, 6), "items_per_s": round(items / med, 1)}))
