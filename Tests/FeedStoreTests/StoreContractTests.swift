import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import FeedStorePostgres
import FeedTestSupport
import Foundation
import GRDB
import Logging
import Testing

/// A store of one backend, fresh and empty, and how to let go of it.
struct OpenedStore {
    var store: any Store
    var close: @Sendable () async -> Void
    /// Runs SQL on the store's database behind its back (a row deleted as another node or an operator would).
    var execute: @Sendable (String) async throws -> Void = { _ in }
    /// A second store on the same file or database, as another process or node would open it (closed by the caller).
    var another: @Sendable () async throws -> (store: any Store, close: @Sendable () async -> Void) = { throw CancellationError() }
}

/// The backends the contract runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    func open() async throws -> OpenedStore {
        switch self {
        case .sqlite:
            let folder = NSTemporaryDirectory() + "feedd-contract-" + UUID().uuidString
            let path = folder + "/feedd.sqlite"
            let store = SQLiteStore(try FeedStore(path: path), pool: BlockingPool.shared)
            return OpenedStore(store: store, close: { try? FileManager.default.removeItem(atPath: folder) },
                               execute: { sql in try await DatabaseQueue(path: path).write { try $0.execute(sql: sql) } },
                               another: { (SQLiteStore(try FeedStore(path: path), pool: BlockingPool.shared), {}) })
        case .postgres:
            let server = try await TestPostgres.shared()
            let url = try await server.freshDatabase()
            let storage = try PostgresStorage.parse(url).get()
            let store = try await PostgresStore.open(storage, logger: Logger(label: "test"))
            return OpenedStore(store: store, close: { await store.close() },
                               execute: { sql in try await server.psql(sql, database: storage.database) },
                               another: {
                                   let other = try await PostgresStore.open(storage, logger: Logger(label: "test"))
                                   return (other, { await other.close() })
                               })
        }
    }
}

/// One contract, both backends: what the pipeline relies on from a store.
@Suite("store contract")
struct StoreContractTests {
    static func item(_ code: String, title: String = "标题", body: String? = "<p>正文</p>", categories: [String] = ["新华财经"],
                     published: TimeInterval = 1_640_761_560) -> IncomingItem {
        IncomingItem(infoCode: InfoCode(code)!, title: title, summary: "摘要 <not html> & 'quotes'",
                     body: body.map { .init(html: $0, raw: "raw:" + $0, outlet: "新华财经", normalizerVersion: 3) },
                     link: "https://example.com/\(code)", published: Date(timeIntervalSince1970: published),
                     categories: categories.map { Category(name: $0, slug: Slug.derive(from: $0).slug) })
    }

    func with(_ backend: Backend, _ body: (any Store) async throws -> Void) async throws {
        try await withOpened(backend) { try await body($0.store) }
    }

    func withOpened(_ backend: Backend, _ body: (OpenedStore) async throws -> Void) async throws {
        let opened = try await backend.open()
        do { try await body(opened) } catch {
            await opened.close()
            throw error
        }
        await opened.close()
    }

