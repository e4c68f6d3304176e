#!/usr/bin/env python3
"""Peer for bench/render.sh: Python feedgen writing, per category, the RSS
2.0 and Atom 1.0 feeds of the same items feedd-bench-render writes (title,
link, guid, dates, author, category, summary, HTML content), to disk.

Usage: python3 feedgen_peer.py INPUT_DIR OUT_DIR
Prints one JSON line: items, CPU seconds (process time: the rendering and the
writes; loading the input is not counted), items/s, peak RSS.
"""
import datetime, json, os, resource, shutil, sys, time
import feedgen.version
from feedgen.feed import FeedGenerator

input_dir, out = sys.argv[1], sys.argv[2]
manifest = json.load(open(os.path.join(input_dir, "manifest.json")))
zone = datetime.timezone(datetime.timedelta(hours=8))
site = "http://localhost:8080/"
seconds = 0.0
count = 0
for name in manifest["categories"]:
    category = json.load(open(os.path.join(input_dir, name)))
    items = category["items"]
    for item in items:  # input preparation, as feedd's is: not timed
        item["published_dt"] = datetime.datetime.fromtimestamp(item["published"], zone)
        item["updated_dt"] = datetime.datetime.fromtimestamp(item["updated"], zone)
    folder = os.path.join(out, category["slug"])
    os.makedirs(folder, exist_ok=True)
    start = time.process_time()
    fg = FeedGenerator()
    fg.id("tag:feedd,2021:feed/" + category["slug"])
    fg.title(category["name"] + " - 财经新闻")
    fg.link(href=site, rel="alternate")
    fg.link(href=site + category["slug"] + "/atom.xml", rel="self")
    fg.description(category["name"] + " - 财经新闻")
    fg.language("zh-CN")
    fg.author({"name": "财经新闻"})
    for item in reversed(items):  # feedgen prepends entries
        fe = fg.add_entry()
        fe.id("tag:feedd,2021:item/" + item["code"])
        fe.guid(item["code"], permalink=False)
        fe.title(item["title"])
        fe.link(href=item["link"])
        fe.published(item["published_dt"])
        fe.updated(item["updated_dt"])
        fe.author({"name": item["outlet"]})
        fe.category(term=category["slug"], label=category["name"])
        fe.description(item["summary"])
        fe.content(item["body"], type="html")
    fg.rss_file(os.path.join(folder, "rss.xml"))
    fg.atom_file(os.path.join(folder, "atom.xml"))
    seconds += time.process_time() - start
    count += len(items)
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peer": "feedgen " + feedgen.version.version_str, "items": count,
                  "cpu_s": round(seconds, 4), "items_per_s": round(count / seconds, 1), "peak_rss_kib": peak_kib}))
