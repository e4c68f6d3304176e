import FeedStore
import Foundation
import PostgresNIO

/// Leases on the shared source table: one statement claims up to k due
/// sources (`FOR UPDATE SKIP LOCKED`: concurrent claimers never wait for each
/// other and never take the same row); the holder records the result and the
/// next due time and lets go; a dead holder's lease runs out and any node takes
/// the source again.
extension PostgresCluster {
    public func claimDue(limit: Int, lease: Duration) async throws(StoreError) -> LeaseClaim {
        let (node, seconds) = (self.node, lease.secondsValue)
        return try await attempt("claim due sources") {
            // One round trip: the claimed rows, then one row with the next wake-up among the
            // rest (the CTE's snapshot predates the UPDATE, so the claimed rows are left out by name).
            let rows = try await client.query("""
                WITH claimed AS (
                    UPDATE clusterSource SET leaseUntil = \(unescaped: databaseNow) + \(seconds), leaseHolder = \(node),
                        leasedAt = \(unescaped: databaseNow)
                    WHERE name IN (
                        SELECT name FROM clusterSource
                        WHERE active AND nextPoll <= \(unescaped: databaseNow)
                          AND (leaseUntil IS NULL OR leaseUntil < \(unescaped: databaseNow))
                        ORDER BY nextPoll LIMIT \(limit)
                        FOR UPDATE SKIP LOCKED)
                    RETURNING name, failures, leaseUntil
                )
                SELECT name, failures, leaseUntil FROM claimed
                UNION ALL
                SELECT NULL, NULL, LEAST(
                    (SELECT MIN(nextPoll) FROM clusterSource
                     WHERE active AND leaseUntil IS NULL AND name NOT IN (SELECT name FROM claimed)),
                    (SELECT MIN(leaseUntil) FROM clusterSource
                     WHERE active AND leaseUntil IS NOT NULL AND name NOT IN (SELECT name FROM claimed))
                ) - \(unescaped: databaseNow)
                """, logger: logger)
            var claim = LeaseClaim(claimed: [], nextWake: nil)
            for try await (name, failures, value) in rows.decode((String?, Int?, Double?).self) {
                if let name, let failures, let value {
                    claim.claimed.append(ClaimedSource(name: name, failures: failures, until: Date(timeIntervalSince1970: value)))
                } else if let value {
                    claim.nextWake = .milliseconds(Int64((max(0, value) * 1000).rounded(.up)))
                }
            }
            return claim
        }
    }

    public func claim(named names: [String], lease: Duration) async throws(StoreError) -> NamedClaim {
        let (node, seconds) = (self.node, lease.secondsValue)
        return try await attempt("claim \(names.count) sources by name") {
            // A row another node is claiming at this instant is waited for, then its lease seen: never taken twice.
            let rows = try await client.query("""
                WITH wanted AS (SELECT unnest(\(names)::text[]) AS name),
                claimed AS (
                    UPDATE clusterSource SET leaseUntil = \(unescaped: databaseNow) + \(seconds), leaseHolder = \(node),
                        leasedAt = \(unescaped: databaseNow)
                    WHERE name IN (SELECT name FROM wanted)
                      AND (leaseUntil IS NULL OR leaseUntil < \(unescaped: databaseNow) OR leaseHolder = \(node))
                    RETURNING name, failures, leaseUntil
                )
                SELECT name, failures, leaseUntil FROM claimed
                UNION ALL
                SELECT w.name, NULL, NULL FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM clusterSource s WHERE s.name = w.name)
                """, logger: logger)
            var claim = NamedClaim(claimed: [], absent: [])
            for try await (name, failures, until) in rows.decode((String, Int?, Double?).self) {
                if let failures, let until {
                    claim.claimed.append(ClaimedSource(name: name, failures: failures, until: Date(timeIntervalSince1970: until)))
                } else {
                    claim.absent.insert(name)
                }
            }
            return claim
        }
    }

    public func release(_ name: String, failures: Int, nextPollIn: Duration) async throws(StoreError) -> Bool {
        let (node, seconds) = (self.node, nextPollIn.secondsValue)
        return try await attempt("release the lease of '\(name)'") {
            let rows = try await client.query("""
                UPDATE clusterSource SET leaseUntil = NULL, leaseHolder = NULL, leasedAt = NULL, failures = \(failures),
                    nextPoll = \(unescaped: databaseNow) + \(seconds), lastHolder = \(node)
                WHERE name = \(name) AND leaseHolder = \(node) RETURNING 1
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }

    public func renew(_ name: String, lease: Duration) async throws(StoreError) -> Bool {
        let (node, seconds) = (self.node, lease.secondsValue)
        return try await attempt("renew the lease of '\(name)'") {
            let rows = try await client.query("""
                UPDATE clusterSource SET leaseUntil = \(unescaped: databaseNow) + \(seconds)
                WHERE name = \(name) AND leaseHolder = \(node) RETURNING 1
                """, logger: logger).collect()
            return !rows.isEmpty
        }
    }

    public func sourceLeases() async throws(StoreError) -> [SourceLeaseState] {
        try await attempt("read source leases") {
            var out: [SourceLeaseState] = []
            let date = { (s: Double?) in s.map(Date.init(timeIntervalSince1970:)) }
            for try await (name, active, nextPoll, holder, until, failures, last) in try await client.query("""
                SELECT name, active, nextPoll, leaseHolder, leaseUntil, failures, lastHolder FROM clusterSource ORDER BY name
                """, logger: logger).decode((String, Bool, Double, String?, Double?, Int, String?).self) {
                out.append(SourceLeaseState(name: name, active: active, nextPoll: Date(timeIntervalSince1970: nextPoll),
                                            holder: holder, until: date(until), failures: failures, lastHolder: last))
            }
            return out
        }
    }
}
