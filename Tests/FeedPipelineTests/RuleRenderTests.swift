import FeedConfig
import FeedModel
import FeedNormalize
@testable import FeedPipeline
import FeedRules
import FeedStore
import FeedTestSupport
import Foundation
import Testing

/// Rules at each level, acting when feeds are rendered, over the fixture APIs:
/// market lists 2448 (新华财经), 0001 (中国证券报), 0002 (新华财经), 0003 (证券时报);
/// rolling lists 2448 and 0020 under 东财滚动新闻 (emnews).
@Suite("rules: each kind at each level, in order, on stored items")
struct RuleRenderTests {
    static let c2448 = "NW202112292229992448", c0001 = "NW202112292229990001", c0002 = "NW202112292229990002"
    static let c0003 = "NW202112292229990003", c0020 = "NW202112292229990020"
    static let everything: Set<String> = [c2448, c0001, c0002, c0003, c0020]

    struct Case: Sendable, CustomStringConvertible {
        let description: String
        var top = ""
        var market = ""
        var category = ""
        /// Guids per feed slug.
        let feeds: [String: Set<String>]
        /// A title expected in the `all` feed's items, by guid.
        var titles: [String: String] = [:]
    }

    static let cases: [Case] = [
        Case(description: "top-level discard drops the item from every feed",
             top: "  - discard: {title: 逆回购}",
             feeds: ["all": everything.subtracting([c0001]), "zhongguozhengquanbao": []]),
        Case(description: "source rules act on the items that source lists only",
             market: "      - discard: {title: 中间价|沪指}",
             feeds: ["all": everything.subtracting([c0002]), "xinhuacaijing": [c2448], "emnews": [c2448, c0020]]),
        Case(description: "an item two sources list gets the rules of both",
             market: "      - discard: {title: 工行}",
             feeds: ["all": everything.subtracting([c2448]), "xinhuacaijing": [c0002], "emnews": [c0020]]),
        Case(description: "category rules act on that category's feed only",
             category: "      - discard: {title: 工行}",
             feeds: ["all": everything, "xinhuacaijing": [c0002], "emnews": [c2448, c0020]]),
        Case(description: "keep_only with two fields: both must match",
             top: "  - keep_only: {category: 新华财经, title: 中间价}",
             feeds: ["all": [c0002], "xinhuacaijing": [c0002], "emnews": []]),
        Case(description: "keep_only on the source field",
             top: "  - keep_only: {source: ^rolling$}",
             feeds: ["all": [c2448, c0020], "xinhuacaijing": [c2448]]),
        Case(description: "case-insensitive by default, sensitive on request",
             top: "  - discard: {link: 'NEWSSHARE.*0001$'}\n  - discard: {link: 'NEWSSHARE.*0002$', case: sensitive}",
             feeds: ["all": everything.subtracting([c0001])]),
        Case(description: "keep_only on the outlet (from the body's source line)",
             top: "  - keep_only: {outlet: 新华财经|证券时报}",
             feeds: ["all": [c2448, c0002, c0003], "emnews": [c2448]]),
        Case(description: "the text field reads the body's plain text",
             top: "  - discard: {text: '北交所第一批'}",
             feeds: ["all": everything.subtracting([c2448]), "emnews": [c0020]]),
        Case(description: "rewrite with a capture, the result is what later rules see",
             top: "  - rewrite: {title: {pattern: '^(央行)开展', replace: '[$1]'}}",
             category: "      - discard: {title: '^央行开展'}",
             feeds: ["all": everything, "zhongguozhengquanbao": [c0001]],
             titles: [c0001: "[央行]1000亿元逆回购操作"]),
        Case(description: "order: the top level runs before the category's rules",
             top: "  - rewrite: {title: {pattern: '人民币', replace: 'RMB'}}",
             category: "      - keep_only: {title: '^RMB'}",
             feeds: ["all": everything, "xinhuacaijing": [c0002]],
             titles: [c0002: "RMB对美元中间价上调15个基点"]),
        Case(description: "order: source rules run after the top level and see its rewrite",
             top: "  - rewrite: {title: {pattern: '^两市', replace: '沪深两市'}}",
             market: "      - discard: {title: '^两市'}",
             feeds: ["all": everything, "zhengquanshibao": [c0003]],
             titles: [c0003: "沪深两市成交额连续第50个交易日突破万亿元"]),
    ]

