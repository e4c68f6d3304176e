import FeedConfig
import FeedFetch
@testable import FeedSources
import FeedTestSupport
import Foundation
import Testing

/// Documents built to hurt a reader: each must fail (or be read harmlessly)
/// quickly, in bounded memory, with an error that names the source.
@Suite("type: feed — hostile XML fails cleanly, fast, bounded, naming the source")
struct HostileFeedTests {
    static let kind = "category: 测试"

    /// A local file an XXE document tries to read; its content must never surface.
    static let secret = "feedd-secret-\(UUID().uuidString)"

    final class World: Sendable {
        let fixtures: FeedFixtureWorld
        let folder = TempFolder()
        let secretPath: String

        init() throws {
            secretPath = folder.write("secret.txt", HostileFeedTests.secret)
            var routes: [String: FixtureServer.Response] = [:]
            for name in ["hostile-xxe.xml", "hostile-xxe-parameter.xml", "hostile-external-dtd.xml"] {
                let text = String(decoding: FeedFixtureWorld.fixture("feeds/" + name) ?? [], as: UTF8.self)
                    .replacingOccurrences(of: "SECRET_PATH", with: secretPath)
                routes["/hostile/" + name] = .file(Array(text.utf8), contentType: "application/rss+xml")
            }
            routes["/hostile/deep.xml"] = .file(Array(HostileFeedTests.deepFeed(levels: 100_000).utf8), contentType: "application/rss+xml")
            routes["/hostile/deep.json"] = .file(Array(HostileFeedTests.deepJSONFeed(levels: 100_000).utf8), contentType: "application/json")
            fixtures = try FeedFixtureWorld(extraRoutes: routes)
        }

        deinit { folder.remove() }
    }

    static func deepFeed(levels: Int) -> String {
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>deep</title><item><title>deep</title><description>"
            + String(repeating: "<div>", count: levels) + String(repeating: "</div>", count: levels)
            + "</description></item></channel></rss>"
    }

    static func deepJSONFeed(levels: Int) -> String {
        "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": [{\"id\": \"1\", \"title\": \"t\", \"x\": "
            + String(repeating: "[", count: levels) + String(repeating: "]", count: levels) + "}]}"
    }

    /// Polls `path` as source `name`; the error, and how long parsing the same bytes takes.
    ///
    /// The time is the parser's alone: the loopback fetch around it is slow
    /// when the whole suite runs in parallel on two cores, and is not what
    /// "fails fast" is about.
    func failure(_ world: World, _ path: String, name: String) async throws -> (SourceError?, Duration) {
        let source = try world.fixtures.source(type: "feed", url: world.fixtures.base + path, name: name, Self.kind)
        var caught: SourceError?
        do { _ = try await source.poll(conditional: nil) } catch { caught = error }
        let response = try await world.fixtures.client.fetch(FetchRequest(url: world.fixtures.base + path))
        let elapsed = ContinuousClock().measure {
            _ = try? FeedParser.parse(response.body, url: response.url, contentType: response.contentType)
        }
        return (caught, elapsed)
    }

    @Test("billion laughs: refused before any expansion")
    func billionLaughs() async throws {
        let world = try World()
        let (error, elapsed) = try await failure(world, "/feeds/hostile-billion-laughs.xml", name: "lol")
        let message = try #require(error).description
        #expect(message.contains("source 'lol'"))
        #expect(message.contains("declares entities"))
        #expect(elapsed < .seconds(1))
        #expect(!message.contains("lollol"))
    }

    @Test("external entities (XXE) never read the local file", arguments: ["hostile-xxe.xml", "hostile-xxe-parameter.xml"])
    func xxe(_ file: String) async throws {
        let world = try World()
        let (error, elapsed) = try await failure(world, "/hostile/" + file, name: "xxe")
        let message = try #require(error).description
        #expect(message.contains("source 'xxe'"))
        #expect(message.contains("declares entities"))
        #expect(!message.contains(Self.secret))
        #expect(elapsed < .seconds(1))
    }

    @Test("an external DTD is not loaded: the document is read, the file's content never appears")
    func externalDTD() async throws {
        let world = try World()
        let source = try world.fixtures.source(type: "feed", url: world.fixtures.base + "/hostile/hostile-external-dtd.xml", Self.kind)
        let (items, warnings) = try await FeedFixtureWorld.listed(source)
        #expect(items.count == 1)
        #expect(!"\(items)\(warnings)".contains(Self.secret))
        // The parser never even tried to open it: no libxml2 I/O on a file URL happens with these options.
        #expect(items[0].title == "外部 DTD 不被读取 &secret;")
    }

    @Test("without the prolog guard, the parser options alone keep XXE files out", arguments: [false, true])
    func xxeWithoutGuard(recover: Bool) throws {
        // Defence in depth: no XML_PARSE_NOENT, no XML_PARSE_DTDLOAD.
        let world = try World()
        for file in ["hostile-xxe.xml", "hostile-xxe-parameter.xml"] {
            let text = String(decoding: FeedFixtureWorld.fixture("feeds/" + file) ?? [], as: UTF8.self)
                .replacingOccurrences(of: "SECRET_PATH", with: world.secretPath)
            if let root = XMLTreeBuilder.parse(Array(text.utf8), url: "http://x/", recover: recover).root {
                #expect(!root.text.contains(Self.secret), "\(file)")
                #expect(!root.innerXML.contains(Self.secret), "\(file)")
            }
        }
    }

    @Test("without the prolog guard, libxml2 does not expand billion laughs either", arguments: [false, true])
    func billionLaughsWithoutGuard(recover: Bool) throws {
        let bytes = try #require(FeedFixtureWorld.fixture("feeds/hostile-billion-laughs.xml"))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            if let root = XMLTreeBuilder.parse(bytes, url: "http://x/", recover: recover).root {
                #expect(root.text.utf8.count < 10_000)
            }
        }
        #expect(elapsed < .seconds(1))
    }

