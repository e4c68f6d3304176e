import FeedModel
import Foundation
import GRDB

/// What rules and topics read: items page by page, newest first, each with
/// the sources that listed it. Rules act when feeds are rendered, so a feed
/// with discards reads further than its length, and a topic reads every item
/// until its feed is full.
extension FeedStore {
    /// A stored item and the names of the sources that listed it (empty for
    /// items stored before feedd recorded listings).
    public struct ListedItem: Sendable {
        public var item: Item
        public var sources: [String]

        public init(item: Item, sources: [String]) {
            self.item = item
            self.sources = sources
        }
    }

    /// Where the next page starts: the last item's (published, code), read raw from SQLite.
    public struct PageCursor: Sendable, Equatable {
        public let published: Double
        public let code: String

        public init(published: Double, code: String) {
            self.published = published
            self.code = code
        }
    }

    public struct ItemPage: Sendable {
        public var items: [ListedItem]
        /// nil when this was the last page.
        public var next: PageCursor?

        public init(items: [ListedItem], next: PageCursor?) {
            self.items = items
            self.next = next
        }
    }

    /// Up to `limit` items of the category `slug` (every item for `Category.all`),
    /// newest first, after `cursor`.
    public func itemPage(in slug: Slug, after cursor: PageCursor?, limit: Int) throws(StoreError) -> ItemPage {
        let isAll = slug == Category.all.slug
        return try read("read a page of '\(slug)'") { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if !isAll {
                conditions.append("infoCode IN (SELECT infoCode FROM itemCategory WHERE slug = ?)")
                _ = arguments.append(contentsOf: [slug.rawValue])
            }
            if let cursor {
                conditions.append("(published < ? OR (published = ? AND infoCode < ?))")
                _ = arguments.append(contentsOf: [cursor.published, cursor.published, cursor.code])
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            _ = arguments.append(contentsOf: [limit])
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM item \(filter) ORDER BY published DESC, infoCode DESC LIMIT ?",
                                        arguments: arguments)
            var items: [ListedItem] = []
            for row in rows {
                guard let item = try Self.item(from: row, db: db) else { continue }
                let sources = try String.fetchAll(db, sql: "SELECT source FROM itemSource WHERE infoCode = ? ORDER BY source",
                                                  arguments: [item.infoCode.rawValue])
                items.append(ListedItem(item: item, sources: sources))
            }
            let next = rows.count < limit ? nil : rows.last.map { PageCursor(published: $0["published"], code: $0["infoCode"]) }
            return ItemPage(items: items, next: next)
        }
    }

    /// The sources that listed each of `codes` (none recorded: absent).
    public func listingSources(of codes: [InfoCode]) throws(StoreError) -> [InfoCode: [String]] {
        guard !codes.isEmpty else { return [:] }
        return try read("read the sources of \(codes.count) items") { db in
            var out: [InfoCode: [String]] = [:]
            let marks = Array(repeating: "?", count: codes.count).joined(separator: ",")
            let rows = try Row.fetchAll(db, sql: "SELECT infoCode, source FROM itemSource WHERE infoCode IN (\(marks)) ORDER BY source",
                                        arguments: StatementArguments(codes.map(\.rawValue)))
            for row in rows {
                guard let code = InfoCode(row["infoCode"] as String) else { continue }
                out[code, default: []].append(row["source"])
            }
            return out
        }
    }

    /// Records that `source` listed `items`. A new listing of an item already
    /// stored can change what source rules do to it, so its feeds count as changed.
    static func recordListing(of items: [IncomingItem], by source: String, in db: Database, result: inout ApplyResult) throws {
        for item in items {
            try db.execute(sql: "INSERT OR IGNORE INTO itemSource (infoCode, source) VALUES (?, ?)",
                           arguments: [item.infoCode.rawValue, source])
            guard db.changesCount > 0 else { continue }
            result.changedSlugs.insert(Category.all.slug)
            result.changedSlugs.formUnion(item.categories.map(\.slug))
        }
    }
}

extension CategorySummary {
    /// An index entry for a feed the store does not group by (a topic).
    public init(feed category: Category, itemCount: Int, newest: Date?) {
        self.init(category: category, itemCount: itemCount, newest: newest)
    }
}
