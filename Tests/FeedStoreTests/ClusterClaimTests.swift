import FeedModel
import FeedStore
@testable import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Testing

/// Body claims, change notices and the writer lock, against the real test PostgreSQL.
@Suite("cluster: body claims, notices, writer lock")
struct ClusterClaimTests {
    static func codes(_ range: Range<Int>) -> [InfoCode] { range.map { InfoCode("NW\(202_112_290_000 + $0)")! } }

    @Test("two nodes claiming the same new codes at once: each code is won by exactly one; stored codes by none")
    func bodyClaims() async throws {
        let cluster = try await ClusterNodes.open(2)
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let stored = StoreContractTests.item("NW202112290999")
        _ = try await cluster.stores[0].apply(items: [stored], source: SourceState(name: "s"), validators: nil, now: Date())
        let codes = Self.codes(0..<60) + [stored.infoCode]
        for round in 0..<3 { // a few rounds, each on fresh codes, so the two really overlap in time
            let these = round == 0 ? codes : Self.codes(100 * round..<100 * round + 60)
            async let wonA = a.claimBodies(these, for: .seconds(30))
            async let wonB = b.claimBodies(these.reversed(), for: .seconds(30))
            let (x, y) = try await (wonA, wonB)
            #expect(x.isDisjoint(with: y), "round \(round)")
            #expect(x.union(y) == Set(these).subtracting([stored.infoCode]), "round \(round)")
        }
        await cluster.close()
    }

    @Test("a claim whose holder died expires and is taken over; a released claim is free at once")
    func claimExpiry() async throws {
        let cluster = try await ClusterNodes.open(2)
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let code = Self.codes(0..<1)
        let other = Self.codes(1..<2)
        #expect(try await a.claimBodies(code + other, for: .milliseconds(300)) == Set(code + other))
        #expect(try await b.claimBodies(code + other, for: .seconds(30)).isEmpty)
        try await a.releaseBodies(other) // a fetched it, or gave up: b may try at once
        #expect(try await b.claimBodies(code + other, for: .seconds(30)) == Set(other))
        try await Task.sleep(for: .milliseconds(400)) // a died holding `code`
        #expect(try await b.claimBodies(code, for: .seconds(30)) == Set(code))
        #expect(try await a.claimBodies(code, for: .seconds(30)).isEmpty)
        await cluster.close()
    }

    @Test("a change is heard on another connection with its slugs; the listener comes back after its connection is killed")
    func notices() async throws {
        let cluster = try await ClusterNodes.open(2)
        let (a, b) = (cluster.nodes[0], cluster.nodes[1])
        let heard = NoticeLog(a.notices())
        #expect(await heard.wait { $0 == .listening(resumed: false) })
        let slugs: Set<Slug> = [Slug(validating: "xinhuacaijing")!, Category.all.slug]
        try await b.notifyChanged(slugs)
        #expect(await heard.wait { $0 == .changed(node: "node1", slugs: slugs) })
        _ = try await b.syncSources([ClusterSourceEntry(name: "s", fingerprint: "f")])
        #expect(await heard.wait { $0 == .sourcesSynced(node: "node1") })
        // Many slugs: split over several notices, every slug heard.
        let many = Set((0..<600).map { Slug(validating: "category-number-\($0)")! })
        try await b.notifyChanged(many)
        #expect(await within(.seconds(15)) {
            heard.notices.reduce(into: Set<Slug>()) { if case .changed(_, let s) = $1 { $0.formUnion(s) } }.isSuperset(of: many)
        })
        // The server ends the listening session: the listener reconnects and says notices may be lost.
        try await cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()")
        #expect(await heard.wait { $0 == .listening(resumed: true) })
        let later: Set<Slug> = [Slug(validating: "emnews")!]
        try await b.notifyChanged(later)
        #expect(await heard.wait { $0 == .changed(node: "node1", slugs: later) })
        await heard.stop()
        await cluster.close()
    }

    @Test("one node holds the writer lock; the others cannot take it until it closes or its connection dies")
    func writerLock() async throws {
        let cluster = try await ClusterNodes.open(3)
        let (a, b, c) = (cluster.nodes[0], cluster.nodes[1], cluster.nodes[2])
        #expect(try await a.holdWriterLock())
        #expect(try await b.holdWriterLock() == false)
        #expect(try await a.holdWriterLock()) // still held, same session
        await a.close()
        #expect(await within(.seconds(10)) { (try? await b.holdWriterLock()) == true })
        #expect(try await c.holdWriterLock() == false)
        // b's session is killed (its node crashed, its network broke): the server lets go; c takes it.
        try await cluster.psql("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_try_advisory_lock%' AND state = 'idle'
            AND datname = current_database()
            """)
        #expect(await within(.seconds(10)) { (try? await c.holdWriterLock()) == true })
        #expect(try await b.holdWriterLock() == false) // b notices its session is gone and does not hold it any more
        await cluster.close()
    }
}