    static func yaml(_ h: PipelineHarness, _ c: Case) -> String {
        var yaml = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output, sources: ["market", "rolling"])
        if !c.market.isEmpty {
            yaml = yaml.replacingOccurrences(of: "    link: \"http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}\"\n",
                                             with: "    link: \"http://finews.zning.xyz/html_News/NewsShare.html?infoCode={id}\"\n    rules:\n\(c.market)\n")
        }
        if !c.category.isEmpty {
            yaml += "  新华财经:\n    rules:\n\(c.category)\n  中国证券报:\n    rules:\n\(c.category)\n  证券时报:\n    rules:\n\(c.category)\n"
        }
        if !c.top.isEmpty { yaml += "rules:\n\(c.top)\n" }
        return yaml
    }

    @Test(arguments: cases)
    func rule(_ c: Case) async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try ConfigCheck.parse(yaml: Self.yaml(h, c), file: "test.yaml", baseDirectory: h.folder.path)
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        for (slug, expected) in c.feeds {
            let guids = (try? h.feed(slug, "rss").strings("/rss/channel/item/guid")) ?? []
            #expect(Set(guids) == expected, "\(slug)")
            #expect(Set(try h.feed(slug, "atom").strings("/*[local-name()='feed']/*[local-name()='entry']/*[local-name()='id']")
                .map { String($0.split(separator: ":").last ?? "") }).count == expected.count, "\(slug) atom")
        }
        let all = try h.feed("all", "rss")
        for (code, title) in c.titles {
            #expect(all.strings("/rss/channel/item[guid='\(code)']/title") == [title])
        }
        // Whatever the rules dropped is still stored: its body is never fetched again.
        let store = try FeedStore(path: config.storage)
        for code in Self.everything { #expect(try store.item(InfoCode(code)!) != nil, "\(code)") }
    }

    @Test("remove deletes body elements after normalizing; the result is still the normalizer's HTML")
    func remove() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        var yaml = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output, sources: ["market"])
        yaml += "rules:\n  - remove: {xpath: \"//p[contains(., '第二段')]\"}\n"
        let config = try ConfigCheck.parse(yaml: yaml, file: "test.yaml", baseDirectory: h.folder.path)
        let stored = try await h.pipeline(ConfigLoader.parse(yaml: h.api.config(storage: h.folder.file("data/feedd.sqlite"),
                                                                          output: h.output, sources: ["market"]),
                                                       file: "test.yaml", baseDirectory: h.folder.path))
        _ = await stored.refresh(stored.config.sources)
        let before = try #require(try await stored.store.item(InfoCode(Self.c0001)!)).body
        #expect(before.contains("第二段"), "fixture drifted: \(before.prefix(200))")
        h.api.server.clearLog()
        _ = try await h.pipeline(config).render()
        #expect(h.api.server.requests.isEmpty)
        let body = try #require(h.feed("all", "rss").strings("/rss/channel/item[guid='\(Self.c0001)']/*[local-name()='encoded']").first)
        #expect(!body.contains("第二段"))
        #expect(body.contains("这是正文第一段"))
        #expect(HTMLNormalizer.normalize(body, articleURL: nil).html == body, "\(body)")
        // The stored body is untouched: rules act when rendering.
        #expect(try await stored.store.item(InfoCode(Self.c0001)!)?.body == before)
    }
}

@Suite("rules: what is checked at load, what is logged")
struct RuleCheckTests {
    @Test("an XPath libxml2 cannot compile is a config error naming key and line")
    func invalidXPath() async throws {
        let yaml = "sources:\n  - name: x\n    type: json\n    url: http://127.0.0.1:9/x\n    list: record\n    category: c\n    fields: {id: infoCode, title: title}\n    rules:\n      - remove: {xpath: '//p[@class='}\n"
        #expect(throws: Never.self) { try ConfigLoader.parse(yaml: yaml, file: "c.yaml", baseDirectory: "/tmp") }
        do {
            _ = try ConfigCheck.parse(yaml: yaml, file: "c.yaml", baseDirectory: "/tmp")
            Issue.record("no error")
        } catch {
            #expect(error.line == 9 && error.keyPath == "sources[0].rules[0].remove.xpath", "\(error)")
            #expect(error.message.contains("not a valid XPath"), "\(error)")
        }
    }

    @Test("a pattern out of budget is logged once per source")
    func budgetLoggedOncePerSource() {
        let log = RuleLog()
        let e = [BudgetExceeded(place: "c.yaml:3 rules[0]", pattern: "/(.*a){9}$/i", field: "title")]
        #expect(log.budgetExceeded(e, sources: ["market"], item: InfoCode("NW202112292229990001")!) == 1)
        #expect(log.budgetExceeded(e, sources: ["market"], item: InfoCode("NW202112292229990002")!) == 0)
        #expect(log.budgetExceeded(e, sources: ["rolling"], item: InfoCode("NW202112292229990001")!) == 1)
    }
}
