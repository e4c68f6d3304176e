import FeedConfig
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Testing

/// `feedd status` on a shared PostgreSQL: the lease table beside the source states.
@Suite("feedd status in a cluster")
struct ClusterStatusCLITests {
    @Test("per source: the node holding its lease and until when, the cluster's next poll, failures, who polled it last")
    func leases() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        let config = folder.writePostgresConfig(storage: url, sources: ["a", "b", "c"])
        let storage = try PostgresStorage.parse(url).get()
        let store = try await PostgresStore.open(storage, logger: Logger(label: "test"))
        let node = PostgresCluster(store: store, storage: storage, node: "node-7", logger: Logger(label: "test"))
        // Another node's config had a and b (c not synced yet); node-7 holds a, polled b and saw it fail once.
        _ = try await node.syncSources(["a", "b"].map { ClusterSourceEntry(name: $0, fingerprint: "f") })
        let claimed = try await node.claimDue(limit: 2, lease: .seconds(300)).claimed
        #expect(Set(claimed.map(\.name)) == ["a", "b"])
        #expect(try await node.release("b", failures: 1, nextPollIn: .seconds(600)))
        let rows = Dictionary(uniqueKeysWithValues: try await node.sourceLeases().map { ($0.name, $0) })
        await node.close()
        await store.close()

        let run = try await CLITests.feedd(["status", "--config", config])
        #expect(run.status == 0, "\(run.err)")
        let format = ISO8601DateFormatter()
        let a = try #require(rows["a"]), b = try #require(rows["b"])
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.contains("source\tlease holder\tlease until\tcluster next poll\tcluster failures\tlast polled by"))
        #expect(lines.contains("a\tnode-7\t\(format.string(from: try #require(a.until)))\t\(format.string(from: a.nextPoll))\t0\t-"),
                "\(run.out)")
        #expect(lines.contains("b\t-\t-\t\(format.string(from: b.nextPoll))\t1\tnode-7"), "\(run.out)")
        #expect(lines.contains("c\t-\t-\tnot synced (no node runs this config yet)\t-\t-"), "\(run.out)")
        #expect(lines.last == "items stored: 0")
    }
}
