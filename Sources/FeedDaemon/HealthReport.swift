import FeedConfig
import FeedStore
import FeedStorePostgres
import Foundation

/// `/healthz`: per configured source, ok or degraded. A failing source is never
/// dropped: it backs off to `poll.max_backoff` and stays here as degraded.
struct HealthReport: Encodable {
    struct SourceHealth: Encodable {
        var name: String
        var status: String
        var consecutiveFailures: Int
        var lastPoll: String?
        var lastSuccess: String?
        var nextPoll: String?
        var message: String?
    }

    /// The store's connection: for PostgreSQL a direct connection made for this
    /// report (bounded by `PostgresStore.connectTimeout`), for SQLite a read.
    struct DatabaseHealth: Encodable {
        /// `sqlite` or `postgresql`.
        var backend: String
        /// The path, or the URL without its password.
        var location: String
        /// `ok` or `unavailable`.
        var status: String
        var error: String?
    }

    var status: String
    var database: DatabaseHealth
    var sources: [SourceHealth]
    /// Why the daemon cannot tell (its store is unreadable); then `status` is "unavailable".
    var reason: String?

    /// The answer when the store cannot be read: not "no sources", but why.
    init(unavailable reason: String, database: DatabaseHealth) {
        status = "unavailable"
        sources = []
        self.database = database
        self.reason = reason
    }

    struct DatabaseUnavailable: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Asks the store whether it answers now.
    static func database(_ store: any Store) async -> DatabaseHealth {
        let backend = store is PostgresStore ? "postgresql" : "sqlite"
        do {
            try await store.ping()
            return DatabaseHealth(backend: backend, location: store.location, status: "ok")
        } catch {
            return DatabaseHealth(backend: backend, location: store.location, status: "unavailable", error: "\(error)")
        }
    }

    init(config: Config, states: [SourceState], database: DatabaseHealth) {
        self.database = database
        let byName = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let iso = { (d: Date?) in d.map { ISO8601DateFormatter().string(from: $0) } }
        sources = config.sources.map { source in
            let s = byName[source.name]
            let failures = s?.consecutiveFailures ?? 0
            return SourceHealth(name: source.name, status: failures == 0 ? "ok" : "degraded",
                                consecutiveFailures: failures, lastPoll: iso(s?.lastPoll), lastSuccess: iso(s?.lastSuccess),
                                nextPoll: iso(s?.nextPoll), message: s?.message)
        }
        status = sources.allSatisfy { $0.status == "ok" } ? "ok" : "degraded"
    }

    func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        do { return try [UInt8](encoder.encode(self)) } catch {
            return Array("{\"status\":\"unavailable\",\"reason\":\"report not encodable\"}".utf8) // strings and ints always encode
        }
    }
}
