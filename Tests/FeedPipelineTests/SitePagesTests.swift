import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import FeedTestSupport
import Foundation
import Testing

/// Issue 15's pages, over the fixture APIs (market, media, rolling): the front
/// page, a page per category and one per item, read back with libxml2.
@Suite("site pages: front, category and article pages beside the feeds")
struct SitePagesTests {
    static func read(_ path: String) throws -> XMLDocumentBox {
        try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: path) ?? Data())).get()
    }

    static func folders(_ output: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(output)/\($0)/atom.xml") }.sorted()
    }

    /// What a person reads as the time of `date`: Foundation's formatter, not feedd's code.
    static func shown(_ date: Date, _ format: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "Asia/Shanghai")
        f.dateFormat = format
        return f.string(from: date)
    }

    static func htmlFiles(_ output: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: output)
        var found: [String] = []
        while let path = walker?.nextObject() as? String { if path.hasSuffix(".html") || path.hasSuffix(".css") { found.append(path) } }
        return found.sorted()
    }

    @Test("the front page announces and links every feed and shows each category's newest headlines")
    func frontPage() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config()
        let pipeline = try await h.pipeline(config)
        let report = await pipeline.refresh(config.sources)
        #expect(report.renderErrors == [])
        let folders = Self.folders(h.output)
        #expect(folders.contains("all") && folders.contains("xinhuacaijing") && folders.count >= 5, "\(folders)")
        let page = try Self.read(h.output + "/index.html")
        for (type, file) in [("application/rss+xml", "rss.xml"), ("application/atom+xml", "atom.xml"), ("application/feed+json", "feed.json")] {
            let announced = page.strings("/html/head/link[@rel='alternate'][@type='\(type)']/@href")
            #expect(Set(announced) == Set(folders.map { "http://localhost:8080/\($0)/\(file)" }), "\(type): \(announced)")
            for slug in folders {
                #expect(page.count("//section[@data-slug='\(slug)']/p[@class='feeds']/a[@href='\(slug)/\(file)']") == 1, "\(slug) \(file)")
            }
        }
        #expect(page.count("//footer//a[@href='opml.xml']") == 1)
        #expect(page.strings("/html/head/link[@rel='stylesheet']/@href") == ["style.css"])
        #expect(FileManager.default.fileExists(atPath: h.output + "/style.css"))
        #expect(page.count("//script | //style | //@style | //iframe") == 0)
        // Each section's headlines are its feed's newest items, in order, each linking to its page.
        for slug in folders {
            let guids = try h.feed(slug, "rss").strings("/rss/channel/item/guid")
            let hrefs = page.strings("//section[@data-slug='\(slug)']/ol/li/a/@href")
            #expect(hrefs == guids.prefix(slug == "all" ? 8 : 5).map { "\(slug)/\($0).html" }, "\(slug)")
            for href in hrefs { #expect(FileManager.default.fileExists(atPath: h.output + "/" + href), "\(href)") }
            #expect(page.strings("//section[@data-slug='\(slug)']/h2/a/@href") == ["\(slug)/"])
        }
        // The time is in site.timezone, the outlet beside it.
        let item = try #require(try await pipeline.store.item(InfoCode("NW202112292229992448")!))
        let li = "//section[@data-slug='xinhuacaijing']/ol/li[a/@href='xinhuacaijing/NW202112292229992448.html']"
        #expect(page.strings(li + "/a") == [item.title])
        #expect(page.strings(li + "/span[@class='meta']/time") == [Self.shown(item.published, "MM-dd HH:mm")])
        #expect(page.strings(li + "/span[@class='meta']/span[@class='outlet']") == [item.outlet ?? "?"])
        #expect(ReaderCheck.problems(html: String(decoding: FileManager.default.contents(atPath: h.output + "/index.html")!, as: UTF8.self),
                                     field: "index.html", allowlist: ReaderCheck.pageAllowlist, relativeLinks: true) == [])
    }

    @Test("a category page lists its feed's items newest first; an article page has the body, the original and back links")
    func categoryAndArticle() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try h.config()
        let pipeline = try await h.pipeline(config)
        _ = await pipeline.refresh(config.sources)
        let guids = try h.feed("xinhuacaijing", "rss").strings("/rss/channel/item/guid")
        #expect(guids.count >= 2)
        let page = try Self.read(h.output + "/xinhuacaijing/index.html")
        #expect(page.strings("//ol[@class='items']/li/h2/a/@href") == guids.map { $0 + ".html" })
        let items = try await pipeline.store.items(guids.map { InfoCode($0)! })
        #expect(items.count == guids.count)
        #expect(items.map(\.published) == items.map(\.published).sorted(by: >))
        for item in items {
            let li = "//li[@class='item'][h2/a/@href='\(item.infoCode.rawValue).html']"
            #expect(page.strings(li + "/h2/a") == [item.title])
            #expect(page.strings(li + "/p[@class='meta']/time") == [Self.shown(item.published, "yyyy-MM-dd HH:mm")])
            #expect(page.strings(li + "/p[@class='meta']/time/@datetime").first?.hasSuffix("+08:00") == true)
            #expect(page.strings(li + "/p[@class='summary']") == (item.summary.isEmpty ? [] : [item.summary]))
        }
        #expect(Set(page.strings("/html/head/link[@rel='alternate']/@href")) ==
                Set(["rss.xml", "atom.xml", "feed.json"].map { "http://localhost:8080/xinhuacaijing/\($0)" }))
        #expect(page.strings("//main/p[@class='feeds']/a/@href") == ["rss.xml", "atom.xml", "feed.json"])
        #expect(page.strings("/html/head/link[@rel='stylesheet']/@href") == ["../style.css"])

        let item = try #require(items.first { !$0.body.isEmpty })
        let article = try Self.read(h.output + "/xinhuacaijing/\(item.infoCode.rawValue).html")
        #expect(article.strings("//article/h1") == [item.title])
        #expect(article.strings("//article/p[@class='meta']/span[@class='outlet']") == [item.outlet ?? "?"])
        let shownBody = article.strings("//article/div[@class='body']").first ?? ""
        let bodyText = ReaderCheck.shownText(html: item.body)
        #expect(!bodyText.isEmpty && shownBody.contains(bodyText.prefix(20)), "\(shownBody)")
        #expect(article.strings("//article/p[@class='original']/a/@href") == (item.link.map { [$0] } ?? []))
        let linked = try #require(items.first { $0.link?.hasPrefix("http") == true })
        #expect(try Self.read(h.output + "/xinhuacaijing/\(linked.infoCode.rawValue).html")
            .strings("//article/p[@class='original']/a/@href") == [linked.link!])
        let backLinks = Set(article.strings("//article/nav[@class='categories']/a/@href"))
        #expect(backLinks == Set(item.categories.map { "../\($0.slug.rawValue)/" } + ["../all/"]), "\(backLinks)")
        for link in backLinks {
            #expect(FileManager.default.fileExists(atPath: h.output + "/xinhuacaijing/" + link + "index.html"), "\(link)")
        }
        let raw = String(decoding: FileManager.default.contents(atPath: h.output + "/xinhuacaijing/\(item.infoCode.rawValue).html")!, as: UTF8.self)
        #expect(ReaderCheck.problems(html: raw, field: "article", allowlist: ReaderCheck.articleAllowlist, relativeLinks: true) == [])

        // A second render writes nothing: every page's bytes are unchanged.
        let again = await pipeline.render()
        #expect(again.filesWritten == 0 && again.errors.isEmpty)
    }

    @Test("an item that leaves every feed loses its pages: by the feeds' item limit, and by a rule")
    func leavingPagesRemoved() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let yaml = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output)
        let config = try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: h.folder.path)
        _ = await try await h.pipeline(config).refresh(config.sources)
        let code = "NW202112292229990001" // 逆回购, 中国证券报, in all/ and zhongguozhengquanbao/
        let pages = { Self.htmlFiles(h.output).filter { $0.hasSuffix(code + ".html") } }
        #expect(pages().count >= 2, "\(pages())")

        let ruled = try ConfigLoader.parse(yaml: yaml + "rules:\n  - discard: {title: 逆回购}\n", file: "test.yaml", baseDirectory: h.folder.path)
        let outcome = try await h.pipeline(ruled).render()
        #expect(outcome.errors == [])
        #expect(pages() == [])
        #expect(FileManager.default.fileExists(atPath: h.output + "/all/NW202112292229992448.html"))

        // With one item per feed only each feed's newest keeps a page.
        let short = try ConfigLoader.parse(yaml: yaml.replacingOccurrences(of: "items: 100", with: "items: 1"),
                                           file: "test.yaml", baseDirectory: h.folder.path)
        #expect(try await h.pipeline(short).render().errors == [])
        for slug in Self.folders(h.output) {
            let guids = try h.feed(slug, "rss").strings("/rss/channel/item/guid")
            let names = try FileManager.default.contentsOfDirectory(atPath: h.output + "/" + slug).filter { $0.hasSuffix(".html") }
            #expect(Set(names) == Set(guids.map { $0 + ".html" } + ["index.html"]), "\(slug): \(names)")
            #expect(guids.count == 1, "\(slug)")
        }
    }

    @Test("site.pages: off writes the feeds and OPML and no page, and removes the pages a render with pages on wrote; a wrong value is a config error with its line")
    func pagesOff() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let on = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output)
        let withPages = try ConfigLoader.parse(yaml: on, file: "test.yaml", baseDirectory: h.folder.path)
        #expect(await try await h.pipeline(withPages).refresh(withPages.sources).renderErrors == [])
        #expect(Self.htmlFiles(h.output).count > 5)
        #expect(FileManager.default.fileExists(atPath: h.output + "/style.css"))

        let yaml = on.replacingOccurrences(of: "  timezone: Asia/Shanghai\n", with: "  timezone: Asia/Shanghai\n  pages: off\n")
        let config = try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: h.folder.path)
        #expect(config.site.pages == false)
        let report = await try await h.pipeline(config).refresh(config.sources)
        #expect(report.renderErrors == [])
        #expect(Self.htmlFiles(h.output) == [])
        #expect(!FileManager.default.fileExists(atPath: h.output + "/style.css"))
        #expect(FileManager.default.fileExists(atPath: h.output + "/opml.xml"))
        #expect(Self.folders(h.output).count >= 5)
        #expect(try h.feed("all", "rss").count("/rss/channel/item") > 0)

        let wrong = yaml.replacingOccurrences(of: "  pages: off\n", with: "  pages: sometimes\n")
        let line = wrong.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("pages: sometimes") }! + 1
        #expect {
            try ConfigLoader.parse(yaml: wrong, file: "test.yaml", baseDirectory: h.folder.path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("test.yaml:\(line)") && text.contains("site.pages") && text.contains("sometimes")
        }
    }
}
