import FeedConfig
import FeedFetch
@testable import FeedSources
import FeedTestSupport
import Foundation

/// The feed and page fixtures (`Fixtures/feeds`, `Fixtures/pages`) served over
/// loopback: `/feeds/NAME` and `/pages/NAME`, with `?charset=X` adding
/// `; charset=X` to the Content-Type (without it, none is sent).
final class FeedFixtureWorld: Sendable {
    let server: FixtureServer
    let client = HTTPClient(settings: FetchSettings(timeout: .seconds(5), maxBody: 15 << 20))

    /// One server for a whole suite: fixtures are read-only.
    static let shared = try! FeedFixtureWorld() // a test setup failure, not input

    init(extraRoutes: [String: FixtureServer.Response] = [:]) throws {
        server = try FixtureServer(routes: extraRoutes) { request in
            let parts = request.path.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, ["feeds", "pages"].contains(parts[0]),
                  let bytes = FeedFixtureWorld.fixture(request.path) else { return .notFound }
            let charset = URLComponents(string: request.target)?.queryItems?.first { $0.name == "charset" }?.value
            var type = FeedFixtureWorld.contentType(of: parts[1])
            if let charset { type += "; charset=\(charset)" }
            return .file(bytes, contentType: type)
        }
    }

    var base: String { server.baseURL }

    /// The bytes of `feeds/NAME` or `pages/NAME`.
    static func fixture(_ path: String) -> [UInt8]? {
        let folder = Fixtures.url("atom.rng").deletingLastPathComponent()
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return (try? Data(contentsOf: folder.appendingPathComponent(trimmed))).map { [UInt8]($0) }
    }

    static func contentType(of name: String) -> String {
        if name.hasSuffix(".json") { return "application/feed+json" }
        if name.hasSuffix(".html") { return "text/html" }
        return name.hasPrefix("atom") ? "application/atom+xml" : "application/rss+xml"
    }

    /// A source from a config entry: `kind` is the YAML of its kind-specific keys.
    func source(type: String, url: String, name: String = "test-source", _ kind: String) throws -> any Source {
        let yaml = """
            site: {timezone: Asia/Shanghai}
            sources:
              - name: \(name)
                type: \(type)
                url: \(url)
            \(kind.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            """
        let config = try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: "/tmp")
        return SourceFactory.make(config.sources[0], client: client, dates: DateParser(zone: config.site.timezone))
    }

    /// Polls once; the items and warnings of a listed outcome.
    static func listed(_ source: any Source) async throws -> (items: [UpstreamItem], warnings: [String]) {
        guard case .listed(let reading, _, _) = try await source.poll(conditional: nil) else {
            throw SourceError.malformed(source: source.config.name, url: source.config.url, message: "unexpected 304")
        }
        return (reading.items, reading.warnings)
    }
}

/// `2021-12-29T15:06:00+08:00` → a Date, for expectations.
func iso(_ text: String) -> Date {
    ISO8601DateFormatter().date(from: text)! // test literals
}
