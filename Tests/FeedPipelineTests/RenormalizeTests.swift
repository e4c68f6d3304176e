import FeedModel
import FeedNormalize
import FeedPipeline
import FeedStore
import FeedTestSupport
import Foundation
import Testing

@Suite("feedd renormalize")
struct RenormalizeTests {
    @Test("bodies from an older normalizer are redone from the kept upstream body; dates stay; a second run changes nothing")
    func redo() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        let pipeline = try await h.pipeline(config)
        // An item as an older feedd (normalizer v0, the pass-through clean-up) stored it.
        let raw = "<p>　　旧正文<script>alert(1)</script><img src=x onerror=alert(2)></p><p class=\"em_media\">（文章来源：新华财经）</p>"
        let code = InfoCode("NW202112292229990555")!
        let category = Category(name: "新华财经", slug: Slug.derive(from: "新华财经").slug)
        let published = Date(timeIntervalSince1970: 1_640_761_560)
        _ = try await pipeline.store.apply(items: [IncomingItem(
            infoCode: code, title: "旧条目", summary: "旧正文", body: .init(html: raw, raw: raw, outlet: nil, normalizerVersion: 0),
            link: "http://finance.eastmoney.com/a/1.html", published: published, categories: [category])],
            source: SourceState(name: "old"), validators: nil, now: published)

        let report = await pipeline.renormalize()
        #expect(report.examined == 1 && report.changed == 1 && report.errors.isEmpty)
        #expect(report.filesWritten > 0)
        let item = try #require(try await pipeline.store.item(code))
        #expect(item.body == HTMLNormalizer.normalize(raw, articleURL: item.link).html)
        #expect(!item.body.contains("script") && !item.body.contains("onerror") && !item.body.contains("　"))
        #expect(item.outlet == "新华财经")
        #expect(item.updated == published && item.published == published)
        let rss = try h.feed("xinhuacaijing", "rss")
        // The feed shows the stored body with `images:` applied (by default: referrerpolicy on every image).
        #expect(rss.strings("/rss/channel/item/content:encoded").first == ImagePolicy(noReferrer: true, proxy: nil).apply(item.body))

        let again = await pipeline.renormalize()
        #expect(again.examined == 0 && again.changed == 0 && again.filesWritten == 0)
        let forced = await pipeline.renormalize(all: true)
        #expect(forced.examined == 1 && forced.changed == 0 && forced.filesWritten == 0)
    }
}
