import FeedConfig
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

/// `images:` on every image of every output: RSS, Atom, JSON Feed, Jekyll
/// posts; and a changed setting taking effect with no upstream request.
@Suite("images: referrer policy and proxy template in every output")
struct ImagesRenderTests {
    static let template = "https://img.example/p?url={url}&w=800"

    /// An RSS feed of three articles with five images between them, dated an hour ago (so Jekyll posts are written).
    static func feed(base: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let date = formatter.string(from: Date().addingTimeInterval(-3600))
        let bodies = [
            #"<p>图一</p><p><img src="https://img.cdn.cn/a.jpg?x=1&amp;y=2" alt="甲" width="600"></p>"#,
            #"<img data-src="/lazy/b.png" src="data:image/gif;base64,R0lGOD"><p>中</p><img src="//img2.cdn.cn/c.gif">"#,
            #"<p><a href="/x"><img src="d%20e.png" title="乙"></a>后<img srcset="https://img.cdn.cn/f.jpg 2x"></p>"#,
        ]
        var items = ""
        for (i, body) in bodies.enumerated() {
            items += """
                <item><title>有图的文章\(i)</title><link>\(base)/pics/NW20211229222999030\(i).html</link>
                <guid>NW20211229222999030\(i)</guid><pubDate>\(date)</pubDate><description>摘要\(i)</description>
                <content:encoded><![CDATA[\(body)]]></content:encoded></item>

                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>图</title>
            \(items)</channel></rss>
            """
    }

    static let imageCount = 5

    func config(_ h: PipelineHarness, images: String) throws -> Config {
        try h.config([], extra: """
              - name: pics
                type: feed
                url: \(h.api.base)/feeds/pics.xml
                category: 图片新闻
            \(images)
            jekyll: {posts: \(h.folder.file("site/_posts")), site_url: //finews.example.com/}

            """)
    }

    /// Every `<img>` in every output: the HTML of RSS `content:encoded`, Atom `content`,
    /// JSON Feed `content_html`, and the Jekyll posts, by where it was found.
    static func images(_ h: PipelineHarness) throws -> [(place: String, image: HTMLCheck.Element)] {
        var html: [(String, String)] = []
        for folder in JSONFeedTests.categoryFolders(h.output) {
            for body in try h.feed(folder, "rss").strings("/rss/channel/item/content:encoded") { html.append(("\(folder)/rss.xml", body)) }
            for body in try h.feed(folder, "atom").strings("/atom:feed/atom:entry/atom:content") { html.append(("\(folder)/atom.xml", body)) }
            let data = FileManager.default.contents(atPath: "\(h.output)/\(folder)/feed.json") ?? Data()
            let feed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for item in feed["items"] as? [[String: Any]] ?? [] {
                html.append(("\(folder)/feed.json", item["content_html"] as? String ?? ""))
            }
        }
        let posts = h.folder.file("site/_posts")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: posts)) ?? [] {
            html.append(("_posts/\(name)", (try? String(contentsOfFile: "\(posts)/\(name)", encoding: .utf8)) ?? ""))
        }
        return html.flatMap { place, fragment in
            HTMLCheck.parse(fragment).elements.filter { $0.name == "img" }.map { (place, $0) }
        }
    }

    /// The original address inside a proxied one.
    static func unproxied(_ src: String) -> String? {
        guard src.hasPrefix("https://img.example/p?url="), src.hasSuffix("&w=800") else { return nil }
        return String(src.dropFirst("https://img.example/p?url=".count).dropLast("&w=800".count)).removingPercentEncoding
    }

    @Test("every image of every output carries referrerpolicy and the proxy template; a changed setting re-renders without fetching")
    func everyOutput() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.api.server.set("/feeds/pics.xml", .file(Array(Self.feed(base: h.api.base).utf8), contentType: "application/rss+xml"))
        let proxied = try config(h, images: "images: {referrer_policy: no-referrer, proxy: \"\(Self.template)\"}")
        let report = try await h.pipeline(proxied).refresh(proxied.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")

        let images = try Self.images(h)
        let places = Set(images.map(\.place))
        // all + 图片新闻: RSS, Atom, JSON each; and three posts.
        #expect(places.count == 2 * 3 + 3, "\(places.sorted())")
        #expect(images.count == Self.imageCount * 2 * 3 + Self.imageCount, "\(images.count)")
        var originals: Set<String> = []
        for (place, image) in images {
            #expect(image.attribute("referrerpolicy") == "no-referrer", "\(place): \(image.attributes)")
            let original = Self.unproxied(image.attribute("src") ?? "")
            #expect(original?.hasPrefix("https://") == true || original?.hasPrefix("http://") == true,
                    "\(place): \(image.attribute("src") ?? "-")")
            if let original { originals.insert(original) }
        }
        #expect(originals == ["https://img.cdn.cn/a.jpg?x=1&y=2", "\(h.api.base)/lazy/b.png", "http://img2.cdn.cn/c.gif",
                              "\(h.api.base)/pics/d%20e.png", "https://img.cdn.cn/f.jpg"], "\(originals)")

        // The same store, another setting: rendered again, with not one upstream request.
        h.api.server.clearLog()
        let plain = try config(h, images: "images: {referrer_policy: none}")
        let rendered = try await h.pipeline(plain).render()
        #expect(rendered.errors.isEmpty && rendered.filesWritten > 0)
        #expect(h.api.server.requests.isEmpty)
        let after = try Self.images(h)
        #expect(after.count == images.count)
        for (place, image) in after {
            #expect(image.attribute("referrerpolicy") == nil, "\(place)")
            #expect(Self.unproxied(image.attribute("src") ?? "") == nil, "\(place): \(image.attribute("src") ?? "-")")
        }
        #expect(Set(after.compactMap { $0.image.attribute("src") }) == originals)
    }

    @Test("without an images section every image still gets referrerpolicy=\"no-referrer\"")
    func defaultPolicy() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.api.server.set("/feeds/pics.xml", .file(Array(Self.feed(base: h.api.base).utf8), contentType: "application/rss+xml"))
        let config = try config(h, images: "")
        _ = try await h.pipeline(config).refresh(config.sources)
        let images = try Self.images(h)
        #expect(images.count == Self.imageCount * 2 * 3 + Self.imageCount)
        #expect(images.allSatisfy { $0.image.attribute("referrerpolicy") == "no-referrer" })
        #expect(images.allSatisfy { Self.unproxied($0.image.attribute("src") ?? "") == nil })
    }
}
