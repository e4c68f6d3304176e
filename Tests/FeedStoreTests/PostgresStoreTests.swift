import FeedConfig
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import GRDB
import Logging
import Testing

@Suite("PostgreSQL store")
struct PostgresStoreTests {
    func storage(_ url: String) throws -> PostgresStorage { try PostgresStorage.parse(url).get() }

    @Test("the same migrations as SQLite's, under the same identifiers, applied once however many nodes open the database")
    func migrations() async throws {
        let url = try await TestPostgres.shared().freshDatabase()
        // Three nodes starting together: the advisory lock makes them take turns.
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStore.open(storage(url), logger: Logger(label: "test")) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        let applied = try await stores[0].appliedMigrations()
        for store in stores { await store.close() }
        let folder = NSTemporaryDirectory() + "feedd-migrations-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try FeedStore(path: folder + "/feedd.sqlite")
        let sqlite = try await DatabaseQueue(path: folder + "/feedd.sqlite").read {
            try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        }
        #expect(applied == sqlite && applied.count >= 6)
    }

    @Test("two nodes applying the same new item at once store it once, counted new once")
    func concurrentApply() async throws {
        let url = try await TestPostgres.shared().freshDatabase()
        let a = try await PostgresStore.open(storage(url), logger: Logger(label: "a"))
        let b = try await PostgresStore.open(storage(url), logger: Logger(label: "b"))
        let items = (0..<20).map { StoreContractTests.item("NW\($0)", categories: ["新华财经", "要闻"]) }
        async let first = a.apply(items: items, source: SourceState(name: "a"), validators: nil, now: Date())
        async let second = b.apply(items: items.reversed(), source: SourceState(name: "b"), validators: nil, now: Date())
        let (ra, rb) = try await (first, second)
        #expect(ra.new + rb.new == 20 && ra.new + ra.unchanged == 20 && rb.new + rb.unchanged == 20)
        #expect(try await a.itemCount() == 20)
        #expect(try await b.categories().map(\.itemCount) == [20, 20])
        await a.close()
        await b.close()
    }
}
