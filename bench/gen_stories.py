#!/usr/bin/env python3
"""Labelled corpus for story detection (issue 14), deterministic from a seed.

Usage: python3 gen_stories.py OUT.jsonl [seed=14] [stories=2100]

One JSON object per line: code (as the APIs give them: NW, the minute
published, a serial), story (the true label), kind, outlet, title,
html (normalized-style HTML, as the store holds it), published (Unix seconds).

- `stories` base stories (3-8 paragraphs); a third of them reprinted 2-6 times
  by other outlets, each reprint with a random mix of the edits outlets make:
  title prefix or suffix, `　　` indents, a `（文章来源：X）` line, an editor's
  line, the last paragraph dropped, the image removed, full-width vs
  half-width digits and punctuation. Reprints appear 0-12 h after the original.
- Hard negatives, each its own story: 600 template flash items (one template,
  other figures and sectors) of which 120 are also reprinted once or twice
  (positives among flashes), 250 follow-ups quoting an earlier story, 250
  pairs with the same headline on different days (a daily column).
"""
import json, random, sys, time

OUT = sys.argv[1]
SEED = int(sys.argv[2]) if len(sys.argv) > 2 else 14
N = int(sys.argv[3]) if len(sys.argv) > 3 else 2100
rng = random.Random(SEED)
T0 = 1_764_547_200  # 2025-12-01 00:00 UTC

OUTLETS = ["新华财经", "新华社", "中国证券报", "上海证券报", "证券时报", "第一财经", "财联社", "经济参考报",
           "21世纪经济报道", "中国基金报", "证券日报", "每日经济新闻", "界面新闻", "澎湃新闻", "东方财富网"]
INDICES = ["上证指数", "深证成指", "创业板指", "沪深300", "科创50", "北证50", "恒生指数", "中证500", "中证1000"]
SECTORS = ["半导体", "新能源汽车", "光伏", "锂电池", "白酒", "银行", "券商", "保险", "房地产", "医药", "人工智能",
           "算力", "军工", "煤炭", "有色金属", "消费电子", "储能", "创新药", "低空经济", "机器人", "游戏", "传媒"]
COMPANIES = ["贵州茅台", "宁德时代", "比亚迪", "招商银行", "中国平安", "隆基绿能", "中芯国际", "东方财富", "迈瑞医疗",
             "五粮液", "中信证券", "紫金矿业", "工商银行", "海康威视", "立讯精密", "药明康德", "长江电力", "中国神华"]
ORGS = ["中国人民银行", "国家金融监督管理总局", "中国证监会", "国家发展改革委", "财政部", "国家统计局", "上海证券交易所",
        "深圳证券交易所", "国务院国资委", "国家外汇管理局", "商务部", "工业和信息化部"]
INSTS = ["中金公司", "华泰证券", "国泰君安", "招商证券", "广发证券", "兴业证券", "中信建投", "海通证券", "申万宏源"]
TOPICS = ["科技创新", "绿色转型", "消费升级", "数字经济", "对外开放", "乡村振兴", "区域协调", "养老金融", "普惠金融",
          "资本市场改革", "民营经济", "新型工业化", "跨境投资", "产业链供应链", "设备更新", "以旧换新", "算力基础设施"]
VERBS = ["上涨", "走高", "攀升", "收涨", "下跌", "走低", "回落", "收跌", "反弹", "震荡"]
CONNECT = ["与此同时，", "此外，", "值得注意的是，", "从盘面上看，", "业内人士认为，", "数据显示，", "分析人士指出，",
           "展望后市，", "具体来看，", "总体而言，", "另据了解，", "据介绍，"]
CLAUSES = ["市场风险偏好有望逐步修复", "政策效应将持续显现", "结构性机会仍然值得关注", "短期震荡格局或将延续",
           "中长期资金入市节奏有望加快", "经济基本面稳中向好的态势没有改变", "流动性保持合理充裕",
           "估值处于历史相对低位", "行业景气度持续回升", "企业盈利预期有所改善", "相关配套措施将陆续出台",
           "监管部门将进一步加强协同", "投资者信心明显增强", "成交活跃度有所提升", "外资持续流入"]
EDITORS = ["张三", "李明", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "周婷", "吴昊", "郑爽", "孙悦", "马骁"]
PREFIXES = ["新华财经：", "【独家】", "快讯：", "重磅！", "突发！", "权威发布：", "【要闻】", "最新！"]
SUFFIXES = ["——新华财经", "｜证券时报", "（附解读）", "_财经频道", " - 第一财经", "（全文）"]


