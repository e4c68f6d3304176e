import FeedConfig
import FeedStore
import FeedStorePostgres
import Foundation
import Logging

extension Feedd.Status {
    /// With PostgreSQL, the shared source table: per configured source, the node
    /// holding its lease and until when, when the cluster polls it next, its
    /// failures and the node that polled it last. Nil with SQLite (one node, no leases).
    static func leaseLines(_ store: any Store, config: Config, format: ISO8601DateFormatter) async throws(StoreError) -> [String]? {
        guard let postgres = store as? PostgresStore, let storage = config.postgres else { return nil }
        let cluster = PostgresCluster(store: postgres, storage: storage, logger: Logger(label: "feedd.status"))
        let leases = try await cluster.sourceLeases()
        await cluster.close()
        let byName = Dictionary(leases.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let when = { (d: Date?) in d.map { format.string(from: $0) } ?? "-" }
        var lines = ["source\tlease holder\tlease until\tcluster next poll\tcluster failures\tlast polled by"]
        for source in config.sources {
            guard let l = byName[source.name], l.active else {
                lines.append("\(source.name)\t-\t-\tnot synced (no node runs this config yet)\t-\t-")
                continue
            }
            lines.append("\(source.name)\t\(l.holder ?? "-")\t\(when(l.until))\t\(when(l.nextPoll))\t\(l.failures)\t\(l.lastHolder ?? "-")")
        }
        return lines
    }
}
