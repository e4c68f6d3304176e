import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import FeedTestSupport
import Foundation
import Testing

/// One 新华财经 dispatch reprinted by other outlets, each under its own info
/// code, served as one RSS feed whose items name their outlet as category.
@Suite("stories: all/ shows each story once, end to end over loopback")
struct StoryRefreshTests {
    static let paragraphs = [
        "新华财经北京12月1日电 中国人民银行有关负责人表示，将围绕科技创新和绿色转型推出18项举措，政策效应将持续显现。截至收盘，上证指数上涨0.85%，报3092.59点。",
        "中金公司研究报告认为，半导体板块估值处于历史相对低位，储能与光伏方向结构性机会仍然值得关注，宁德时代前三季度营业收入同比增长21.92%。",
        "展望后市，分析人士指出，经济基本面稳中向好的态势没有改变，中长期资金入市节奏有望加快，外资持续流入。",
    ]
    /// (code, outlet, title, body, hour after 2025-12-01 08:00 +08:00)
    static let copies: [(String, String, String, String, Int)] = [
        ("NW202512010000000001", "新华财经", "央行推出18项举措", body(), 0),
        ("NW202512010000000002", "证券时报", "央行推出18项举措", body(indent: true) + "<p>（文章来源：新华财经）</p>", 1),
        ("NW202512010000000003", "第一财经", "【独家】央行推出18项举措", body() + "<p>（责任编辑：张三）</p>", 2),
        ("NW202512010000000004", "每日经济新闻", "央行推出18项举措｜每经", body(dropLast: true), 3),
    ]
    static let t0 = Date(timeIntervalSince1970: 1_764_547_200) // 2025-12-01 00:00 UTC

    static func body(indent: Bool = false, dropLast: Bool = false) -> String {
        (dropLast ? Array(paragraphs.dropLast()) : paragraphs).map { "<p>\(indent ? "　　" : "")\($0)</p>" }.joined()
    }

