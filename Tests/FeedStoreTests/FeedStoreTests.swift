import FeedModel
import FeedStore
import Foundation
import GRDB
import Testing

@Suite("SQLite store")
struct FeedStoreTests {
    let folder = NSTemporaryDirectory() + "feedd-store-" + UUID().uuidString
    var path: String { folder + "/nested/feedd.sqlite" }

    func item(_ code: String, title: String = "标题", body: String? = "<p>正文</p>", categories: [String] = ["新华财经"],
              published: TimeInterval = 1_640_761_560) -> IncomingItem {
        IncomingItem(infoCode: InfoCode(code)!, title: title, summary: "摘要",
                     body: body.map { .init(html: $0, raw: $0, outlet: "新华财经", normalizerVersion: 1) },
                     link: nil, published: Date(timeIntervalSince1970: published),
                     categories: categories.map { Category(name: $0, slug: Slug.derive(from: $0).slug) })
    }

    @Test("created on first open, in WAL mode, with its migrations recorded")
    func creates() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try FeedStore(path: path)
        let db = try DatabaseQueue(path: path)
        let mode = try db.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let migrations = try db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations.count == 9 && migrations[0].hasPrefix("v1") && migrations[8].hasPrefix("v9"))
        _ = try FeedStore(path: path) // reopening migrates nothing and loses nothing
    }

    @Test("applying the same items twice adds nothing; a second category is added, not a second item")
    func idempotentAndCategories() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        let now = Date()
        let first = try store.apply(items: [item("NW1"), item("NW2")], source: SourceState(name: "a"), validators: nil, now: now)
        #expect(first.new == 2 && first.changedSlugs.map(\.rawValue).sorted() == ["all", "xinhuacaijing"])
        let again = try store.apply(items: [item("NW1", body: nil), item("NW2", body: nil)], source: SourceState(name: "a"), validators: nil, now: now)
        #expect(again.new == 0 && again.unchanged == 2 && again.changedSlugs.isEmpty)
        let other = try store.apply(items: [item("NW1", body: nil, categories: ["东财滚动新闻"])], source: SourceState(name: "b"), validators: nil, now: now)
        #expect(other.new == 0 && other.changedSlugs.contains(Slug(validating: "dongcaigundongxinwen")!))
        #expect(try store.itemCount() == 2)
        let stored = try #require(try store.item(InfoCode("NW1")!))
        #expect(Set(stored.categories.map(\.name)) == ["新华财经", "东财滚动新闻"])
        #expect(try store.items(in: Category.all.slug, limit: 10).count == 2)
        #expect(try store.categories().map(\.itemCount) == [1, 2])
    }

    @Test("a changed title updates the item and its updated time; the published time stays")
    func update() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        _ = try store.apply(items: [item("NW1")], source: SourceState(name: "a"), validators: nil, now: Date())
        let later = Date(timeIntervalSince1970: 1_700_000_000)
        let r = try store.apply(items: [item("NW1", title: "新标题", body: nil)], source: SourceState(name: "a"), validators: nil, now: later)
        #expect(r.updated == 1)
        let stored = try #require(try store.item(InfoCode("NW1")!))
        #expect(stored.title == "新标题" && stored.updated == later)
        #expect(stored.published == Date(timeIntervalSince1970: 1_640_761_560))
        #expect(stored.body == "<p>正文</p>")
    }

    @Test("validators and source state are stored with the poll")
    func validatorsAndState() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        var state = SourceState(name: "market")
        state.consecutiveFailures = 2
        state.lastResult = .failed
        _ = try store.apply(items: [], source: state, validators: ("http://x/list", "\"e1\"", "Wed, 29 Dec 2021 07:06:00 GMT"), now: Date())
        #expect(try store.validators(for: "http://x/list")?.etag == "\"e1\"")
        #expect(try store.sourceState(named: "market")?.consecutiveFailures == 2)
        _ = try store.apply(items: [], source: state, validators: ("http://x/list", nil, nil), now: Date())
        #expect(try store.validators(for: "http://x/list") == nil)
    }

    @Test("an unopenable path is an error naming it")
    func badPath() {
        do {
            _ = try FeedStore(path: "/proc/feedd/cannot.sqlite")
            Issue.record("expected an error")
        } catch {
            #expect(error.path == "/proc/feedd/cannot.sqlite")
            #expect(error.description.contains("open"))
        }
    }
}
