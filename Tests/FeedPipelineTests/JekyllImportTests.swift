import FeedConfig
import FeedModel
import FeedPipeline
import FeedRender
import FeedStore
import FeedTestSupport
import Foundation
import Logging
import Testing

@Suite("feedd import jekyll")
struct JekyllImportTests {
    static let nextMorning = beijing("2021-12-30 09:00:00")

    /// Writes `files` (name → text) under `backup/` in the harness folder; returns the folder.
    static func backup(_ h: PipelineHarness, _ files: [String: String]) -> String {
        for (name, text) in files { _ = h.folder.write("backup/" + name, text) }
        return h.folder.file("backup")
    }

    static func importer(_ h: PipelineHarness, _ config: Config) async throws -> JekyllImporter {
        try await JekyllImporter.open(config: config, logger: Logger(label: "test"))
    }

    @Test("round trip: import the sample post, render, write it again: the same post")
    func roundTrip() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        let folder = Self.backup(h, [JekyllSample.name: JekyllSample.text])
        let report = try await Self.importer(h, config).run(paths: [folder], now: Self.nextMorning)
        #expect(report.imported == 1 && report.skipped.isEmpty && report.errors.isEmpty, "\(report)")
        #expect(report.exitCode == 0)

        let written = try #require(h.text(h.posts + "/" + JekyllSample.name))
        // The same post, with the body as the normalizer leaves it (today's placeholder: exactly the sample).
        #expect(written == JekyllSample.rewritten(JekyllSample.text))
        #expect(JekyllSample.withNormalizerDifferences(written) == JekyllSample.withNormalizerDifferences(JekyllSample.text))

