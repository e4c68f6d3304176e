import FeedModel
import FeedStore
@testable import FeedStorePostgres
import FeedTestSupport
import Foundation
import GRDB
import Logging
import PostgresNIO
import Synchronization
import Testing

/// Migration v7 and the source table's leases, against the real test PostgreSQL.
@Suite("cluster: schema v7, source sync, leases")
struct ClusterLeaseTests {
    static func entries(_ names: [String], fingerprint: String = "f1") -> [ClusterSourceEntry] {
        names.map { ClusterSourceEntry(name: $0, fingerprint: fingerprint) }
    }

    @Test("v7 has the same tables and columns in both dialects")
    func schemaParity() async throws {
        let cluster = try await ClusterNodes.open(1)
        let folder = TempFolder()
        defer { folder.remove() }
        _ = try FeedStore(path: folder.file("feedd.sqlite"))
        let queue = try DatabaseQueue(path: folder.file("feedd.sqlite"))
        for table in ClusterSchema.tables {
            let sqlite = try await queue.read { db in
                try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { ($0["name"] as String).lowercased() }
            }
            var postgres: [String] = []
            for try await name in try await cluster.stores[0].client.query("""
                SELECT column_name FROM information_schema.columns WHERE table_name = \(table.lowercased())
                ORDER BY ordinal_position
                """, logger: Logger(label: "test")).decode(String.self) { postgres.append(name) }
            #expect(!sqlite.isEmpty && sqlite == postgres, "\(table)")
        }
        await cluster.close()
    }

    @Test("sources are synced by name: added, changed and removed are reported; a removed source is never due, its items stay")
    func sync() async throws {
        let cluster = try await ClusterNodes.open(2)
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        _ = try await cluster.stores[0].apply(items: [StoreContractTests.item("NW1")], source: SourceState(name: "gone"),
                                              validators: nil, now: Date())
        let first = try await a.syncSources(Self.entries(["gone", "kept", "changes"]))
        #expect(first.added == ["changes", "gone", "kept"] && first.previousHash == nil && !first.differs)
        // Node b runs another config: one source removed, one changed, one added.
        let second = try await b.syncSources(Self.entries(["kept", "new"]) + Self.entries(["changes"], fingerprint: "f2"))
        #expect(second.added == ["new"] && second.removed == ["gone"] && second.changed == ["changes"])
        #expect(second.differs && second.previousHash == first.hash && second.previousNode == "node0")
        #expect("\(second)" == "added new; removed gone; changed changes")
        #expect(try await a.clusterConfigHash()?.hash == second.hash)
        let claimed = try await a.claimDue(limit: 10, lease: .seconds(30)).claimed.map(\.name).sorted()
        #expect(claimed == ["changes", "kept", "new"])
        let gone = try #require(try await a.sourceLeases().first { $0.name == "gone" })
        #expect(!gone.active && gone.holder == nil)
        #expect(try await cluster.stores[0].itemCount() == 1)
        // The same config again: nothing differs, a leased source keeps its lease.
        let again = try await b.syncSources(Self.entries(["kept", "new"]) + Self.entries(["changes"], fingerprint: "f2"))
        #expect(!again.differs && again.added.isEmpty && again.removed.isEmpty && again.changed.isEmpty)
        #expect(try await a.sourceLeases().filter { $0.holder == "node0" }.count == 3)
        await cluster.close()
    }

    @Test("five nodes claiming at once: every due source is claimed exactly once, none again while leased")
    func concurrentClaims() async throws {
        let cluster = try await ClusterNodes.open(5)
        let names = (0..<40).map { "s\($0)" }
        _ = try await cluster.nodes[0].syncSources(Self.entries(names))
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for node in cluster.nodes {
                group.addTask {
                    var mine: [String] = []
                    while true { // small batches, so the nodes interleave
                        let batch = try await node.claimDue(limit: 3, lease: .seconds(30)).claimed.map(\.name)
                        if batch.isEmpty { return mine }
                        mine += batch
                    }
                }
            }
            return try await group.reduce(into: [[String]]()) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 40 && Set(all) == Set(names), "\(claims.map(\.count))")
        for node in cluster.nodes { #expect(try await node.claimDue(limit: 10, lease: .seconds(30)).claimed.isEmpty) }
        let leases = try await cluster.nodes[0].sourceLeases()
        #expect(leases.allSatisfy { $0.holder != nil && $0.until != nil })
        await cluster.close()
    }

    @Test("the holder records failures and the next due time; a lease that runs out goes to another node, the late holder's release is refused")
    func releaseAndExpiry() async throws {
        let cluster = try await ClusterNodes.open(2)
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        _ = try await a.syncSources(Self.entries(["x", "y"]))
        let first = try await a.claimDue(limit: 1, lease: .seconds(30))
        let x = try #require(first.claimed.first)
        #expect(first.nextWake == .zero) // y is due too
        #expect(try await a.release(x.name, failures: 2, nextPollIn: .seconds(3)))
        let y = try #require(try await b.claimDue(limit: 5, lease: .milliseconds(400)).claimed.first)
        #expect(y.name != x.name)
        // x is due in about 3 s, y's lease runs out in 0.4 s: a waits for the earlier.
        let waiting = try await a.claimDue(limit: 5, lease: .seconds(30))
        #expect(waiting.claimed.isEmpty)
        let wake = try #require(waiting.nextWake)
        #expect(wake > .zero && wake <= .milliseconds(450), "\(wake)")
        let states = try await a.sourceLeases()
        let xState = try #require(states.first { $0.name == x.name })
        #expect(xState.failures == 2 && xState.lastHolder == "node0" && xState.holder == nil)
        #expect(xState.nextPoll.timeIntervalSinceNow > 2 && xState.nextPoll.timeIntervalSinceNow <= 3.1)
        // b dies holding y: once its lease has run out, a takes y.
        try await Task.sleep(for: .milliseconds(500))
        let taken = try await a.claimDue(limit: 5, lease: .seconds(30)).claimed
        #expect(taken.map(\.name) == [y.name])
        #expect(try await b.release(y.name, failures: 0, nextPollIn: .seconds(60)) == false)
        #expect(try await a.sourceLeases().first { $0.name == y.name }?.holder == "node0")
        // x comes back with its failure count.
        try await Task.sleep(for: .milliseconds(2_700))
        let again = try #require(try await b.claimDue(limit: 5, lease: .seconds(30)).claimed.first)
        #expect(again.name == x.name && again.failures == 2)
        await cluster.close()
    }
}
