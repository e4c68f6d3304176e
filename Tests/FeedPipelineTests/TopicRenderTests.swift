import FeedConfig
import FeedModel
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

/// Topics: categories defined by a condition over every stored item, whatever its source.
@Suite("topics: feeds from a condition over items of every source kind")
struct TopicRenderTests {
    @Test("a topic collects items from a JSON list, a feed and an HTML list; it has feeds, an index entry, OPML and rules")
    func threeSourceKinds() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        FeedSourceRefreshTests.serveFeed(h)
        let folder = Fixtures.url("atom.rng").deletingLastPathComponent()
        let list = ((try? String(contentsOf: folder.appendingPathComponent("pages/list-utf8.html"), encoding: .utf8)) ?? "")
            .replacingOccurrences(of: "http://other.example.cn/", with: h.api.base + "/missing/")
        let article = [UInt8]((try? Data(contentsOf: folder.appendingPathComponent("pages/article-utf8.html"))) ?? Data())
        h.api.server.set("/list.html", .file(Array(list.utf8), contentType: "text/html"))
        h.api.server.set("/article/NW202112292229990101.html", .file(article, contentType: "text/html"))
        h.api.server.set("/article/NW202112292229990102.html", .file(article, contentType: "text/html"))
        let extra = """
              - name: em-rss
                type: feed
                url: \(h.api.base)/feeds/em.xml
                category: 东方财富
                id: 'NW\\d{18}'
                full_text: {xpath: '//div[@id="ContentBody"]'}
              - name: cs-com
                type: html
                url: \(h.api.base)/list.html
                items: '//ul[@class="list"]/li'
                fields: {title: 'a', link: 'a/@href', date: 'span[@class="time"]'}
                body: {xpath: '//div[@id="ContentBody"]'}
                id: 'NW\\d{18}'
                category: 中国证券报

            """
        var yaml = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output, sources: ["market"], extraSources: extra)
        yaml += """
            topics:
              央行: {match: {title: "央行|订阅源"}, slug: pboc}
              流动性:
                match: {text: "流动性合理充裕"}
                rules:
                  - keep_only: {source: ^cs-com$}

            """
        let config = try ConfigCheck.parse(yaml: yaml, file: "test.yaml", baseDirectory: h.folder.path)
        #expect(config.topics.map(\.category.slug.rawValue) == ["pboc", "liudongxing"])
        _ = try await h.pipeline(config).refresh(config.sources)

        // 0001 from the JSON market list, 0777 only in the feed, 0101 only on the HTML list.
        let pboc = try h.feed("pboc", "rss")
        #expect(Set(pboc.strings("/rss/channel/item/guid")) == ["NW202112292229990001", "NW202112292229990777", "NW202112292229990101"])
        #expect(pboc.strings("/rss/channel/title").first?.contains("央行") == true)
        let atom = h.bytes("pboc", "atom")
        #expect(XMLCheck.atomSchemaErrors(atom).isEmpty, "\(XMLCheck.atomSchemaErrors(atom))")
        // The topic's rules: its text matches three bodies (the same article page), the rule keeps the HTML list's.
        #expect(Set(try h.feed("liudongxing", "rss").strings("/rss/channel/item/guid")) == ["NW202112292229990101", "NW202112292229990102"])

        let index = String(decoding: FileManager.default.contents(atPath: h.output + "/index.html") ?? Data(), as: UTF8.self)
        #expect(index.contains("pboc/rss.xml") && index.contains("liudongxing/atom.xml"))
        let opml = try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: h.output + "/opml.xml") ?? Data())).get()
        #expect(opml.strings("//outline/@xmlUrl").contains { $0.hasSuffix("pboc/rss.xml") }, "\(opml.strings("//outline/@xmlUrl"))")
    }

    @Test("a topic named like an upstream category takes its slug: one feed, one index line; topics carry a ttl")
    func topicOverUpstreamCategory() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        var yaml = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output, sources: ["market"])
        yaml += "topics:\n  证券时报: {match: {title: 央行}}\n"
        let config = try ConfigCheck.parse(yaml: yaml, file: "test.yaml", baseDirectory: h.folder.path)
        _ = try await h.pipeline(config).refresh(config.sources)
        let feed = try h.feed("zhengquanshibao", "rss")
        #expect(feed.strings("/rss/channel/item/guid") == ["NW202112292229990001"])
        #expect(feed.strings("/rss/channel/ttl") == ["1"])
        let index = String(decoding: FileManager.default.contents(atPath: h.output + "/index.html") ?? Data(), as: UTF8.self)
        #expect(index.components(separatedBy: "zhengquanshibao/rss.xml").count == 3, "\(index)") // the <link> and the table row
    }
}
