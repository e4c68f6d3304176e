#!/usr/bin/env python3
"""Input for bench/render.sh: CATEGORIES files of ITEMS items each, as the
store would hand them to the writers (normalized HTML bodies, plain-text
titles and summaries, outlets, links, dates), deterministic.

Usage: python3 make_render_input.py OUT_DIR [CATEGORIES=100] [ITEMS=100]
Writes OUT_DIR/c000.json … and OUT_DIR/manifest.json.
"""
import json, os, random, sys

out = sys.argv[1]
categories = int(sys.argv[2]) if len(sys.argv) > 2 else 100
per = int(sys.argv[3]) if len(sys.argv) > 3 else 100
rng = random.Random(20211229)
os.makedirs(out, exist_ok=True)
han = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府"
punct = ["，", "。", "、", "：", "；", "“", "”", "（", "）", "——", "…", "《", "》"]
outlets = ["新华财经", "中国证券报", "证券时报", "上海证券报", "经济参考报"]

def words(n):
    s = "".join(rng.choice(han) for _ in range(n))
    return s

def title():
    t = words(rng.randint(12, 26))
    r = rng.random()
    if r < 0.1: t = t[:6] + "&" + t[6:]           # 沪深300&中证500…
    elif r < 0.15: t = t[:5] + "<10倍" + t[5:]     # 市盈率<10倍
    elif r < 0.2: t = "“" + t[:8] + "”" + t[8:]
    return t

def paragraph():
    parts = [words(rng.randint(8, 30)) + rng.choice(punct) for _ in range(rng.randint(3, 8))]
    text = "".join(parts).replace("&", "&amp;").replace("<", "&lt;")
    if rng.random() < 0.2:
        text += '<a href="https://finance.example.cn/a/%d.html">%s</a>' % (rng.randint(1, 99999), words(4))
    if rng.random() < 0.1:
        text = '<strong>%s</strong>' % words(6) + text
    return "<p>" + text + "</p>"

base = 1640761560  # 2021-12-29 15:06:00 +0800
manifest = []
for c in range(categories):
    name = "分类%02d%s" % (c, words(2))
    items = []
    for i in range(per):
        code = "NW202112292229%06d" % (c * per + i)
        body = "\n".join(paragraph() for _ in range(rng.randint(3, 7)))
        if rng.random() < 0.2:
            body += '\n<p><img src="https://img.example.cn/%d.jpg" alt="%s"/></p>' % (rng.randint(1, 9999), words(3))
        summary = words(rng.randint(60, 100))
        published = base - (c * per + i) * 37
        items.append({"code": code, "title": title(), "summary": summary, "body": body,
                      "link": "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=" + code,
                      "outlet": rng.choice(outlets), "published": published, "updated": published + rng.choice([0, 0, 60])})
    path = os.path.join(out, "c%03d.json" % c)
    with open(path, "w") as f:
        json.dump({"name": name, "slug": "c%03d" % c, "items": items}, f, ensure_ascii=False)
    manifest.append(os.path.basename(path))
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump({"categories": manifest, "items_per_category": per}, f)
print("wrote %d categories x %d items to %s" % (categories, per, out))
