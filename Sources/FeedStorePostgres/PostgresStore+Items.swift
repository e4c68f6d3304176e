import FeedModel
import FeedStore
import Foundation
import PostgresNIO

/// Items, categories, validators and applying a poll: `FeedStore`'s rules, in PostgreSQL.
extension PostgresStore {
    public func knownCodes(_ codes: [InfoCode]) async throws(StoreError) -> Set<InfoCode> {
        let raw = codes.map(\.rawValue)
        return try await attempt("look up known codes") {
            var known = Set<InfoCode>()
            for try await code in try await client.query("SELECT infoCode FROM item WHERE infoCode = ANY(\(raw))",
                                                         logger: logger).decode(String.self) {
                if let c = InfoCode(code) { known.insert(c) }
            }
            return known
        }
    }

    public func validators(for url: String) async throws(StoreError) -> (etag: String?, lastModified: String?)? {
        try await attempt("read validators") {
            try await Self.validators(for: url, on: client.query(
                "SELECT etag, lastModified FROM httpValidator WHERE url = \(url)", logger: logger))
        }
    }

    static func validators(for url: String, on rows: PostgresRowSequence) async throws -> (etag: String?, lastModified: String?)? {
        var found: (etag: String?, lastModified: String?)?
        for try await (etag, lastModified) in rows.decode((String?, String?).self) { found = (etag, lastModified) }
        return found
    }

    public func apply(items: [IncomingItem], source: SourceState,
                      validators: (url: String, etag: String?, lastModified: String?)?,
                      stories: StoryRequest?, now: Date) async throws(StoreError) -> ApplyResult {
        let (logger, announcer, storyWindow) = (self.logger, announcer.withLock { $0 }, self.storyWindow)
        let (result, window) = try await attempt("apply poll of '\(source.name)'") {
            // Rows are locked in one order (by code, by slug) on every node, so two nodes
            // applying overlapping lists wait for each other instead of deadlocking.
            let parts = Self.partsWithUniqueCodes(items).map { $0.sorted { $0.infoCode.rawValue < $1.infoCode.rawValue } }
            return try await client.withTransaction(logger: logger) { c in
                var result = ApplyResult()
                for part in parts { try await Self.upsert(part, on: c, now: now, result: &result, logger: logger) }
                for part in parts { try await Self.recordListing(of: part, by: source.name, on: c, result: &result, logger: logger) }
                let slugs = Set(items.flatMap { $0.categories.map(\.slug.rawValue) }).sorted()
                var linked = false
                if !slugs.isEmpty {
                    let added = try await c.query("""
                        INSERT INTO sourceCategory (source, slug) SELECT \(source.name), slug FROM UNNEST(\(slugs)::text[]) AS t(slug)
                        ON CONFLICT DO NOTHING RETURNING 1
                        """, logger: logger).collect()
                    linked = !added.isEmpty
                }
                if let v = validators {
                    if v.etag == nil && v.lastModified == nil {
                        try await c.query("DELETE FROM httpValidator WHERE url = \(v.url)", logger: logger)
                    } else {
                        try await c.query("""
                            INSERT INTO httpValidator (url, etag, lastModified, storedAt)
                            VALUES (\(v.url), \(v.etag), \(v.lastModified), \(now.timeIntervalSince1970))
                            ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, lastModified = excluded.lastModified,
                                storedAt = excluded.storedAt
                            """, logger: logger)
                    }
                }
                // As the SQLite store does: the state is recorded with this poll's own counts.
                var state = source
                state.itemsNew = result.new
                state.itemsUpdated = result.updated
                try await Self.save(state, on: c, logger: logger)
                // The poll's stories in the same commit, in a savepoint: an assignment
                // that fails leaves the items stored without a story.
                var window: StoryWindow.State?
                if let stories, !stories.inputs.isEmpty {
                    try await c.query("SAVEPOINT stories", logger: logger) // released by the commit
                    do {
                        (result.stories, window) = try await Self.assignStories(stories, now: now, from: storyWindow,
                                                                                on: c, logger: logger)
                    } catch {
                        try await c.query("ROLLBACK TO SAVEPOINT stories", logger: logger)
                        result.storiesFailure = Self.describe(error)
                    }
                    if result.stories.joined > 0 { result.changedSlugs.insert(Category.all.slug) }
                }
                // Last, after the stories' advisory lock: every transaction that takes both (a rebuild
                // too) takes that lock first, so two nodes' applies cannot wait for each other in a cycle.
                if !result.changedSlugs.isEmpty || linked {
                    try await c.query("UPDATE renderState SET contentVersion = contentVersion + 1 WHERE id = 1", logger: logger)
                }
                // In the transaction: PostgreSQL delivers the notice on commit, and never for an apply
                // that rolled back, so the other nodes hear of exactly the data that is there to read.
                if let node = announcer, !result.changedSlugs.isEmpty {
                    for payload in PostgresCluster.changedPayloads(result.changedSlugs, node: node) {
                        try await c.query("SELECT pg_notify(\(PostgresCluster.channel), \(payload))", logger: logger)
                    }
                    result.announced = true
                }
                return (result, window)
            }
        }
        if let window { storyWindow.put(window) } // committed: the index holds what the database holds
        return result
    }

