import FeedModel
@testable import FeedStore
import Foundation
import GRDB
import Testing

/// Which sources listed each item (for source rules and the `source` field).
@Suite("SQLite store: item listings")
struct ItemSourceTests {
    let folder = NSTemporaryDirectory() + "feedd-store-" + UUID().uuidString
    var path: String { folder + "/feedd.sqlite" }

    func item(_ code: String, category: String = "新华财经") -> IncomingItem {
        IncomingItem(infoCode: InfoCode(code)!, title: "标题", summary: "摘要",
                     body: .init(html: "<p>正文</p>", raw: "<p>正文</p>", outlet: nil, normalizerVersion: 1),
                     link: nil, published: Date(timeIntervalSince1970: 1_640_761_560),
                     categories: [Category(name: category, slug: Slug.derive(from: category).slug)])
    }

    @Test("each source that lists an item is recorded once; a new listing marks the item's feeds changed")
    func listings() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        let code = "NW202112292229990001"
        _ = try store.apply(items: [item(code)], source: SourceState(name: "market"), validators: nil, now: Date())
        let again = try store.apply(items: [item(code)], source: SourceState(name: "market"), validators: nil, now: Date())
        #expect(again.changedSlugs.isEmpty)
        let other = try store.apply(items: [item(code)], source: SourceState(name: "rolling"), validators: nil, now: Date())
        #expect(other.changedSlugs.contains(Category.all.slug) && other.new == 0)
        let page = try store.itemPage(in: Category.all.slug, after: nil, limit: 10)
        #expect(page.items.map(\.sources) == [["market", "rolling"]])
        #expect(page.next == nil)
    }

    @Test("pages follow each other newest first without gaps or repeats")
    func paging() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        let codes = (10..<35).map { "NW2021122922299900\($0)" }
        _ = try store.apply(items: codes.map { item($0) }, source: SourceState(name: "market"), validators: nil, now: Date())
        var seen: [String] = []
        var cursor: FeedStore.PageCursor?
        repeat {
            let page = try store.itemPage(in: Slug.derive(from: "新华财经").slug, after: cursor, limit: 7)
            seen += page.items.map(\.item.infoCode.rawValue)
            cursor = page.next
        } while cursor != nil
        #expect(seen == codes.sorted(by: >)) // same date: newest first falls back to the code, descending
    }

    @Test("upgrading a v4 store keeps every item and forgets the lists' validators, so the next poll records listings")
    func migrationFromV4() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(old, upTo: "v4: render state (skip a startup render when nothing changed)")
        try old.write { db in
            try db.execute(sql: """
                INSERT INTO item (infoCode, title, summary, body, rawBody, normalizerVersion, published, updated, firstSeen)
                VALUES ('NW202112292229990001', 't', 's', '<p>b</p>', '<p>b</p>', 1, 1, 1, 1);
                INSERT INTO httpValidator (url, etag, storedAt) VALUES ('http://example.com/list', '"v1"', 1);
                """)
        }
        try old.close()
        let store = try FeedStore(path: path)
        #expect(try store.itemCount() == 1)
        #expect(try store.validators(for: "http://example.com/list") == nil)
    }
}
