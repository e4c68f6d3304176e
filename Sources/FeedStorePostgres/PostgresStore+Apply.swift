import FeedModel
import FeedStore
import Foundation
import PostgresNIO

/// Applying a poll's items in a fixed number of statements, however many items
/// the list has (issue 11's rule, on the network backend: no round trip per
/// item). Each step has the meaning of `FeedStore.upsert` and
/// `recordListing`; rows are locked in code order, so two nodes applying
/// overlapping lists wait for each other instead of deadlocking.
extension PostgresStore {
    /// Stores `items` (codes unique, sorted) and counts them into `result`.
    static func upsert(_ items: [IncomingItem], on c: PostgresConnection, now: Date, result: inout ApplyResult,
                       logger: Logger) async throws {
        guard !items.isEmpty else { return }
        let codes = items.map(\.infoCode.rawValue)
        var stored = try await storedTitlesAndBodies(codes, on: c, logger: logger)
        let fresh = items.filter { stored[$0.infoCode.rawValue] == nil }
        let inserted = try await insert(fresh, now: now, on: c, logger: logger)
        let raced = fresh.map(\.infoCode.rawValue).filter { !inserted.contains($0) }
        if !raced.isEmpty { // another node stored them meanwhile: they are updated like known items
            stored.merge(try await storedTitlesAndBodies(raced, on: c, logger: logger)) { a, _ in a }
        }
        var touched = Set(inserted)
        result.new += inserted.count
        var retitled: [IncomingItem] = [], rebodied: [IncomingItem] = []
        for item in items where !inserted.contains(item.infoCode.rawValue) {
            guard let old = stored[item.infoCode.rawValue] else { continue }
            let bodyChanged = item.body.map { $0.html != old.body } ?? false
            guard old.title != item.title || bodyChanged else {
                result.unchanged += 1
                continue
            }
            retitled.append(item)
            if bodyChanged { rebodied.append(item) }
            touched.insert(item.infoCode.rawValue)
            result.updated += 1
        }
        try await update(retitled, rebodied, now: now, on: c, logger: logger)
        let pairs = items.flatMap { item in item.categories.map { (item.infoCode.rawValue, $0) } }
        var added = Set<String>() // "code slug" of the category rows this poll added
        for try await (code, slug) in try await c.query("""
            INSERT INTO itemCategory (infoCode, slug, name)
            SELECT * FROM UNNEST(\(pairs.map(\.0))::text[], \(pairs.map(\.1.slug.rawValue))::text[], \(pairs.map(\.1.name))::text[])
            ON CONFLICT DO NOTHING RETURNING infoCode, slug
            """, logger: logger).decode((String, String).self) { added.insert(code + " " + slug) }
        for (code, category) in pairs where added.contains(code + " " + category.slug.rawValue) || touched.contains(code) {
            result.changedSlugs.insert(category.slug)
            result.changedSlugs.insert(Category.all.slug)
        }
        // An item that gained a category changed in every feed it is in (an entry lists its categories):
        // in a cluster the other nodes render only the feeds named, so they are all named.
        for (code, category) in pairs where added.contains(code + " " + category.slug.rawValue) && !inserted.contains(code) {
            touched.insert(code)
        }
        guard !touched.isEmpty else { return }
        for try await slug in try await c.query("SELECT DISTINCT slug FROM itemCategory WHERE infoCode = ANY(\(Array(touched).sorted()))",
                                                logger: logger).decode(String.self) {
            if let s = Slug(validating: slug) { result.changedSlugs.insert(s) }
        }
        result.changedSlugs.insert(Category.all.slug)
    }

    /// Title and body of the stored items among `codes`, locked until the transaction ends.
    private static func storedTitlesAndBodies(_ codes: [String], on c: PostgresConnection,
                                              logger: Logger) async throws -> [String: (title: String, body: String)] {
        var found: [String: (title: String, body: String)] = [:]
        for try await (code, title, body) in try await c.query("""
            SELECT infoCode, title, body FROM item WHERE infoCode = ANY(\(codes)) ORDER BY infoCode FOR UPDATE
            """, logger: logger).decode((String, String, String).self) { found[code] = (title, body) }
        return found
    }

