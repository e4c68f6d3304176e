import FeedModel
import FeedRender
import FeedTestSupport
import Foundation
import Testing
import Yams

@Suite("Jekyll posts in the old site's format")
struct JekyllPostTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let site = JekyllSite(url: "//finews.withounder.com/",
                                 shareLink: "http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}", timezone: zone)
    static let xinhua = Category(name: "新华财经", slug: Slug.derive(from: "新华财经").slug)
    static let rolling = Category(name: "东财滚动新闻", slug: Slug(validating: "emnews")!)
    static let sampleName = "2021-12-29-NW202112292229992448.md"
    /// 2021-12-29 15:06:00 +0800.
    static let sampleDate = Date(timeIntervalSince1970: 1_640_761_560)

    static var sample: String { Fixtures.text("jekyll/" + sampleName) }

    /// The sample's body as the old system wrote it: between the front matter and the share link.
    static var sampleBody: String {
        let text = sample
        let start = text.range(of: "---\n", range: text.index(after: text.startIndex)..<text.endIndex)!.upperBound
        let end = text.range(of: "\n\n<http://")!.lowerBound
        return String(text[start..<end])
    }

    static func item(title: String = "截至11月底工行制造业贷款余额超过2万亿元 着重助力“专精特新”企业成长",
                     body: String = sampleBody, outlet: String? = "新华财经",
                     categories: [Category] = [xinhua, rolling], published: Date = sampleDate) -> Item {
        Item(infoCode: InfoCode("NW202112292229992448")!, title: title, summary: "", body: body, link: nil, outlet: outlet,
             published: published, updated: published, categories: categories)
    }

    @Test("the sample's article renders to the sample file, byte for byte, under the same name")
    func sampleBytes() throws {
        let post = try #require(JekyllPost(item: Self.item(), listCategories: ["东财滚动新闻"]))
        #expect(post.fileName(in: Self.zone) == Self.sampleName)
        let rendered = post.render(for: Self.site)
        #expect(Array(rendered.utf8) == Fixtures.bytes("jekyll/" + Self.sampleName))
        #expect(!rendered.hasSuffix("\n"), "the old posts end right after the back links")
    }

    @Test("the file name's day and the date line are in the site's zone")
    func zoneOfDay() throws {
        // 16:30 UTC on the 28th is 00:30 on the 29th in Beijing.
        let late = Date(timeIntervalSince1970: 1_640_709_000)
        let post = try #require(JekyllPost(item: Self.item(published: late), listCategories: []))
        #expect(post.fileName(in: Self.zone) == Self.sampleName)
        #expect(post.render(for: Self.site).contains("\ndate: 2021-12-29 00:30:00 +0800\n"))
        #expect(post.fileName(in: TimeZone(identifier: "UTC")!) == "2021-12-28-NW202112292229992448.md")
    }

    struct Pick: Sendable, CustomStringConvertible {
        let description: String
        let outlet: String?
        let categories: [Category]
        let expected: String?
    }

    static let markets = Category(name: "市场", slug: Slug(validating: "shichang")!)

    @Test("which category a post is filed under", arguments: [
        Pick(description: "the one named like the outlet", outlet: "新华财经", categories: [rolling, markets, xinhua], expected: "新华财经"),
        Pick(description: "no outlet: the first non-list category by slug", outlet: nil, categories: [xinhua, rolling, markets], expected: "市场"),
        Pick(description: "outlet names no category: the first non-list one", outlet: "东方财富", categories: [rolling, xinhua], expected: "新华财经"),
        Pick(description: "only list categories: the first", outlet: "东方财富", categories: [rolling], expected: "东财滚动新闻"),
        Pick(description: "none: no post", outlet: "新华财经", categories: [], expected: nil),
    ])
    func categoryPick(_ p: Pick) {
        let item = Self.item(outlet: p.outlet, categories: p.categories)
        #expect(JekyllPost.category(for: item, listCategories: ["东财滚动新闻"])?.name == p.expected)
        #expect(JekyllPost(item: item, listCategories: ["东财滚动新闻"])?.category.name == p.expected)
    }

    @Test("tags and back link: the name and 新闻, not doubled")
    func tags() throws {
        let post = try #require(JekyllPost(item: Self.item(categories: [Self.rolling]), listCategories: []))
        let text = post.render(for: Self.site)
        #expect(text.contains("\ncategories: emnews\ntags: 东财滚动新闻\n"))
        #expect(text.hasSuffix("[返回东财滚动新闻](//finews.withounder.com/category/emnews.html)｜[返回首页](//finews.withounder.com/)"))
    }

    static let titles = [
        "他说\"不\"行", #"C:\new\table"#, "\\", "\"", "\"\"\"", "标题: 副标题", "标题:副标题", "#话题 开头", "标题 # 不是注释",
        "- 列表开头", "-1", "? 问号", "emoji 📈🚀 涨", "'单引号'", "  前后空格  ", "行一\n行二", "制表\t符", "null", "~", "123",
        "0x1F", "2021-12-29", "true", "No", "[数组]", "{映射: 值}", "&anchor *alias", "%百分号", "@at", "`反引号`",
        "|竖线", ">大于", "!标签", "行\u{2028}分隔", "下一行\u{85}NEL", "铃\u{7}声", "删\u{7F}除", "\u{FEFF}BOM", "中\u{FEFF}间",
        "截至11月底工行制造业贷款余额超过2万亿元 着重助力“专精特新”企业成长", "",
    ]

    @Test("titles survive a YAML round trip", arguments: titles)
    func titleRoundTrip(_ title: String) throws {
        let text = try #require(JekyllPost(item: Self.item(title: title), listCategories: [])).render(for: Self.site)
        let parts = text.components(separatedBy: "\n---\n")
        let frontMatter = try #require(parts.first.map { String($0.dropFirst(4)) }) // "---\n"
        let yaml = try #require(try Yams.load(yaml: frontMatter) as? [String: Any])
        // The one deliberate change: an invisible byte order mark is dropped.
        #expect(yaml["title"] as? String == title.replacingOccurrences(of: "\u{FEFF}", with: ""))
        #expect(yaml["layout"] as? String == "post")
        #expect(yaml["categories"] as? String == "xinhuacaijing")
        #expect(yaml["tags"] as? String == "新华财经新闻")
        #expect(frontMatter.split(separator: "\n").count == 5, "a title never spills onto another line")
    }

    @Test("only titles that need escapes get them; plain CJK stays as the old posts had it")
    func quoting() {
        #expect(JekyllPost.yamlQuoted("新华财经新闻", onlyIfNeeded: true) == "新华财经新闻")
        #expect(JekyllPost.yamlQuoted("新华财经新闻") == "\"新华财经新闻\"")
        #expect(JekyllPost.yamlQuoted("A: B", onlyIfNeeded: true) == "\"A: B\"")
        #expect(JekyllPost.yamlQuoted("yes", onlyIfNeeded: true) == "\"yes\"")
        #expect(JekyllPost.yamlQuoted("他说\"不\"\\") == #""他说\"不\"\\""#)
        #expect(JekyllPost.yamlQuoted("a\u{1}b") == #""a\x01b""#)
    }

    @Test("upstream text cannot become Markdown or HTML: the summary in a <p>, the back link's name escaped, the code percent-encoded")
    func hostileText() throws {
        var item = Self.item(body: "", categories: [Category(name: "[x](javascript:alert(1)) <b>", slug: Slug(validating: "x")!)])
        item.summary = "[x](javascript:alert(1)) <img src=x onerror=alert(1)> *em*"
        item.infoCode = InfoCode("NW1><script>")!
        let text = try #require(JekyllPost(item: item, listCategories: [])).render(for: Self.site)
        #expect(text.contains("\n<p>[x](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt; *em*</p>\n"))
        #expect(text.contains("[返回\\[x\\]\\(javascript:alert\\(1\\)\\) &lt;b&gt;新闻](//finews.withounder.com/category/x.html)"))
        #expect(text.contains("<http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW1%3E%3Cscript%3E>"))
    }
}
