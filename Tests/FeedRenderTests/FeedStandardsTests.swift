import FeedModel
import FeedRender
import FeedTestSupport
import Foundation
import Testing

/// Issue 10 §2: each warning class the W3C feed validator has for what feedd
/// writes, made impossible, checked on the written bytes (the validator itself
/// runs from `tools/validate-feeds.sh`, outside the suite).
@Suite("RSS and Atom as the W3C validator reads them")
struct FeedStandardsTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    static let site = SiteInfo(title: "财经新闻 & \"市场\" <快讯>", url: "http://127.0.0.1:8080/", language: "zh-CN", timezone: zone)
    static let category = Category(name: "R&D <观察>", slug: Slug(validating: "rd")!)
    static let channel = FeedChannel(site: site, category: category, ttlMinutes: 2, hub: "https://hub.example.com/")

    static let titles = ["沪深300&中证500双双走高", "市盈率<10倍", "A股 > 预期 📈", "他说\"不\"行 & 'OK'",
                         "【快讯】央行：逆回购；利率持平。", "&amp; 原样", "港股「恒指」", "<b>加粗</b>不是标记"]

    static var items: [Item] {
        titles.enumerated().map { i, title in
            Item(infoCode: InfoCode("NW20211229222999000\(i)")!, title: title, summary: "摘要 \(title)",
                 body: i == 0 ? "" : "<p>正文 &amp; &lt;b&gt;</p>", link: "https://finance.example.cn/a/\(i).html?x=1&y=2",
                 outlet: i % 2 == 0 ? "证券时报 & 中证网" : nil,
                 published: Date(timeIntervalSince1970: 1_640_761_560 - Double(i) * 60),
                 updated: Date(timeIntervalSince1970: 1_640_761_560 - Double(i) * 60), categories: [category])
        }
    }

    static var rss: String { String(decoding: RSSWriter.render(channel, items: items), as: UTF8.self) }
    static var atom: String { String(decoding: AtomWriter.render(channel, items: items), as: UTF8.self) }

    /// The raw contents of every `<name …>…</name>` in `xml`.
    static func raw(_ name: String, in xml: String) -> [String] {
        let element = try! Regex("<\(name)(?: [^>]*)?>(.*?)</\(name)>").dotMatchesNewlines()
        return xml.matches(of: element).compactMap { $0.output[1].substring.map(String.init) }
    }

    // NotHtml / ContainsHTML ("title should not contain HTML") and CharacterData:
    // the RSS Profile's encoding for plain text, in RSS and in Atom.
    @Test("plain-text elements carry & and < as &#x26; and &#x3C;, never as &amp; or &lt;",
          arguments: [("rss", ["title", "dc:creator", "category"]), ("atom", ["title", "name", "summary"])])
    func rssProfilePlainText(format: String, elements: [String]) throws {
        let xml = format == "rss" ? Self.rss : Self.atom
        for element in elements {
            let values = Self.raw(element, in: xml).filter { !$0.contains("加粗") } // declared html in Atom: atomDeclaredHTML
            #expect(!values.isEmpty, "\(element)")
            for value in values {
                #expect(!value.contains("&amp;") && !value.contains("&lt;") && !value.contains("&gt;") && !value.contains("<"),
                        "\(format) <\(element)>: \(value)")
            }
        }
        #expect(xml.contains("沪深300&#x26;中证500双双走高"))
        #expect(xml.contains("市盈率&#x3C;10倍"))
        #expect(xml.contains("&#x26;amp; 原样"), "a literal entity in a title stays text")
        // And an XML reader decodes them to exactly the characters.
        let doc = try XMLCheck.parse(Array(xml.utf8)).get()
        let decoded = format == "rss" ? doc.strings("/rss/channel/item/title")
            : doc.strings("/atom:feed/atom:entry/atom:title[@type='text']") + ["<b>加粗</b>不是标记"]
        #expect(decoded == Self.titles)
    }

    // ContainsUndeclaredHTML ("title should not contain HTML unless declared in the type attribute").
    @Test("an Atom title or summary holding an end tag is declared type=\"html\" and escaped; others are type=\"text\"")
    func atomDeclaredHTML() throws {
        let titles = Self.raw("title", in: Self.atom)
        #expect(titles.last == "&amp;lt;b&amp;gt;加粗&amp;lt;/b&amp;gt;不是标记")
        let doc = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        #expect(doc.strings("/atom:feed/atom:entry/atom:title/@type") == Array(repeating: "text", count: Self.titles.count - 1) + ["html"])
        #expect(doc.strings("/atom:feed/atom:entry/atom:title").last == "&lt;b&gt;加粗&lt;/b&gt;不是标记")
        #expect(doc.strings("/atom:feed/atom:entry/atom:summary/@type").last == "html")
    }

    @Test("the channel description and title are plain text, as the validator reads them")
    func channelText() throws {
        let doc = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        #expect(doc.strings("/rss/channel/title") == ["R&D <观察> - 财经新闻 & \"市场\" <快讯>"])
        #expect(doc.strings("/rss/channel/description") == doc.strings("/rss/channel/title"))
        #expect(Self.raw("description", in: Self.rss).first == "R&#x26;D &#x3C;观察&#x3E; - 财经新闻 &#x26; \"市场\" &#x3C;快讯&#x3E;")
    }

    // Issue 10 §1 at the writer: the item description is HTML, so the summary is escaped as HTML first.
    @Test("the RSS item description is the summary escaped as HTML; Atom's summary is type text")
    func summaryModels() throws {
        let doc = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        #expect(doc.strings("/rss/channel/item/description")[1] == "摘要 市盈率&lt;10倍")
        #expect(doc.strings("/rss/channel/item/content:encoded")[0] == "摘要 沪深300&amp;中证500双双走高",
                "no body: the content is the summary, as HTML")
        let atom = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        #expect(atom.strings("/atom:feed/atom:entry/atom:summary/@type").dropLast().allSatisfy { $0 == "text" })
        #expect(atom.strings("/atom:feed/atom:entry/atom:summary")[1] == "摘要 市盈率<10倍")
        #expect(atom.strings("/atom:feed/atom:entry/atom:content")[0] == "摘要 沪深300&amp;中证500双双走高")
        #expect(atom.strings("/atom:feed/atom:entry/atom:content/@type").allSatisfy { $0 == "html" })
    }

    // MissingAtomSelfLink, MissingSelf, RelativeSelf, SelfDoesntMatchLocation.
    @Test("self links: absolute, the feed's own URL, typed")
    func selfLinks() throws {
        let rss = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        #expect(rss.strings("/rss/channel/atom:link[@rel='self']/@href") == ["http://127.0.0.1:8080/rd/rss.xml"])
        #expect(rss.strings("/rss/channel/atom:link[@rel='self']/@type") == ["application/rss+xml"])
        let atom = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        #expect(atom.strings("/atom:feed/atom:link[@rel='self']/@href") == ["http://127.0.0.1:8080/rd/atom.xml"])
        #expect(atom.strings("/atom:feed/atom:link[@rel='self']/@type") == ["application/atom+xml"])
    }

    // MissingGuid, InvalidPermalink / InvalidHttpGUID (a guid that is not a URL must say so), DuplicateIds.
    @Test("every item has a guid marked isPermaLink=\"false\", unique; every entry a unique tag: id")
    func guids() throws {
        let rss = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        let guids = rss.strings("/rss/channel/item/guid")
        #expect(guids.count == Self.titles.count && Set(guids).count == guids.count)
        #expect(rss.strings("/rss/channel/item/guid/@isPermaLink") == Array(repeating: "false", count: guids.count))
        let atom = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        let ids = atom.strings("/atom:feed/atom:entry/atom:id")
        #expect(Set(ids).count == Self.titles.count && ids.allSatisfy { $0.hasPrefix("tag:feedd,2021:item/") })
    }

    // InvalidRFC2822Date, ProblematicalRFC822Date, IncorrectDOW, InvalidRFC3339Date, ImplausibleDate.
    @Test("dates: RFC 822 with weekday, four-digit year and numeric zone; RFC 3339; an empty feed is not dated 1970")
    func dates() throws {
        let rss = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        #expect(rss.strings("/rss/channel/item/pubDate").first == "Wed, 29 Dec 2021 15:06:00 +0800")
        let rfc822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/
        #expect(rss.strings("//pubDate | //lastBuildDate").allSatisfy { $0.wholeMatch(of: rfc822) != nil })
        let atom = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        let rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$/
        #expect(atom.strings("//atom:updated | //atom:published").allSatisfy { $0.wholeMatch(of: rfc3339) != nil })
        let empty = try XMLCheck.parse(AtomWriter.render(Self.channel, items: [])).get()
        let updated = try #require(empty.strings("/atom:feed/atom:updated").first)
        #expect(updated >= "1990-01-01", "the validator calls dates before 1990 implausible: \(updated)")
        #expect(AtomWriter.render(Self.channel, items: []) == AtomWriter.render(Self.channel, items: []))
    }

    // DuplicateItemSemantics (author and dc:creator), MissingRealName / InvalidContact (RSS author must be an e-mail).
    @Test("the outlet is dc:creator only: no RSS <author>, which would have to be an e-mail address")
    func creator() throws {
        let rss = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        #expect(rss.count("//author") == 0)
        #expect(rss.strings("/rss/channel/item/dc:creator") == ["证券时报 & 中证网", "证券时报 & 中证网", "证券时报 & 中证网", "证券时报 & 中证网"])
    }

    // InvalidLanguage, MissingDCLanguage, InvalidInteger (ttl), UnregisteredAtomLinkRel (hub).
    @Test("language and xml:lang, ttl in whole minutes, the hub as a registered rel")
    func channelFields() throws {
        let rss = try XMLCheck.parse(Array(Self.rss.utf8)).get()
        #expect(rss.strings("/rss/channel/language") == ["zh-CN"])
        #expect(rss.strings("/rss/channel/ttl") == ["2"])
        #expect(rss.strings("/rss/channel/atom:link[@rel='hub']/@href") == ["https://hub.example.com/"])
        let atom = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        #expect(atom.strings("/atom:feed/@xml:lang") == ["zh-CN"])
        #expect(atom.strings("/atom:feed/atom:link/@rel") == ["self", "alternate", "hub"])
    }

    // NeedDescriptionBeforeContent; MissingDescription; MissingTextualContent / MissingContentOrAlternate.
    @Test("item order: description before content:encoded; every entry has content and an alternate link")
    func order() throws {
        for item in Self.raw("item", in: Self.rss) {
            let description = try #require(item.range(of: "<description>"))
            let content = try #require(item.range(of: "<content:encoded>"))
            #expect(description.lowerBound < content.lowerBound)
        }
        let atom = try XMLCheck.parse(Array(Self.atom.utf8)).get()
        #expect(atom.count("/atom:feed/atom:entry/atom:content") == Self.titles.count)
        #expect(atom.count("/atom:feed/atom:entry/atom:link[@rel='alternate']") == Self.titles.count)
        #expect(XMLCheck.atomSchemaErrors(Array(Self.atom.utf8)) == [])
    }

    // DuplicateUpdated ("Two entries with the same value for atom:updated"): news lists many items per minute.
    @Test("entries sharing an updated second get distinct, stable milliseconds; the others none")
    func distinctUpdated() throws {
        let second = Date(timeIntervalSince1970: 1_640_761_560)
        var items = Self.items
        for i in 0..<5 { items[i].updated = second }
        let doc = try XMLCheck.parse(AtomWriter.render(Self.channel, items: items)).get()
        let updated = doc.strings("/atom:feed/atom:entry/atom:updated")
        #expect(Set(updated).count == updated.count, "\(updated)")
        #expect(updated.prefix(5).allSatisfy { $0.wholeMatch(of: /2021-12-29T15:06:00\.\d{3}\+08:00/) != nil }, "\(updated)")
        #expect(updated.dropFirst(5).allSatisfy { !$0.contains(".") })
        // An item's millisecond depends on its code, not on its neighbours.
        let fewer = try XMLCheck.parse(AtomWriter.render(Self.channel, items: [items[3], items[1]])).get()
        #expect(fewer.strings("/atom:feed/atom:entry/atom:updated") == [updated[3], updated[1]])
        #expect(XMLCheck.atomSchemaErrors(AtomWriter.render(Self.channel, items: items)) == [])
    }

    // NotBlank ("content should not be blank"), MissingTextualContent.
    @Test("an item with neither body nor summary: no empty <content>, its title as the summary")
    func nothingToShow() throws {
        var item = Self.items[1]
        item.body = ""
        item.summary = ""
        let bytes = AtomWriter.render(Self.channel, items: [item])
        let doc = try XMLCheck.parse(bytes).get()
        #expect(doc.count("//atom:content") == 0)
        #expect(doc.strings("/atom:feed/atom:entry/atom:summary") == [item.title])
        #expect(XMLCheck.atomSchemaErrors(bytes) == [])
    }

    // ContainsHTML on a category label (an attribute: nothing can declare it HTML).
    @Test("a category name holding an end tag gets no Atom label; the term stays")
    func labels() throws {
        var item = Self.items[1]
        item.categories = [Category(name: "<b>x</b>", slug: Slug(validating: "bxb")!), Self.category]
        let doc = try XMLCheck.parse(AtomWriter.render(Self.channel, items: [item])).get()
        #expect(doc.strings("//atom:entry/atom:category/@term") == ["bxb", "rd"])
        #expect(doc.strings("//atom:entry/atom:category/@label") == ["R&D <观察>"])
        // Attributes are plain text too: `&` as `&#x26;`, so a label reading `&#14;` is not taken for an entity.
        #expect(Self.atom.contains("label=\"R&#x26;D &#x3C;观察&#x3E;\""))
        item.categories = [Category(name: "jav&#x0A;a", slug: Slug(validating: "java")!)]
        let bytes = String(decoding: AtomWriter.render(Self.channel, items: [item]), as: UTF8.self)
        #expect(bytes.contains("label=\"jav&#x26;#x0A;a\""))
    }

    // ContainsRelRef, InvalidFullLink, SecurityRisk: links are absolute http(s).
    @Test("an item link that is not absolute http(s) is replaced by the feed's folder", arguments: [
        "javascript:alert(1)", "/relative/a.html", "a.html", "data:text/html,x", " https://x.example/ a", "http://",
    ])
    func links(_ link: String) throws {
        var item = Self.items[1]
        item.link = link
        let rss = try XMLCheck.parse(RSSWriter.render(Self.channel, items: [item])).get()
        #expect(rss.strings("/rss/channel/item/link") == ["http://127.0.0.1:8080/rd/"])
        let atom = try XMLCheck.parse(AtomWriter.render(Self.channel, items: [item])).get()
        #expect(atom.strings("/atom:feed/atom:entry/atom:link/@href") == ["http://127.0.0.1:8080/rd/"])
    }
}