    // MARK: Categories

    public func slug(ofCategoryNamed name: String) async throws(StoreError) -> Slug? {
        try await attempt("look up category '\(name)'") {
            var found: Slug?
            for try await slug in try await client.query("SELECT slug FROM itemCategory WHERE name = \(name) LIMIT 1",
                                                         logger: logger).decode(String.self) {
                found = Slug(validating: slug)
            }
            return found
        }
    }

    public func sourcesBySlug() async throws(StoreError) -> [Slug: Set<String>] {
        try await attempt("read source categories") {
            var out: [Slug: Set<String>] = [:]
            for try await (source, slug) in try await client.query("SELECT source, slug FROM sourceCategory",
                                                                   logger: logger).decode((String, String).self) {
                if let s = Slug(validating: slug) { out[s, default: []].insert(source) }
            }
            return out
        }
    }

    // MARK: Reading feeds

    public func categories() async throws(StoreError) -> [CategorySummary] {
        try await attempt("list categories") {
            var out: [CategorySummary] = []
            for try await (slug, name, count, newest) in try await client.query("""
                SELECT c.slug, MIN(c.name), COUNT(*), MAX(i.published)
                FROM itemCategory c JOIN item i USING (infoCode) GROUP BY c.slug ORDER BY c.slug
                """, logger: logger).decode((String, String, Int, Double?).self) {
                guard let s = Slug(validating: slug) else { continue }
                out.append(CategorySummary(feed: Category(name: name, slug: s), itemCount: count,
                                           newest: newest.map(Date.init(timeIntervalSince1970:))))
            }
            return out
        }
    }

    static let itemColumns = "i.infoCode, i.title, i.summary, i.body, i.link, i.outlet, i.published, i.updated"

    public func items(in slug: Slug, limit: Int) async throws(StoreError) -> [Item] {
        let isAll = slug == Category.all.slug
        return try await attempt("read items of '\(slug)'") {
            let query: PostgresQuery = isAll
                ? "SELECT \(unescaped: Self.itemColumns) FROM item i ORDER BY i.published DESC, i.infoCode DESC LIMIT \(limit)"
                : """
                    SELECT \(unescaped: Self.itemColumns) FROM item i JOIN itemCategory c USING (infoCode)
                    WHERE c.slug = \(slug.rawValue) ORDER BY i.published DESC, i.infoCode DESC LIMIT \(limit)
                    """
            return try await readItems(query)
        }
    }

    public func item(_ code: InfoCode) async throws(StoreError) -> Item? {
        try await attempt("read item \(code)") {
            try await readItems("SELECT \(unescaped: Self.itemColumns) FROM item i WHERE i.infoCode = \(code.rawValue)").first
        }
    }

    /// Items in the query's order, each with its categories (read for all of them in one more query).
    func readItems(_ query: PostgresQuery) async throws -> [Item] {
        try await readItemRows(query).map(\.item)
    }

    /// As `readItems`, with each item's `published` as stored (a page cursor compares it exactly).
    func readItemRows(_ query: PostgresQuery) async throws -> [(item: Item, published: Double)] {
        var items: [(item: Item, published: Double)] = []
        let rows = try await client.query(query, logger: logger)
        for try await (code, title, summary, body, link, outlet, published, updated)
            in rows.decode((String, String, String, String, String?, String?, Double, Double).self) {
            guard let c = InfoCode(code) else { continue }
            items.append((Item(infoCode: c, title: title, summary: summary, body: body, link: link, outlet: outlet,
                               published: Date(timeIntervalSince1970: published),
                               updated: Date(timeIntervalSince1970: updated), categories: []), published))
        }
        guard !items.isEmpty else { return [] }
        let categories = try await categories(of: items.map(\.item.infoCode.rawValue))
        for index in items.indices { items[index].item.categories = categories[items[index].item.infoCode.rawValue] ?? [] }
        return items
    }

    /// The categories of each of `codes`, by slug, in one query.
    func categories(of codes: [String]) async throws -> [String: [Category]] {
        var categories: [String: [Category]] = [:]
        for try await (code, slug, name) in try await client.query("""
            SELECT infoCode, slug, name FROM itemCategory WHERE infoCode = ANY(\(codes)) ORDER BY infoCode, slug
            """, logger: logger).decode((String, String, String).self) {
            if let s = Slug(validating: slug) { categories[code, default: []].append(Category(name: name, slug: s)) }
        }
        return categories
    }

    public func itemCount() async throws(StoreError) -> Int {
        try await attempt("count items") {
            var count = 0
            for try await n in try await client.query("SELECT COUNT(*) FROM item", logger: logger).decode(Int.self) { count = n }
            return count
        }
    }

    public func codes(publishedSince date: Date?) async throws(StoreError) -> [InfoCode] {
        let since = date?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        return try await attempt("list items published since \(date.map { "\($0)" } ?? "the start")") {
            var codes: [InfoCode] = []
            for try await code in try await client.query(
                "SELECT infoCode FROM item WHERE published >= \(since) ORDER BY published, infoCode",
                logger: logger).decode(String.self) {
                if let c = InfoCode(code) { codes.append(c) }
            }
            return codes
        }
    }
}
