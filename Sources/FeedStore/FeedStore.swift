import FeedModel
import Foundation
import GRDB

/// feedd's state in one SQLite file (WAL): items and their categories, HTTP
/// validators per URL, and the last poll of each source.
public final class FeedStore: Sendable {
    public let path: String
    let db: DatabasePool
    /// The candidate index of story detection (`StoryWindow.swift`), loaded on the first assignment.
    let storyWindow = StoryWindow()
    /// Each source's state and validators as this process last read or wrote them (`PollStateMemory.swift`).
    let pollMemory = PollStateMemory()

    /// Opens (creating it and its folder if needed) and migrates the database.
    public init(path: String) throws(StoreError) {
        self.path = path
        let lower = path.lowercased()
        guard !lower.hasPrefix("postgres://") && !lower.hasPrefix("postgresql://") else {
            throw StoreError(path: path, action: "open",
                             message: "a PostgreSQL URL, not a path: open it with StoreBackend.open")
        }
        do {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            var config = Configuration()
            config.busyMode = .timeout(10) // `feedd status` and `refresh` may run beside the daemon
            db = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(db)
        } catch {
            throw StoreError(path: path, action: "open", message: "\(error)")
        }
    }

    func read<T: Sendable>(_ action: String, _ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try db.read(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(path: path, action: action, message: "\(error)")
        }
    }

