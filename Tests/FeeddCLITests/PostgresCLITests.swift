import FeedConfig
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import Logging
import Testing

/// The built binary on a PostgreSQL `storage:` URL.
@Suite("feedd on PostgreSQL")
struct PostgresCLITests {
    @Test("`feedd status` reads source states and the item count from the shared database")
    func status() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        let store = try await PostgresStore.open(try PostgresStorage.parse(url).get(), logger: Logger(label: "test"))
        let t = Date(timeIntervalSince1970: 1_764_547_200)
        let items = ["NW1", "NW2"].map {
            IncomingItem(infoCode: InfoCode($0)!, title: "t", summary: "s", body: nil, link: nil, published: t,
                         categories: [Category(name: "要闻", slug: Slug.derive(from: "要闻").slug)])
        }
        _ = try await store.apply(items: items, source: SourceState(name: "a", lastPoll: t, lastSuccess: t, lastResult: .ok,
                                                                    nextPoll: t.addingTimeInterval(60), itemsListed: 2, itemsNew: 2),
                                  validators: nil, now: t)
        await store.close()
        let run = try await CLITests.feedd(["status", "--config", folder.writePostgresConfig(storage: url, sources: ["a", "b"])])
        #expect(run.status == 0, "\(run.err)")
        let lines = run.out.split(separator: "\n").map(String.init)
        #expect(lines.contains("a\t2025-12-01T00:00:00Z\tok\t2025-12-01T00:01:00Z\t0\t2\t2\t0"), "\(run.out)")
        #expect(lines.contains { $0.hasPrefix("b\t-\tnever polled") } && lines.last == "items stored: 2")
    }
}
