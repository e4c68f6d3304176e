/// A dispatch as 新华财经 sends it, and the edits other outlets make to it.
enum StoryGolden {
    static let title = "央行：推动科技创新和绿色转型提质增效"
    static let paragraphs = [
        "新华财经北京12月1日电 中国人民银行有关负责人表示，将围绕科技创新和绿色转型推出18项举措，政策效应将持续显现。截至收盘，上证指数上涨0.85%，报3092.59点，成交额8966亿元。",
        "中金公司研究报告认为，半导体板块估值处于历史相对低位，储能与光伏方向结构性机会仍然值得关注。宁德时代12月1日晚间公告，前三季度实现营业收入2948.31亿元，同比增长21.92%。",
        "数据显示，2024年以来累计发行资金53262亿元，流动性保持合理充裕。值得注意的是，监管部门将进一步加强协同，投资者信心明显增强，成交活跃度有所提升。",
        "展望后市，分析人士指出，经济基本面稳中向好的态势没有改变，中长期资金入市节奏有望加快，科技创新领域行业景气度持续回升，外资持续流入。",
    ]
    static let image = "<p><img src=\"https://img.example.com/a.jpg\" alt=\"央行大楼\"/></p>"

    static func html(_ paragraphs: [String] = paragraphs, indent: Bool = false, image: Bool = true,
                     trailer: String = "") -> String {
        var out = ""
        for (i, p) in paragraphs.enumerated() {
            out += "<p>\(indent ? "　　" : "")\(p)</p>\n"
            if i == 0 && image { out += image ? Self.image + "\n" : "" }
        }
        return out + trailer
    }

    static func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { c in
            let v = c.value
            if (0x30...0x39).contains(v) || v == 0x25 || v == 0x2E { return Unicode.Scalar(v + 0xFEE0)! }
            return c
        }))
    }

    /// Each edit kind an outlet makes, as (name, title, html) of the reprint.
    static let reprints: [(String, String, String)] = [
        ("title prefix", "新华财经：" + title, html()),
        ("title suffix", title + "——证券时报", html()),
        ("indentation", title, html(indent: true)),
        ("source line", title, html(trailer: "<p>（文章来源：新华财经）</p>")),
        ("editor line", title, html(trailer: "<p>（责任编辑：张三）</p>\n<p>编辑：李四</p>")),
        ("last paragraph dropped", title, html(Array(paragraphs.dropLast()))),
        ("image removed", title, html(image: false)),
        ("full-width digits and punctuation", fullWidth(title), html(paragraphs.map(fullWidth))),
        ("all of them", "【独家】" + fullWidth(title), html(Array(paragraphs.dropLast()).map(fullWidth), indent: true, image: false,
                                                      trailer: "<p>（文章来源：新华财经）</p><p>责任编辑：王五</p>")),
    ]

    /// A follow-up: new paragraphs, then the earlier story's lead quoted.
    static let followUp = (
        "追踪｜" + title,
        html([
            "新华财经北京12月2日电 记者2日从中国人民银行获悉，首批9项科技创新举措已于当日落地，涉及再贷款额度5000亿元，覆盖企业1200余家，市场反应积极。",
            "广发证券研究报告认为，相关配套措施将陆续出台，消费电子与机器人方向企业盈利预期有所改善，创新药板块成交活跃度有所提升，外资持续流入。",
            "此前报道，" + paragraphs[0],
        ], image: false))

    /// A flash item and its template twin with other figures (and sector).
    static let flash = ("沪指收涨0.5% 新能源板块走强", "<p>新华财经北京12月1日电 上证指数收涨0.5%，报3050.12点，新能源板块走强。</p>")
    static let flashTwin = ("沪指收涨0.8% 医药板块走强", "<p>新华财经北京12月1日电 上证指数收涨0.8%，报3062.40点，医药板块走强。</p>")
    static let flashSameSector = ("沪指收涨0.8% 新能源板块走强", "<p>新华财经北京12月1日电 上证指数收涨0.8%，报3062.40点，新能源板块走强。</p>")

    /// A daily column: the same headline, the next day's text.
    static let column = ("每日收评：结构性机会仍然值得关注", html([
        "新华财经北京12月1日电 截至收盘，上证指数上涨0.85%，报3092.59点，成交额8966亿元，半导体板块走强，机器人概念股活跃。",
        "分析人士指出，短期震荡格局或将延续，结构性机会仍然值得关注，中长期资金入市节奏有望加快。",
    ], image: false))
    static let columnNextDay = ("每日收评：结构性机会仍然值得关注", html([
        "新华财经北京12月2日电 截至收盘，上证指数下跌0.42%，报3079.61点，成交额7712亿元，银行板块走强，煤炭股回落。",
        "分析人士指出，短期震荡格局或将延续，结构性机会仍然值得关注，市场风险偏好有望逐步修复。",
    ], image: false))
}
