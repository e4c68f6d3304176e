import FeedConfig
@testable import FeedSources
import FeedTestSupport
import Foundation
import Testing

/// `type: html` and `full_text`: lists and article pages in UTF-8 and GBK,
/// read with XPath 1.0 over loopback.
@Suite("type: html list sources and full_text article pages")
struct HTMLListSourceTests {
    static let utf8Kind = """
        category: 中国证券报
        items: '//ul[@class="list"]/li'
        fields: {title: 'a', link: 'a/@href', date: 'span[@class="time"]'}
        body: {xpath: '//div[@id="ContentBody"]'}
        id: 'NW\\d{18}'
        """
    static let gbkKind = """
        category: 证券时报
        items: '//div[@id="news"]/dl'
        fields: {title: 'dt/a', link: 'string(dt/a/@href)', date: 'normalize-space(dd)'}
        body: {xpath: '//div[@class="txt_con"]/p'}
        """

    /// Article pages at the paths the list pages link to.
    static func world() throws -> FeedFixtureWorld {
        let article = FeedFixtureWorld.fixture("pages/article-utf8.html") ?? []
        let gbk = FeedFixtureWorld.fixture("pages/article-gbk.html") ?? []
        return try FeedFixtureWorld(extraRoutes: [
            "/article/NW202112292229990101.html": .file(article, contentType: "text/html; charset=utf-8"),
            "/pages/article/NW202112292229990102.html": .file(article, contentType: "text/html"),
            // GBK pages: one says so in HTTP, the other only in <meta>.
            "/gbk/NW202112292229990201.html": .file(gbk, contentType: "text/html; charset=GBK"),
            "/gbk/NW202112292229990202.html": .file(gbk, contentType: "text/html"),
        ])
    }

