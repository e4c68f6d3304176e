// The cluster benchmark (bench/cluster.sh): N sources over K lease-scheduler
// nodes on one throwaway PostgreSQL, steady state. Each poll only counts (no
// HTTP), so what is measured is the coordination: polls per source per
// interval (target 1.00, none twice in one interval), database round trips per
// poll, client CPU per poll. Prints one JSON line.
import FeedConfig
import FeedDaemon
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Synchronization

/// Counts the statements each coordination call sends (one per call, a NOTIFY per payload) and passes the call on.
final class CountingCoordination: ClusterCoordination {
    let base: PostgresCluster
    let trips = Atomic<Int>(0)
    init(_ base: PostgresCluster) { self.base = base }
    var node: String { base.node }
    private func count() { trips.add(1, ordering: .relaxed) }
    func syncSources(_ s: [ClusterSourceEntry]) async throws(StoreError) -> SourceSyncReport { try await base.syncSources(s) }
    func claimDue(limit: Int, lease: Duration) async throws(StoreError) -> LeaseClaim {
        count(); return try await base.claimDue(limit: limit, lease: lease)
    }
    func claim(named names: [String], lease: Duration) async throws(StoreError) -> NamedClaim {
        count(); return try await base.claim(named: names, lease: lease)
    }
    func release(_ n: String, failures: Int, nextPollIn: Duration) async throws(StoreError) -> Bool {
        count(); return try await base.release(n, failures: failures, nextPollIn: nextPollIn)
    }
    func renew(_ n: String, lease: Duration) async throws(StoreError) -> Bool { count(); return try await base.renew(n, lease: lease) }
    func claimBodies(_ c: [InfoCode], for l: Duration) async throws(StoreError) -> Set<InfoCode> {
        count(); return try await base.claimBodies(c, for: l)
    }
    func releaseBodies(_ c: [InfoCode]) async throws(StoreError) { count(); try await base.releaseBodies(c) }
    func notifyChanged(_ s: Set<Slug>) async throws(StoreError) { count(); try await base.notifyChanged(s) }
    func notices() -> AsyncStream<ClusterNotice> { base.notices() }
    func holdWriterLock() async throws(StoreError) -> Bool { try await base.holdWriterLock() }
    func sourceLeases() async throws(StoreError) -> [SourceLeaseState] { try await base.sourceLeases() }
    func close() async { await base.close() }
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

let arguments = CommandLine.arguments.dropFirst().compactMap(Int.init)
let sourceCount = arguments.count > 0 ? arguments[0] : 10_000
let interval = arguments.count > 1 ? arguments[1] : 30
let measured = arguments.count > 2 ? arguments[2] : 2
let nodeCount = arguments.count > 3 ? arguments[3] : 3

var logger = Logger(label: "bench-cluster")
logger.logLevel = .warning
let folder = NSTemporaryDirectory() + "feedd-bench-cluster-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
var yaml = "output: ./public\npoll:\n  interval: \(interval)s\n  concurrency: 8\n  timeout: 10s\nsources:\n"
for n in 0..<sourceCount { yaml += "  - {name: s\(n), type: feed, url: \"http://127.0.0.1:1/s\(n)\", category: 测试}\n" }
let config = try ConfigLoader.parse(yaml: yaml, file: folder + "/config.yaml", baseDirectory: folder)

let storage = try PostgresStorage.parse(try await TestPostgres.shared().freshDatabase()).get()
// Every poll: (source index, seconds since start).
let polls = Mutex<[(Int, Double)]>([])
let start = ContinuousClock.now
func since(_ i: ContinuousClock.Instant) -> Double { Double((i - start).components.attoseconds) / 1e18 + Double((i - start).components.seconds) }
var nodes: [(PostgresStore, CountingCoordination, LeaseScheduler<ContinuousClock>)] = []
for n in 0..<nodeCount {
    let store = try await PostgresStore.open(storage, logger: logger)
    let coordination = CountingCoordination(PostgresCluster(store: store, storage: storage, node: "node\(n)", logger: logger))
    let scheduler = LeaseScheduler(coordination: coordination, config: config, clock: ContinuousClock(), logger: logger) { ticket in
        let index = Int(ticket.source.name.dropFirst())!
        let at = since(.now)
        polls.withLock { $0.append((index, at)) }
        return .init(failed: false)
    }
    nodes.append((store, coordination, scheduler))
}
let tasks = nodes.map { node in Task { try await node.2.run() } }
// Warm-up: the first interval (everything falls due within the first jitter), then the measured ones.
let warmup = Double(interval) * 1.5
try await Task.sleep(for: .seconds(warmup))
let (cpu0, trips0) = (cpuSeconds(), nodes.reduce(0) { $0 + $1.1.trips.load(ordering: .relaxed) })
let from = since(.now)
try await Task.sleep(for: .seconds(interval * measured))
let to = since(.now)
let (cpu1, trips1) = (cpuSeconds(), nodes.reduce(0) { $0 + $1.1.trips.load(ordering: .relaxed) })
for t in tasks { t.cancel() }
for t in tasks { _ = try? await t.value }
for node in nodes {
    await node.1.close()
    await node.0.close()
}
try? FileManager.default.removeItem(atPath: folder)

let all = polls.withLock { $0 }
let window = all.filter { $0.1 >= from && $0.1 < to }
var perSource = [Int](repeating: 0, count: sourceCount)
for (s, _) in window { perSource[s] += 1 }
// Twice in one interval: two polls of a source closer than 0.9 of the interval, anywhere in the run after the warm-up.
var last = [Double](repeating: -1e9, count: sourceCount)
var twice = 0
for (s, at) in all.sorted(by: { $0.1 < $1.1 }) where at >= from {
    if at - last[s] < Double(interval) * 0.9 { twice += 1 }
    last[s] = at
}
// Polls per interval from each source's own rhythm: the interval over its mean gap between polls after the warm-up.
var gaps = [[Double]](repeating: [], count: sourceCount)
last = [Double](repeating: -1, count: sourceCount)
for (s, at) in all.sorted(by: { $0.1 < $1.1 }) where at >= from && at < to {
    if last[s] >= 0 { gaps[s].append(at - last[s]) }
    last[s] = at
}
let rhythm = gaps.filter { !$0.isEmpty }.map { Double(interval) / ($0.reduce(0, +) / Double($0.count)) }
// The period PollPolicy gives a source that never fails: its interval plus the mean jitter.
let period = Double(interval) + min(Double(interval) / 10, 5) / 2
let perPeriod = rhythm.map { $0 * period / Double(interval) }
let rate = perSource.map { Double($0) / Double(measured) }
let report: [String: Any] = [
    "sources": sourceCount, "nodes": nodeCount, "interval_s": interval, "measured_intervals": measured,
    "polls_per_source_per_interval_mean": (rate.reduce(0, +) / Double(sourceCount) * 1000).rounded() / 1000,
    "polls_per_source_per_interval_from_gaps_mean": rhythm.isEmpty ? 0 : (rhythm.reduce(0, +) / Double(rhythm.count) * 1000).rounded() / 1000,
    "polls_per_source_per_interval_from_gaps_min": ((rhythm.min() ?? 0) * 1000).rounded() / 1000,
    "polls_per_source_per_interval_from_gaps_max": ((rhythm.max() ?? 0) * 1000).rounded() / 1000,
    "polls_in_window": window.count,
    "polls_per_source_per_period_mean": perPeriod.isEmpty ? 0 : (perPeriod.reduce(0, +) / Double(perPeriod.count) * 1000).rounded() / 1000,
    "period_s": period,
    "polled_twice_within_an_interval": twice,
    "db_round_trips_per_poll": window.isEmpty ? 0 : (Double(trips1 - trips0) / Double(window.count) * 1000).rounded() / 1000,
    "client_cpu_ms_per_poll_all_nodes": window.isEmpty ? 0 : ((cpu1 - cpu0) / Double(window.count) * 1e6).rounded() / 1000,
    "peak_rss_mib_process_of_all_nodes": (peakRSSMiB() * 10).rounded() / 10,
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
