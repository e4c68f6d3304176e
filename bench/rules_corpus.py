#!/usr/bin/env python3
"""Writes the rules benchmark's inputs: one title per line (deterministic),
plus the patterns file (one `kind<TAB>pattern<TAB>replacement` per line) that
both feedd-bench-rules and re_peer.py read.

    rules_corpus.py OUT_DIR [TITLES=20000]
"""
import os
import random
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
rng = random.Random(13)
words = ["央行", "人民银行", "开展", "逆回购", "操作", "北交所", "北京证券交易所", "光伏", "组件", "太阳能",
         "两市", "成交额", "突破", "万亿元", "人民币", "中间价", "上调", "基点", "券商", "投资策略",
         "新能源", "板块", "走强", "直播预告", "推广", "MLF", "LPR", "A股", "港股", "沪指", "收涨"]
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "titles.txt"), "w", encoding="utf-8") as f:
    for _ in range(count):
        parts = [rng.choice(words) for _ in range(rng.randint(3, 9))]
        if rng.random() < 0.3:
            parts.insert(rng.randint(0, len(parts)), f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%")
        title = "".join(parts)
        if rng.random() < 0.25:
            title = "【" + rng.choice(["快讯", "早报", "独家"]) + "】" + title
        f.write(title + "\n")
patterns = [
    ("match", "广告|推广|直播预告", ""),
    ("match", "北交所|北京证券交易所", ""),
    ("match", r"\d+(?:\.\d+)?%", ""),
    ("match", "(?:央行|人民银行).{0,10}(?:逆回购|mlf)", ""),
    ("match", r"[a-z]{2,}\d*股", ""),
    ("rewrite", "^【(.+?)】", "$1"),
]
with open(os.path.join(out, "patterns.tsv"), "w", encoding="utf-8") as f:
    for kind, pattern, replacement in patterns:
        f.write(f"{kind}\t{pattern}\t{replacement}\n")
print(f"{count} titles, {len(patterns)} patterns in {out}")
