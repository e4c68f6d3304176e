import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Testing

/// The pipeline's body step in a cluster (real PostgreSQL, the loopback fixture
/// APIs): a new code whose body another node has claimed is neither fetched nor
/// stored by this poll, and the list's validators are not kept, so the next
/// poll gets the list again; once the claim is let go, the next poll fetches and
/// stores it.
@Suite("body claims in the pipeline's poll", .serialized)
struct ClusterPipelineClaimTests {
    @Test("a body another node claimed is skipped this poll (validators not kept); fetched once the claim is let go")
    func claimedElsewhere() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let cluster = try await ClusterNodes.open(2)
        let yaml = api.config(storage: "\"\(cluster.url)\"", output: folder.file("public"), sources: ["market"])
        let config = try ConfigLoader.parse(yaml: yaml, file: "test.yaml", baseDirectory: folder.path)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let pipeline = Pipeline(config: config, store: cluster.stores[0], logger: logger, cluster: cluster.nodes[0])
        let source = try #require(config.sources.first)
        let held = try #require(InfoCode("NW202112292229992448"))

        #expect(try await cluster.nodes[1].claimBodies([held], for: .seconds(60)) == [held])
        let first = await pipeline.poll(source)
        #expect(!first.report.failed, "\(first.report.line)")
        #expect(api.bodyRequests.filter { $0.target.contains(held.rawValue) }.isEmpty)
        let bodiesFirst = api.bodyRequests.count
        #expect(bodiesFirst == first.report.listed - 1 && bodiesFirst > 0, "\(first.report.line)")
        #expect(try await cluster.stores[0].knownCodes([held]).isEmpty)
        // Still claimed elsewhere: the list is asked for again in full (no 304), the held body still not fetched.
        let second = await pipeline.poll(source)
        #expect(second.report.status == .ok, "\(second.report.line)")
        #expect(api.bodyRequests.count == bodiesFirst)

        try await cluster.nodes[1].releaseBodies([held])
        let third = await pipeline.poll(source)
        #expect(third.report.new == 1, "\(third.report.line)")
        #expect(api.bodyRequests.filter { $0.target.contains(held.rawValue) }.count == 1)
        #expect(try await cluster.stores[0].knownCodes([held]) == [held])
        // Every new item taken: the validators are kept now, and the next poll is answered 304.
        let fourth = await pipeline.poll(source)
        #expect(fourth.report.status == .notModified, "\(fourth.report.line)")
        await cluster.close()
    }
}