def n(a, b, d=2):
    return f"{rng.uniform(a, b):.{d}f}"


def sentence():
    k = rng.randrange(7)
    if k == 0:
        return f"截至收盘，{rng.choice(INDICES)}{rng.choice(VERBS)}{n(0.1, 3)}%，报{n(2800, 12000)}点，成交额{n(3000, 15000, 0)}亿元。"
    if k == 1:
        return f"{rng.choice(COMPANIES)}{rng.randint(1, 12)}月{rng.randint(1, 28)}日晚间公告，前三季度实现营业收入{n(10, 3000)}亿元，同比增长{n(1, 60)}%，净利润{n(1, 800)}亿元。"
    if k == 2:
        return f"{rng.choice(ORGS)}有关负责人表示，将围绕{rng.choice(TOPICS)}和{rng.choice(TOPICS)}推出{rng.randint(3, 30)}项举措，{rng.choice(CLAUSES)}。"
    if k == 3:
        return f"{rng.choice(INSTS)}研究报告认为，{rng.choice(SECTORS)}板块{rng.choice(CLAUSES)}，{rng.choice(SECTORS)}与{rng.choice(SECTORS)}方向{rng.choice(CLAUSES)}。"
    if k == 4:
        return f"{rng.choice(CONNECT)}{rng.choice(SECTORS)}板块{rng.choice(VERBS)}，{rng.choice(COMPANIES)}等{rng.randint(2, 40)}只个股涨停，{rng.choice(CLAUSES)}。"
    if k == 5:
        return f"{rng.choice(CONNECT)}{rng.randint(2019, 2025)}年以来累计{rng.choice(['发行', '募集', '投放', '新增'])}资金{n(100, 90000, 0)}亿元，{rng.choice(CLAUSES)}。"
    return f"{rng.choice(CONNECT)}{rng.choice(CLAUSES)}，{rng.choice(CLAUSES)}，{rng.choice(TOPICS)}领域{rng.choice(CLAUSES)}。"


def paragraph():
    return "".join(sentence() for _ in range(rng.randint(2, 4)))


def title():
    k = rng.randrange(4)
    if k == 0:
        return f"{rng.choice(ORGS)}：推动{rng.choice(TOPICS)}{rng.choice(['提质增效', '迈上新台阶', '取得新进展', '再加力'])}"
    if k == 1:
        return f"{rng.choice(COMPANIES)}前三季度净利同比增长{n(1, 60, 1)}%"
    if k == 2:
        return f"{rng.choice(INSTS)}：{rng.choice(SECTORS)}板块{rng.choice(CLAUSES)}"
    return f"{rng.choice(TOPICS)}{rng.choice(['政策', '新规', '方案', '指引'])}出台 {rng.choice(SECTORS)}{rng.choice(['迎来新机遇', '受关注', '有望受益'])}"


def dateline(t):
    d = (t + 8 * 3600) // 86400 - (T0 // 86400) + 1
    return f"新华财经北京12月{d}日电 "


