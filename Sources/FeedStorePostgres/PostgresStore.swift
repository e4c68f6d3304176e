import FeedConfig
import FeedModel
import FeedStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

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
    /// Where the database is, for the direct connection `ping` makes.
    let storage: PostgresStorage
    /// The candidate index of story detection (`FeedStore/StoryWindow.swift`), loaded on the first assignment.
    let storyWindow = StoryWindow()
    private let running: Task<Void, Never>
    /// The node an apply names in the change notice it sends in its own transaction (nil: no
    /// notice; set by `PostgresCluster`, so only a cluster's store tells the other nodes).
    let announcer = Mutex<String?>(nil)

    /// How long opening the store and `/healthz` wait for the server before saying it cannot be reached.
    public static let connectTimeout: Duration = .seconds(5)

    /// Connects, then applies the migrations not yet applied. A server that
    /// cannot be reached (or refuses the user or database) fails here, within
    /// `connectTimeout`, with a `StoreError` naming host:port: postgres-nio's
    /// pool would otherwise retry it forever and every query would wait.
    public static func open(_ storage: PostgresStorage, logger: Logger,
                            timeout: Duration = connectTimeout) async throws(StoreError) -> PostgresStore {
        try await probe(storage, timeout: timeout, logger: logger)
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
        self.storage = storage
        self.logger = logger
        var configuration = PostgresClient.Configuration(host: storage.host, port: storage.port, username: storage.user,
                                                         password: storage.password, database: storage.database,
                                                         tls: Self.tls(storage.sslMode))
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 8
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // Started on this thread up to its first suspension: the client is running (postgres-nio's
        // order) before `migrate` leases the first connection, which would otherwise warn that
        // `run()` has not been called yet.
        running = Task.immediate { await client.run() }
    }

    /// Closes every connection (the client's run task ends).
    public func close() async {
        running.cancel()
        await running.value
    }

    public func ping() async throws(StoreError) {
        try await Self.probe(storage, timeout: Self.connectTimeout, logger: logger)
    }

    /// One direct connection (connect, authenticate, `SELECT 1`, close), bounded by `timeout` in all.
    static func probe(_ storage: PostgresStorage, timeout: Duration, logger: Logger) async throws(StoreError) {
        let place = "\(storage.host):\(storage.port)"
        do {
            var configuration = PostgresConnection.Configuration(host: storage.host, port: storage.port, username: storage.user,
                                                                 password: storage.password, database: storage.database,
                                                                 tls: try connectionTLS(storage.sslMode))
            configuration.options.connectTimeout = .milliseconds(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [configuration] in
                    let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
                    do {
                        try await connection.query("SELECT 1", logger: logger)
                    } catch {
                        try? await connection.close() // the query's failure is what is reported
                        throw error
                    }
                    try await connection.close()
                }
                group.addTask {
                    try await Task.sleep(for: timeout + .seconds(1))
                    throw ProbeTimeout(timeout: timeout)
                }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            throw StoreError(path: storage.redacted, action: "connect",
                             message: "PostgreSQL at \(place) cannot be reached: \(describe(error))")
        }
    }

    struct ProbeTimeout: Error, CustomStringConvertible {
        var timeout: Duration
        var description: String { "no answer within \(timeout)" }
    }

    /// What `sslmode` asks of TLS, as libpq reads it: nil for `disable`; else the client
    /// settings (`prefer` and `require` check no certificate, `verify-ca` the chain only,
    /// `verify-full` the chain and the host name) and whether a server without TLS is
    /// still taken (`prefer`). The one mapping: the pool's and single connections' TLS come from it.
    static func tlsSettings(_ mode: PostgresStorage.SSLMode) -> (configuration: TLSConfiguration, optional: Bool)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch mode {
        case .disable: return nil
        case .prefer, .require: configuration.certificateVerification = .none
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        case .verifyFull: break
        }
        return (configuration, mode == .prefer)
    }

    /// The TLS of the connection pool.
    static func tls(_ mode: PostgresStorage.SSLMode) -> PostgresClient.Configuration.TLS {
        guard let settings = tlsSettings(mode) else { return .disable }
        return settings.optional ? .prefer(settings.configuration) : .require(settings.configuration)
    }

    /// The TLS of a single connection (the probe, the notice listener, the writer lock).
    static func connectionTLS(_ mode: PostgresStorage.SSLMode) throws -> PostgresConnection.Configuration.TLS {
        guard let settings = tlsSettings(mode) else { return .disable }
        let context = try NIOSSLContext(configuration: settings.configuration)
        return settings.optional ? .prefer(context) : .require(context)
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
        if let timeout = error as? ProbeTimeout { return timeout.description }
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
