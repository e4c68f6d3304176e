#!/usr/bin/env python3
"""Builds the two feeds the feed benchmark parses, from gen_corpus.py's articles.

Usage: python3 make_feeds.py CORPUS_DIR OUT_DIR [N=100]
Writes OUT_DIR/rss.xml (RSS 2.0, bodies in content:encoded CDATA) and
OUT_DIR/atom.xml (Atom 1.0, bodies in <content type="html">, escaped): the
same N articles, about 600 KB each for N=100.
"""
import html, json, os, sys

corpus, out = sys.argv[1], sys.argv[2]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 100
manifest = json.load(open(os.path.join(corpus, "manifest.json"), encoding="utf-8"))[:n]
os.makedirs(out, exist_ok=True)


def body(m):
    return open(os.path.join(corpus, f"{m['id']:04d}.html"), encoding="utf-8").read()


def pub(i):  # one item a minute back from 2024-06-01 12:00 Beijing time
    minute = 12 * 60 - i
    return f"Sat, 01 Jun 2024 {minute // 60:02d}:{minute % 60:02d}:00 +0800", f"2024-06-01T{minute // 60:02d}:{minute % 60:02d}:00+08:00"


rss = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
       "<channel><title>feedd bench</title><link>https://news.example.cn/</link><description>bench</description>"]
atom = ['<?xml version="1.0" encoding="UTF-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
        "<title>feedd bench</title><id>urn:feedd:bench</id><updated>2024-06-01T12:00:00+08:00</updated>"]
for i, m in enumerate(manifest):
    b = body(m)
    link = f"https://news.example.cn/2024/06/01/{m['id']:04d}.html?utm_source=rss"
    rfc822, iso = pub(i)
    summary = html.escape(m["title"] + "。")
    rss.append(f"<item><title>{html.escape(m['title'])}</title><link>{html.escape(link)}</link>"
               f"<guid isPermaLink=\"false\">{m['guid']}</guid><pubDate>{rfc822}</pubDate><category>财经</category>"
               f"<description>{summary}</description><content:encoded><![CDATA[{b}]]></content:encoded></item>")
    atom.append(f"<entry><title>{html.escape(m['title'])}</title><id>{m['guid']}</id>"
                f"<link rel=\"alternate\" href=\"{html.escape(link)}\"/><published>{iso}</published><updated>{iso}</updated>"
                f"<category term=\"财经\"/><summary>{summary}</summary>"
                f"<content type=\"html\">{html.escape(b, quote=False)}</content></entry>")
rss.append("</channel></rss>")
atom.append("</feed>")
for name, parts in (("rss.xml", rss), ("atom.xml", atom)):
    data = "\n".join(parts).encode("utf-8")
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(manifest)} items, {len(data) / 1024:.0f} KB")
