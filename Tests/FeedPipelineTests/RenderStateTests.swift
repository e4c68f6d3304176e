import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import FeedTestSupport
import Foundation
import Testing

@Suite("a restart renders only when the output is behind the store or the settings changed")
struct RenderStateTests {
    @Test("after a complete render nothing is stale; new content, other settings or a missing index make it stale")
    func stale() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        let pipeline = try await h.pipeline(config)
        #expect(await pipeline.renderIfStale() != nil) // a new store was never rendered
        _ = await pipeline.refresh(config.sources)
        #expect(try await h.pipeline(config).renderIfStale() == nil)
        #expect(try await h.pipeline(config).renderIfStale() == nil)

        // Other settings that change bytes: stale.
        var retitled = config
        retitled.site.title = "另一个标题"
        let outcome = try #require(try await h.pipeline(retitled).renderIfStale())
        #expect(outcome.filesWritten > 0)
        #expect(try await h.pipeline(retitled).renderIfStale() == nil)

        // New content that was applied but not rendered (a crash between the two): stale.
        let category = Category(name: "新华财经", slug: Slug.derive(from: "新华财经").slug)
        _ = try await pipeline.store.apply(items: [IncomingItem(
            infoCode: InfoCode("NW202112292229990777")!, title: "新", summary: "新", body: .init(html: "<p>新</p>", raw: "新", outlet: nil, normalizerVersion: 1),
            link: nil, published: Date(), categories: [category])], source: SourceState(name: "x"), validators: nil, now: Date())
        #expect(try await h.pipeline(retitled).renderIfStale() != nil)
        #expect(try await h.pipeline(retitled).renderIfStale() == nil)

        // The output folder lost its files: stale.
        try FileManager.default.removeItem(atPath: h.output + "/index.html")
        #expect(try await h.pipeline(retitled).renderIfStale() != nil)
        // An unchanged poll (304s) does not make anything stale.
        _ = await pipeline.refresh(config.sources)
        #expect(try await h.pipeline(config).renderIfStale() == nil)
    }
}
