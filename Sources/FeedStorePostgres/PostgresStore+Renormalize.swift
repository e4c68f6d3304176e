import FeedModel
import FeedStore
import Foundation
import PostgresNIO

/// Stored bodies written by an older normalizer, and their replacement, as in
/// `FeedStore+Renormalize.swift`; a batch is replaced in one transaction of three statements.
extension PostgresStore {
    public func rawBodies(olderThan version: Int, all: Bool, after code: String, limit: Int) async throws(StoreError) -> [FeedStore.RawBody] {
        try await attempt("read raw bodies") {
            var out: [FeedStore.RawBody] = []
            for try await (c, raw, link) in try await client.query("""
                SELECT infoCode, rawBody, link FROM item
                WHERE (normalizerVersion < \(version) OR \(all)) AND infoCode > \(code) ORDER BY infoCode LIMIT \(limit)
                """, logger: logger).decode((String, String, String?).self) {
                if let infoCode = InfoCode(c) { out.append(FeedStore.RawBody(infoCode: infoCode, raw: raw, link: link)) }
            }
            return out
        }
    }

    public func replaceBodies(_ bodies: [(code: InfoCode, html: String, outlet: String?, version: Int)])
        async throws(StoreError) -> (changed: Int, slugs: Set<Slug>) {
        guard !bodies.isEmpty else { return (0, []) }
        let logger = self.logger
        return try await attempt("replace normalized bodies") {
            try await client.withTransaction(logger: logger) { c in
                let codes = bodies.map(\.code.rawValue)
                let html = bodies.map(\.html)
                // postgres-nio binds no NULL inside an array: an outlet the normalizer did not find keeps the stored one.
                let hasOutlet = bodies.map { $0.outlet != nil }
                let outlets = bodies.map { $0.outlet ?? "" }
                let versions = bodies.map { Int64($0.version) }
                var changed: [String] = []
                for try await code in try await c.query("""
                    UPDATE item i SET body = b.html, outlet = CASE WHEN b.has THEN b.outlet ELSE i.outlet END,
                        normalizerVersion = b.version
                    FROM UNNEST(\(codes)::text[], \(html)::text[], \(hasOutlet)::bool[], \(outlets)::text[], \(versions)::bigint[])
                         AS b(code, html, has, outlet, version)
                    WHERE i.infoCode = b.code AND i.body != b.html
                    RETURNING i.infoCode
                    """, logger: logger).decode(String.self) { changed.append(code) }
                let same = Set(codes).subtracting(changed)
                if !same.isEmpty {
                    let kept = bodies.filter { same.contains($0.code.rawValue) }
                    try await c.query("""
                        UPDATE item i SET normalizerVersion = b.version
                        FROM UNNEST(\(kept.map(\.code.rawValue))::text[], \(kept.map { Int64($0.version) })::bigint[]) AS b(code, version)
                        WHERE i.infoCode = b.code
                        """, logger: logger)
                }
                var slugs = Set<Slug>()
                if !changed.isEmpty {
                    for try await slug in try await c.query("SELECT DISTINCT slug FROM itemCategory WHERE infoCode = ANY(\(changed))",
                                                            logger: logger).decode(String.self) {
                        if let s = Slug(validating: slug) { slugs.insert(s) }
                    }
                    slugs.insert(Category.all.slug)
                    try await c.query("UPDATE renderState SET contentVersion = contentVersion + 1 WHERE id = 1", logger: logger)
                }
                return (changed.count, slugs)
            }
        }
    }
}
