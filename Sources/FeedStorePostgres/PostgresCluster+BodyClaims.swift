import FeedModel
import FeedStore
import Foundation
import PostgresNIO

/// Bodies fetched once across nodes: a new info code is claimed before its
/// body is fetched. The claim is an insert-if-absent on `bodyClaim`; two nodes
/// inserting the same code at once are serialized by its primary key, so
/// exactly one gets the row back. A claim whose holder died (its `until`
/// passed) is taken over by the next claimer.
extension PostgresCluster {
    public func claimBodies(_ codes: [InfoCode], for lease: Duration) async throws(StoreError) -> Set<InfoCode> {
        guard !codes.isEmpty else { return [] }
        // Sorted: two nodes claiming overlapping lists lock the keys in one order (no deadlock).
        let raw = Array(Set(codes.map(\.rawValue))).sorted()
        let (node, seconds) = (self.node, lease.secondsValue)
        return try await attempt("claim \(raw.count) bodies") {
            var won = Set<InfoCode>()
            for try await code in try await client.query("""
                INSERT INTO bodyClaim (infoCode, holder, until, claimedAt)
                SELECT c, \(node), \(unescaped: databaseNow) + \(seconds), \(unescaped: databaseNow)
                FROM unnest(\(raw)::text[]) AS c
                WHERE NOT EXISTS (SELECT 1 FROM item WHERE item.infoCode = c)
                ORDER BY c
                ON CONFLICT (infoCode) DO UPDATE SET holder = excluded.holder, until = excluded.until,
                    claimedAt = excluded.claimedAt
                WHERE bodyClaim.until < \(unescaped: databaseNow) OR bodyClaim.holder = excluded.holder
                RETURNING infoCode
                """, logger: logger).decode(String.self) {
                if let c = InfoCode(code) { won.insert(c) }
            }
            return won
        }
    }

    public func releaseBodies(_ codes: [InfoCode]) async throws(StoreError) {
        guard !codes.isEmpty else { return }
        let (node, raw) = (self.node, codes.map(\.rawValue))
        try await attempt("release \(raw.count) body claims") {
            try await client.query("DELETE FROM bodyClaim WHERE holder = \(node) AND infoCode = ANY(\(raw)::text[])",
                                   logger: logger)
        }
    }
}