    @Test("items are stored once by info code; unchanged items change nothing; a changed title updates", arguments: Backend.allCases)
    func applyAndDedupe(backend: Backend) async throws {
        try await with(backend) { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            let first = try await store.apply(items: [Self.item("NW1"), Self.item("NW2")], source: SourceState(name: "a"),
                                              validators: nil, now: now)
            #expect(first.new == 2 && first.updated == 0)
            #expect(first.changedSlugs.map(\.rawValue).sorted() == ["all", "xinhuacaijing"])
            let version = try await store.renderState().contentVersion
            // The same items again, bodies not fetched again, from the same source: nothing changes.
            let again = try await store.apply(items: [Self.item("NW1", body: nil), Self.item("NW2", body: nil)],
                                              source: SourceState(name: "a"), validators: nil, now: now)
            #expect(again.new == 0 && again.unchanged == 2 && again.changedSlugs.isEmpty)
            #expect(try await store.renderState().contentVersion == version)
            #expect(try await store.itemCount() == 2)
            // A changed title updates the item, moves `updated`, keeps the body.
            let later = now.addingTimeInterval(60)
            let changed = try await store.apply(items: [Self.item("NW1", title: "新标题", body: nil)],
                                                source: SourceState(name: "a"), validators: nil, now: later)
            #expect(changed.updated == 1 && changed.new == 0 && changed.changedSlugs.contains(Category.all.slug))
            #expect(try await store.renderState().contentVersion > version)
            let stored = try #require(try await store.item(InfoCode("NW1")!))
            #expect(stored.title == "新标题" && stored.body == "<p>正文</p>" && stored.updated == later)
            #expect(stored.summary == "摘要 <not html> & 'quotes'" && stored.link == "https://example.com/NW1")
            #expect(stored.outlet == "新华财经" && stored.published == Date(timeIntervalSince1970: 1_640_761_560))
            #expect(try await store.knownCodes([InfoCode("NW1")!, InfoCode("NW9")!, InfoCode("NW2")!])
                    == [InfoCode("NW1")!, InfoCode("NW2")!])
            #expect(try await store.knownCodes([]).isEmpty)
            #expect(try await store.item(InfoCode("NW9")!) == nil)
        }
    }

    @Test("a known item listed in a second category gains it; feeds list it in both", arguments: Backend.allCases)
    func categories(backend: Backend) async throws {
        try await with(backend) { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            _ = try await store.apply(items: [Self.item("NW1", published: 100), Self.item("NW2", published: 200)],
                                      source: SourceState(name: "a"), validators: nil, now: now)
            let second = try await store.apply(items: [Self.item("NW1", body: nil, categories: ["新华财经", "要闻"])],
                                               source: SourceState(name: "b"), validators: nil, now: now)
            let yaowen = Slug.derive(from: "要闻").slug
            #expect(second.new == 0 && second.changedSlugs.contains(yaowen))
            let summaries = try await store.categories()
            #expect(summaries.map(\.category.slug.rawValue) == [Slug.derive(from: "新华财经").slug.rawValue, yaowen.rawValue].sorted())
            #expect(summaries.first { $0.category.slug == yaowen }?.itemCount == 1)
            #expect(summaries.first { $0.category.slug != yaowen }?.newest == Date(timeIntervalSince1970: 200))
            let item = try #require(try await store.item(InfoCode("NW1")!))
            #expect(Set(item.categories.map(\.name)) == ["新华财经", "要闻"])
            #expect(try await store.items(in: yaowen, limit: 10).map(\.infoCode.rawValue) == ["NW1"])
            #expect(try await store.slug(ofCategoryNamed: "要闻") == yaowen)
            #expect(try await store.slug(ofCategoryNamed: "没有") == nil)
            let bySlug = try await store.sourcesBySlug()
            #expect(bySlug[yaowen] == ["b"] && bySlug[Slug.derive(from: "新华财经").slug] == ["a", "b"])
        }
    }

    @Test("an item that gains a category changes every feed it is in: its entries list its categories", arguments: Backend.allCases)
    func gainedCategory(backend: Backend) async throws {
        try await with(backend) { store in
            let now = Date(timeIntervalSince1970: 1_700_000_000)
            _ = try await store.apply(items: [Self.item("NW1")], source: SourceState(name: "a"), validators: nil, now: now)
            // The same source lists it again, now under 要闻 only: 新华财经's entry changes too (other nodes render only the feeds named).
            let second = try await store.apply(items: [Self.item("NW1", body: nil, categories: ["要闻"])],
                                               source: SourceState(name: "a"), validators: nil, now: now)
            #expect(second.changedSlugs == [Slug.derive(from: "要闻").slug, Slug.derive(from: "新华财经").slug, Category.all.slug])
            let third = try await store.apply(items: [Self.item("NW1", body: nil, categories: ["要闻"])],
                                              source: SourceState(name: "a"), validators: nil, now: now)
            #expect(third.changedSlugs.isEmpty)
        }
    }

    @Test("feeds read newest first, ties by code, limited; `all` reads every item", arguments: Backend.allCases)
    func ordering(backend: Backend) async throws {
        try await with(backend) { store in
            let items = [Self.item("NW3", published: 300), Self.item("NWb", published: 500), Self.item("NWa", published: 500),
                         Self.item("NW1", categories: ["要闻"], published: 400)]
            _ = try await store.apply(items: items, source: SourceState(name: "a"), validators: nil, now: Date())
            #expect(try await store.items(in: Category.all.slug, limit: 3).map(\.infoCode.rawValue) == ["NWb", "NWa", "NW1"])
            #expect(try await store.items(in: Slug.derive(from: "新华财经").slug, limit: 10).map(\.infoCode.rawValue)
                    == ["NWb", "NWa", "NW3"])
            #expect(try await store.codes(publishedSince: Date(timeIntervalSince1970: 400)).map(\.rawValue) == ["NW1", "NWa", "NWb"])
            #expect(try await store.codes(publishedSince: nil).count == 4)
        }
    }

    @Test("validators are stored per URL, replaced, and forgotten when the answer had none", arguments: Backend.allCases)
    func validators(backend: Backend) async throws {
        try await with(backend) { store in
            let url = "http://127.0.0.1:1/list?x='1'"
            #expect(try await store.validators(for: url) == nil)
            _ = try await store.apply(items: [], source: SourceState(name: "a"), validators: (url, "\"e1\"", nil), now: Date())
            #expect(try await store.validators(for: url)?.etag == "\"e1\"")
            _ = try await store.apply(items: [], source: SourceState(name: "a"),
                                      validators: (url, nil, "Tue, 01 Dec 2026 00:00:00 GMT"), now: Date())
            let replaced = try #require(try await store.validators(for: url))
            #expect(replaced.etag == nil && replaced.lastModified == "Tue, 01 Dec 2026 00:00:00 GMT")
            _ = try await store.apply(items: [], source: SourceState(name: "a"), validators: (url, nil, nil), now: Date())
            #expect(try await store.validators(for: url) == nil)
        }
    }

    @Test("source states are read and written by name; a poll's start reads state and validators together", arguments: Backend.allCases)
    func sourceStates(backend: Backend) async throws {
        try await with(backend) { store in
            #expect(try await store.sourceState(named: "b") == nil)
            let t = Date(timeIntervalSince1970: 1_700_000_000.5)
            let failed = SourceState(name: "b", lastPoll: t, lastSuccess: nil, lastResult: .failed, message: "HTTP 503 from 'x'",
                                     consecutiveFailures: 3, nextPoll: t.addingTimeInterval(240))
            try await store.save(failed)
            #expect(try await store.sourceState(named: "b") == failed)
            let given = SourceState(name: "a", lastPoll: t, lastSuccess: t, lastResult: .notModified, nextPoll: t.addingTimeInterval(60),
                                    itemsListed: 20, itemsNew: 2, itemsUpdated: 1)
            _ = try await store.apply(items: [], source: given, validators: ("http://h/a", "\"v\"", nil), now: t)
            // `apply` records the state with the poll's own counts: nothing new, nothing updated here.
            var ok = given
            ok.itemsNew = 0
            ok.itemsUpdated = 0
            #expect(try await store.sourceStates() == [ok, failed])
            let start = try await store.pollStart(source: "a", url: "http://h/a")
            #expect(start.state == ok && start.validators?.etag == "\"v\"")
            let none = try await store.pollStart(source: "c", url: "http://h/c")
            #expect(none.state == nil && none.validators == nil)
            var recovered = failed
            recovered.lastResult = .ok
            recovered.consecutiveFailures = 0
            recovered.message = nil
            try await store.save(recovered)
            #expect(try await store.sourceState(named: "b") == recovered)
        }
    }

    @Test("the render state records the content version a complete render started from", arguments: Backend.allCases)
    func renderState(backend: Backend) async throws {
        try await with(backend) { store in
            let empty = try await store.renderState()
            #expect(empty.renderedVersion == nil && empty.renderedFingerprint == nil)
            _ = try await store.apply(items: [Self.item("NW1")], source: SourceState(name: "a"), validators: nil, now: Date())
            let changed = try await store.renderState()
            #expect(changed.contentVersion > empty.contentVersion)
            try await store.markRendered(version: changed.contentVersion, fingerprint: "fp-1")
            #expect(try await store.renderState()
                    == FeedStore.RenderState(contentVersion: changed.contentVersion, renderedVersion: changed.contentVersion,
                                             renderedFingerprint: "fp-1"))
        }
    }
}
