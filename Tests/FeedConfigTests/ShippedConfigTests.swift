@testable import FeedConfig
import Foundation
import Testing

/// The configs a newcomer runs first (`make run`, `make demo`) must load, serve
/// on loopback, and carry what the samples say the old system polled.
@Suite("the shipped config files")
struct ShippedConfigTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func load(_ relative: String) throws -> Config {
        try ConfigLoader.load(path: Self.root.appendingPathComponent(relative).path)
    }

    @Test("config.yaml: the old system's endpoints, served on 127.0.0.1:8080")
    func shipped() throws {
        let config = try load("config.yaml")
        #expect(config.server == Config.ServerSettings(host: "127.0.0.1", port: 8080))
        #expect(config.poll.interval == .seconds(30))
        let urls = config.sources.map(\.url)
        for market in ["37", "38", "39"] {
            #expect(urls.contains("http://43.240.125.15:1818/information/newmarket/web/webapi?marketType=\(market)&count=100"))
        }
        #expect(urls.contains("http://183.136.162.242/web/webapi?type=102&count=100&newsid=1"))
        #expect(urls.contains("http://183.136.162.242/web/webapi?type=45&count=5&newsid=1"))
        // The media list carries its text inline: it has no body endpoint to ask.
        let media = try #require(config.sources.first { $0.name == "media" })
        guard case .json(let settings) = media.kind else { Issue.record("media is not a JSON source"); return }
        #expect(settings.body == nil)
        #expect(settings.fields.body == "simdigest")
    }

    @Test("demo/config.yaml: file sources only, served on 127.0.0.1:8080")
    func demo() throws {
        let config = try load("demo/config.yaml")
        #expect(config.server == Config.ServerSettings(host: "127.0.0.1", port: 8080))
        #expect(!config.sources.isEmpty)
        #expect(config.sources.allSatisfy { $0.url.hasPrefix("file:///") })
    }
}
