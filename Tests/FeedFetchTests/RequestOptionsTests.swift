import FeedFetch
import FeedModel
import FeedTestSupport
import Foundation
import Testing

@Suite("per-source request options over loopback: headers, user agent, proxy")
struct RequestOptionsTests {
    let client = HTTPClient(settings: FetchSettings(timeout: .seconds(5), maxBody: 1 << 20, userAgent: "feedd-test/1"))
    static let options = RequestOptions(
        headers: [.init(name: "Referer", value: "https://finance.eastmoney.com/"), .init(name: "Cookie", value: "a=1; b=2")],
        userAgent: "Mozilla/5.0 (test)")

    @Test("the source's headers and user agent reach the server, beside the conditional headers")
    func headersAndAgent() async throws {
        let server = try FixtureServer(routes: ["/list": .json("[1]")])
        defer { server.stop() }
        let first = try await client.fetch(FetchRequest(url: server.baseURL + "/list", options: Self.options))
        let second = try await client.fetch(FetchRequest(url: server.baseURL + "/list", conditional: first.validators,
                                                         options: Self.options))
        #expect(second.isNotModified)
        #expect(server.requests.count == 2)
        for request in server.requests {
            #expect(request.headers["referer"] == "https://finance.eastmoney.com/")
            #expect(request.headers["cookie"] == "a=1; b=2")
            #expect(request.headers["user-agent"] == "Mozilla/5.0 (test)")
        }
        #expect(server.requests[1].headers["if-none-match"] == first.validators.etag)
    }

    @Test("a pooled handle forgets the last source's options")
    func optionsDoNotLeak() async throws {
        let server = try FixtureServer(routes: ["/list": .json("[1]")])
        defer { server.stop() }
        let proxy = try ForwardProxy()
        defer { proxy.stop() }
        let single = HTTPClient(settings: client.settings, poolCapacity: 1)
        var withProxy = Self.options
        withProxy.proxy = proxy.url
        _ = try await single.fetch(FetchRequest(url: server.baseURL + "/list", options: withProxy))
        _ = try await single.fetch(FetchRequest(url: server.baseURL + "/list"))
        #expect(server.requests.count == 2)
        #expect(proxy.requests.count == 1)
        #expect(server.requests[1].headers["cookie"] == nil)
        #expect(server.requests[1].headers["referer"] == nil)
        #expect(server.requests[1].headers["user-agent"] == "feedd-test/1")
    }

    @Test("with `proxy:` every request goes through the proxy, which forwards it with the headers")
    func throughProxy() async throws {
        let server = try FixtureServer(routes: ["/list": .json("[1,2]"), "/body": .json("{\"text\": \"x\"}")])
        defer { server.stop() }
        let proxy = try ForwardProxy()
        defer { proxy.stop() }
        var options = Self.options
        options.proxy = proxy.url
        let list = try await client.fetch(FetchRequest(url: server.baseURL + "/list", options: options))
        let body = try await client.fetch(FetchRequest(url: server.baseURL + "/body?id=1", options: options))
        #expect(list.body == Array("[1,2]".utf8))
        #expect(body.body == Array("{\"text\": \"x\"}".utf8))
        #expect(proxy.requests.map(\.target) == [server.baseURL + "/list", server.baseURL + "/body?id=1"])
        #expect(proxy.requests.allSatisfy { $0.headers["cookie"] == "a=1; b=2" && $0.headers["user-agent"] == "Mozilla/5.0 (test)" })
        #expect(server.requests.map(\.target) == ["/list", "/body?id=1"])
        #expect(server.requests.allSatisfy { $0.headers["referer"] == "https://finance.eastmoney.com/" })
    }

    @Test("a proxy that is not listening is a transport error naming the URL, not a direct fetch")
    func deadProxy() async throws {
        let server = try FixtureServer(routes: ["/list": .json("[1]")])
        defer { server.stop() }
        let proxy = try ForwardProxy()
        let deadURL = proxy.url
        proxy.stop()
        try await Task.sleep(for: .milliseconds(50))
        var options = Self.options
        options.proxy = deadURL
        await #expect(throws: FetchError.self) {
            _ = try await client.fetch(FetchRequest(url: server.baseURL + "/list", options: options))
        }
        #expect(server.requests.isEmpty)
    }

    @Test("a redirect to another host keeps Referer but drops the Cookie (libcurl ≥ 7.83 does not leak it)")
    func redirectDropsCookie() async throws {
        let other = try FixtureServer(routes: ["/landing": .json("[2]")])
        defer { other.stop() }
        // Same address, another port: another origin to curl.
        let server = try FixtureServer(routes: ["/moved": .init(status: 302, headers: [("Location", other.baseURL + "/landing")])])
        defer { server.stop() }
        let r = try await client.fetch(FetchRequest(url: server.baseURL + "/moved", options: Self.options))
        #expect(r.body == Array("[2]".utf8))
        #expect(server.requests.first?.headers["cookie"] == "a=1; b=2")
        let landed = try #require(other.requests.first)
        #expect(landed.headers["cookie"] == nil)
        #expect(landed.headers["referer"] == "https://finance.eastmoney.com/")
        #expect(landed.headers["user-agent"] == "Mozilla/5.0 (test)")
    }

    @Test("`socks5://` and `socks5h://` proxies carry the request too", arguments: ["socks5", "socks5h"])
    func throughSOCKS(_ scheme: String) async throws {
        let server = try FixtureServer(routes: ["/list": .json("[3]")])
        defer { server.stop() }
        let proxy = try SOCKS5Proxy()
        defer { proxy.stop() }
        var options = Self.options
        options.proxy = proxy.url.replacingOccurrences(of: "socks5://", with: "\(scheme)://")
        let url = "http://localhost:\(server.port)/list"
        let r = try await client.fetch(FetchRequest(url: url, options: options))
        #expect(r.body == Array("[3]".utf8))
        // socks5: curl resolves the name itself; socks5h: the proxy gets the name.
        #expect(proxy.connects == [scheme == "socks5h" ? "localhost:\(server.port)" : "127.0.0.1:\(server.port)"])
        #expect(server.requests.first?.headers["cookie"] == "a=1; b=2")
    }
}
