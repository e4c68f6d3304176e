import FeedTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `feedd run` and `images:`: a SIGHUP with another image setting re-renders
/// every feed from the store, with not one upstream request. Part of the
/// serialized daemon suite, so two daemons never start at once.
extension DaemonProcessTests {
    enum ImagesReload {}
}

extension DaemonProcessTests.ImagesReload {
    static func feed(base: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>图</title>
        <item><title>有图</title><link>\(base)/pics/1.html</link><guid>NW202112292229990901</guid>
        <pubDate>Wed, 29 Dec 2021 15:06:00 +0800</pubDate>
        <content:encoded><![CDATA[<p><img src="https://img.cdn.cn/a.jpg?x=1&amp;y=2" alt="甲"></p><img data-src="/b.png">]]></content:encoded></item>
        </channel></rss>
        """
    }

    static func config(_ api: NewsAPIFixture, images: String) -> String {
        api.config(storage: "./data/feedd.sqlite", output: "./public", sources: [], extraSources: """
              - name: pics
                type: feed
                url: \(api.base)/feeds/pics.xml
                category: 图片新闻

            """).replacingOccurrences(of: "  interval: 60s\n", with: "  interval: 1h\n")
            + "server:\n  listen: 127.0.0.1:0\n" + images
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func images(_ folder: TempFolder) -> [HTMLCheck.Element] {
        let data = FileManager.default.contents(atPath: folder.file("public/tupianxinwen/feed.json")) ?? Data()
        let feed = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let items = feed?["items"] as? [[String: Any]] ?? []
        return items.flatMap { HTMLCheck.parse($0["content_html"] as? String ?? "").elements.filter { $0.name == "img" } }
    }
}

extension DaemonProcessTests {
    @Test("SIGHUP with `images: {referrer_policy: none, proxy: …}` rewrites the feeds, no request upstream")
    func imagesReload() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        api.server.set("/feeds/pics.xml", .file(Array(ImagesReload.feed(base: api.base).utf8), contentType: "application/rss+xml"))
        let path = folder.write("config.yaml", ImagesReload.config(api, images: ""))
        let notify = try NotifySocket(folder: folder.path)
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", path], environment: ["NOTIFY_SOCKET": notify.path],
                                        folder: folder.path)
        defer { daemon.kill() }
        #expect(await notify.waitFor("READY=1", timeout: .seconds(60)).last?.contains("READY=1") == true)
        #expect(await eventually(timeout: .seconds(60)) { ImagesReload.images(folder).count == 2 })
        #expect(ImagesReload.images(folder).allSatisfy { $0.attribute("referrerpolicy") == "no-referrer" })

        try await Task.sleep(for: .milliseconds(200))
        api.server.clearLog()
        _ = folder.write("config.yaml", ImagesReload.config(api, images: "images: {referrer_policy: none, proxy: \"https://img.example/?url={url}\"}\n"))
        daemon.signal(SIGHUP)
        #expect(await notify.waitFor("READY=1", timeout: .seconds(60)).contains { $0.contains("READY=1") })
        #expect(await eventually(timeout: .seconds(60)) {
            ImagesReload.images(folder).map { $0.attribute("src") ?? "" }
                == ["https://img.example/?url=https%3A%2F%2Fimg.cdn.cn%2Fa.jpg%3Fx%3D1%26y%3D2",
                    "https://img.example/?url=" + (api.base + "/b.png").addingPercentEncoding(withAllowedCharacters: ImagesReload.unreserved)!]
        }, "\(ImagesReload.images(folder).map(\.attributes))")
        #expect(ImagesReload.images(folder).allSatisfy { $0.attribute("referrerpolicy") == nil })
        let atom = try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: folder.file("public/all/atom.xml")) ?? Data())).get()
        #expect(atom.strings("//atom:content").allSatisfy { $0.contains("https://img.example/?url=") && !$0.contains("referrerpolicy") })
        #expect(api.server.requests.isEmpty, "\(api.server.requests.map(\.target))")

        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(30)) == 0)
    }
}
