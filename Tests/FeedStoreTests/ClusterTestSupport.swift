import FeedConfig
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Synchronization

/// Nodes of one cluster on a fresh database of the test PostgreSQL: each has
/// its own store (its own connection pool), as separate processes would.
struct ClusterNodes {
    let url: String
    let storage: PostgresStorage
    let stores: [PostgresStore]
    let nodes: [PostgresCluster]

    static func open(_ count: Int) async throws -> ClusterNodes {
        let url = try await TestPostgres.shared().freshDatabase()
        let storage = try PostgresStorage.parse(url).get()
        var stores: [PostgresStore] = []
        var nodes: [PostgresCluster] = []
        for n in 0..<count {
            let store = try await PostgresStore.open(storage, logger: Logger(label: "node\(n)"))
            stores.append(store)
            nodes.append(PostgresCluster(store: store, storage: storage, node: "node\(n)", logger: Logger(label: "node\(n)")))
        }
        return ClusterNodes(url: url, storage: storage, stores: stores, nodes: nodes)
    }

    func close() async {
        for node in nodes { await node.close() }
        for store in stores { await store.close() }
    }

    /// Runs SQL through psql on this database (as an operator would; no result kept).
    func psql(_ sql: String) async throws {
        try await TestPostgres.shared().psql(sql, database: String(url.split(separator: "/").last!.split(separator: "?")[0]))
    }
}

/// Notices read from a stream by a task of its own, for bounded waits.
final class NoticeLog: Sendable {
    final class Seen: Sendable {
        let list = Mutex<[ClusterNotice]>([])
    }

    private let seen = Seen()
    private let reader: Task<Void, Never>

    init(_ stream: AsyncStream<ClusterNotice>) {
        let seen = self.seen
        reader = Task { for await notice in stream { seen.list.withLock { $0.append(notice) } } }
    }

    var notices: [ClusterNotice] { seen.list.withLock { $0 } }

    /// Waits (at most `timeout`) until `count` notices match.
    func wait(for count: Int = 1, timeout: Duration = .seconds(15), _ match: (ClusterNotice) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if notices.filter(match).count >= count { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return notices.filter(match).count >= count
    }

    func stop() async {
        reader.cancel()
        await reader.value
    }
}

/// Waits (bounded) for `condition`.
func within(_ timeout: Duration, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
