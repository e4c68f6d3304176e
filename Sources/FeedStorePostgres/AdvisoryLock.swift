import FeedConfig
import FeedStore
import Foundation
import Logging
import PostgresNIO

/// A PostgreSQL session advisory lock held on a connection of its own:
/// `pg_try_advisory_lock` never waits; while this node holds the lock no other
/// session can take it; when the connection closes or dies (the node stopped
/// or crashed, the network broke) the server lets it go, and another node's
/// next `tryHold` takes it.
actor AdvisoryLock {
    let key: Int64
    let storage: PostgresStorage
    let name: String
    let logger: Logger
    /// The connection holding the lock, when held.
    private var held: PostgresConnection?
    /// The attempt under way: a second caller waits for it instead of opening a second session.
    private var attempt: Task<Result<Bool, StoreError>, Never>?

    init(key: Int64, storage: PostgresStorage, name: String, logger: Logger) {
        self.key = key
        self.storage = storage
        self.name = name
        self.logger = logger
    }

    /// True when this node holds the lock: it already did (its connection is
    /// alive), or it was free and is now taken.
    func tryHold() async throws(StoreError) -> Bool {
        if let attempt { return try await attempt.value.get() }
        if let held {
            if !held.isClosed { return true }
            logger.warning("\(name) lock: its connection closed; the lock is free for any node again")
            self.held = nil
        }
        let task = Task { await self.connectAndTry() }
        attempt = task
        let result = await task.value
        attempt = nil
        return try result.get()
    }

    private func connectAndTry() async -> Result<Bool, StoreError> {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: storage.connectionConfiguration(),
                                                              id: Int.random(in: 1...Int.max), logger: logger)
        } catch {
            return .failure(StoreError(path: storage.redacted, action: "connect for the \(name) lock",
                                       message: PostgresStore.describe(error)))
        }
        do {
            var taken = false
            for try await got in try await connection.query("SELECT pg_try_advisory_lock(\(key))",
                                                            logger: logger).decode(Bool.self) { taken = got }
            if taken {
                held = connection
                return .success(true)
            }
            try await connection.close()
            return .success(false)
        } catch {
            // Not held either way: a closed session holds no lock.
            do { try await connection.close() } catch { logger.debug("\(name) lock: close after a failure: \(error)") }
            return .failure(StoreError(path: storage.redacted, action: "take the \(name) lock",
                                       message: PostgresStore.describe(error)))
        }
    }

    /// Lets go of the lock (closing its session), if held.
    func release() async {
        guard let connection = held else { return }
        held = nil
        do { try await connection.close() } catch {
            logger.warning("\(name) lock: closing its connection failed (the server lets go when it notices): \(error)")
        }
    }
}
