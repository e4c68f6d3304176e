import FeedConfig
import FeedNormalize
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

@Suite("Jekyll posts written by refresh")
struct JekyllPublishTests {
    /// The day after the fixtures' articles: all of them are recent.
    static let nextMorning = beijing("2021-12-30 09:00:00")

    @Test("the sample's article, polled from the three lists, is the sample post but for the documented normalizer differences")
    func samplePost() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        let report = try await h.pipeline(config, now: { Self.nextMorning }).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.renderErrors)")

        let written = try #require(h.text(h.posts + "/" + JekyllSample.name))
        let post = try #require(JekyllSample.parts(written))
        let sample = try #require(JekyllSample.parts(JekyllSample.text))
        // Around the article, byte for byte the old post: front matter, share link, back links, no final newline.
        #expect(post.head == sample.head)
        #expect(post.tail == sample.tail)
        // The article is what the normalizer made of upstream's body; the writer adds nothing.
        let normalized = HTMLNormalizer.normalize(JekyllSample.upstreamBody, articleURL: nil)
        #expect(post.body == normalized.html.trimmingCharacters(in: .whitespacesAndNewlines))
        // And it differs from the old post's body only as documented.
        #expect(JekyllSample.withNormalizerDifferences(post.body) == JekyllSample.withNormalizerDifferences(sample.body))
        #expect(JekyllSample.withNormalizerDifferences(written) == JekyllSample.withNormalizerDifferences(JekyllSample.text))
    }

    @Test("each article gets one post, in the category of its outlet, not the rolling list's")
    func onePostPerArticle() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        _ = try await h.pipeline(config, now: { Self.nextMorning }).refresh(config.sources)
        let names = h.files(in: h.posts)
        #expect(names.count == 6)
        #expect(names.allSatisfy { $0.hasPrefix("2021-12-29-NW") && $0.hasSuffix(".md") })
        let shared = try #require(h.text(h.posts + "/" + JekyllSample.name))
        #expect(shared.contains("\ncategories: xinhuacaijing\ntags: 新华财经新闻\n"))
        // Listed only by the rolling list: filed under it.
        let rollingOnly = try #require(h.text(h.posts + "/2021-12-29-NW202112292229990020.md"))
        #expect(rollingOnly.contains("\ncategories: emnews\ntags: 东财滚动新闻\n"))
        #expect(rollingOnly.hasSuffix("[返回东财滚动新闻](//finews.withounder.com/category/emnews.html)｜[返回首页](//finews.withounder.com/)"))
    }

    @Test("posts are rewritten only when their bytes change")
    func onlyChanges() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig(["market"])
        let pipeline = try await h.pipeline(config, now: { Self.nextMorning })
        let first = await pipeline.refresh(config.sources)
        #expect(first.exitCode == 0 && h.files(in: h.posts).count == 4)
        let again = try #require(await pipeline.publishJekyllPosts())
        #expect(again == JekyllPublisher.Outcome())
        // A changed title rewrites that post only.
        let text = Fixtures.text("market-list.json").replacingOccurrences(of: "截至11月底", with: "（更新）截至11月底")
        h.api.server.set("/webapi/market", .json(text))
        _ = await pipeline.refresh(config.sources)
        #expect(try #require(h.text(h.posts + "/" + JekyllSample.name)).contains("\ntitle: \"（更新）截至11月底"))
        #expect(await pipeline.publishJekyllPosts()?.written == [])
    }

    @Test("posts past keep_days move to the archive and are not written back; nothing is deleted")
    func archive() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig(["market"], keepDays: 3)
        _ = try await h.pipeline(config, now: { Self.nextMorning }).refresh(config.sources)
        #expect(h.files(in: h.posts).count == 4)

        // 2022-01-01: the posts of 12-29 are exactly 3 days old, and stay.
        let kept = try #require(try await h.pipeline(config, now: { beijing("2022-01-01 23:59:59") }).publishJekyllPosts())
        #expect(kept.archived.isEmpty && kept.written.isEmpty)
        #expect(h.files(in: h.posts).count == 4)

        // 2022-01-02: 4 days old, they move.
        let later = try await h.pipeline(config, now: { beijing("2022-01-02 00:00:00") })
        let moved = try #require(await later.publishJekyllPosts())
        #expect(moved.archived.count == 4 && moved.written.isEmpty && moved.errors.isEmpty)
        #expect(h.files(in: h.posts).isEmpty)
        #expect(h.files(in: h.archive).count == 4)
        let archived = h.text(h.archive + "/" + JekyllSample.name)

        // Polling the same articles again neither writes them back into _posts nor touches the archive.
        h.api.server.set("/webapi/market", .json(Fixtures.text("market-list.json"), etag: false))
        let report = await later.refresh(config.sources)
        #expect(report.exitCode == 0)
        #expect(h.files(in: h.posts).isEmpty)
        #expect(h.text(h.archive + "/" + JekyllSample.name) == archived)
        #expect(await later.publishJekyllPosts() == JekyllPublisher.Outcome())
    }

    @Test("an article first seen after keep_days gets its post straight in the archive")
    func lateArticle() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig(["market"], keepDays: 1)
        let report = try await h.pipeline(config, now: { beijing("2021-12-31 12:00:00") }).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.renderErrors)")
        #expect(h.files(in: h.posts).isEmpty)
        #expect(h.files(in: h.archive).count == 4)
    }

    @Test("without an archive, old posts stay in _posts")
    func noArchive() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig(["market"], archive: false)
        _ = try await h.pipeline(config, now: { Self.nextMorning }).refresh(config.sources)
        #expect(h.files(in: h.posts).count == 4)
        for day in ["2022-01-02 00:00:00", "2022-06-01 00:00:00"] {
            #expect(try await h.pipeline(config, now: { beijing(day) }).publishJekyllPosts() == JekyllPublisher.Outcome())
        }
        #expect(h.files(in: h.posts).count == 4)
        #expect(!FileManager.default.fileExists(atPath: h.archive))
    }

    @Test("no jekyll section: no posts")
    func notConfigured() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        let pipeline = try await h.pipeline(config)
        _ = await pipeline.refresh(config.sources)
        #expect(await pipeline.publishJekyllPosts() == nil)
        #expect(!FileManager.default.fileExists(atPath: h.folder.file("site")))
    }
}