    /// Inserts the new items in one statement (a JSON parameter carries the NULLs); returns the codes inserted.
    private static func insert(_ items: [IncomingItem], now: Date, on c: PostgresConnection, logger: Logger) async throws -> Set<String> {
        guard !items.isEmpty else { return [] }
        let rows: [[StoredValue]] = items.map { item in
            let published = StoredValue.real(item.published.timeIntervalSince1970)
            return [.text(item.infoCode.rawValue), .text(item.title), .text(item.summary), .text(item.body?.html ?? ""),
                    .text(item.body?.raw ?? ""), .integer(Int64(item.body?.normalizerVersion ?? 0)),
                    item.link.map(StoredValue.text) ?? .null, item.body?.outlet.map(StoredValue.text) ?? .null,
                    published, published, .real(now.timeIntervalSince1970)]
        }
        var inserted = Set<String>()
        for try await code in try await c.query("""
            INSERT INTO item (infoCode, title, summary, body, rawBody, normalizerVersion, link, outlet, published, updated, firstSeen)
            SELECT r->>0, r->>1, r->>2, r->>3, r->>4, (r->>5)::integer, r->>6, r->>7,
                   (r->>8)::double precision, (r->>9)::double precision, (r->>10)::double precision
            FROM jsonb_array_elements(\(try json(rows))::jsonb) AS r
            ON CONFLICT (infoCode) DO NOTHING RETURNING infoCode
            """, logger: logger).decode(String.self) { inserted.insert(code) }
        return inserted
    }

    /// A changed title moves `updated`; a changed body replaces body, upstream body, outlet and version: two statements.
    private static func update(_ retitled: [IncomingItem], _ rebodied: [IncomingItem], now: Date, on c: PostgresConnection,
                               logger: Logger) async throws {
        if !retitled.isEmpty {
            try await c.query("""
                UPDATE item i SET title = t.title, updated = \(now.timeIntervalSince1970), summary = t.summary
                FROM UNNEST(\(retitled.map(\.infoCode.rawValue))::text[], \(retitled.map(\.title))::text[],
                            \(retitled.map(\.summary))::text[]) AS t(code, title, summary)
                WHERE i.infoCode = t.code
                """, logger: logger)
        }
        let rows: [[StoredValue]] = rebodied.compactMap { item in
            item.body.map { [.text(item.infoCode.rawValue), .text($0.html), .text($0.raw), $0.outlet.map(StoredValue.text) ?? .null,
                             .integer(Int64($0.normalizerVersion))] }
        }
        guard !rows.isEmpty else { return }
        try await c.query("""
            UPDATE item i SET body = r->>1, rawBody = r->>2, outlet = r->>3, normalizerVersion = (r->>4)::integer
            FROM jsonb_array_elements(\(try json(rows))::jsonb) AS r
            WHERE i.infoCode = r->>0
            """, logger: logger)
    }

    /// Records that `source` listed `items`, in one statement; a new listing of a stored item changes its feeds.
    static func recordListing(of items: [IncomingItem], by source: String, on c: PostgresConnection, result: inout ApplyResult,
                              logger: Logger) async throws {
        guard !items.isEmpty else { return }
        var added = Set<String>()
        for try await code in try await c.query("""
            INSERT INTO itemSource (infoCode, source) SELECT code, \(source) FROM UNNEST(\(items.map(\.infoCode.rawValue))::text[]) AS t(code)
            ON CONFLICT DO NOTHING RETURNING infoCode
            """, logger: logger).decode(String.self) { added.insert(code) }
        for item in items where added.contains(item.infoCode.rawValue) {
            result.changedSlugs.insert(Category.all.slug)
            result.changedSlugs.formUnion(item.categories.map(\.slug))
        }
    }

    static func json(_ rows: [[StoredValue]]) throws -> String {
        String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
    }

    /// `items` cut where a code comes again, so each part has unique codes and the parts apply in list order
    /// (a list naming a code twice is taken as SQLite takes it: the second record after the first).
    static func partsWithUniqueCodes(_ items: [IncomingItem]) -> [[IncomingItem]] {
        var parts: [[IncomingItem]] = [[]]
        var seen = Set<InfoCode>()
        for item in items {
            if !seen.insert(item.infoCode).inserted {
                parts.append([])
                seen = [item.infoCode]
            }
            parts[parts.count - 1].append(item)
        }
        return parts.filter { !$0.isEmpty }
    }
}