    @Test("a UTF-8 list: titles, links resolved against the page, dates, codes from the link")
    func utf8List() async throws {
        let world = try Self.world()
        let source = try world.source(type: "html", url: world.base + "/pages/list-utf8.html", name: "cs-com", Self.utf8Kind)
        let (items, warnings) = try await FeedFixtureWorld.listed(source)
        #expect(items.map(\.infoCode.rawValue) == ["NW202112292229990101", "NW202112292229990102", "NW202112292229990103"])
        #expect(items.map(\.title) == ["央行：保持流动性合理充裕", "证监会 & 交易所 发布新规", "跨站链接的文章"])
        #expect(items.map(\.link) == [world.base + "/article/NW202112292229990101.html?spm=list.1",
                                      world.base + "/pages/article/NW202112292229990102.html",
                                      "http://other.example.cn/NW202112292229990103.html"])
        #expect(items[0].published == iso("2021-12-29T15:06:00+08:00"))
        #expect(items[1].published == iso("2021-12-29T14:30:00+08:00"))
        #expect(items[2].published == nil)
        #expect(items.allSatisfy { $0.categoryNames == ["中国证券报"] })
        #expect(warnings.contains { $0.contains("'cs-com'") && $0.contains("item 3 has no title") })
        #expect(warnings.contains { $0.contains("1 item has an unreadable date") && $0.contains("刚刚") })
    }

    @Test("a GBK list, with and without the charset in HTTP", arguments: [false, true])
    func gbkList(withCharset: Bool) async throws {
        let world = try Self.world()
        let url = world.base + "/pages/list-gbk.html" + (withCharset ? "?charset=gbk" : "")
        let source = try world.source(type: "html", url: url, name: "stcn", Self.gbkKind)
        let (items, _) = try await FeedFixtureWorld.listed(source)
        #expect(items.map(\.title) == ["两市成交额突破万亿元", "北向资金净买入52亿元"])
        #expect(items[0].link == world.base + "/gbk/NW202112292229990201.html")
        #expect(items[0].published == iso("2021-12-29T11:40:00+08:00"))
        // No `id` pattern: the link is the code.
        #expect(items[0].infoCode.rawValue == world.base + "/gbk/NW202112292229990201.html")
    }

    @Test("bodies: the XPath node of the linked page, UTF-8 and GBK", arguments: [0, 1])
    func bodies(index: Int) async throws {
        let world = try Self.world()
        let utf8 = try world.source(type: "html", url: world.base + "/pages/list-utf8.html", Self.utf8Kind)
        let (items, _) = try await FeedFixtureWorld.listed(utf8)
        let body = try #require(try await utf8.body(for: items[index]))
        #expect(body.contains("中国人民银行29日表示，将保持流动性合理充裕。"))
        #expect(body.contains("<img src=\"/img/chart.png\""))
        #expect(body.contains("（文章来源：中国证券报）"))
        #expect(!body.contains("网站导航") && !body.contains("ContentBody"))

        let gbk = try world.source(type: "html", url: world.base + "/pages/list-gbk.html", Self.gbkKind)
        let (gbkItems, _) = try await FeedFixtureWorld.listed(gbk)
        let gbkBody = try #require(try await gbk.body(for: gbkItems[index]))
        // Several <p> matched: each whole, in order.
        #expect(gbkBody.hasPrefix("<p>　　沪深两市成交额连续第50个交易日突破1万亿元。</p>"))
        #expect(gbkBody.contains("<p>　　分析人士认为，市场活跃度保持较高水平。</p>"))
    }

    @Test("`items` matching nothing is an error naming the source")
    func zeroItems() async throws {
        let world = try Self.world()
        let kind = Self.utf8Kind.replacingOccurrences(of: "//ul[@class=\"list\"]/li", with: "//ul[@class=\"news\"]/li")
        let source = try world.source(type: "html", url: world.base + "/pages/list-utf8.html", name: "cs-com", kind)
        let error = await #expect(throws: SourceError.self) { try await source.poll(conditional: nil) }
        #expect(error?.description.contains("source 'cs-com'") == true)
        #expect(error?.description.contains("items matched 0 nodes: check `items`") == true)
    }

    @Test("an XPath that is not XPath 1.0 is an error naming the key")
    func invalidXPath() async throws {
        let world = try Self.world()
        let kind = Self.utf8Kind.replacingOccurrences(of: "{title: 'a',", with: "{title: 'a[',")
        let source = try world.source(type: "html", url: world.base + "/pages/list-utf8.html", name: "cs-com", kind)
        let error = await #expect(throws: SourceError.self) { try await source.poll(conditional: nil) }
        #expect(error?.description.contains("`fields.title` is not a valid XPath 1.0 expression") == true)
    }

    @Test("a body XPath matching nothing fails that body, naming the key")
    func zeroBody() async throws {
        let world = try Self.world()
        let kind = Self.utf8Kind.replacingOccurrences(of: "//div[@id=\"ContentBody\"]", with: "//div[@id=\"Missing\"]")
        let source = try world.source(type: "html", url: world.base + "/pages/list-utf8.html", name: "cs-com", kind)
        let (items, _) = try await FeedFixtureWorld.listed(source)
        let error = await #expect(throws: SourceError.self) { _ = try await source.body(for: items[0]) }
        #expect(error?.description.contains("`body.xpath` matched 0 nodes") == true)
        #expect(error?.description.contains("source 'cs-com'") == true)
    }

    @Test("full_text: a feed's item body comes from its page; without a link, from the feed")
    func fullText() async throws {
        let world = try Self.world()
        let feed = """
            <?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
            <item><title>有链接</title><link>/article/NW202112292229990101.html</link><description>摘要</description></item>
            <item><title>无链接</title><guid>no-link</guid><description>只有摘要</description></item>
            </channel></rss>
            """
        world.server.set("/full.xml", .file(Array(feed.utf8), contentType: "application/rss+xml"))
        let kind = "category: 测试\nid: 'NW\\d{18}'\nfull_text: {xpath: '//div[@id=\"ContentBody\"]'}"
        let source = try world.source(type: "feed", url: world.base + "/full.xml", kind)
        let (items, _) = try await FeedFixtureWorld.listed(source)
        #expect(items[0].infoCode.rawValue == "NW202112292229990101")
        let body = try #require(try await source.body(for: items[0]))
        #expect(body.contains("中国人民银行29日表示"))
        #expect(try await source.body(for: items[1]) == "只有摘要")
    }
}
