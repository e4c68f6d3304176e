import FeedConfig
import FeedDaemon
import FeedFetch
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// Several lease schedulers (nodes) on one real PostgreSQL, polling the
/// fixture server through the real HTTP client; time is the machine's (due
/// times are the database's), so the intervals are short and every wait bounded.
@Suite("the lease scheduler: nodes sharing PostgreSQL", .serialized)
struct LeaseSchedulerTests {
    /// One poll: which node, which source, when it started and ended.
    struct PollRecord: Sendable {
        var node: String
        var source: String
        var started: ContinuousClock.Instant
        var ended: ContinuousClock.Instant
    }

    final class Cluster: Sendable {
        let server: FixtureServer
        let storage: PostgresStorage
        let folder = TempFolder()
        let records = Mutex<[PollRecord]>([])
        let client = HTTPClient(settings: FetchSettings(timeout: .seconds(5)))
        let logs = LogCapture()
        let opened = Mutex<[(PostgresStore, PostgresCluster)]>([])

        init(sources: Int) async throws {
            var routes: [String: FixtureServer.Response] = [:]
            for n in 0..<sources { routes["/s\(n)"] = .json(#"{"items": []}"#) }
            server = try FixtureServer(routes: routes)
            storage = try PostgresStorage.parse(try await TestPostgres.shared().freshDatabase()).get()
        }

        func config(sources: Int, interval: String = "1s", concurrency: Int = 2, changed: Set<Int> = []) throws -> Config {
            var yaml = """
                storage: \(folder.file("unused.sqlite"))
                output: \(folder.file("public"))
                poll:
                  interval: \(interval)
                  concurrency: \(concurrency)
                  timeout: 5s
                  max_backoff: 4s
                sources:

                """
            for n in 0..<sources {
                yaml += """
                      - name: s\(n)
                        type: feed
                        url: http://127.0.0.1:\(server.port)/s\(n)\(changed.contains(n) ? "?v=2" : "")
                        category: 测试

                    """
            }
            return try ConfigLoader.parse(yaml: yaml, file: folder.file("config.yaml"), baseDirectory: folder.path)
        }

        func node(_ name: String) async throws -> PostgresCluster {
            let store = try await PostgresStore.open(storage, logger: logs.logger)
            let cluster = PostgresCluster(store: store, storage: storage, node: name, logger: logs.logger)
            opened.withLock { $0.append((store, cluster)) }
            return cluster
        }

        /// A poll that really fetches the source's list from the fixture server.
        func fetching(_ node: String) -> LeaseScheduler<ContinuousClock>.Poll {
            { [self] ticket in
                let started = ContinuousClock.now
                let failed: Bool
                do { failed = try await client.fetch(FetchRequest(url: ticket.source.url)).status != 200 } catch { failed = true }
                records.withLock { $0.append(PollRecord(node: node, source: ticket.source.name, started: started,
                                                        ended: .now)) }
                return .init(failed: failed)
            }
        }

        func polls(of source: String) -> [PollRecord] { records.withLock { $0.filter { $0.source == source } } }

        func close() async {
            for (store, cluster) in opened.withLock({ $0 }) {
                await cluster.close()
                await store.close()
            }
            server.stop()
            folder.remove()
        }
    }

    /// Runs `schedulers` until `body` returns, then cancels them (a graceful stop) and waits for them.
    func running<C: Clock>(_ schedulers: [LeaseScheduler<C>], _ body: () async throws -> Void) async throws {
        let tasks = schedulers.map { s in Task { try await s.run() } }
        do { try await body() } catch {
            for t in tasks { t.cancel() }
            for t in tasks { _ = try? await t.value }
            throw error
        }
        for t in tasks { t.cancel() }
        for t in tasks { try await t.value }
    }

    @Test("three nodes, eight sources every second: each list is fetched about once per interval in total, never by two nodes at once")
    func threeNodes() async throws {
        let cluster = try await Cluster(sources: 8)
        let config = try cluster.config(sources: 8)
        var schedulers: [LeaseScheduler<ContinuousClock>] = []
        for name in ["a", "b", "c"] {
            schedulers.append(LeaseScheduler(coordination: try await cluster.node(name), config: config, clock: ContinuousClock(),
                                             logger: cluster.logs.logger, poll: cluster.fetching(name)))
        }
        let started = ContinuousClock.now
        try await running(schedulers) { try await Task.sleep(for: .milliseconds(4_500)) }
        let elapsed = ContinuousClock.now - started
        let records = cluster.records.withLock { $0 }
        for n in 0..<8 {
            let polls = cluster.polls(of: "s\(n)").sorted { $0.started < $1.started }
            #expect(cluster.server.requests(to: "/s\(n)").count == polls.count)
            // Due again one interval (± ≤ 0.1 s jitter) after the previous poll ended: at most 5 in 4.5 s, not 3× that.
            #expect(polls.count >= 2 && polls.count <= 5, "s\(n): \(polls.count) polls in \(elapsed)")
            for (earlier, later) in zip(polls, polls.dropFirst()) {
                #expect(later.started - earlier.ended >= .milliseconds(890), "s\(n) polled again after \(later.started - earlier.ended)")
            }
        }
        // Two polls in flight per node and eight sources due at once: the work is shared.
        #expect(Set(records.map(\.node)) == ["a", "b", "c"], "\(Dictionary(grouping: records, by: \.node).mapValues(\.count))")
        await cluster.close()
    }

    @Test("a node that freezes mid-poll stops renewing; its lease runs out and another node polls the source; the late result is refused")
    func frozenNode() async throws {
        let cluster = try await Cluster(sources: 1)
        let config = try cluster.config(sources: 1, interval: "60s")
        let entered = Mutex<ContinuousClock.Instant?>(nil)
        // Due at once (not after the first jitter), so the frozen node claims it before its clock matters.
        let a = try await cluster.node("a")
        _ = try await a.syncSources([ClusterSourceEntry(name: "s0", fingerprint: SourceFingerprint.of(config.sources[0]))])
        // Node a freezes in its poll: its clock stands still (no renewal fires) and the poll hangs.
        let frozenClock = ManualClock()
        let frozen = LeaseScheduler(coordination: a, config: config, clock: frozenClock,
                                    logger: cluster.logs.logger, lease: .seconds(1), shutdownGrace: .seconds(1)) { _ in
            entered.withLock { $0 = .now }
            try? await Task.sleep(for: .seconds(60))
            return .init(failed: false)
        }
        let taken = Mutex<ContinuousClock.Instant?>(nil)
        let healthy = LeaseScheduler(coordination: try await cluster.node("b"), config: config, clock: ContinuousClock(),
                                     logger: cluster.logs.logger, lease: .seconds(1),
                                     poll: cluster.fetching("b"), onPolled: { _, _ in taken.withLock { $0 = $0 ?? .now } })
        var thaw: Task<Void, Never>?
        try await running([frozen]) {
            #expect(await eventually(timeout: .seconds(10)) { entered.withLock { $0 } != nil })
            try await running([healthy]) {
                #expect(await eventually(timeout: .seconds(10)) { taken.withLock { $0 } != nil })
            }
            // a thaws: its renewal finds the lease gone, and its stop's grace can pass.
            thaw = Task {
                while !Task.isCancelled {
                    frozenClock.advance(by: .seconds(1))
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            #expect(await eventually(timeout: .seconds(10)) {
                cluster.logs.all().contains { $0.contains("s0: the lease is another node's now") }
            })
        }
        thaw?.cancel()
        let hung = try #require(entered.withLock { $0 })
        let polled = try #require(taken.withLock { $0 })
        #expect(polled - hung >= .seconds(1) && polled - hung < .seconds(4), "\(polled - hung)")
        #expect(cluster.polls(of: "s0").map(\.node) == ["b"])
        let warnings = cluster.logs.messages(atLeast: .warning)
        #expect(warnings.contains { $0.contains("s0: the lease is another node's now") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("s0: the lease ran out before the poll finished") }, "\(warnings)")
        await cluster.close()
    }

    @Test("a live node's long poll renews its lease: no other node polls the source meanwhile")
    func longPoll() async throws {
        let cluster = try await Cluster(sources: 1)
        let config = try cluster.config(sources: 1, interval: "60s")
        let finished = Mutex(false)
        let slow = LeaseScheduler(coordination: try await cluster.node("a"), config: config, clock: ContinuousClock(),
                                  logger: cluster.logs.logger, lease: .seconds(1),
                                  poll: { ticket in
                                      let outcome = await cluster.fetching("a")(ticket)
                                      try? await Task.sleep(for: .milliseconds(2_500)) // 2.5 leases
                                      return outcome
                                  }, onPolled: { _, _ in finished.withLock { $0 = true } })
        let other = LeaseScheduler(coordination: try await cluster.node("b"), config: config, clock: ContinuousClock(),
                                   logger: cluster.logs.logger, lease: .seconds(1), poll: cluster.fetching("b"))
        try await running([slow]) {
            #expect(await eventually(timeout: .seconds(10)) { !cluster.polls(of: "s0").isEmpty })
            try await running([other]) {
                #expect(await eventually(timeout: .seconds(10)) { finished.withLock { $0 } })
            }
        }
        #expect(cluster.polls(of: "s0").map(\.node) == ["a"])
        #expect(!cluster.logs.all().contains { $0.contains("lease ran out") || $0.contains("another node's now") })
        await cluster.close()
    }

    @Test("the holder writes the next due time from PollPolicy: a failure doubles the interval, Retry-After is honoured")
    func backoff() async throws {
        let cluster = try await Cluster(sources: 3)
        let config = try cluster.config(sources: 3, interval: "1s")
        let node = try await cluster.node("a")
        let outcomes: [String: LeaseScheduler<ContinuousClock>.Outcome] = [
            "s0": .init(failed: true), "s1": .init(failed: true, retryAfter: "3"),
            "s2": .init(failed: false, delay: .seconds(7)), // the delay the poll recorded in its own state
        ]
        let done = Mutex<Set<String>>([])
        let scheduler = LeaseScheduler(coordination: node, config: config, clock: ContinuousClock(), logger: cluster.logs.logger,
                                       poll: { outcomes[$0.source.name]! }, onPolled: { name, _ in done.withLock { _ = $0.insert(name) } })
        try await running([scheduler]) {
            #expect(await eventually(timeout: .seconds(10)) { done.withLock { $0.count } == 3 })
        }
        let states = Dictionary(uniqueKeysWithValues: try await node.sourceLeases().map { ($0.name, $0) })
        let s0 = try #require(states["s0"]), s1 = try #require(states["s1"])
        #expect(s0.failures == 1 && s1.failures == 1 && s0.lastHolder == "a" && s0.holder == nil)
        // 2 × 1 s (+ ≤ 0.1 s jitter) and max(2 s, Retry-After 3 s), from when each was released.
        let (in0, in1) = (s0.nextPoll.timeIntervalSinceNow, s1.nextPoll.timeIntervalSinceNow)
        #expect(in0 > 1.0 && in0 <= 2.1, "\(in0)")
        #expect(in1 > 2.0 && in1 <= 3.1, "\(in1)")
        let in2 = try #require(states["s2"]).nextPoll.timeIntervalSinceNow
        #expect(in2 > 6.0 && in2 <= 7.0 && states["s2"]?.failures == 0, "\(in2)")
        await cluster.close()
    }

    @Test("a sleeping node wakes on another node's sync (a changed source is due at once) and hears its changes")
    func wakesOnNotice() async throws {
        let cluster = try await Cluster(sources: 2)
        let config = try cluster.config(sources: 2, interval: "60s")
        let heard = Mutex<[ClusterNotice]>([])
        let scheduler = LeaseScheduler(coordination: try await cluster.node("a"), config: config, clock: ContinuousClock(),
                                       logger: cluster.logs.logger, maxIdle: .seconds(60), poll: cluster.fetching("a"),
                                       onNotice: { notice in heard.withLock { $0.append(notice) } })
        let other = try await cluster.node("b")
        try await running([scheduler]) {
            #expect(await eventually(timeout: .seconds(10)) { cluster.records.withLock { $0.count } == 2 })
            try await Task.sleep(for: .milliseconds(300)) // asleep now, for a minute
            // Node b syncs a config where s1 changed: s1 is due at once, and a is told.
            let entries = try cluster.config(sources: 2, changed: [1]).sources.map {
                ClusterSourceEntry(name: $0.name, fingerprint: SourceFingerprint.of($0))
            }
            _ = try await other.syncSources(entries)
            #expect(await eventually(timeout: .seconds(5)) { cluster.polls(of: "s1").count == 2 })
            #expect(cluster.polls(of: "s0").count == 1)
            let slugs: Set<Slug> = [Slug(validating: "ceshi")!]
            try await other.notifyChanged(slugs)
            #expect(await eventually(timeout: .seconds(5)) { heard.withLock { $0.contains(.changed(node: "b", slugs: slugs)) } })
        }
        await cluster.close()
    }

    @Test("SIGHUP: the new config is synced; a removed source is no longer polled, an added one is")
    func reload() async throws {
        let cluster = try await Cluster(sources: 3)
        let scheduler = LeaseScheduler(coordination: try await cluster.node("a"), config: try cluster.config(sources: 2),
                                       clock: ContinuousClock(), logger: cluster.logs.logger, poll: cluster.fetching("a"))
        try await running([scheduler]) {
            #expect(await eventually(timeout: .seconds(10)) { cluster.polls(of: "s1").count >= 1 })
            // s1 removed, s2 added (the config lists s0 and s2).
            var next = try cluster.config(sources: 3)
            next.sources.removeAll { $0.name == "s1" }
            await scheduler.reload(next)
            let s1 = cluster.polls(of: "s1").count
            #expect(await eventually(timeout: .seconds(10)) { cluster.polls(of: "s2").count >= 3 })
            #expect(cluster.polls(of: "s1").count <= s1 + 1) // a poll in flight at the reload may finish
            #expect(cluster.polls(of: "s0").count >= 2)
        }
        await cluster.close()
    }

    @Test("a node whose config differs from the cluster's logs which source names were added, removed and changed")
    func differingConfig() async throws {
        let cluster = try await Cluster(sources: 4)
        let first = try cluster.config(sources: 3, interval: "60s")
        // The cluster runs s0, s1, s2; this node's config has s0, s1 changed, s3, and no s2.
        var mine = try cluster.config(sources: 4, interval: "60s", changed: [1])
        mine.sources.removeAll { $0.name == "s2" }
        _ = try await cluster.node("a").syncSources(first.sources.map {
            ClusterSourceEntry(name: $0.name, fingerprint: SourceFingerprint.of($0))
        })
        let scheduler = LeaseScheduler(coordination: try await cluster.node("b"), config: mine, clock: ContinuousClock(),
                                       logger: cluster.logs.logger, poll: cluster.fetching("b"))
        try await running([scheduler]) {
            #expect(await eventually(timeout: .seconds(10)) { cluster.logs.all().contains { $0.contains("differs") } })
        }
        let line = cluster.logs.messages(atLeast: .warning).first { $0.contains("differs") }
        #expect(line?.contains("(last synced by a): added s3; removed s2; changed s1;") == true, "\(line ?? "none")")
        await cluster.close()
    }
}
