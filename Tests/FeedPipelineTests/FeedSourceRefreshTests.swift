import FeedConfig
import FeedModel
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

/// `type: feed` and `type: html` through the whole pipeline, beside the JSON APIs.
@Suite("feedd refresh with feed and page sources, end to end over loopback")
struct FeedSourceRefreshTests {
    static let shared = "NW202112292229992448"
    static let feedOnly = "NW202112292229990777"

    /// The infocodes fixture with its links on the fixture server, and article pages for them.
    static func serveFeed(_ h: PipelineHarness) {
        let folder = Fixtures.url("atom.rng").deletingLastPathComponent()
        let feed = (try? String(contentsOf: folder.appendingPathComponent("feeds/rss20-infocodes.xml"), encoding: .utf8)) ?? ""
        let article = [UInt8]((try? Data(contentsOf: folder.appendingPathComponent("pages/article-utf8.html"))) ?? Data())
        h.api.server.set("/feeds/em.xml", .file(Array(feed.replacingOccurrences(of: "http://finance.example.com", with: h.api.base).utf8),
                                                contentType: "application/rss+xml"))
        for path in ["/a/\(shared).html", "/a/\(feedOnly).html", "/about.html"] {
            h.api.server.set(path, .file(article, contentType: "text/html; charset=utf-8"))
        }
    }

    func feedSource(_ h: PipelineHarness) -> String {
        """
          - name: em-rss
            type: feed
            url: \(h.api.base)/feeds/em.xml
            category: 东方财富
            id: 'NW\\d{18}'
            full_text: {xpath: '//div[@id="ContentBody"]'}

        """
    }

    /// Body requests for one code, on either route: the JSON body endpoint or the article page.
    func bodyRequests(_ h: PipelineHarness, _ code: String) -> Int {
        h.api.bodyRequests.filter { $0.target.hasSuffix(code) }.count + h.api.server.requests(to: "/a/\(code).html").count
    }

    @Test("the same info code from a feed and a JSON list is one item, with one body request")
    func crossTypeDedup() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        Self.serveFeed(h)
        let config = try h.config(["market"], extra: feedSource(h))
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        #expect(bodyRequests(h, Self.shared) == 1)
        #expect(bodyRequests(h, Self.feedOnly) == 1)

        let all = try h.feed("all", "rss")
        let guids = all.strings("/rss/channel/item/guid")
        #expect(guids.filter { $0 == Self.shared }.count == 1)
        #expect(guids.contains(Self.feedOnly))
        #expect(Set(guids).count == guids.count)
        let categories = all.strings("/rss/channel/item[guid='\(Self.shared)']/category")
        #expect(Set(categories) == ["新华财经", "东方财富"])
        #expect(try h.feed("dongfangcaifu", "rss").strings("/rss/channel/item/guid").contains(Self.shared))

        // The pattern missed on the about page: it is kept under its guid, with a warning.
        let em = try #require(report.sources.first { $0.name == "em-rss" })
        #expect(em.warnings.contains { $0.contains("`id` matched nothing in 1 item") })
        #expect(guids.contains("about-page"))
    }

    @Test("full_text pages are fetched once per new item: a second refresh fetches none")
    func fullTextOnlyForNewItems() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        Self.serveFeed(h)
        let config = try h.config([], extra: feedSource(h))
        let first = try await h.pipeline(config).refresh(config.sources)
        #expect(first.sources[0].new == 3, "\(first.sources.map(\.line))")
        let body = try h.feed("all", "rss").strings("/rss/channel/item[guid='\(Self.feedOnly)']/description")
        #expect(body.first?.contains("中国人民银行29日表示") == true)

        h.api.server.clearLog()
        // A changed feed (new ETag, so a 200 and a parse) listing the same codes: no page is fetched.
        let folder = Fixtures.url("atom.rng").deletingLastPathComponent()
        let feed = (try? String(contentsOf: folder.appendingPathComponent("feeds/rss20-infocodes.xml"), encoding: .utf8)) ?? ""
        let changed = feed.replacingOccurrences(of: "http://finance.example.com", with: h.api.base) + "<!-- changed -->"
        h.api.server.set("/feeds/em.xml", .file(Array(changed.utf8), contentType: "application/rss+xml"))
        let second = try await h.pipeline(config).refresh(config.sources)
        #expect(second.sources[0].status == .ok && second.sources[0].new == 0 && second.sources[0].unchanged == 3,
                "\(second.sources.map(\.line))")
        #expect(h.api.server.requests(to: "/feeds/em.xml").count == 1)
        #expect(h.api.server.requests.filter { $0.path.hasPrefix("/a/") || $0.path == "/about.html" }.isEmpty)
    }

    @Test("an HTML list source lands in its category beside the JSON items")
    func htmlList() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let folder = Fixtures.url("atom.rng").deletingLastPathComponent()
        // The off-site link points at this server instead, where it is missing: no test touches the network.
        let list = ((try? String(contentsOf: folder.appendingPathComponent("pages/list-utf8.html"), encoding: .utf8)) ?? "")
            .replacingOccurrences(of: "http://other.example.cn/", with: h.api.base + "/missing/")
        let article = [UInt8]((try? Data(contentsOf: folder.appendingPathComponent("pages/article-utf8.html"))) ?? Data())
        h.api.server.set("/list.html", .file(Array(list.utf8), contentType: "text/html"))
        h.api.server.set("/article/NW202112292229990101.html", .file(article, contentType: "text/html"))
        h.api.server.set("/article/NW202112292229990102.html", .file(article, contentType: "text/html"))
        let extra = """
              - name: cs-com
                type: html
                url: \(h.api.base)/list.html
                items: '//ul[@class="list"]/li'
                fields: {title: 'a', link: 'a/@href', date: 'span[@class="time"]'}
                body: {xpath: '//div[@id="ContentBody"]'}
                id: 'NW\\d{18}'
                category: 中国证券报

            """
        let config = try h.config(["market"], extra: extra)
        let report = try await h.pipeline(config).refresh(config.sources)
        let cs = try #require(report.sources.first { $0.name == "cs-com" })
        // The third item's page is missing: its body fails, the item waits for the next poll.
        #expect(cs.new == 2 && cs.errors >= 1, "\(cs.line) \(cs.warnings)")
        #expect(cs.warnings.contains { $0.contains("404") && $0.contains("NW202112292229990103") })
        let guids = try h.feed("zhongguozhengquanbao", "rss").strings("/rss/channel/item/guid")
        #expect(Set(guids) == ["NW202112292229990001", "NW202112292229990101", "NW202112292229990102"])
    }
}
