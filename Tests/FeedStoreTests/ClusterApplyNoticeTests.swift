import FeedConfig
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Testing

/// The change notice travels with the data (`pg_notify` inside the apply's
/// transaction), the store opens in the order postgres-nio expects, and
/// `sslmode` means the same to the pool and to single connections.
@Suite("cluster: the apply's notice, opening, sslmode")
struct ClusterApplyNoticeTests {
    @Test("an apply's notice is delivered on commit, never for an apply that rolled back; a store outside a cluster sends none")
    func noticeInTheTransaction() async throws {
        let cluster = try await ClusterNodes.open(2)
        let heard = NoticeLog(cluster.nodes[1].notices())
        #expect(await heard.wait { $0 == .listening(resumed: false) })
        // The commit of an item with this code fails (a deferred check runs at COMMIT, after every statement).
        try await cluster.psql("""
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit'; END $$;
            CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON item DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW WHEN (NEW.infoCode = 'NW900001') EXECUTE FUNCTION refuse();
            """)
        let refused = StoreContractTests.item("NW900001", categories: ["坏消息"])
        let stored = StoreContractTests.item("NW900002", categories: ["好消息"])
        let store = cluster.stores[0]
        await #expect(throws: StoreError.self) {
            try await store.apply(items: [refused], source: SourceState(name: "a"), validators: nil, now: Date())
        }
        let result = try await store.apply(items: [stored], source: SourceState(name: "a"), validators: nil, now: Date())
        #expect(result.announced && result.new == 1)
        let storedSlug = stored.categories[0].slug, refusedSlug = refused.categories[0].slug
        #expect(await heard.wait { notice in
            guard case .changed("node0", let slugs) = notice else { return false }
            return slugs.contains(storedSlug) && slugs.contains(Category.all.slug)
        })
        // Notices come in commit order: had the refused apply sent one, it would have come first.
        var named: [Set<Slug>] = []
        for case .changed(_, let slugs) in heard.notices { named.append(slugs) }
        #expect(!named.contains { $0.contains(refusedSlug) }, "\(named)")
        #expect(try await cluster.stores[1].knownCodes([refused.infoCode, stored.infoCode]) == [stored.infoCode])
        // A store no cluster was made on (a single command on PostgreSQL) tells no one.
        let alone = try await PostgresStore.open(cluster.storage, logger: Logger(label: "alone"))
        let quiet = try await alone.apply(items: [StoreContractTests.item("NW900003", categories: ["另一个"])],
                                          source: SourceState(name: "b"), validators: nil, now: Date())
        #expect(!quiet.announced && quiet.new == 1)
        await alone.close()
        await heard.stop()
        await cluster.close()
    }

    @Test("opening a store starts postgres-nio's client before its first query: no warning that run() was not called")
    func opensInOrder() async throws {
        let url = try await TestPostgres.shared().freshDatabase()
        let log = LogCapture()
        for _ in 0..<3 {
            let store = try await PostgresStore.open(PostgresStorage.parse(url).get(), logger: log.logger)
            #expect(try await store.itemCount() == 0)
            await store.close()
        }
        let warned = log.all().filter { $0.contains("run()") }
        #expect(warned.isEmpty, "\(warned)")
    }

    @Test("sslmode: require and verify-full refuse the test server (it has no TLS), naming it; prefer and disable connect, pool and listener alike",
          arguments: ["require", "verify-full"])
    func sslModeRefused(_ mode: String) async throws {
        let url = try await TestPostgres.shared().freshDatabase().replacingOccurrences(of: "sslmode=disable", with: "sslmode=\(mode)")
        let storage = try PostgresStorage.parse(url).get()
        do throws(StoreError) {
            let store = try await PostgresStore.open(storage, logger: Logger(label: "tls"))
            await store.close()
            Issue.record("sslmode=\(mode) connected to a server without TLS")
        } catch {
            #expect(error.action == "connect" && error.message.contains("cannot be reached"), "\(error)")
            #expect(error.message.lowercased().contains("ssl"), "\(error)")
        }
    }

    @Test("sslmode prefer falls back to a plain connection on a server without TLS, for the pool and the notice connection",
          arguments: ["prefer", "disable"])
    func sslModeFallsBack(_ mode: String) async throws {
        let url = try await TestPostgres.shared().freshDatabase().replacingOccurrences(of: "sslmode=disable", with: "sslmode=\(mode)")
        let storage = try PostgresStorage.parse(url).get()
        let store = try await PostgresStore.open(storage, logger: Logger(label: "tls"))
        let node = PostgresCluster(store: store, storage: storage, node: "tls", logger: Logger(label: "tls"))
        let heard = NoticeLog(node.notices())
        #expect(await heard.wait { $0 == .listening(resumed: false) })
        #expect(try await store.itemCount() == 0)
        await heard.stop()
        await node.close()
        await store.close()
    }
}
