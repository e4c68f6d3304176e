import FeedTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Rules act on stored items when feeds are rendered: a changed rule and a
/// SIGHUP re-render the feeds, and nothing is fetched for it. In the daemon
/// suite, so it runs serialized with the other daemon processes.
extension DaemonProcessTests {
    static let c0001 = "NW202112292229990001", c0002 = "NW202112292229990002"

    @Test("SIGHUP with a changed rule re-renders the feeds without a single upstream request")
    func changedRuleRerendersWithoutFetching() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        // An hour between polls: after the first one, any request would be the reload's doing.
        let base = Self.config(api, sources: ["market"], interval: "1h")
        let path = folder.write("config.yaml", base + "rules:\n  - discard: {title: 逆回购}\n")
        let notify = try NotifySocket(folder: folder.path)
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", path],
                                        environment: ["NOTIFY_SOCKET": notify.path], folder: folder.path)
        defer { daemon.kill() }
        // Bounded but generous: on a loaded 2-core machine the debug binary can take a while to start.
        #expect(await notify.waitFor("READY=1", timeout: .seconds(30)).last?.contains("READY=1") == true)
        let rss = folder.file("public/all/rss.xml")
        func feed() -> String { String(decoding: FileManager.default.contents(atPath: rss) ?? Data(), as: UTF8.self) }
        #expect(await eventually(timeout: .seconds(15)) { feed().contains(Self.c0002) && api.bodyRequests.count == 4 })
        #expect(!feed().contains(Self.c0001)) // discarded, but stored: its body was fetched once
        #expect(api.bodyRequests.contains { $0.target.hasSuffix(Self.c0001) })

        api.server.clearLog()
        _ = folder.write("config.yaml", base + "rules:\n  - discard: {title: 中间价}\n")
        daemon.signal(SIGHUP)
        #expect(await notify.waitFor("READY=1", timeout: .seconds(15)).contains { $0.contains("READY=1") })
        #expect(await eventually(timeout: .seconds(15)) { feed().contains(Self.c0001) && !feed().contains(Self.c0002) },
                "\(daemon.stderr)")
        #expect(api.server.requests.isEmpty, "\(api.server.requests.map(\.target))")

        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(15)) == 0)
        #expect(api.server.requests.isEmpty)
    }
}