    func write<T: Sendable>(_ action: String, _ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try db.write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(path: path, action: action, message: "\(error)")
        }
    }

    /// One statement, or reads that need no snapshot of their own, on the writer's
    /// connection and without a transaction (a statement is atomic by itself): the
    /// per-poll calls. No BEGIN/COMMIT to parse and run, no reader to take from the
    /// pool, and the writer's page cache is never stale (readers re-read pages after
    /// every write), which halves a 304 poll's SQLite work.
    func writeStatement<T: Sendable>(_ action: String, _ body: @Sendable (Database) throws -> T) throws(StoreError) -> T {
        do { return try db.writeWithoutTransaction(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(path: path, action: action, message: "\(error)")
        }
    }

    // MARK: Identity

    /// The codes among `codes` that are already stored.
    public func knownCodes(_ codes: [InfoCode]) throws(StoreError) -> Set<InfoCode> {
        let raw = codes.map(\.rawValue)
        return try read("look up known codes") { db in
            var known = Set<InfoCode>()
            // Chunks stay below SQLite's limit on bound parameters.
            for start in stride(from: 0, to: raw.count, by: 500) {
                let chunk = Array(raw[start..<min(start + 500, raw.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let found = try String.fetchAll(db, sql: "SELECT infoCode FROM item WHERE infoCode IN (\(marks))",
                                                arguments: StatementArguments(chunk))
                known.formUnion(found.compactMap(InfoCode.init))
            }
            return known
        }
    }

    // MARK: Validators

    public func validators(for url: String) throws(StoreError) -> (etag: String?, lastModified: String?)? {
        try read("read validators") { db in
            let statement = try db.cachedStatement(sql: "SELECT etag, lastModified FROM httpValidator WHERE url = ?")
            return try Row.fetchOne(statement, arguments: [url]).map { (etag: $0[0] as String?, lastModified: $0[1] as String?) }
        }
    }

    // MARK: Applying a poll

    /// Stores one poll's items, validators and source state (with this poll's
    /// new and updated counts) in one transaction: a poll is applied whole or not at all.
    public func apply(items: [IncomingItem], source: SourceState,
                      validators: (url: String, etag: String?, lastModified: String?)?,
                      stories: StoryRequest? = nil, now: Date) throws(StoreError) -> ApplyResult {
        let (memory, storyWindow) = (pollMemory, self.storyWindow)
        let (result, state, window) = try write("apply poll of '\(source.name)'") { db in
            var result = ApplyResult()
            for item in items { try Self.upsert(item, into: db, now: now, result: &result) }
            try Self.recordListing(of: items, by: source.name, in: db, result: &result)
            var linked = false
            for slug in Set(items.flatMap { $0.categories.map(\.slug.rawValue) }) {
                try db.execute(sql: "INSERT OR IGNORE INTO sourceCategory (source, slug) VALUES (?, ?)",
                               arguments: [source.name, slug])
                linked = linked || db.changesCount > 0
            }
            if let v = validators {
                if v.etag == nil && v.lastModified == nil {
                    try db.cachedStatement(sql: "DELETE FROM httpValidator WHERE url = ?").execute(arguments: [v.url])
                } else {
                    try db.cachedStatement(sql: """
                        INSERT INTO httpValidator (url, etag, lastModified, storedAt) VALUES (?, ?, ?, ?)
                        ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, lastModified = excluded.lastModified,
                        storedAt = excluded.storedAt
                        """).execute(arguments: [v.url, v.etag, v.lastModified, now.timeIntervalSince1970])
                }
            }
            var state = source
            state.itemsNew = result.new
            state.itemsUpdated = result.updated
            memory.supersede(state.name)
            try Self.save(state, in: db)
            // The poll's stories in the same commit (one WAL sync, not two), in a
            // savepoint: an assignment that fails leaves the items stored without a story.
            var window: StoryWindow.State?
            if let stories, !stories.inputs.isEmpty {
                do {
                    try db.inSavepoint {
                        (result.stories, window) = try Self.assignStories(stories, stored: Set(items.map(\.infoCode.rawValue)),
                                                                          now: now, from: storyWindow, in: db)
                        return .commit
                    }
                } catch {
                    result.storiesFailure = "\(error)"
                }
                if result.stories.joined > 0 { result.changedSlugs.insert(Category.all.slug) }
            }
            if !result.changedSlugs.isEmpty || linked { try Self.bumpContentVersion(db) }
            return (result, state, window)
        }
        if let window { storyWindow.put(window) } // committed: the index holds what the store holds
        memory.wrote(state, validators: validators)
        return result
    }

    private static func upsert(_ item: IncomingItem, into db: Database, now: Date, result: inout ApplyResult) throws {
        let code = item.infoCode.rawValue
        let existing = try Row.fetchOne(db.cachedStatement(sql: "SELECT title, body, summary FROM item WHERE infoCode = ?"),
                                        arguments: [code])
        var touched = false
        if let existing {
            let titleChanged = (existing["title"] as String) != item.title
            let bodyChanged = item.body.map { $0.html != (existing["body"] as String) } ?? false
            if titleChanged || bodyChanged {
                try db.execute(sql: "UPDATE item SET title = ?, updated = ?, summary = ? WHERE infoCode = ?",
                               arguments: [item.title, now.timeIntervalSince1970, item.summary, code])
                if let body = item.body, bodyChanged {
                    try db.execute(sql: """
                        UPDATE item SET body = ?, rawBody = ?, outlet = ?, normalizerVersion = ? WHERE infoCode = ?
                        """, arguments: [body.html, body.raw, body.outlet, body.normalizerVersion, code])
                }
                result.updated += 1
                touched = true
            } else {
                result.unchanged += 1
            }
        } else {
            let published = item.published.timeIntervalSince1970
            try db.execute(sql: """
                INSERT INTO item (infoCode, title, summary, body, rawBody, normalizerVersion, link, outlet,
                                  published, updated, firstSeen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [code, item.title, item.summary, item.body?.html ?? "", item.body?.raw ?? "",
                                 item.body?.normalizerVersion ?? 0, item.link, item.body?.outlet,
                                 published, published, now.timeIntervalSince1970])
            result.new += 1
            touched = true
        }
        // An item that gains a category changes in every feed it is in (an entry lists its categories).
        for category in item.categories {
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO itemCategory (infoCode, slug, name) VALUES (?, ?, ?)")
                .execute(arguments: [code, category.slug.rawValue, category.name])
            if db.changesCount > 0 { touched = true }
        }
        if touched {
            let slugs = try String.fetchAll(db, sql: "SELECT slug FROM itemCategory WHERE infoCode = ?", arguments: [code])
            result.changedSlugs.formUnion(slugs.compactMap(Slug.init(validating:)))
            result.changedSlugs.insert(Category.all.slug)
        }
    }

    // MARK: Categories

    /// The slug a category name was stored under, if any.
    public func slug(ofCategoryNamed name: String) throws(StoreError) -> Slug? {
        try read("look up category '\(name)'") { db in
            try String.fetchOne(db, sql: "SELECT slug FROM itemCategory WHERE name = ? LIMIT 1", arguments: [name])
                .flatMap(Slug.init(validating:))
        }
    }

    /// For each slug, the sources that have listed items in it. Read row by
    /// row: 10,000 sources in 8 categories are 80,000 rows, which `fetchAll`
    /// held as 15 MB of `Row`s at once (the warm-up refresh's peak).
    public func sourcesBySlug() throws(StoreError) -> [Slug: Set<String>] {
        try read("read source categories") { db in
            var out: [Slug: Set<String>] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT source, slug FROM sourceCategory")
            while let row = try rows.next() {
                if let slug = Slug(validating: row[1]) { out[slug, default: []].insert(row[0]) }
            }
            return out
        }
    }

    static func date(_ seconds: Double?) -> Date? { seconds.map(Date.init(timeIntervalSince1970:)) }

    // MARK: Reading feeds

    /// Every category with items, with its count and newest item time.
    public func categories() throws(StoreError) -> [CategorySummary] {
        try read("list categories") { db in
            try Row.fetchAll(db, sql: """
                SELECT c.slug, MIN(c.name) AS name, COUNT(*) AS n, MAX(i.published) AS newest
                FROM itemCategory c JOIN item i USING (infoCode) GROUP BY c.slug ORDER BY c.slug
                """).compactMap { row in
                guard let slug = Slug(validating: row["slug"]) else { return nil }
                return CategorySummary(category: Category(name: row["name"], slug: slug),
                                       itemCount: row["n"], newest: Self.date(row["newest"]))
            }
        }
    }

    /// The newest `limit` items of a category (or of all items for `Category.all`),
    /// newest first, each with all its categories.
    public func items(in slug: Slug, limit: Int) throws(StoreError) -> [Item] {
        let isAll = slug == Category.all.slug
        return try read("read items of '\(slug)'") { db in
            let rows = isAll
                ? try Row.fetchAll(db, sql: "SELECT * FROM item ORDER BY published DESC, infoCode DESC LIMIT ?",
                                   arguments: [limit])
                : try Row.fetchAll(db, sql: """
                    SELECT i.* FROM item i JOIN itemCategory c USING (infoCode) WHERE c.slug = ?
                    ORDER BY i.published DESC, i.infoCode DESC LIMIT ?
                    """, arguments: [slug.rawValue, limit])
            return try rows.compactMap { row in try Self.item(from: row, db: db) }
        }
    }

    /// One stored item, if known.
    public func item(_ code: InfoCode) throws(StoreError) -> Item? {
        try read("read item \(code)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM item WHERE infoCode = ?", arguments: [code.rawValue])
                .flatMap { try Self.item(from: $0, db: db) }
        }
    }

    public func itemCount() throws(StoreError) -> Int {
        try read("count items") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM item") ?? 0 }
    }

    static func item(from row: Row, db: Database) throws -> Item? {
        guard let code = InfoCode(row["infoCode"]) else { return nil }
        let categories = try Row.fetchAll(db, sql: "SELECT slug, name FROM itemCategory WHERE infoCode = ? ORDER BY slug",
                                          arguments: [code.rawValue]).compactMap { r -> Category? in
            Slug(validating: r["slug"]).map { Category(name: r["name"], slug: $0) }
        }
        return Item(infoCode: code, title: row["title"], summary: row["summary"], body: row["body"], link: row["link"],
                    outlet: row["outlet"], published: Date(timeIntervalSince1970: row["published"]),
                    updated: Date(timeIntervalSince1970: row["updated"]), categories: categories)
    }
}