    static func rss(_ count: Int, base: String) -> String {
        var items = ""
        for (code, outlet, title, body, hour) in copies.prefix(count) {
            let date = String(format: "Mon, 01 Dec 2025 %02d:00:00 +0800", 8 + hour)
            items += """
                <item><title>\(title)</title><link>\(base)/a/\(code).html</link><guid>\(code)</guid>
                <pubDate>\(date)</pubDate><category>\(outlet)</category>
                <content:encoded><![CDATA[\(body)]]></content:encoded></item>

                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
            <title>outlets</title><link>\(base)/</link><description>d</description>
            \(items)</channel></rss>
            """
    }

    func serve(_ h: PipelineHarness, _ count: Int) {
        h.api.server.set("/feeds/outlets.xml", .file(Array(Self.rss(count, base: h.api.base).utf8), contentType: "application/rss+xml"))
    }

    func config(_ h: PipelineHarness, stories: String = "") throws -> Config {
        try h.config([], extra: """
              - name: outlets
                type: feed
                url: \(h.api.base)/feeds/outlets.xml
                category_from: item

            """ + stories)
    }

    func clock(_ hours: Double) -> @Sendable () -> Date { { Self.t0.addingTimeInterval(hours * 3600) } }

    @Test("three reprints: one entry in all/ listing the other two outlets; each category feed keeps its own")
    func threeReprints() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        serve(h, 3)
        let config = try config(h)
        let report = try await h.pipeline(config, now: clock(10)).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        let atom = try h.feed("all", "atom")
        #expect(atom.strings("/atom:feed/atom:entry/atom:id") == ["tag:feedd,2021:item/NW202512010000000001"])
        #expect(atom.count("/atom:feed/atom:entry") == 1)
        // Stored in one poll: the entry is new, its updated is its own.
        #expect(atom.strings("/atom:feed/atom:entry/atom:updated") == ["2025-12-01T08:00:00+08:00"])
        let content = try #require(atom.strings("/atom:feed/atom:entry/atom:content").first)
        let link = { (code: String) in "<a href=\"\(h.api.base)/a/\(code).html\" rel=\"noopener noreferrer\">" }
        #expect(content.hasSuffix("\n<p>同时刊发：\(link("NW202512010000000002"))证券时报</a> · "
                                  + "\(link("NW202512010000000003"))第一财经</a></p>"), "\(content)")
        #expect(atom.strings("/atom:feed/atom:entry/atom:link[@rel='related']/@href")
                == ["\(h.api.base)/a/NW202512010000000002.html", "\(h.api.base)/a/NW202512010000000003.html"])
        #expect(XMLCheck.atomSchemaErrors(h.bytes("all", "atom")) == [])
        let rss = try h.feed("all", "rss")
        #expect(rss.strings("/rss/channel/item/guid") == ["NW202512010000000001"])
        #expect(rss.strings("/rss/channel/item/content:encoded").first?.contains("同时刊发：") == true)
        for (slug, code) in [("xinhuacaijing", "01"), ("zhengquanshibao", "02"), ("diyicaijing", "03")] {
            let feed = try h.feed(slug, "rss")
            #expect(feed.strings("/rss/channel/item/guid") == ["NW2025120100000000\(code)"], "\(slug)")
            #expect(feed.strings("/rss/channel/item/content:encoded").first?.contains("同时刊发") == false, "\(slug)")
        }
        let index = try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: h.output + "/index.html") ?? Data())).get()
        // The front page counts all/ in stories: one, though three items are stored; one headline, the entry.
        #expect(index.strings("//section[@data-slug='all']/h2/span[@class='count']") == ["1"])
        #expect(index.strings("//section[@data-slug='all']/ol/li/a/@href") == ["all/NW202512010000000001.html"])
    }

    @Test("a fourth reprint later: the entry keeps its id, gains a link, and its updated moves")
    func fourthReprintLater() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        serve(h, 3)
        let config = try config(h)
        _ = try await h.pipeline(config, now: clock(10)).refresh(config.sources)
        let before = try h.feed("all", "atom")
        let id = before.strings("/atom:feed/atom:entry/atom:id")
        let updatedBefore = before.strings("/atom:feed/atom:entry/atom:updated")
        serve(h, 4)
        let report = try await h.pipeline(config, now: clock(20)).refresh(config.sources)
        #expect(report.exitCode == 0)
        let after = try h.feed("all", "atom")
        #expect(after.count("/atom:feed/atom:entry") == 1)
        #expect(after.strings("/atom:feed/atom:entry/atom:id") == id)
        let updatedAfter = after.strings("/atom:feed/atom:entry/atom:updated")
        #expect(updatedAfter != updatedBefore)
        #expect(updatedAfter == ["2025-12-02T04:00:00+08:00"], "\(updatedAfter)")
        #expect(after.count("/atom:feed/atom:entry/atom:link[@rel='related']") == 3)
        #expect(after.strings("/atom:feed/atom:entry/atom:content").first?.contains("每日经济新闻") == true)
        #expect(try h.feed("meirijingjixinwen", "rss").count("/rss/channel/item") == 1)
    }

    @Test("stories: off gives one entry per info code")
    func off() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        serve(h, 3)
        let config = try config(h, stories: "stories: off\n")
        #expect(config.stories == nil)
        _ = try await h.pipeline(config, now: clock(10)).refresh(config.sources)
        let atom = try h.feed("all", "atom")
        #expect(atom.count("/atom:feed/atom:entry") == 3)
        #expect(atom.count("/atom:feed/atom:entry/atom:link[@rel='related']") == 0)
        #expect(atom.strings("/atom:feed/atom:entry/atom:content").allSatisfy { !$0.contains("同时刊发") })
    }

    @Test("rebuild assigns items stored while stories were off, once: running it again assigns nothing")
    func rebuildIdempotent() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        serve(h, 3)
        let off = try config(h, stories: "stories: off\n")
        _ = try await h.pipeline(off, now: clock(10)).refresh(off.sources)
        let on = try config(h)
        let pipeline = try await h.pipeline(on, now: clock(11))
        let first = await pipeline.rebuildStories()
        #expect(first.errors == [])
        #expect(first.assigned.founded == 1 && first.assigned.joined == 2)
        #expect(try h.feed("all", "atom").count("/atom:feed/atom:entry") == 1)
        let bytes = h.bytes("all", "atom")
        let second = await pipeline.rebuildStories()
        #expect(second.assigned.founded == 0 && second.assigned.joined == 0)
        #expect(h.bytes("all", "atom") == bytes)
        #expect(try await pipeline.store.storyCounts() == (items: 3, stories: 1))
    }
}
