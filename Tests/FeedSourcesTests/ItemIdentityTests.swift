@testable import FeedSources
import FeedRules
import Testing

@Suite("Item identity: configured regex, then id, then clean link, then hash")
struct ItemIdentityTests {
    @Test("tracking parameters and fragments are removed; the rest is kept in order", arguments: [
        ("https://x.cn/a.html?utm_source=rss&utm_medium=feed", "https://x.cn/a.html"),
        ("https://x.cn/a.html?id=7&utm_source=rss&spm=a2c4g.1&page=2", "https://x.cn/a.html?id=7&page=2"),
        ("https://x.cn/a.html?from=timeline&isappinstalled=0", "https://x.cn/a.html"),
        ("https://x.cn/a.html?fbclid=IwAR0&gclid=1&msclkid=2#comments", "https://x.cn/a.html"),
        ("https://x.cn/a.html?UTM_Campaign=x&ID=1", "https://x.cn/a.html?ID=1"),
        ("https://x.cn/a.html?scm=1&share_token=abc&tt_from=weixin&wxfrom=5", "https://x.cn/a.html"),
        ("https://x.cn/a.html?id=1&&", "https://x.cn/a.html?id=1"),
        ("https://x.cn/a.html", "https://x.cn/a.html"),
        ("  https://x.cn/a.html#top ", "https://x.cn/a.html"),
        ("https://x.cn/search?q=from", "https://x.cn/search?q=from"),
    ])
    func cleanLinks(_ link: String, _ expected: String) {
        #expect(LinkCleaner.clean(link) == expected)
    }

    @Test("the configured regex wins, in the id first, then the link")
    func pattern() throws {
        let identity = ItemIdentity(pattern: try Pattern(#"NW\d{18}"#, caseSensitive: true))
        let (code, origin, missed) = identity.code(id: "http://x.cn/NW202112292229992448.html",
                                                   link: "http://x.cn/NW202112292229990001.html", title: "t", date: nil)
        #expect(code.rawValue == "NW202112292229992448" && origin == .pattern && !missed)
        let fromLink = identity.code(id: "guid-1", link: "http://x.cn/?infoCode=NW202112292229990001", title: "t", date: nil)
        #expect(fromLink.0.rawValue == "NW202112292229990001")
    }

    @Test("a capture group narrows the match")
    func captureGroup() throws {
        let identity = ItemIdentity(pattern: try Pattern(#"infoCode=(\w+)"#, caseSensitive: true))
        #expect(identity.code(id: nil, link: "http://x.cn/s.html?infoCode=AB123&x=1", title: "t", date: nil).0.rawValue == "AB123")
    }

    @Test("a regex that matches nothing falls back, and says so")
    func patternMissed() throws {
        let identity = ItemIdentity(pattern: try Pattern(#"NW\d{18}"#, caseSensitive: true))
        let (code, origin, missed) = identity.code(id: "guid-1", link: nil, title: "t", date: nil)
        #expect(code.rawValue == "guid-1" && origin == .id && missed)
    }

    @Test("without a regex: id, then clean link, then a stable hash")
    func order() {
        let identity = ItemIdentity(pattern: nil)
        #expect(identity.code(id: "g", link: "http://x.cn/a?utm_source=1", title: "t", date: nil).1 == .id)
        let link = identity.code(id: nil, link: "http://x.cn/a?utm_source=1", title: "t", date: nil)
        #expect(link.0.rawValue == "http://x.cn/a" && link.1 == .link)
        let hashed = identity.code(id: "  ", link: nil, title: "沪指午间收涨", date: "Wed, 29 Dec 2021 11:30:00 +0800")
        #expect(hashed.1 == .hash)
        #expect(hashed.0 == ItemIdentity.hashCode(title: "沪指午间收涨", date: "Wed, 29 Dec 2021 11:30:00 +0800"))
        #expect(hashed.0 != ItemIdentity.hashCode(title: "沪指午间收涨", date: nil))
        #expect(ItemIdentity.hashCode(title: "a", date: nil).rawValue == "h-089bdc07b544e7b2") // FNV-1a of "a\n"
    }
}
