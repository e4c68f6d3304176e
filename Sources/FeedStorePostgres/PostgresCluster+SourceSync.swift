import FeedModel
import FeedStore
import Foundation
import PostgresNIO

/// The configured sources, synced into `clusterSource` by name (on start and on SIGHUP).
extension PostgresCluster {
    /// The advisory lock key syncs take, so two nodes syncing at once take turns.
    static let syncLock = Int64(bitPattern: FNV1a.hash("feedd source sync"))

    public func syncSources(_ sources: [ClusterSourceEntry]) async throws(StoreError) -> SourceSyncReport {
        let hash = ClusterSourceEntry.configHash(sources)
        let (node, logger) = (self.node, self.logger)
        let report = try await attempt("sync \(sources.count) sources into the shared table") {
            try await client.withTransaction(logger: logger) { c in
                try await c.query("SELECT pg_advisory_xact_lock(\(Self.syncLock))", logger: logger)
                var report = SourceSyncReport(hash: hash)
                for try await (previous, by) in try await c.query("SELECT hash, node FROM clusterConfig WHERE id = 1",
                                                                  logger: logger).decode((String, String).self) {
                    report.previousHash = previous
                    report.previousNode = by
                }
                var stored: [String: String] = [:] // the active sources and their fingerprints
                for try await (name, fingerprint) in try await c.query(
                    "SELECT name, fingerprint FROM clusterSource WHERE active", logger: logger).decode((String, String).self) {
                    stored[name] = fingerprint
                }
                let names = sources.map(\.name)
                for source in sources {
                    switch stored[source.name] {
                    case nil: report.added.append(source.name)
                    case source.fingerprint?: break
                    default: report.changed.append(source.name)
                    }
                }
                report.added.sort()
                report.changed.sort()
                let configured = Set(names)
                report.removed = stored.keys.filter { !configured.contains($0) }.sorted()
                // New (or back after removal): due after the first delay. Changed: due now, as
                // the single-node scheduler does. Unchanged: keeps its due time and lease.
                let fingerprints = sources.map(\.fingerprint)
                let delays = sources.map(\.firstDelay.secondsValue)
                try await c.query("""
                    INSERT INTO clusterSource (name, fingerprint, active, nextPoll, syncedAt)
                    SELECT s.name, s.fingerprint, TRUE, \(unescaped: databaseNow) + s.delay, \(unescaped: databaseNow)
                    FROM unnest(\(names)::text[], \(fingerprints)::text[], \(delays)::float8[]) AS s(name, fingerprint, delay)
                    ON CONFLICT (name) DO UPDATE SET
                        nextPoll = CASE WHEN NOT clusterSource.active THEN excluded.nextPoll
                                        WHEN clusterSource.fingerprint <> excluded.fingerprint
                                            THEN LEAST(clusterSource.nextPoll, \(unescaped: databaseNow))
                                        ELSE clusterSource.nextPoll END,
                        failures = CASE WHEN clusterSource.active THEN clusterSource.failures ELSE 0 END,
                        fingerprint = excluded.fingerprint, active = TRUE, syncedAt = excluded.syncedAt
                    """, logger: logger)
                try await c.query("""
                    UPDATE clusterSource SET active = FALSE, syncedAt = \(unescaped: databaseNow)
                    WHERE active AND NOT (name = ANY(\(names)::text[]))
                    """, logger: logger)
                try await c.query("""
                    INSERT INTO clusterConfig (id, hash, node, syncedAt) VALUES (1, \(hash), \(node), \(unescaped: databaseNow))
                    ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, node = excluded.node, syncedAt = excluded.syncedAt
                    """, logger: logger)
                // Claims whose holders died long ago are of no use to anyone.
                try await c.query("DELETE FROM bodyClaim WHERE until < \(unescaped: databaseNow)", logger: logger)
                return report
            }
        }
        try await notify(["sources\t\(node)"], action: "notify the source sync")
        return report
    }

    /// The cluster's config hash and the node that recorded it (nil before any sync).
    public func clusterConfigHash() async throws(StoreError) -> (hash: String, node: String)? {
        try await attempt("read the cluster's config hash") {
            var found: (String, String)?
            for try await row in try await client.query("SELECT hash, node FROM clusterConfig WHERE id = 1",
                                                        logger: logger).decode((String, String).self) { found = row }
            return found.map { (hash: $0.0, node: $0.1) }
        }
    }
}
