import FeedConfig
import FeedModel
import FeedStore
import Foundation
import Logging
import PostgresNIO

/// Cluster coordination on the shared PostgreSQL database (issue 12): leases
/// on the `clusterSource` table, body claims, the config hash, `NOTIFY` on
/// changes, the Jekyll writer's advisory lock. Its queries go through the
/// store's connection pool; the notices and the lock each have a connection
/// of their own, because a `LISTEN` and a session lock belong to one session.
public final class PostgresCluster: ClusterCoordination {
    public let node: String
    let store: PostgresStore
    let storage: PostgresStorage
    let logger: Logger
    let writerLock: AdvisoryLock
    let listener: NoticeListener

    /// The channel every node listens on.
    static let channel = "feedd_cluster"
    /// The Jekyll writer's advisory lock key (FNV-1a of its name, as a signed 64-bit key).
    static let writerLockKey = Int64(bitPattern: FNV1a.hash("feedd jekyll writer"))

    /// Coordination through `store`'s database (already migrated by `PostgresStore.open`).
    /// From then on `store`'s applies send their change notice in their own transaction.
    public init(store: PostgresStore, storage: PostgresStorage, node: String = ClusterNode.defaultID(), logger: Logger) {
        self.node = node
        self.store = store
        self.storage = storage
        self.logger = logger
        writerLock = AdvisoryLock(key: Self.writerLockKey, storage: storage, name: "jekyll writer", logger: logger)
        listener = NoticeListener(storage: storage, channel: Self.channel, logger: logger)
        // From now on every apply on this store tells the other nodes what it changed, in its own transaction.
        store.announcer.withLock { $0 = node }
    }

    var client: PostgresClient { store.client }
    var location: String { store.location }

    func attempt<T>(_ action: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        try await store.attempt(action, body)
    }

    public func close() async {
        await listener.stop()
        await writerLock.release()
    }

    public func holdWriterLock() async throws(StoreError) -> Bool {
        try await writerLock.tryHold()
    }

    public func notices() -> AsyncStream<ClusterNotice> { listener.notices() }
}

/// Seconds since 1970 by the database's clock, in SQL.
let databaseNow = "EXTRACT(EPOCH FROM now())::float8"

extension PostgresStorage {
    /// The settings of one connection of its own (the pool's are `PostgresStore`'s).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password,
                                                             database: database, tls: try PostgresStore.connectionTLS(sslMode))
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

extension Duration {
    /// Seconds as a Double, for SQL arithmetic on epoch seconds.
    var secondsValue: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
