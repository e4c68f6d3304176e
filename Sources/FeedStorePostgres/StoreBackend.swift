import FeedConfig
import FeedStore
import Logging

/// The one place the backend is chosen: `storage:` as a PostgreSQL URL opens
/// the shared database, a path opens the SQLite file (its calls on `pool`).
public enum StoreBackend {
    public static func open(_ config: Config, logger: Logger, pool: any BlockingRunner) async throws(StoreError) -> any Store {
        if let postgres = config.postgres { return try await PostgresStore.open(postgres, logger: logger) }
        let path = config.storage
        let store = try await pool.run { () throws(StoreError) -> FeedStore in try FeedStore(path: path) }
        return SQLiteStore(store, pool: pool, logger: logger)
    }

    /// On PostgreSQL, this process as a member of the cluster sharing `store` (leases, body
    /// claims, change notices from its applies); nil on SQLite, a single node.
    public static func cluster(for store: any Store, _ config: Config, logger: Logger) -> PostgresCluster? {
        guard let postgres = store as? PostgresStore, let storage = config.postgres else { return nil }
        return PostgresCluster(store: postgres, storage: storage, logger: logger)
    }
}