    @Test("deep nesting stops at the depth limit, early", arguments: ["/hostile/deep.xml", "/hostile/deep.json"])
    func deepNesting(_ path: String) async throws {
        let world = try World()
        let (error, elapsed) = try await failure(world, path, name: "deep")
        let message = try #require(error).description
        #expect(message.contains("source 'deep'"))
        #expect(message.contains("nested") || message.contains("Too many nested"), "\(message)")
        #expect(elapsed < .seconds(2))
    }

    @Test("a 50 MB feed against max_body 15MB stops at the limit")
    func oversized() async throws {
        // Generated here, never committed: 50 MB of items.
        let item = "<item><title>大</title><description>" + String(repeating: "x", count: 1000) + "</description></item>"
        var body = Array("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>big</title>".utf8)
        let itemBytes = Array(item.utf8)
        body.reserveCapacity(50 << 20)
        while body.count < 50 << 20 { body += itemBytes }
        body += Array("</channel></rss>".utf8)
        let server = try FixtureServer(routes: ["/big.xml": .init(headers: [("Content-Type", "application/rss+xml")], body: body)])
        defer { server.stop() }
        let yaml = """
            poll: {max_body: 15MB}
            sources:
              - {name: big, type: feed, url: "\(server.baseURL)/big.xml", category: 测试}
            """
        let config = try ConfigLoader.parse(yaml: yaml, file: "t.yaml", baseDirectory: "/tmp")
        let client = HTTPClient(settings: FetchSettings(timeout: .seconds(10), maxBody: config.poll.maxBody))
        let source = SourceFactory.make(config.sources[0], client: client, dates: DateParser(zone: config.site.timezone))
        let clock = ContinuousClock()
        var caught: SourceError?
        let elapsed = await clock.measure {
            do { _ = try await source.poll(conditional: nil) } catch { caught = error as? SourceError }
        }
        let error = try #require(caught)
        guard case .fetch(let name, .tooLarge(_, let limit)) = error else {
            Issue.record("expected tooLarge, got \(error)"); return
        }
        #expect(name == "big" && limit == 15 << 20)
        #expect(error.description.contains("source 'big'"))
        #expect(elapsed < .seconds(5))
    }

    @Test("peak memory of the process stays far below what an expanded billion laughs would need")
    func boundedMemory() async throws {
        let world = try World()
        for _ in 0..<3 { _ = try await failure(world, "/feeds/hostile-billion-laughs.xml", name: "lol") }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        // ru_maxrss is in KiB on Linux. Expanded, lol9 alone is 3 GB.
        #expect(usage.ru_maxrss < 1 << 20, "peak RSS \(usage.ru_maxrss) KiB")
    }
}
