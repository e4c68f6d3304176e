import FeedConfig
import FeedDaemon
import FeedPipeline
import FeedTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs a whole daemon (scheduler + feed server) in-process against the
/// fixture APIs, on an ephemeral port, and stops it gracefully. The scheduler
/// runs on a `ManualClock`: tests move time; they wait (bounded) only for
/// real work such as a poll's I/O, never for a schedule.
struct DaemonHarness {
    let api: NewsAPIFixture
    let folder = TempFolder()
    let clock = ManualClock()
    let logs = LogCapture()
    private let finished = Finished()

    /// The names of finished polls, in order.
    final class Finished: Sendable {
        let names = Mutex<[String]>([])
        func withLock<T: Sendable>(_ body: (inout [String]) -> T) -> T { names.withLock { body(&$0) } }
    }

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
    /// With `firstPolls`, time moves past the first polls' jitter (5 s at most) once the scheduler waits.
    func run(_ config: Config, jekyllEvery: Duration = .seconds(3600), startWindow: Duration = .zero, firstPolls: Bool = true,
             _ body: @Sendable (Int) async throws -> Void) async throws {
        let logger = logs.logger
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let finished = self.finished
        let group = try await Daemon(configPath: config.file, logger: logger)
            .makeGroup(config: config, shutdownSignals: [], jekyllEvery: jekyllEvery, clock: clock, startWindow: startWindow,
                       onPolled: { report in finished.withLock { $0.append(report.name) } }) { continuation.yield($0) }
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { return }
        do {
            if firstPolls { try await startFirstPolls() }
            try await body(port)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// Waits until the scheduler sleeps on the clock (its sources are scheduled), then moves time past the first jitter.
    func startFirstPolls() async throws {
        guard await eventually({ !clock.deadlines.isEmpty }) else { throw Timeout(description: "the scheduler never slept") }
        clock.advance(by: .seconds(5))
    }

    /// How many polls of `source` have finished (and been scheduled again).
    func polls(of source: String) -> Int { finished.withLock { $0.filter { $0 == source }.count } }

    /// Waits (bounded) until `source` has finished `count` polls.
    func waitForPolls(_ source: String, _ count: Int, timeout: Duration = .seconds(10)) async throws {
        guard await eventually(timeout: timeout, { polls(of: source) >= count }) else {
            throw Timeout(description: "\(source): \(polls(of: source)) polls finished, expected \(count)")
        }
    }

    /// The scheduler's next wake-up, as an offset from the clock's start, once
    /// it sleeps again (it does at once after a poll; this waits for that, bounded).
    var nextWake: Duration? {
        get async {
            _ = await eventually(timeout: .seconds(2)) { !clock.deadlines.isEmpty }
            return clock.deadlines.first
        }
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
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
