import FeedConfig
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Testing

/// `feedd refresh` on a shared PostgreSQL while nodes run: it polls as a node
/// would (leases, body claims), so nothing is polled or fetched twice.
@Suite("feedd refresh beside cluster nodes")
struct ClusterRefreshTests {
    @Test("refresh waits for the source a node is polling, then polls it once; skips the body a node is fetching; lets go with the next due time")
    func refreshTakesLeases() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        let config = folder.write("config.yaml", api.config(storage: "\"\(url)\"", output: "./public", sources: ["market", "media"]))
        let storage = try PostgresStorage.parse(url).get()
        let store = try await PostgresStore.open(storage, logger: Logger(label: "node-9"))
        let node = PostgresCluster(store: store, storage: storage, node: "node-9", logger: Logger(label: "node-9"))
        _ = try await node.syncSources(["market", "media"].map { ClusterSourceEntry(name: $0, fingerprint: "f") })
        // node-9 is polling market right now, and fetching the body of media's first item.
        let claim = try await node.claim(named: ["market", "media", "nowhere"], lease: .seconds(60))
        #expect(claim.claimed.map(\.name).sorted() == ["market", "media"] && claim.absent == ["nowhere"])
        #expect(try await node.release("media", failures: 0, nextPollIn: .seconds(600)))
        let code = InfoCode("NW202112292229992448")!
        #expect(try await node.claimBodies([code], for: .seconds(60)) == [code])

        async let refreshed = CLITests.feedd(["refresh", "--config", config])
        #expect(await eventually(timeout: .seconds(20)) { !api.server.requests(to: "/webapi/media").isEmpty })
        try await Task.sleep(for: .seconds(1))
        #expect(api.server.requests(to: "/webapi/market").isEmpty, "market polled while node-9 held its lease")
        #expect(try await node.release("market", failures: 0, nextPollIn: .seconds(600)))
        let run = try await refreshed
        #expect(run.status == 0, "\(run.err)")
        #expect(api.server.requests(to: "/webapi/market").count == 1 && api.server.requests(to: "/webapi/media").count == 1)
        #expect(!api.bodyRequests.contains { $0.target.contains(code.rawValue) }, "the body node-9 holds was fetched")
        #expect(try await store.knownCodes([code]).isEmpty)
        #expect(try await store.itemCount() > 0)
        // Both let go by the refresh, due again an interval (60 s) after it.
        let soon = Date().addingTimeInterval(45)
        for lease in try await node.sourceLeases() {
            #expect(lease.holder == nil && lease.lastHolder != nil && lease.lastHolder != "node-9", "\(lease)")
            #expect(lease.nextPoll > soon && lease.failures == 0, "\(lease)")
        }
        await node.close()
        await store.close()
    }
}
