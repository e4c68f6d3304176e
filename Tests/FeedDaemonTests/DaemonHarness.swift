import FeedConfig
import FeedDaemon
import FeedTestSupport
import Foundation
import Logging
import ServiceLifecycle

/// Runs a whole daemon (scheduler + feed server) in-process against the
/// fixture APIs, on an ephemeral port, and stops it gracefully.
struct DaemonHarness {
    let api: NewsAPIFixture
    let folder = TempFolder()

    init() throws { api = try NewsAPIFixture() }

    var output: String { folder.file("public") }

    func config(_ sources: [String] = ["market", "media", "rolling"], interval: String = "1s", extra: String = "",
                top: String = "") throws -> Config {
        var yaml = api.config(storage: folder.file("data/feedd.sqlite"), output: output, sources: sources, extraSources: extra)
        yaml = yaml.replacingOccurrences(of: "  interval: 60s\n", with: "  interval: \(interval)\n  max_backoff: 4s\n")
        yaml += "server:\n  listen: 127.0.0.1:0\n" + top
        return try ConfigLoader.parse(yaml: yaml, file: folder.file("config.yaml"), baseDirectory: folder.path)
    }

    /// Starts the daemon, runs `body` with the server's port, then shuts down gracefully.
    func run(_ config: Config, jekyllEvery: Duration = .seconds(3600), _ body: @Sendable (Int) async throws -> Void) async throws {
        var logger = Logger(label: "daemon-test")
        logger.logLevel = ProcessInfo.processInfo.environment["FEEDD_TEST_LOG"] == nil ? .critical : .debug
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let group = try await Daemon(configPath: config.file, logger: logger)
            .makeGroup(config: config, shutdownSignals: [], jekyllEvery: jekyllEvery) { continuation.yield($0) }
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        do {
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    func tearDown() {
        api.server.stop()
        folder.remove()
    }
}

/// Polls `condition` until it holds or `timeout` passes (generous: the machines are shared and loaded).
func eventually(timeout: Duration = .seconds(15), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
