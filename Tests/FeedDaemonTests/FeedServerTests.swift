import FeedTestSupport
import Foundation
import Testing

@Suite("the built-in feed server", .serialized)
struct FeedServerTests {
    @Test("conditional GET, gzip, HEAD and content types")
    func caching() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        try await h.run(h.config(["market"], interval: "1h")) { port in
            #expect(await eventually { FileManager.default.fileExists(atPath: h.output + "/xinhuacaijing/atom.xml") })
            let rss = try await RawHTTP.request(port: port, "/xinhuacaijing/rss.xml")
            #expect(rss.status == 200)
            #expect(rss.headers["content-type"] == "application/rss+xml; charset=utf-8")
            #expect(try XMLCheck.parse(rss.body).get().count("/rss/channel/item") == 2)
            let etag = try #require(rss.headers["etag"])
            let lastModified = try #require(rss.headers["last-modified"])
            #expect(try await RawHTTP.request(port: port, "/xinhuacaijing/rss.xml", headers: ["If-None-Match": etag]).status == 304)
            #expect(try await RawHTTP.request(port: port, "/xinhuacaijing/rss.xml", headers: ["If-Modified-Since": lastModified]).status == 304)
            #expect(try await RawHTTP.request(port: port, "/xinhuacaijing/rss.xml", headers: ["If-None-Match": "\"other\""]).status == 200)

            let atom = try await RawHTTP.request(port: port, "/xinhuacaijing/atom.xml", headers: ["Accept-Encoding": "gzip, br"])
            #expect(atom.headers["content-type"] == "application/atom+xml; charset=utf-8")
            #expect(atom.headers["content-encoding"] == "gzip")
            #expect(atom.body.starts(with: [0x1F, 0x8B]))
            #expect(atom.headers["vary"] == "Accept-Encoding")
            let identity = try await RawHTTP.request(port: port, "/xinhuacaijing/atom.xml", headers: ["Accept-Encoding": "gzip;q=0"])
            #expect(identity.headers["content-encoding"] == nil && identity.body.starts(with: Array("<?xml".utf8)))

            let head = try await RawHTTP.request(port: port, "/xinhuacaijing/rss.xml", method: "HEAD")
            #expect(head.status == 200 && head.body.isEmpty)
            #expect(head.headers["etag"] == etag)
            #expect(head.headers["content-length"] == String(rss.body.count))
        }
    }

    @Test("no path outside the output folder is ever served")
    func traversal() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        let secret = h.folder.write("secret.txt", "top secret")
        try await h.run(h.config(["market"], interval: "1h")) { port in
            #expect(await eventually { FileManager.default.fileExists(atPath: h.output + "/all/rss.xml") })
            try FileManager.default.createSymbolicLink(atPath: h.output + "/leak.txt", withDestinationPath: secret)
            try FileManager.default.createSymbolicLink(atPath: h.output + "/up", withDestinationPath: h.folder.path)
            for target in ["/../secret.txt", "/%2e%2e/secret.txt", "/all/..%2F..%2Fsecret.txt", "/all%2f..%2f..%2fsecret.txt",
                           "/..%5csecret.txt", "/leak.txt", "/up/secret.txt", "/all/rss.xml%00.txt", "//etc/passwd",
                           "/./all/rss.xml"] {
                let answer = try await RawHTTP.request(port: port, target)
                #expect([400, 403, 404].contains(answer.status), "\(target) → \(answer.status)")
                #expect(!answer.text.contains("top secret") && !answer.text.contains("root:"), "\(target)")
            }
        }
    }

    @Test("the index page and OPML list every category and parse")
    func indexAndOPML() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        try await h.run(h.config(interval: "1h")) { port in
            // Every source has been polled and rendered once the index counts all six items
            // and the market's category (a render that began before the market's items were in
            // counts them in `all` but not yet in their category; the market's own render follows).
            #expect(await eventually {
                let page = try? await XMLCheck.parse(RawHTTP.request(port: port, "/").body).get()
                return page?.strings("//*[@data-slug='all']/*[local-name()='h2']/*[@class='count']") == ["6"]
                    && page?.strings("//*[@data-slug='xinhuacaijing']/*[local-name()='h2']/*[@class='count']") == ["2"]
                    && page?.strings("//*[@data-slug='emnews']/*[local-name()='h2']/*[@class='count']").isEmpty == false
                    // and every category: a render whose category list was read before the last poll stored counts its items in `all`
                    && page?.strings("//*[@data-slug='zhengquanshibao']/*[local-name()='h2']/*[@class='count']").isEmpty == false
            })
            let index = try await RawHTTP.request(port: port, "/")
            #expect(index.status == 200 && index.headers["content-type"] == "text/html; charset=utf-8")
            let page = try XMLCheck.parse(index.body).get()
            let alternates = page.strings("//*[local-name()='link'][@rel='alternate']/@href")
            #expect(alternates.contains("http://localhost:8080/emnews/rss.xml"))
            #expect(alternates.contains("http://localhost:8080/xinhuacaijing/atom.xml"))
            #expect(page.strings("//*[@data-slug='all']/*[local-name()='h2']/*[@class='count']") == ["6"])
            #expect(page.strings("//*[@data-slug='xinhuacaijing']/*[local-name()='h2']/*[@class='count']") == ["2"])
            let opml = try XMLCheck.parse(try await RawHTTP.request(port: port, "/opml.xml").body).get()
            #expect(opml.strings("/opml/@version") == ["2.0"])
            let urls = opml.strings("/opml/body/outline/@xmlUrl")
            #expect(urls.count == 5 && urls.contains("http://localhost:8080/zhengquanshibao/rss.xml"))
            #expect(opml.strings("/opml/body/outline/@type").allSatisfy { $0 == "rss" })
        }
    }
}
