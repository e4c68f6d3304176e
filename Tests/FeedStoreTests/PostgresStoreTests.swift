import FeedConfig
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import GRDB
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

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

    @Test("a server that accepts the connection but never answers: open fails at its timeout, naming host:port")
    func silentServer() async throws {
        // A listening socket nobody accepts on: TCP connects (the backlog), PostgreSQL's startup gets no answer.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listening = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 && listen(fd, 8) == 0
            }
        }
        try #require(listening)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let silent = try storage("postgres://feedd@127.0.0.1:\(port)/feedd?sslmode=disable")
        let started = ContinuousClock.now
        do throws(StoreError) {
            let store = try await PostgresStore.open(silent, logger: Logger(label: "test"), timeout: .seconds(1))
            await store.close()
            Issue.record("opened a store on a server that never answers")
        } catch {
            #expect(error.message.contains("PostgreSQL at 127.0.0.1:\(port) cannot be reached"), "\(error)")
            #expect(error.action == "connect")
        }
        #expect(ContinuousClock.now - started < .seconds(5))
    }
}
