import FeedConfig
import FeedModel
import FeedStore
import Foundation
import Logging
import PostgresNIO

/// The shared-database backend (issue 12): the same tables as the SQLite
/// store, in PostgreSQL, through postgres-nio's connection pool. Every call is
/// async all the way down (no thread waits on the network). A poll is applied
/// in one transaction, as in SQLite; rows another node may be writing at the
/// same time are locked (`FOR UPDATE`) or written with `ON CONFLICT`, so two
/// nodes applying the same item never store it twice.
public final class PostgresStore: Store {
    /// The URL without its password.
    public let location: String
    let client: PostgresClient
    let logger: Logger
    private let running: Task<Void, Never>

    /// Connects, then applies the migrations not yet applied.
    public static func open(_ storage: PostgresStorage, logger: Logger) async throws(StoreError) -> PostgresStore {
        let store = PostgresStore(storage, logger: logger)
        do throws(StoreError) {
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    private init(_ storage: PostgresStorage, logger: Logger) {
        location = storage.redacted
        self.logger = logger
        var configuration = PostgresClient.Configuration(host: storage.host, port: storage.port, username: storage.user,
                                                         password: storage.password, database: storage.database,
                                                         tls: Self.tls(storage.sslMode))
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 8
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
    }

    /// Closes every connection (the client's run task ends).
    public func close() async {
        running.cancel()
        await running.value
    }

    static func tls(_ mode: PostgresStorage.SSLMode) -> PostgresClient.Configuration.TLS {
        var unchecked = TLSConfiguration.makeClientConfiguration()
        unchecked.certificateVerification = .none
        var chainOnly = TLSConfiguration.makeClientConfiguration()
        chainOnly.certificateVerification = .noHostnameVerification
        switch mode {
        case .disable: return .disable
        case .prefer: return .prefer(unchecked)
        case .require: return .require(unchecked)
        case .verifyCA: return .require(chainOnly)
        case .verifyFull: return .require(TLSConfiguration.makeClientConfiguration())
        }
    }

    /// Runs `body`, turning any failure into a `StoreError` naming the database and the action.
    func attempt<T>(_ action: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do { return try await body() } catch let error as StoreError { throw error } catch {
            throw StoreError(path: location, action: action, message: Self.describe(error))
        }
    }

    /// The server's own words when it sent some (PSQLError's description hides them).
    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            if let server = psql.serverInfo {
                let state = server[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return (server[.message] ?? "server error") + state
            }
            return "\(psql.code)" + (psql.underlying.map { ": \($0)" } ?? "")
        }
        return "\(error)"
    }

    // MARK: Migrations

    /// Applies, in order and each in its own transaction, the migrations not yet
    /// recorded. A transaction-scoped advisory lock makes nodes starting together
    /// take turns, so each migration runs once.
    func migrate() async throws(StoreError) {
        try await attempt("migrate") {
            try await client.withTransaction(logger: logger) { c in
                try await c.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                try await c.query("""
                    CREATE TABLE IF NOT EXISTS feedd_migrations (id TEXT PRIMARY KEY NOT NULL, appliedAt DOUBLE PRECISION NOT NULL)
                    """, logger: logger)
            }
            for migration in PostgresSchema.migrations {
                try await client.withTransaction(logger: logger) { c in
                    try await c.query("SELECT pg_advisory_xact_lock(\(Self.migrationLock))", logger: logger)
                    let done = try await c.query("SELECT 1 FROM feedd_migrations WHERE id = \(migration.id)",
                                                 logger: logger).collect()
                    guard done.isEmpty else { return }
                    for statement in migration.sql { try await c.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                    try await c.query("""
                        INSERT INTO feedd_migrations (id, appliedAt) VALUES (\(migration.id), \(Date().timeIntervalSince1970))
                        """, logger: logger)
                }
            }
        }
    }

    /// The advisory lock key migrations take ("feedd" + 1 in ASCII).
    static let migrationLock = 0x6665_6564_6401

    /// The identifiers of the applied migrations, in the order they were applied.
    public func appliedMigrations() async throws(StoreError) -> [String] {
        try await attempt("read migrations") {
            var ids: [String] = []
            for try await id in try await client.query("SELECT id FROM feedd_migrations ORDER BY appliedAt, id",
                                                       logger: logger).decode(String.self) { ids.append(id) }
            return ids
        }
    }
}
