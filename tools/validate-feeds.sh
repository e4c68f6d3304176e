#!/usr/bin/env bash
# Runs the W3C feed validator (https://github.com/w3c/feedvalidator, not part of
# this repository) over every feed of a full fixture run: feedd refresh on file:
# sources whose titles, digests, outlets and categories carry &, <, >, quotes,
# emoji and CJK punctuation, with a WebSub hub and a ttl. Prints each feed's
# warnings and a total; exits 1 when there is any.
#
#   tools/validate-feeds.sh PATH/TO/feedvalidator/src [FEEDD_BINARY]
#   LEVEL=AAA tools/validate-feeds.sh …   # also the validator's "may" notes
#
# Needs python3 with html5lib (pip install html5lib).
set -euo pipefail
validator=${1:?usage: tools/validate-feeds.sh FEEDVALIDATOR_SRC [FEEDD]}
root=$(cd "$(dirname "$0")/.." && pwd)
feedd=${2:-$root/.build/debug/feedd}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
os.makedirs(work + "/bodies")
titles = [
    "沪深300&中证500双双走高", "市盈率<10倍的银行股", "“专精特新”企业——融资提速 R&D投入…",
    "他说\"不\"行 & 'OK'", "A股 > 预期 📈🚀", "【快讯】央行：逆回购1000亿元；利率持平。",
    "&amp; 与 &lt;b&gt; 原样显示", "港股「恒指」收涨0.5%",
]
# A title holding an end tag as text (`<b>加粗</b>`) passes in Atom (declared type="html",
# escaped) but RSS 2.0 has no way to declare a title plain: the validator warns on it
# whatever the encoding. END_TAG_TITLE=1 adds one to see that.
if os.environ.get("END_TAG_TITLE"):
    titles.append("<b>加粗</b>不是标记")
records = []
for i, title in enumerate(titles):
    code = "NW2021122922299%05d" % i
    records.append({"infoCode": code, "title": title, "showtime": "2021-12-29 15:%02d:00" % (i // 3),  # three to a minute, as news lists are
                    "digest": "摘要 " + title, "url_w": "https://finance.example.cn/a/%d.html?x=1&y=2" % i,
                    "medianame": ["新华财经", "证券<时报>", "R&D 观察"][i % 3]})
    body = "<p>正文 %s</p><p><a href=\"/rel/%d.html\">相对链接</a> <img src=\"img/%d.png\"></p>" % (
        title.replace("&", "&amp;").replace("<", "&lt;"), i, i)
    body += "<p>（文章来源：%s）</p>" % ["新华财经", "证券时报 & 中证网", "上海证券报"][i % 3]
    json.dump({"text": body}, open("%s/bodies/%s.json" % (work, code), "w"), ensure_ascii=False)
json.dump({"records": records}, open(work + "/list.json", "w"), ensure_ascii=False)
open(work + "/config.yaml", "w").write("""site:
  title: 财经新闻 & "市场" <快讯>
  url: http://127.0.0.1:8080/
  language: zh-CN
  timezone: Asia/Shanghai
storage: data/feedd.sqlite
output: public
feeds: {items: 100}
poll: {interval: 90s, concurrency: 2, timeout: 10s, max_body: 1MB, user_agent: feedd-validate/1}
websub: {hub: "https://pubsubhubbub.appspot.com/"}
sources:
  - name: list
    type: json
    url: file:list.json
    list: records
    fields: {id: infoCode, title: title, date: showtime, summary: digest, link: url_w, category: medianame}
    body: {url: "file:bodies/{id}.json", field: text}
""")
PY

"$feedd" refresh --config "$work/config.yaml" >/dev/null

python3 - "$validator" "$work/public" http://127.0.0.1:8080/ "${LEVEL:-AA}" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
import feedvalidator
from feedvalidator import compatibility
from feedvalidator.formatter.text_plain import Formatter
public, site, level = sys.argv[2], sys.argv[3], sys.argv[4]
total = feeds = 0
for slug in sorted(os.listdir(public)):
    for name in ("rss.xml", "atom.xml"):
        path = os.path.join(public, slug, name)
        if not os.path.exists(path):
            continue
        feeds += 1
        data = open(path, "rb").read()
        try:
            # base: where the file is served, so the self links are checked against it.
            events = feedvalidator.validateString(data, firstOccurrenceOnly=0, base=site + slug + "/" + name)["loggedEvents"]
        except feedvalidator.logging.ValidationFailure as failure:
            events = [failure.event]
        # "AA" is what the online validator shows: errors and warnings.
        lines = Formatter(getattr(compatibility, level)(events))
        total += len(lines)
        print("%s/%s: %d" % (slug, name, len(lines)))
        for line in lines:
            print("  " + line)
print("%d feeds, %d warnings and errors" % (feeds, total))
sys.exit(1 if total else 0)
PY
