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
        return SQLiteStore(store, pool: pool)
    }
}
