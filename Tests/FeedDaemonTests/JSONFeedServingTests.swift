import FeedTestSupport
import Foundation
import Testing

@Suite("the feed server and feed.json", .serialized)
struct JSONFeedServingTests {
    @Test("feed.json is served as application/feed+json, with ETag/304 and gzip like the XML feeds")
    func contentType() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        try await h.run(h.config(["market"], interval: "1h")) { port in
            #expect(await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: h.output + "/xinhuacaijing/feed.json") })
            let feed = try await RawHTTP.request(port: port, "/xinhuacaijing/feed.json")
            #expect(feed.status == 200)
            #expect(feed.headers["content-type"] == "application/feed+json; charset=utf-8")
            let object = try JSONSerialization.jsonObject(with: Data(feed.body)) as? [String: Any]
            #expect(object?["version"] as? String == "https://jsonfeed.org/version/1.1")
            #expect((object?["items"] as? [Any])?.count == 2)
            let etag = try #require(feed.headers["etag"])
            #expect(try await RawHTTP.request(port: port, "/xinhuacaijing/feed.json", headers: ["If-None-Match": etag]).status == 304)
            let gzip = try await RawHTTP.request(port: port, "/all/feed.json", headers: ["Accept-Encoding": "gzip"])
            #expect(gzip.headers["content-encoding"] == "gzip" && gzip.headers["content-type"] == "application/feed+json; charset=utf-8")
        }
    }
}
