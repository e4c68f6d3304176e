import FeedConfig
import FeedModel
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

@Suite("feedd refresh, end to end over loopback")
struct RefreshTests {
    static let shared = "NW202112292229992448"

    @Test("each list shape becomes category feeds", arguments: [
        ("market", ["xinhuacaijing": 2, "zhongguozhengquanbao": 1, "zhengquanshibao": 1]),
        ("media", ["xinhuacaijing": 1, "zhengquanshibao": 1]),
        ("rolling", ["emnews": 2]),
    ])
    func listShape(source: String, expected: [String: Int]) async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config([source])
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        for (slug, count) in expected {
            let rss = try h.feed(slug, "rss")
            #expect(rss.count("/rss/channel/item") == count, "\(slug)")
            #expect(XMLCheck.atomSchemaErrors(h.bytes(slug, "atom")) == [], "\(slug)")
        }
        let all = try h.feed("all", "atom")
        #expect(all.count("/atom:feed/atom:entry") == expected.values.reduce(0, +))
    }

    @Test("one code in three lists: one body request, each category feed, once in all")
    func dedupAcrossLists() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config()
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0)
        let bodyRequests = h.api.bodyRequests.filter { $0.target.hasSuffix(Self.shared) }
        #expect(bodyRequests.count == 1)
        // Every distinct code is fetched exactly once.
        let targets = h.api.bodyRequests.map(\.target)
        #expect(Set(targets).count == targets.count)
        #expect(targets.count == 6)
        for slug in ["xinhuacaijing", "emnews"] {
            #expect(try h.feed(slug, "rss").strings("/rss/channel/item/guid").contains(Self.shared), "\(slug)")
        }
        let allGuids = try h.feed("all", "rss").strings("/rss/channel/item/guid")
        #expect(allGuids.filter { $0 == Self.shared }.count == 1)
        #expect(Set(allGuids).count == allGuids.count)
        #expect(allGuids.count == 6)
        // The item lists both of its categories.
        let categories = try h.feed("all", "rss").strings("/rss/channel/item[guid='\(Self.shared)']/category")
        #expect(Set(categories) == ["新华财经", "东财滚动新闻"])
    }

    @Test("a second refresh is a no-op: 304s, no body request, no file rewritten")
    func secondRefreshIsNoOp() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config()
        let first = try await h.pipeline(config).refresh(config.sources)
        #expect(first.filesWritten > 0)
        let before = try FileManager.default.attributesOfItem(atPath: h.output + "/all/rss.xml")[.modificationDate] as? Date
        h.api.server.clearLog()
        let second = try await h.pipeline(config).refresh(config.sources)
        #expect(second.exitCode == 0)
        #expect(h.api.bodyRequests.isEmpty)
        #expect(second.filesWritten == 0)
        #expect(second.sources.allSatisfy { $0.status == .notModified }, "\(second.sources.map(\.line))")
        let lists = h.api.server.requests.filter { $0.path.hasPrefix("/webapi/") }
        #expect(lists.count == 3)
        #expect(lists.allSatisfy { $0.headers["if-none-match"] != nil })
        let after = try FileManager.default.attributesOfItem(atPath: h.output + "/all/rss.xml")[.modificationDate] as? Date
        #expect(before == after)
    }

    @Test("without validators the list is parsed again but adds nothing")
    func repollWithoutValidators() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        _ = try await h.pipeline(config).refresh(config.sources)
        let market = Fixtures.bytes("market-list.json")
        h.api.server.set("/webapi/market", .file(market, contentType: "application/json", etag: false))
        h.api.server.clearLog()
        let again = try await h.pipeline(config).refresh(config.sources)
        #expect(again.sources[0].status == .ok)
        #expect(again.sources[0].new == 0 && again.sources[0].unchanged == 4)
        #expect(h.api.bodyRequests.isEmpty)
        #expect(again.filesWritten == 0)
    }

    @Test("a GBK list and body are decoded to UTF-8")
    func gbk() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["gbk"])
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        let rss = try h.feed("zhengquanshibaowang", "rss")
        #expect(rss.strings("/rss/channel/item/title") == ["证券时报：北交所首批企业运行平稳"])
        #expect(rss.strings("/rss/channel/item/content:encoded").first?.contains("北交所开市以来") == true)
    }

    @Test("malformed JSON in one source: exit 1, the others' feeds are right")
    func malformedSource() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["market", "broken", "rolling"])
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 1)
        let broken = try #require(report.sources.first { $0.name == "broken" })
        guard case .failed(let message) = broken.status else { Issue.record("broken did not fail"); return }
        #expect(message.contains("broken") && message.contains("/webapi/broken") && message.contains("malformed JSON"))
        #expect(try h.feed("emnews", "rss").count("/rss/channel/item") == 2)
        #expect(try h.feed("all", "rss").count("/rss/channel/item") == 5)
        let state = try await h.pipeline(config).store.sourceState(named: "broken")
        #expect(state?.consecutiveFailures == 1)
    }

    @Test("a changed title updates the item and moves Atom <updated>; nothing is duplicated")
    func changedTitle() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        _ = try await h.pipeline(config).refresh(config.sources)
        let oldUpdated = try h.feed("all", "atom").strings("/atom:feed/atom:entry[atom:id='tag:feedd,2021:item/\(Self.shared)']/atom:updated")
        let text = Fixtures.text("market-list.json").replacingOccurrences(of: "截至11月底", with: "（更新）截至11月底")
        h.api.server.set("/webapi/market", .json(text))
        let later = Date().addingTimeInterval(3600)
        let report = try await h.pipeline(config, now: { later }).refresh(config.sources)
        #expect(report.sources[0].updated == 1 && report.sources[0].new == 0)
        let atom = try h.feed("all", "atom")
        let entry = "/atom:feed/atom:entry[atom:id='tag:feedd,2021:item/\(Self.shared)']"
        #expect(atom.strings(entry + "/atom:title").first?.hasPrefix("（更新）") == true)
        #expect(atom.strings(entry + "/atom:updated") != oldUpdated)
        #expect(atom.count("/atom:feed/atom:entry") == 4)
        #expect(XMLCheck.atomSchemaErrors(h.bytes("all", "atom")) == [])
    }

    @Test("a record without id or title is skipped with a warning; the rest is taken")
    func recordMissingFields() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.api.server.set("/webapi/market", .json("""
            {"record": [
              {"title": "没有代码", "datetime": "2021-12-29 10:00:00", "medianame": "新华财经"},
              {"infoCode": "NW202112292229990002", "datetime": "2021-12-29 10:00:00", "medianame": "新华财经"},
              {"infoCode": "NW202112292229990001", "title": "央行开展1000亿元逆回购操作", "datetime": "2021-12-29 14:30:00", "medianame": "中国证券报"}
            ]}
            """))
        let config = try h.config(["market"])
        let report = try await h.pipeline(config).refresh(config.sources)
        let source = report.sources[0]
        #expect(source.status == .ok)
        #expect(source.new == 1 && source.errors == 2)
        #expect(source.warnings.contains { $0.contains("'market'") && $0.contains("record 0") && $0.contains("'infoCode'") })
        #expect(source.warnings.contains { $0.contains("record 1") && $0.contains("'title'") })
    }

    /// Errors count what could not be taken; a date that could not be read
    /// only costs the item its date (first-seen time), so it is a warning.
    @Test("an unreadable date is a warning, not an error: the item is taken")
    func unreadableDateIsNoError() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.serveOneMarketRecord(datetime: "昨天下午")
        let config = try h.config(["market"])
        let report = try await h.pipeline(config).refresh(config.sources)
        let source = report.sources[0]
        #expect(source.new == 1 && source.errors == 0, "\(source.line)")
        #expect(source.warnings.contains { $0.contains("昨天下午") }, "\(source.warnings)")
        #expect(source.line.hasSuffix(", 0 errors"))
        #expect(report.exitCode == 0)
    }

    @Test("a date in the future is clamped to first-seen time, with a warning")
    func futureDate() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.serveOneMarketRecord(datetime: "2099-01-01 00:00:00")
        let seen = Date(timeIntervalSince1970: 1_700_000_000)
        let config = try h.config(["market"])
        let report = try await h.pipeline(config, now: { seen }).refresh(config.sources)
        #expect(report.sources[0].warnings.contains { $0.contains("future") && $0.contains("NW202112292229990001") })
        let pubDate = try h.feed("zhongguozhengquanbao", "rss").strings("/rss/channel/item/pubDate")
        #expect(pubDate == ["Wed, 15 Nov 2023 06:13:20 +0800"])
    }

    @Test("a body that cannot be fetched is retried on the next poll, and the item is not lost")
    func bodyRetry() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.api.server.set("/NewsData/GetNewsText.do?id=NW202112292229990003", .notFound)
        let config = try h.config(["market"])
        let first = try await h.pipeline(config).refresh(config.sources)
        #expect(first.sources[0].new == 3 && first.sources[0].errors == 1)
        #expect(first.sources[0].warnings.contains { $0.contains("404") && $0.contains("NW202112292229990003") })
        h.api.server.set("/NewsData/GetNewsText.do?id=NW202112292229990003", nil)
        h.api.server.clearLog()
        let second = try await h.pipeline(config).refresh(config.sources)
        #expect(second.sources[0].new == 1)
        #expect(h.api.bodyRequests.map(\.target) == ["/NewsData/GetNewsText.do?id=NW202112292229990003"])
        #expect(try h.feed("all", "rss").count("/rss/channel/item") == 4)
    }
}
