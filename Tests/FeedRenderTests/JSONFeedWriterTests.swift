import FeedModel
@testable import FeedRender
import FeedTestSupport
import Foundation
import Testing

@Suite("JSON Feed writer")
struct JSONFeedWriterTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let site = SiteInfo(title: "财经新闻", url: "http://localhost:8080", language: "zh-CN", timezone: zone)
    static let category = Category(name: "新华财经", slug: Slug.derive(from: "新华财经").slug)

    static func encoded(_ s: String) -> String {
        var out: [UInt8] = []
        JSONString.append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static let escapes: [(String, String)] = [
        ("plain 文本 😀", "\"plain 文本 😀\""),
        ("\"quoted\" \\ back", #""\"quoted\" \\ back""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", #""\u0000\u0001\u001f"# + "\u{7F}\""),
        ("a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
        ("</script><script>alert(1)</script>", #""<\/script><script>alert(1)<\/script>""#),
        ("<!-- x --><p>ok</p>", #""\u003c!-- x --><p>ok<\/p>""#),
        ("a/b <b>c", #""a/b <b>c""#),
        ("ends with <", #""ends with <""#),
    ]

    @Test("strings are escaped exactly: quotes, backslash, every C0 control, U+2028/2029, `</` and `<!`",
          arguments: escapes.indices)
    func escaping(_ i: Int) throws {
        let (input, expected) = Self.escapes[i]
        #expect(Self.encoded(input) == expected)
        // And JSON parsers read back exactly the input.
        let decoded = try JSONSerialization.jsonObject(with: Data(Self.encoded(input).utf8), options: [.fragmentsAllowed])
        #expect((decoded as? String).map { Array($0.unicodeScalars) } == Array(input.unicodeScalars))
    }

    @Test("every C0 control round-trips through JSONSerialization; none is written raw")
    func allControls() throws {
        let input = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let text = Self.encoded(input)
        #expect(!text.utf8.contains { $0 < 0x20 })
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? String
        #expect(decoded.map { Array($0.unicodeScalars) } == Array(input.unicodeScalars))
    }

    static func item(_ code: String, body: String, outlet: String? = "新华财经", summary: String = "摘要") -> Item {
        Item(infoCode: InfoCode(code)!, title: "标题 <b>不是</b> HTML", summary: summary, body: body, link: "http://example.com/a?x=1&y=2",
             outlet: outlet, published: Date(timeIntervalSince1970: 1_640_761_560),
             updated: Date(timeIntervalSince1970: 1_640_761_600), categories: [category, .all])
    }

    @Test("the item members: Atom's id, the link, plain-text title, the body as content_html, dates in +08:00, outlet, tags")
    func members() throws {
        let channel = FeedChannel(site: Self.site, category: Self.category, ttlMinutes: 5, hub: "https://hub.example/")
        let bytes = JSONFeedWriter.render(channel, items: [Self.item("NW202112292229992448", body: "<p>正文</p>"),
                                                           Self.item("NW2", body: "", outlet: nil, summary: "只有摘要")])
        let feed = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed["title"] as? String == "新华财经 - 财经新闻")
        #expect(feed["feed_url"] as? String == "http://localhost:8080/xinhuacaijing/feed.json")
        #expect(feed["home_page_url"] as? String == "http://localhost:8080/")
        #expect((feed["hubs"] as? [[String: String]]) == [["type": "WebSub", "url": "https://hub.example/"]])
        #expect((feed["_feedd"] as? [String: Int]) == ["ttl": 5])
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items[0]["id"] as? String == FeedChannel.atomID(of: InfoCode("NW202112292229992448")!))
        #expect(items[0]["url"] as? String == "http://example.com/a?x=1&y=2")
        #expect(items[0]["title"] as? String == "标题 <b>不是</b> HTML")
        #expect(items[0]["content_html"] as? String == "<p>正文</p>")
        #expect(items[0]["content_text"] == nil)
        #expect(items[0]["summary"] as? String == "摘要")
        #expect(items[0]["date_published"] as? String == "2021-12-29T15:06:00+08:00")
        // Both items were updated in the same second: the Atom feed's tie-break millisecond, the same here.
        let atom = String(decoding: AtomWriter.render(channel, items: [Self.item("NW202112292229992448", body: "<p>正文</p>"),
                                                                        Self.item("NW2", body: "", outlet: nil, summary: "只有摘要")]),
                          as: UTF8.self)
        let modified = try #require(items[0]["date_modified"] as? String)
        #expect(modified.hasPrefix("2021-12-29T15:06:40.") && modified.hasSuffix("+08:00"))
        #expect(atom.contains("<updated>\(modified)</updated>"))
        #expect((items[0]["authors"] as? [[String: String]]) == [["name": "新华财经"]])
        #expect((items[0]["tags"] as? [String]) == ["新华财经", "全部"])
        #expect((items[0]["_feedd"] as? [String: Any])?["info_code"] as? String == "NW202112292229992448")
        // No body: the summary is the text content; no outlet: no authors.
        #expect(items[1]["content_html"] == nil && items[1]["content_text"] as? String == "只有摘要")
        #expect(items[1]["authors"] == nil)
    }

    @Test("the same items render to the same bytes; an empty feed is a valid document with no items")
    func stable() throws {
        let channel = FeedChannel(site: Self.site, category: Self.category)
        let items = [Self.item("NW202112292229992448", body: "<p>x</p>")]
        #expect(JSONFeedWriter.render(channel, items: items) == JSONFeedWriter.render(channel, items: items))
        let empty = try #require(try JSONSerialization.jsonObject(with: Data(JSONFeedWriter.render(channel, items: []))) as? [String: Any])
        #expect((empty["items"] as? [Any])?.isEmpty == true)
        #expect(empty["_feedd"] == nil && empty["hubs"] == nil)
    }

    @Test("characters XML 1.0 forbids are dropped as the Atom writer drops them: both feeds say the same text")
    func sameTextAsAtom() throws {
        var item = Self.item("NW202112292229992448", body: "<p>正文</p>")
        item.title = "控制\u{1}字符\u{FFFE}与\u{B}标题\t"
        item.outlet = "来源\u{7}"
        let channel = FeedChannel(site: Self.site, category: Self.category)
        let feed = try #require(try JSONSerialization.jsonObject(with: Data(JSONFeedWriter.render(channel, items: [item]))) as? [String: Any])
        let json = try #require((feed["items"] as? [[String: Any]])?.first)
        let atom = try XMLCheck.parse(AtomWriter.render(channel, items: [item])).get()
        #expect(json["title"] as? String == "控制字符与标题\t")
        #expect(atom.strings("/atom:feed/atom:entry/atom:title") == [json["title"] as? String ?? "-"])
        #expect(atom.strings("/atom:feed/atom:entry/atom:author/atom:name") == [(json["authors"] as? [[String: String]])?.first?["name"] ?? "-"])
    }
}
