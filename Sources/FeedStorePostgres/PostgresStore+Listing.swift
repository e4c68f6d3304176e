import FeedModel
import FeedStore
import Foundation
import PostgresNIO

/// What rules, topics and the Jekyll posts read, as in `FeedStore+Topics.swift`:
/// items by code and page by page, each page with its categories and its
/// sources in one query each (never one per item).
extension PostgresStore {
    public func items(_ codes: [InfoCode]) async throws(StoreError) -> [Item] {
        guard !codes.isEmpty else { return [] }
        let raw = codes.map(\.rawValue)
        return try await attempt("read \(codes.count) items") {
            let found = try await readItems("SELECT \(unescaped: Self.itemColumns) FROM item i WHERE i.infoCode = ANY(\(raw))")
            let byCode = Dictionary(found.map { ($0.infoCode, $0) }, uniquingKeysWith: { a, _ in a })
            return codes.compactMap { byCode[$0] }
        }
    }

    public func itemPage(in slug: Slug, after cursor: FeedStore.PageCursor?, limit: Int) async throws(StoreError) -> FeedStore.ItemPage {
        let isAll = slug == Category.all.slug
        return try await attempt("read a page of '\(slug)'") {
            // The cursor's (published, code) is compared as SQLite compares it: by value, then bytewise (COLLATE "C").
            let published = cursor?.published ?? Double.greatestFiniteMagnitude
            let code = cursor?.code ?? ""
            let query: PostgresQuery = """
                SELECT \(unescaped: Self.itemColumns) FROM item i
                WHERE (\(isAll) OR i.infoCode IN (SELECT infoCode FROM itemCategory WHERE slug = \(slug.rawValue)))
                  AND (\(cursor == nil) OR i.published < \(published) OR (i.published = \(published) AND i.infoCode < \(code)))
                ORDER BY i.published DESC, i.infoCode DESC LIMIT \(limit)
                """
            let rows = try await readItemRows(query)
            let sources = try await listing(of: rows.map(\.item.infoCode))
            let listed = rows.map { FeedStore.ListedItem(item: $0.item, sources: sources[$0.item.infoCode] ?? []) }
            let next = rows.count < limit ? nil : rows.last.map {
                FeedStore.PageCursor(published: $0.published, code: $0.item.infoCode.rawValue)
            }
            return FeedStore.ItemPage(items: listed, next: next)
        }
    }

    public func listingSources(of codes: [InfoCode]) async throws(StoreError) -> [InfoCode: [String]] {
        guard !codes.isEmpty else { return [:] }
        return try await attempt("read the sources of \(codes.count) items") { try await listing(of: codes) }
    }

    private func listing(of codes: [InfoCode]) async throws -> [InfoCode: [String]] {
        guard !codes.isEmpty else { return [:] }
        var out: [InfoCode: [String]] = [:]
        for try await (code, source) in try await client.query("""
            SELECT infoCode, source FROM itemSource WHERE infoCode = ANY(\(codes.map(\.rawValue))) ORDER BY source
            """, logger: logger).decode((String, String).self) {
            if let c = InfoCode(code) { out[c, default: []].append(source) }
        }
        return out
    }
}
