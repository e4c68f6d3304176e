import FeedTestSupport
import Foundation
import Testing

@Suite("the tests' throwaway PostgreSQL")
struct TestPostgresTests {
    @Test("one server per test process, a fresh empty database per call, not run as root")
    func serverAndDatabases() async throws {
        let server = try await TestPostgres.shared()
        let again = try await TestPostgres.shared()
        #expect(server === again && server.port == again.port)
        let first = try await server.freshDatabase()
        let second = try await server.freshDatabase()
        #expect(first != second && first.hasPrefix("postgres://feedd@127.0.0.1:\(server.port)/"))
        let name = try #require(URL(string: first)?.path.dropFirst())
        // A table made in one database is not in the other.
        try await server.psql("CREATE TABLE probe (n INTEGER); INSERT INTO probe VALUES (1)", database: String(name))
        let otherName = try #require(URL(string: second)?.path.dropFirst())
        await #expect(throws: TestPostgresError.self) {
            try await server.psql("SELECT n FROM probe", database: String(otherName))
        }
        // The server's files belong to a user other than root (PostgreSQL refuses root).
        let owner = try FileManager.default.attributesOfItem(atPath: server.folder + "/data")[.ownerAccountID] as? NSNumber
        #expect(owner?.intValue != 0 || getuid() != 0)
    }
}