        // Importing what feedd wrote gives it back unchanged: the format is a fixed point.
        let h2 = try PipelineHarness()
        defer { h2.tearDown() }
        let config2 = try h2.jekyllConfig()
        let again = try await Self.importer(h2, config2).run(paths: [h.posts], now: Self.nextMorning)
        #expect(again.imported == 1)
        #expect(h2.text(h2.posts + "/" + JekyllSample.name) == written)
    }

    @Test("the imported item has the post's code, title, date, category and link")
    func importedItem() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        _ = try await Self.importer(h, config).run(paths: [Self.backup(h, [JekyllSample.name: JekyllSample.text])], now: Self.nextMorning)
        let item = try #require(try FeedStore(path: config.storage).item(InfoCode(JekyllSample.code)!))
        #expect(item.title == "截至11月底工行制造业贷款余额超过2万亿元 着重助力“专精特新”企业成长")
        #expect(item.published == beijing("2021-12-29 15:06:00"))
        #expect(item.categories == [Category(name: "新华财经", slug: Slug(validating: "xinhuacaijing")!)])
        #expect(item.link == "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202112292229992448")
        #expect(!item.body.contains("NewsShare") && !item.body.contains("返回首页"))
        #expect(!item.summary.isEmpty)
    }

    static let broken = """
        ---
        layout: post
        title: "他说"不"行"
        date: 2021-12-28 10:00:00 +0800
        categories: xinhuacaijing
        tags: 新华财经新闻
        ---
        <p>正文</p>
        """

    static func post(title: String, date: String = "2021-12-28 10:00:00 +0800", slug: String = "xinhuacaijing",
                     tags: String = "新华财经新闻", share: String? = nil) -> String {
        var text = "---\nlayout: post\ntitle: \"\(title)\"\ndate: \(date)\ncategories: \(slug)\ntags: \(tags)\n---\n<p>\(title)。</p>"
        if let share { text += "\n\n<\(share)>" }
        return text + "\n\n[返回\(tags)](//finews.withounder.com/category/\(slug).html)｜[返回首页](//finews.withounder.com/)"
    }

    @Test("a folder with broken files: the rest is imported; each problem names the file, and the line where one is to blame")
    func brokenFiles() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        let folder = Self.backup(h, [
            JekyllSample.name: JekyllSample.text,
            "2021-12-28-NW202112282229990001.md": Self.broken,
            "2021-12-28-NW202112282229990002.md": "<p>no front matter</p>\n",
            "2021-12-28-NW202112282229990003.md": "---\ntitle: never closed\n",
            "2021-12-28-NW202112282229990004.md": Self.post(title: "坏日期", date: "昨天"),
            "2021-12-28-welcome.md": Self.post(title: "欢迎"),
            "share-only.md": Self.post(title: "只有分享链接",
                                       share: "http://finews.zning.xyz/html_News/NewsShare.html?infoCode=NW202112282229990005"),
            "nested/2021-12-27-NW202112272229990006.md": Self.post(title: "子文件夹里", date: "2021-12-27 08:00:00 +0800"),
            "notes.txt": "not a post",
            ".hidden/2021-12-27-NW202112272229990007.md": Self.post(title: "隐藏"),
        ])
        _ = FileManager.default.createFile(atPath: folder + "/2021-12-28-NW202112282229990008.md",
                                           contents: Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0xFE, 0x0A]))
        let report = try await Self.importer(h, config).run(paths: [folder, h.folder.file("missing")], now: Self.nextMorning)
        #expect(report.imported == 3, "\(report.skipped)")
        #expect(report.files == 9)
        #expect(report.exitCode == 1)
        let problems = report.skipped.map(\.description)
        #expect(problems == [
            "\(h.folder.file("missing")): no such file or folder",
            "\(folder)/2021-12-28-NW202112282229990001.md:3: unreadable front matter: did not find expected key",
            "\(folder)/2021-12-28-NW202112282229990002.md:1: no front matter: the first line is not '---'",
            "\(folder)/2021-12-28-NW202112282229990003.md:1: the front matter opened here is never closed with '---'",
            "\(folder)/2021-12-28-NW202112282229990004.md:4: unreadable date '昨天'",
            "\(folder)/2021-12-28-NW202112282229990008.md: the file is not UTF-8",
            "\(folder)/2021-12-28-welcome.md: no info code: no share link with the code, and the file name is not <YYYY-MM-DD>-<code>.md",
        ], "\(problems)")
        let store = try FeedStore(path: config.storage)
        #expect(try store.item(InfoCode("NW202112282229990005")!)?.title == "只有分享链接")
        #expect(try store.item(InfoCode("NW202112272229990006")!)?.title == "子文件夹里")
        #expect(try store.item(InfoCode("NW202112272229990007")!) == nil)
    }

    @Test("importing twice adds nothing and rewrites nothing")
    func twice() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        let folder = Self.backup(h, [JekyllSample.name: JekyllSample.text, "2021-12-28-NW202112282229990001.md": Self.post(title: "第二篇")])
        let first = try await Self.importer(h, config).run(paths: [folder], now: Self.nextMorning)
        #expect(first.imported == 2 && first.alreadyPresent == 0 && first.filesWritten > 0)
        let second = try await Self.importer(h, config).run(paths: [folder, folder + "/" + JekyllSample.name], now: Self.nextMorning)
        #expect(second.imported == 0 && second.alreadyPresent == 3 && second.filesWritten == 0)
        #expect(second.totalLine == "imported 0, already present 3, skipped 0; 0 files written")
        #expect(second.exitCode == 0)
        #expect(try FeedStore(path: config.storage).itemCount() == 2)
    }

    @Test("after an import the feeds carry the imported history")
    func feeds() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        let folder = Self.backup(h, [JekyllSample.name: JekyllSample.text,
                                     "2021-12-28-NW202112282229990001.md": Self.post(title: "滚动", slug: "emnews", tags: "东财滚动新闻")])
        _ = try await Self.importer(h, config).run(paths: [folder], now: Self.nextMorning)
        #expect(try h.feed("xinhuacaijing", "rss").strings("/rss/channel/item/guid") == [JekyllSample.code])
        #expect(try h.feed("emnews", "rss").strings("/rss/channel/item/title") == ["滚动"])
        #expect(try h.feed("all", "atom").count("/atom:feed/atom:entry") == 2)
        #expect(XMLCheck.atomSchemaErrors(h.bytes("all", "atom")) == [])
    }

    @Test("an imported article later listed upstream is the same item: no second body request, nothing new")
    func thenUpstream() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig(["market"])
        _ = try await Self.importer(h, config).run(paths: [Self.backup(h, [JekyllSample.name: JekyllSample.text])], now: Self.nextMorning)
        let report = try await h.pipeline(config, now: { Self.nextMorning }).refresh(config.sources)
        #expect(report.sources[0].new == 3 && report.sources[0].unchanged == 1, "\(report.sources.map(\.line))")
        #expect(!h.api.bodyRequests.contains { $0.target.hasSuffix(JekyllSample.code) })
        #expect(try FeedStore(path: config.storage).itemCount() == 4)
        #expect(try h.feed("all", "rss").strings("/rss/channel/item/guid").filter { $0 == JekyllSample.code }.count == 1)
    }

    @Test("categories: a configured slug gives the name; a slug the config does not give is kept apart with a warning")
    func categories() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.jekyllConfig()
        let folder = Self.backup(h, [
            "2021-12-28-NW202112282229990001.md": Self.post(title: "滚动", slug: "emnews", tags: "东财滚动新闻"),
            "2021-12-28-NW202112282229990002.md": Self.post(title: "旧拼音", slug: "zhengquanshibao2", tags: "证券时报新闻"),
            "2021-12-28-NW202112282229990003.md": Self.post(title: "又一篇", slug: "zhengquanshibao2", tags: "证券时报新闻"),
        ])
        let report = try await Self.importer(h, config).run(paths: [folder], now: Self.nextMorning)
        #expect(report.imported == 3)
        let store = try FeedStore(path: config.storage)
        #expect(try store.item(InfoCode("NW202112282229990001")!)?.categories.map(\.name) == ["东财滚动新闻"])
        #expect(try store.item(InfoCode("NW202112282229990002")!)?.categories.map(\.slug.rawValue) == ["zhengquanshibao"])
        #expect(report.warnings == [
            "category '证券时报': the posts use slug 'zhengquanshibao2', feedd uses 'zhengquanshibao'; "
                + "to keep the old one, add to the config: categories: {证券时报: {slug: zhengquanshibao2}}",
        ])
    }
}
