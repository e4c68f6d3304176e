import FeedConfig
@testable import FeedSources
import FeedTestSupport
import Foundation
import Testing

/// Every feed fixture, served twice over loopback (with a charset in the
/// Content-Type and without one), read by `type: feed` with
/// `category_from: item` and `category: 测试` for items that carry none.
@Suite("type: feed — the fixture corpus, each format and each breakage")
struct FeedCorpusTests {
    typealias Check = @Sendable (_ items: [UpstreamItem], _ warnings: [String], _ base: String) -> Void

    struct Case: Sendable, CustomStringConvertible {
        let file: String
        /// The charset sent in the "with charset" variant (the true one).
        let charset: String
        let format: FeedFormat
        let count: Int
        let check: Check
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "rss20-basic.xml", charset: "utf-8", format: .rss, count: 2) { items, warnings, _ in
            let a = items[0]
            #expect(a.infoCode.rawValue == "xinhua-1001")
            #expect(a.title == "央行开展1000亿元逆回购操作")
            #expect(a.link == "http://www.example.cn/2021-12/29/c_1001.htm")
            #expect(a.published == iso("2021-12-29T09:20:00+08:00"))
            #expect(a.categoryNames == ["央行"])
            #expect(a.summary == "央行今日开展1000亿元7天期逆回购操作。")
            #expect(a.inlineBody == "<p>　　央行今日开展1000亿元7天期逆回购操作，中标利率2.20%。</p><p>&nbsp;</p>")
            #expect(items[1].categoryNames == ["测试"])
            #expect(items[1].inlineBody == "<p>人民币对美元汇率中间价报6.3692。</p>")
            #expect(items[1].summary == nil)
            #expect(warnings.isEmpty)
        },
        Case(file: "rss20-no-guid.xml", charset: "utf-8", format: .rss, count: 2) { items, _, _ in
            #expect(items.map(\.infoCode.rawValue) == ["https://www.example.com/news/2021/1229/a1.html?id=7",
                                                       "https://www.example.com/news/2021/1229/a2.html"])
            #expect(items[0].link?.contains("utm_source=rss") == true) // the link itself is kept as published
        },
        Case(file: "rss20-title-only.xml", charset: "utf-8", format: .rss, count: 2) { items, _, _ in
            #expect(items.allSatisfy { $0.infoCode.rawValue.hasPrefix("h-") && $0.infoCode.rawValue.count == 18 })
            #expect(items[0].infoCode != items[1].infoCode) // same title, other date
            #expect(items[0].link == nil && items[0].inlineBody == nil)
        },
        Case(file: "rss20-html-entities.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].title == "“专精特新”企业——融资提速 R&D投入…")
            #expect(items[0].link == "http://www.example.cn/a.php?id=3&page=1")
            #expect(items[0].inlineBody == "<p>正文\u{A0}©\u{A0}中&&unknownentity; 结束</p>")
        },
        Case(file: "rss20-bom-whitespace.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "bom-1")
            #expect(items[0].title == "沪深交易所发布年度业务规则")
        },
        Case(file: "rss20-gbk.xml", charset: "gbk", format: .rss, count: 1) { items, warnings, _ in
            #expect(items[0].title == "证监会：推进注册制改革平稳落地")
            #expect(items[0].inlineBody == "中国证券报记者获悉，证监会将稳步推进全面注册制改革。")
            #expect(warnings.isEmpty)
        },
        Case(file: "rss20-declared-utf8-is-gbk.xml", charset: "gbk", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "gbk-declared-utf8-1")
            #expect(items[0].title == "证监会：推进注册制改革平稳落地")
        },
        Case(file: "rss20-declared-gb2312-is-utf8.xml", charset: "utf-8", format: .rss, count: 1) { items, warnings, _ in
            #expect(items[0].title == "十年期国债收益率下行至2.78%")
            #expect(items[0].inlineBody?.contains("債券「收益率」€") == true)
            #expect(warnings.isEmpty)
        },
        Case(file: "rss20-utf16.xml", charset: "utf-16", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "utf16-1")
            #expect(items[0].title == "UTF-16 编码的订阅源")
        },
        Case(file: "atom10-latin1.xml", charset: "iso-8859-1", format: .atom10, count: 1) { items, _, _ in
            #expect(items[0].title == "Café crème")
            #expect(items[0].inlineBody == "<p>Naïve résumé</p>")
        },
        Case(file: "rss20-cdata-everywhere.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            let a = items[0]
            #expect(a.title == "稳增长政策 <加码> & 发力")
            #expect(a.link == "http://www.example.cn/cdata/1.html?a=1&b=2")
            #expect(a.infoCode.rawValue == "cdata-1")
            #expect(a.published == iso("2021-12-29T12:00:00+08:00"))
            #expect(a.categoryNames == ["宏观"])
            #expect(a.inlineBody == "<p>正文 &amp; 内容 &nbsp;</p>")
        },
        Case(file: "rss20-relative-links.xml", charset: "utf-8", format: .rss, count: 3) { items, _, base in
            #expect(items[0].link == base + "/news/rel-1.html")
            #expect(items[1].link == "http://base.example.cn/column/rel-2.html")
            #expect(items[2].link?.hasPrefix(base + "/feeds/") == true)
            #expect(items[2].link?.contains(" ") == false)
            #expect(items[0].infoCode.rawValue == base + "/news/rel-1.html")
        },
        Case(file: "rss20-date-mistakes.xml", charset: "utf-8", format: .rss, count: 9) { items, warnings, _ in
            for item in items.prefix(7) { #expect(item.published == iso("2021-12-29T15:06:00+08:00"), "\(item.title)") }
            #expect(items[7].published == nil && items[8].published == nil)
            let dateWarnings = warnings.filter { $0.contains("unreadable date") }
            #expect(dateWarnings.count == 1)
            #expect(dateWarnings.first?.contains("2 items") == true)
            #expect(dateWarnings.first?.contains("'test-source'") == true)
        },
        Case(file: "rss20-categories.xml", charset: "utf-8", format: .rss, count: 3) { items, _, _ in
            #expect(items[0].categoryNames == ["新华财经", "证券时报"])
            #expect(items[1].categoryNames == ["中国证券报"])
            #expect(items[2].categoryNames == ["测试"])
        },
        Case(file: "rss20-dc.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].published == iso("2021-12-29T15:06:00+08:00"))
            #expect(items[0].categoryNames == ["债券"])
            #expect(items[0].infoCode.rawValue == "http://www.example.cn/dc/1.html")
        },
        Case(file: "rss091-netscape.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].title == "旧格式 的条目")
            #expect(items[0].inlineBody == "0.91 没有 guid 和 pubDate…")
            #expect(items[0].published == nil)
        },
        Case(file: "rss092-no-titles.xml", charset: "utf-8", format: .rss, count: 1) { items, warnings, _ in
            #expect(items[0].title.hasPrefix("只有描述没有标题的条目"))
            #expect(items[0].title.hasSuffix("…") && items[0].title.count == 61)
            #expect(warnings.contains { $0.contains("item 1 has no title") })
        },
        Case(file: "rss20-raw-html-description.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            #expect(items[0].inlineBody == "<p>第一段<br/>换行</p><p class=\"em_media\">（文章来源：新华财经）</p><div></div>")
        },
        Case(file: "rss20-broken-markup.xml", charset: "utf-8", format: .rss, count: 2) { items, warnings, _ in
            #expect(items[0].title == "第一条完好")
            #expect(warnings.contains { $0.contains("not well-formed") && $0.contains("recovered") })
        },
        Case(file: "rss20-control-chars.xml", charset: "utf-8", format: .rss, count: 1) { items, warnings, _ in
            #expect(items[0].title == "标题里有垂直制表符")
            #expect(items[0].inlineBody == "<p>正文里有控制字符</p>")
            #expect(warnings.contains { $0.contains("removed 3 control character(s)") })
        },
        Case(file: "rss20-infocodes.xml", charset: "utf-8", format: .rss, count: 3) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "http://finance.example.com/a/NW202112292229992448.html")
            #expect(items[1].infoCode.rawValue == "http://finance.example.com/a/NW202112292229990777.html")
        },
        Case(file: "rss20-guid-not-permalink.xml", charset: "utf-8", format: .rss, count: 2) { items, _, _ in
            #expect(items[0].link == "http://www.example.cn/permalink/1.html")
            #expect(items[1].link == "http://www.example.cn/alt/2.html")
            #expect(items[1].infoCode.rawValue == "http://www.example.cn/not-a-link/2")
        },
        Case(file: "rss20-empty.xml", charset: "utf-8", format: .rss, count: 0) { _, warnings, _ in
            #expect(warnings.isEmpty)
        },
        Case(file: "rdf-rss10.xml", charset: "utf-8", format: .rdf, count: 2) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "http://www.example.cn/rdf/1.html")
            #expect(items[0].inlineBody == "<p>RDF 正文</p>")
            #expect(items[0].summary == "RDF 描述")
            #expect(items[0].categoryNames == ["宏观"])
            #expect(items[0].published == iso("2021-12-29T15:06:00+08:00"))
        },
        Case(file: "rdf-rss090.xml", charset: "utf-8", format: .rdf, count: 1) { items, _, _ in
            #expect(items[0].title == "最早的 RSS")
            #expect(items[0].infoCode.rawValue == "http://www.example.cn/090/1.html")
        },
        Case(file: "atom10-basic.xml", charset: "utf-8", format: .atom10, count: 2) { items, _, _ in
            let a = items[0]
            #expect(a.infoCode.rawValue == "tag:example.cn,2021:atom-1")
            #expect(a.link == "http://www.example.cn/atom/1.html")
            #expect(a.published == iso("2021-12-29T15:06:00+08:00"))
            #expect(a.categoryNames == ["股市", "创业板"])
            #expect(a.summary == "创业板指收涨。")
            #expect(a.inlineBody == "<p>创业板指收涨1.2%，成交额放大。</p>")
            #expect(items[1].published == iso("2021-12-29T14:00:00Z"))
            #expect(items[1].link == "http://www.example.cn/atom/2.html")
            #expect(items[1].inlineBody == "<p>CDATA 里的 HTML</p>")
        },
        Case(file: "atom10-xhtml.xml", charset: "utf-8", format: .atom10, count: 1) { items, _, _ in
            #expect(items[0].title == "融资 提速 & 扩面")
            #expect(items[0].inlineBody == "<p>第一段 &lt;原文&gt;</p><p><img src=\"/img/1.png\" alt=\"图\"/><br/></p>")
        },
        Case(file: "atom10-xml-base.xml", charset: "utf-8", format: .atom10, count: 3) { items, _, _ in
            #expect(items.map(\.link) == ["http://base.example.cn/articles/1.html", "http://base.example.cn/column/2.html",
                                          "http://other.example.cn/x/3.html"])
        },
        Case(file: "atom10-text-types.xml", charset: "utf-8", format: .atom10, count: 2) { items, _, _ in
            #expect(items[0].title == "加粗 与 & 符号")
            #expect(items[0].inlineBody == "纯文本 &lt;不是标签&gt; &amp; 符号")
            #expect(items[1].title == "<b>看起来像标签的文字</b>")
            #expect(items[1].inlineBody == "<p>摘要</p>")
        },
        Case(file: "atom10-no-id.xml", charset: "utf-8", format: .atom10, count: 1) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "https://www.example.cn/noid/1.html")
        },
        Case(file: "atom03.xml", charset: "utf-8", format: .atom03, count: 2) { items, _, _ in
            #expect(items[0].inlineBody == "<p>转义的 HTML</p>")
            #expect(items[0].published == iso("2021-12-29T15:06:00+08:00"))
            #expect(items[1].inlineBody == "<p>Base64 正文</p>")
            #expect(items[1].published == iso("2021-12-29T14:06:00+08:00"))
        },
        Case(file: "jsonfeed-10.json", charset: "utf-8", format: .jsonFeed, count: 2) { items, _, base in
            #expect(items[0].infoCode.rawValue == "json10-1")
            #expect(items[0].categoryNames == ["基金", "公募"])
            #expect(items[0].inlineBody == "<p>JSON 正文</p>")
            #expect(items[0].summary == "JSON 摘要")
            #expect(items[1].link == base + "/json/2.html")
            #expect(items[1].inlineBody == "纯文本 &lt;正文&gt; &amp; 符号")
            #expect(items[1].published == iso("2021-12-29T07:00:00Z"))
        },
        Case(file: "jsonfeed-11.json", charset: "utf-8", format: .jsonFeed, count: 1) { items, _, _ in
            #expect(items[0].infoCode.rawValue == "https://www.example.cn/json11/1.html")
            #expect(items[0].link == "https://www.example.cn/json11/1.html")
            #expect(items[0].categoryNames == ["新华财经"])
            #expect(items[0].published == iso("2021-12-29T15:06:00+08:00"))
        },
        Case(file: "jsonfeed-numeric-ids.json", charset: "utf-8", format: .jsonFeed, count: 2) { items, _, _ in
            #expect(items.map(\.infoCode.rawValue) == ["20211229001", "https://www.example.cn/n/2.html"])
        },
        Case(file: "hostile-external-dtd.xml", charset: "utf-8", format: .rss, count: 1) { items, _, _ in
            // The external DTD is never loaded; its entity stays unexpanded text.
            #expect(items[0].title == "外部 DTD 不被读取 &secret;")
        },
    ]

    static let kind = "category: 测试\ncategory_from: item"

    @Test("read through FeedSource, with and without a charset header", arguments: cases, [false, true])
    func corpus(_ c: Case, withCharset: Bool) async throws {
        let world = FeedFixtureWorld.shared
        let url = world.base + "/feeds/" + c.file + (withCharset ? "?charset=" + c.charset : "")
        let source = try world.source(type: "feed", url: url, Self.kind)
        let (items, warnings) = try await FeedFixtureWorld.listed(source)
        #expect(items.count == c.count, "\(items.map(\.title)) \(warnings)")
        guard items.count == c.count else { return }
        c.check(items, warnings, world.base)
    }

    @Test("the format is detected from the document", arguments: cases)
    func format(_ c: Case) throws {
        let bytes = try #require(FeedFixtureWorld.fixture("feeds/" + c.file))
        #expect(try FeedParser.parse(bytes, url: "http://example.cn/feed", contentType: nil).format == c.format)
    }

    @Test("the corpus holds at least 30 feeds")
    func corpusSize() throws {
        let folder = Fixtures.url("atom.rng").deletingLastPathComponent().appendingPathComponent("feeds")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).count >= 30)
        #expect(Self.cases.count >= 30)
    }

    @Test("a fallback charset is noted when the declared one does not fit the bytes")
    func charsetNote() async throws {
        let world = FeedFixtureWorld.shared
        let source = try world.source(type: "feed", url: world.base + "/feeds/rss20-declared-utf8-is-gbk.xml", Self.kind)
        let (_, warnings) = try await FeedFixtureWorld.listed(source)
        #expect(warnings.contains { $0.contains("declared charset does not fit") })
    }

    @Test("an HTML page where a feed should be is an error naming the source")
    func notAFeed() async throws {
        let world = FeedFixtureWorld.shared
        let source = try world.source(type: "feed", url: world.base + "/feeds/not-a-feed.html", name: "wrong-url", Self.kind)
        let error = await #expect(throws: SourceError.self) { try await source.poll(conditional: nil) }
        #expect(error?.description.contains("source 'wrong-url'") == true)
        #expect(error?.description.contains("not a feed") == true)
        #expect(error?.description.contains("<html>") == true)
    }

    @Test("a second poll with the validators is a 304")
    func conditional() async throws {
        let world = FeedFixtureWorld.shared
        let source = try world.source(type: "feed", url: world.base + "/feeds/rss20-basic.xml", Self.kind)
        guard case .listed(_, let validators, _) = try await source.poll(conditional: nil) else {
            Issue.record("first poll was not listed"); return
        }
        guard case .notModified = try await source.poll(conditional: validators) else {
            Issue.record("second poll was not a 304"); return
        }
    }
}