FULL = {c: chr(ord(c) + 0xFEE0) for c in "0123456789%.,:;()!?"}
HALF = {v: k for k, v in FULL.items()}
HALF.update({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


def widen(s):
    return "".join(FULL.get(c, c) for c in s)


def narrow(s):
    return "".join(HALF.get(c, c) for c in s)


def render(paras, image, source, editor, indent):
    out = []
    for i, p in enumerate(paras):
        out.append(f"<p>{'　　' if indent else ''}{p}</p>")
        if i == 0 and image:
            out.append(f'<p><img src="https://img.example.com/{image}.jpg" alt="{image}"></p>')
    if source:
        out.append(f"<p>（文章来源：{source}）</p>")
    if editor:
        out.append(f"<p>{editor}</p>")
    return "".join(out)


items = []
story_id = 0


def emit(story, kind, outlet, title_, html, published):
    items.append({"code": "", "story": story, "kind": kind, "outlet": outlet, "title": title_,
                  "html": html, "published": int(published)})


span = 10 * 86400  # the corpus spans ten days
originals = []
for s in range(N):
    t = T0 + rng.randrange(span)
    paras = [dateline(t) + paragraph()] + [paragraph() for _ in range(rng.randint(2, 7))]
    ttl = title()
    outlet = rng.choice(OUTLETS[:2])
    image = f"img{s}" if rng.random() < 0.5 else None
    emit(story_id, "original", outlet, ttl, render(paras, image, outlet, None, rng.random() < 0.5), t)
    originals.append((story_id, ttl, paras, t, outlet))
    if s % 3 == 0:
        for r in range(rng.randint(2, 6)):
            edits = [e for e in ["title", "indent", "source", "editor", "drop", "image", "width"] if rng.random() < 0.45]
            rp = list(paras)
            rt = ttl
            if "title" in edits:
                rt = rng.choice(PREFIXES) + rt if rng.random() < 0.6 else rt + rng.choice(SUFFIXES)
            if "drop" in edits and len(rp) >= 3:
                rp = rp[:-1]
            if "width" in edits:
                f = widen if rng.random() < 0.5 else narrow
                rp = [f(p) for p in rp]
                rt = f(rt)
            reprinter = rng.choice(OUTLETS[2:])
            src = outlet if "source" in edits else None
            ed = rng.choice([f"（责任编辑：{rng.choice(EDITORS)}）", f"编辑：{rng.choice(EDITORS)}",
                             f"责任编辑：{rng.choice(EDITORS)} 审核：{rng.choice(EDITORS)}"]) if "editor" in edits else None
            img = None if "image" in edits else image
            emit(story_id, "reprint:" + ",".join(edits), reprinter, rt, render(rp, img, src, ed, "indent" in edits),
                 t + rng.randrange(12 * 3600))
    story_id += 1

# Template flash items: one template, other figures (and often another sector).
for f in range(600):
    t = T0 + rng.randrange(span)
    idx = rng.choice(INDICES[:3])
    verb = rng.choice(["收涨", "收跌"])
    pct = n(0.1, 2.5, 1)
    sector = rng.choice(SECTORS)
    ttl = f"{idx[:2]}{verb}{pct}% {sector}板块走强"
    body = f"<p>{dateline(t)}{idx}{verb}{pct}%，报{n(2900, 3600)}点，{sector}板块走强。</p>"
    emit(story_id, "flash", rng.choice(OUTLETS), ttl, body, t)
    if f % 5 == 0:
        for _ in range(rng.randint(1, 2)):
            w = widen if rng.random() < 0.5 else (lambda s: s)
            src = f"<p>（文章来源：{rng.choice(OUTLETS[:2])}）</p>" if rng.random() < 0.5 else ""
            emit(story_id, "flash-reprint", rng.choice(OUTLETS), w(ttl), w(body) + src, t + rng.randrange(3600))
    story_id += 1

# Follow-ups that quote an earlier story: new paragraphs, then the earlier lead.
for f in range(250):
    sid, ttl, paras, t, outlet = rng.choice(originals)
    quoted = paras[: rng.randint(1, 2)]
    new = [dateline(t) + paragraph() for _ in range(1)] + [paragraph() for _ in range(rng.randint(1, 3))]
    body = new + ["此前报道，" + quoted[0]] + quoted[1:]
    emit(story_id, "follow-up", rng.choice(OUTLETS), "追踪｜" + ttl, render(body, None, outlet, None, False),
         t + 3600 + rng.randrange(36 * 3600))
    story_id += 1

# The same headline on other days: a daily column with that day's text.
for f in range(250):
    column = rng.choice(["每日收评", "早盘综述", "午间点评", "晚间要闻", "盘前必读", "机构观点"])
    ttl = f"{column}：{rng.choice(CLAUSES)}"
    t = T0 + rng.randrange(span)
    for day in range(2):
        tt = t + day * 86400 * rng.randint(1, 3)
        paras = [dateline(tt) + paragraph()] + [paragraph() for _ in range(rng.randint(1, 3))]
        emit(story_id, "same-headline", rng.choice(OUTLETS), ttl, render(paras, None, None, None, False), tt)
        story_id += 1

rng.shuffle(items)
items.sort(key=lambda i: i["published"])
# Info codes as the APIs give them (samples: NW202112292229992448): the minute
# published, UTC, then a serial; so codes grow with time, as stored keys do.
serials = rng.sample(range(1_000_000), len(items))
for i, serial in zip(items, serials):
    i["code"] = "NW" + time.strftime("%Y%m%d%H%M", time.gmtime(i["published"])) + f"{serial:06d}"
with open(OUT, "w", encoding="utf-8") as out:
    for i in items:
        out.write(json.dumps(i, ensure_ascii=False) + "\n")
kinds = {}
for i in items:
    k = i["kind"].split(":")[0]
    kinds[k] = kinds.get(k, 0) + 1
print(json.dumps({"items": len(items), "stories": story_id, "kinds": kinds, "seed": SEED}, ensure_ascii=False))
