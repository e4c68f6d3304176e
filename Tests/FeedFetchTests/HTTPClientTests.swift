import FeedFetch
import FeedTestSupport
import Foundation
import Testing

@Suite("libcurl client over loopback")
struct HTTPClientTests {
    let client = HTTPClient(settings: FetchSettings(timeout: .seconds(2), maxBody: 1 << 20, userAgent: "feedd-test/1"))

    @Test("a 200 brings the body, headers and validators; the User-Agent is sent")
    func plain() async throws {
        let server = try FixtureServer(routes: ["/list": .json("{\"a\":1}")])
        defer { server.stop() }
        let r = try await client.fetch(FetchRequest(url: server.baseURL + "/list"))
        #expect(r.status == 200)
        #expect(r.body == Array("{\"a\":1}".utf8))
        #expect(r.validators.etag != nil && r.validators.lastModified != nil)
        #expect(server.requests.first?.headers["user-agent"] == "feedd-test/1")
        #expect(server.requests.first?.headers["accept-encoding"]?.contains("gzip") == true)
    }

    @Test("conditional GET: the stored ETag brings a 304 with no body")
    func conditionalETag() async throws {
        let server = try FixtureServer(routes: ["/list": .json("[1,2,3]")])
        defer { server.stop() }
        let first = try await client.fetch(FetchRequest(url: server.baseURL + "/list"))
        let second = try await client.fetch(FetchRequest(url: server.baseURL + "/list", conditional: first.validators))
        #expect(second.isNotModified && second.body.isEmpty)
        #expect(server.requests.last?.headers["if-none-match"] == first.validators.etag)
    }

    @Test("conditional GET: Last-Modified alone brings a 304 too")
    func conditionalLastModified() async throws {
        let server = try FixtureServer(routes: ["/list": .json("[1]")])
        defer { server.stop() }
        let lm = ConditionalHeaders(etag: nil, lastModified: "Wed, 29 Dec 2021 07:06:00 GMT")
        let r = try await client.fetch(FetchRequest(url: server.baseURL + "/list", conditional: lm))
        #expect(r.isNotModified)
        #expect(server.requests.last?.headers["if-modified-since"] == lm.lastModified)
    }

    @Test("gzip bodies are decoded")
    func gzip() async throws {
        var response = FixtureServer.Response.file(Fixtures.bytes("market-list.json.gz"), contentType: "application/json")
        response.headers.append(("Content-Encoding", "gzip"))
        let server = try FixtureServer(routes: ["/list": response])
        defer { server.stop() }
        let r = try await client.fetch(FetchRequest(url: server.baseURL + "/list"))
        #expect(r.body == Fixtures.bytes("market-list.json"))
    }

    @Test("max_body is enforced while receiving: a large body and a gzip bomb both fail")
    func maxBody() async throws {
        var bomb = FixtureServer.Response.file(Fixtures.bytes("zeros-5MB.gz"), contentType: "text/plain")
        bomb.headers.append(("Content-Encoding", "gzip"))
        let server = try FixtureServer(routes: [
            "/big": .file([UInt8](repeating: 0x41, count: 3 << 20), contentType: "text/plain"),
            "/bomb": bomb,
        ])
        defer { server.stop() }
        for path in ["/big", "/bomb"] {
            await #expect(throws: FetchError.tooLarge(url: server.baseURL + path, limit: 1 << 20)) {
                try await client.fetch(FetchRequest(url: server.baseURL + path))
            }
        }
    }

    @Test("at most 5 redirects are followed")
    func redirects() async throws {
        let server = try FixtureServer { request in
            let n = Int(request.path.dropFirst(3)) ?? 0 // /r/N redirects to /r/N-1, /r/0 answers
            if n == 0 { return .json("\"done\"") }
            return FixtureServer.Response(status: 302, headers: [("Location", "/r/\(n - 1)")])
        }
        defer { server.stop() }
        let ok = try await client.fetch(FetchRequest(url: server.baseURL + "/r/5"))
        #expect(ok.body == Array("\"done\"".utf8))
        #expect(ok.url.hasSuffix("/r/0"))
        await #expect(throws: FetchError.self) { try await client.fetch(FetchRequest(url: server.baseURL + "/r/6")) }
    }

    @Test("a redirect to file:// is refused")
    func redirectToFile() async throws {
        let server = try FixtureServer(routes: ["/x": FixtureServer.Response(status: 302, headers: [("Location", "file:///etc/passwd")])])
        defer { server.stop() }
        await #expect(throws: FetchError.self) { try await client.fetch(FetchRequest(url: server.baseURL + "/x")) }
    }

    @Test("file:// URLs are read")
    func fileURL() async throws {
        let r = try await client.fetch(FetchRequest(url: Fixtures.url("market-list.json").absoluteString))
        #expect(r.body == Fixtures.bytes("market-list.json"))
    }

    @Test("a hanging upstream times out with an error naming the URL")
    func timeout() async throws {
        let slow = HTTPClient(settings: FetchSettings(timeout: .seconds(1)))
        let server = try FixtureServer(routes: ["/slow": FixtureServer.Response(status: 200, body: [1], delay: 10)])
        defer { server.stop() }
        let started = ContinuousClock.now
        await #expect(throws: FetchError.timedOut(url: server.baseURL + "/slow", after: .seconds(1))) {
            try await slow.fetch(FetchRequest(url: server.baseURL + "/slow"))
        }
        // Not a timing test: it only shows feedd gave up long before the upstream would have answered.
        #expect(ContinuousClock.now - started < .seconds(8))
    }

    @Test("503 reports its Retry-After; 404 is an error with the status")
    func statuses() async throws {
        let server = try FixtureServer(routes: [
            "/busy": FixtureServer.Response(status: 503, headers: [("Retry-After", "2")]),
        ])
        defer { server.stop() }
        await #expect(throws: FetchError.status(url: server.baseURL + "/busy", code: 503, retryAfter: "2")) {
            try await client.fetch(FetchRequest(url: server.baseURL + "/busy"))
        }
        await #expect(throws: FetchError.status(url: server.baseURL + "/nope", code: 404, retryAfter: nil)) {
            try await client.fetch(FetchRequest(url: server.baseURL + "/nope"))
        }
    }

    @Test("a refused connection is a transport error naming the URL")
    func refused() async throws {
        let server = try FixtureServer()
        let url = server.baseURL + "/x"
        server.stop()
        try await Task.sleep(for: .milliseconds(50))
        do {
            _ = try await client.fetch(FetchRequest(url: url))
            Issue.record("expected a failure")
        } catch {
            #expect(error.url == url)
            #expect(error.description.hasPrefix(url))
        }
    }
}
