import FeedConfig
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

/// `poll.per_host` counts each request against the host it goes to. A
/// source whose bodies come from another host than its list spends that
/// host's budget, not its list host's.
@Suite("poll.per_host counts the host a request goes to")
struct PerHostTests {
    @Test("bodies from another host wait for that host's slot")
    func bodiesCountAgainstTheirOwnHost() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        // The same server under two names: `127.0.0.1` and `localhost`.
        let other = h.api.base.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        var slowList = FixtureServer.Response.file(Fixtures.bytes("media-list.json"), contentType: "application/json")
        slowList.delay = 0.4
        h.api.server.set("/webapi/media", slowList)
        for (id, body) in h.api.bodies {
            var slowBody = FixtureServer.Response.json(String(decoding: try JSONSerialization.data(withJSONObject: ["text": body]),
                                                              as: UTF8.self))
            slowBody.delay = 0.2
            h.api.server.set("/NewsData/GetNewsText.do?id=\(id)", slowBody)
        }
        // `lists-here` lists on 127.0.0.1 and fetches its bodies from localhost; `lists-there` lists on localhost.
        let sources = """
              - name: lists-here
                type: json
                url: \(h.api.base)/webapi/market
                list: record
                fields: {id: infoCode, title: title, date: datetime, category: medianame}
                body: {url: "\(other)/NewsData/GetNewsText.do?id={id}", field: text}
              - name: lists-there
                type: json
                url: \(other)/webapi/media
                list: nodeList
                fields: {id: infocode, title: title, date: showtime, category: from}
                body: {url: "\(other)/NewsData/GetNewsText.do?id={id}", field: text}

            """
        let yaml = h.api.config(storage: h.folder.file("data/feedd.sqlite"), output: h.output, sources: [], extraSources: sources)
            .replacingOccurrences(of: "  concurrency: 4\n", with: "  concurrency: 4\n  per_host: 1\n")
        #expect(yaml.contains("per_host: 1"))
        let config = try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: h.folder.path)
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.sources.allSatisfy { !$0.failed && $0.new > 0 && $0.errors == 0 }, "\(report.sources.map(\.line))")
        #expect(h.api.server.requests.contains { $0.headers["host"]?.hasPrefix("localhost") == true && $0.path == "/NewsData/GetNewsText.do" })
        #expect(h.api.server.maxConcurrent(host: "localhost") == 1)
    }
}
