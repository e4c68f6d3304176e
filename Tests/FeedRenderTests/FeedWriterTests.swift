import FeedModel
import FeedRender
import FeedTestSupport
import Foundation
import Testing

@Suite("RSS and Atom writers")
struct FeedWriterTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let site = SiteInfo(title: "财经新闻", url: "http://localhost:8080", language: "zh-CN", timezone: zone)
    static let category = Category(name: "新华财经", slug: Slug.derive(from: "新华财经").slug)

    static func item(_ code: String, title: String = "标题", body: String = "<p>正文 &amp; more</p>",
                     published: TimeInterval = 1_640_761_560, updated: TimeInterval? = nil) -> Item {
        Item(infoCode: InfoCode(code)!, title: title, summary: "摘要", body: body, link: "http://example.com/a?x=1&y=2",
             outlet: "新华财经", published: Date(timeIntervalSince1970: published),
             updated: Date(timeIntervalSince1970: updated ?? published), categories: [category])
    }

    static let items = [item("NW202112292229992448"), item("NW2", title: "第二 <b>\"条\"</b>", published: 1_640_700_000)]
    var channel: FeedChannel { FeedChannel(site: Self.site, category: Self.category) }

    @Test("RSS 2.0 parses, with guid, RFC 822 dates in +0800, content:encoded and dc:creator")
    func rss() throws {
        let doc = try XMLCheck.parse(RSSWriter.render(channel, items: Self.items)).get()
        #expect(doc.strings("/rss/@version") == ["2.0"])
        #expect(doc.strings("/rss/channel/item/guid") == ["NW202112292229992448", "NW2"])
        #expect(doc.strings("/rss/channel/item/guid/@isPermaLink") == ["false", "false"])
        #expect(doc.strings("/rss/channel/item/pubDate").first == "Wed, 29 Dec 2021 15:06:00 +0800")
        #expect(doc.strings("/rss/channel/lastBuildDate") == ["Wed, 29 Dec 2021 15:06:00 +0800"])
        #expect(doc.strings("/rss/channel/item/content:encoded").first == "<p>正文 &amp; more</p>")
        #expect(doc.strings("/rss/channel/item/dc:creator").first == "新华财经")
        #expect(doc.strings("/rss/channel/item/title").last == "第二 <b>\"条\"</b>")
        #expect(doc.strings("/rss/channel/atom:link/@href") == ["http://localhost:8080/xinhuacaijing/rss.xml"])
    }

    @Test("Atom validates against the RFC 4287 RELAX NG schema")
    func atomValid() throws {
        let bytes = AtomWriter.render(channel, items: Self.items)
        #expect(XMLCheck.atomSchemaErrors(bytes) == [])
        let doc = try XMLCheck.parse(bytes).get()
        #expect(doc.strings("/atom:feed/atom:entry/atom:id").first == "tag:feedd,2021:item/NW202112292229992448")
        #expect(doc.strings("/atom:feed/atom:updated") == ["2021-12-29T15:06:00+08:00"])
        #expect(doc.strings("/atom:feed/atom:entry/atom:author/atom:name").first == "新华财经")
        #expect(doc.strings("/atom:feed/atom:link[@rel='self']/@href") == ["http://localhost:8080/xinhuacaijing/atom.xml"])
    }

    @Test("an empty feed is still valid")
    func empty() {
        #expect(XMLCheck.atomSchemaErrors(AtomWriter.render(channel, items: [])) == [])
        #expect((try? XMLCheck.parse(RSSWriter.render(channel, items: [])).get()) != nil)
    }

    @Test("characters XML 1.0 forbids never reach the output")
    func forbiddenCharacters() throws {
        let nasty = Self.item("NW3", title: "a\u{0}b\u{1}c\u{B}\u{FFFE}d", body: "<p>x\u{1F}y\u{FFFF}</p>")
        for bytes in [RSSWriter.render(channel, items: [nasty]), AtomWriter.render(channel, items: [nasty])] {
            let doc = try XMLCheck.parse(bytes).get()
            #expect(doc.strings("//item/title | //atom:entry/atom:title") == ["abcd"])
        }
    }

    @Test("the feed's date is its newest item's: rendering again gives the same bytes")
    func stable() {
        let a = RSSWriter.render(channel, items: Self.items)
        let b = RSSWriter.render(channel, items: Self.items)
        #expect(a == b)
        let updated = [Self.item("NW202112292229992448", updated: 1_700_000_000), Self.items[1]]
        let doc = try? XMLCheck.parse(AtomWriter.render(channel, items: updated)).get()
        #expect(doc?.strings("/atom:feed/atom:updated") == ["2023-11-15T06:13:20+08:00"])
    }

    @Test("atomic writes: no rewrite for the same bytes, no temp file left")
    func atomic() throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let path = folder.file("x/rss.xml")
        #expect(try AtomicFile.write(Array("one".utf8), to: path))
        #expect(try !AtomicFile.write(Array("one".utf8), to: path))
        #expect(try AtomicFile.write(Array("two".utf8), to: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("x")) == ["rss.xml"])
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write([1], to: "/proc/nope/rss.xml") }
    }
}
