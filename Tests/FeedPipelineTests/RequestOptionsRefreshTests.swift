import FeedConfig
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

/// `headers:`, `proxy:` and `user_agent:` on a source reach the upstream on
/// every request the source makes: its list, its bodies, its full-text pages.
@Suite("per-source requests through the pipeline, over loopback")
struct RequestOptionsRefreshTests {
    static let cookie = "qgqp_b_id=k3epS3cret; st_si=42"

    /// The market API (list + body endpoint) and the RSS feed (list + full-text pages), both with request settings.
    static func sources(_ h: PipelineHarness, proxy: String?) -> String {
        let request = "    headers: {Referer: \"https://finance.eastmoney.com/\", Cookie: \"\(cookie)\", X-Requested-With: XMLHttpRequest}\n"
            + "    user_agent: \"Mozilla/5.0 (feedd test)\"\n" + (proxy.map { "    proxy: \($0)\n" } ?? "")
        return """
              - name: market
                type: json
                url: \(h.api.base)/webapi/market
                list: record
                fields: {id: infoCode, title: title, date: datetime, category: medianame}
                body: {url: "\(h.api.base)/NewsData/GetNewsText.do?id={id}", field: text}
            \(request)
              - name: em-rss
                type: feed
                url: \(h.api.base)/feeds/em.xml
                category: 东方财富
                id: 'NW\\d{18}'
                full_text: {xpath: '//div[@id="ContentBody"]'}
            \(request)
              - name: media
                type: json
                url: \(h.api.base)/webapi/media
                list: nodeList
                fields: {id: infocode, title: title, date: showtime, category: from}

            """
    }

    static func check(_ requests: [FixtureServer.Request], isPlain: (FixtureServer.Request) -> Bool) {
        for request in requests {
            if isPlain(request) {
                #expect(request.headers["cookie"] == nil && request.headers["referer"] == nil, "\(request.target)")
                #expect(request.headers["user-agent"] == "feedd-test/1", "\(request.target)")
            } else {
                #expect(request.headers["referer"] == "https://finance.eastmoney.com/", "\(request.target)")
                #expect(request.headers["cookie"] == cookie, "\(request.target)")
                #expect(request.headers["x-requested-with"] == "XMLHttpRequest", "\(request.target)")
                #expect(request.headers["user-agent"] == "Mozilla/5.0 (feedd test)", "\(request.target)")
            }
        }
    }

    @Test("headers and user agent reach the fixture server on list, body and full-text requests; other sources send none")
    func headers() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        FeedSourceRefreshTests.serveFeed(h)
        let config = try h.config([], extra: Self.sources(h, proxy: nil))
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        let requests = h.api.server.requests
        let kinds = Set(requests.map(\.path))
        // The list, the body endpoint, the feed and its article pages were all asked.
        #expect(kinds.isSuperset(of: ["/webapi/market", "/NewsData/GetNewsText.do", "/feeds/em.xml", "/webapi/media"]), "\(kinds)")
        #expect(requests.contains { $0.path.hasPrefix("/a/") })
        Self.check(requests) { $0.path == "/webapi/media" }
    }

    @Test("with `proxy:` every request of the source goes through the proxy the test runs; the others go direct")
    func proxy() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let proxy = try ForwardProxy()
        defer { proxy.stop() }
        FeedSourceRefreshTests.serveFeed(h)
        let config = try h.config([], extra: Self.sources(h, proxy: proxy.url))
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        let direct = h.api.server.requests.filter { $0.path == "/webapi/media" }
        let proxied = h.api.server.requests.filter { $0.path != "/webapi/media" }
        #expect(direct.count == 1)
        #expect(proxy.requests.count == proxied.count && proxied.count >= 6, "\(proxy.requests.map(\.target))")
        #expect(Set(proxy.requests.map(\.target)) == Set(proxied.map { h.api.base + $0.target }))
        #expect(!proxy.requests.contains { $0.target.contains("/webapi/media") })
        Self.check(h.api.server.requests) { $0.path == "/webapi/media" }
    }
}
