import FeedModel
import GRDB

/// Stored bodies written by an older normalizer, and their replacement.
extension FeedStore {
    /// A stored item's upstream body, as `feedd renormalize` needs it.
    public struct RawBody: Sendable {
        public var infoCode: InfoCode
        public var raw: String
        public var link: String?

        public init(infoCode: InfoCode, raw: String, link: String?) {
            self.infoCode = infoCode
            self.raw = raw
            self.link = link
        }
    }

    /// Up to `limit` items whose body came from a normalizer older than
    /// `version` (every item when `all`), after `code` in code order.
    public func rawBodies(olderThan version: Int, all: Bool, after code: String, limit: Int) throws(StoreError) -> [RawBody] {
        try read("read raw bodies") { db in
            try Row.fetchAll(db, sql: """
                SELECT infoCode, rawBody, link FROM item
                WHERE (normalizerVersion < ? OR ?) AND infoCode > ? ORDER BY infoCode LIMIT ?
                """, arguments: [version, all, code, limit]).compactMap { row in
                InfoCode(row["infoCode"]).map { RawBody(infoCode: $0, raw: row["rawBody"], link: row["link"]) }
            }
        }
    }

    /// Replaces bodies in one transaction. `updated` does not move: the article
    /// did not change upstream, only how feedd cleans it.
    /// Returns how many bodies changed and the slugs whose feeds show them.
    public func replaceBodies(_ bodies: [(code: InfoCode, html: String, outlet: String?, version: Int)])
        throws(StoreError) -> (changed: Int, slugs: Set<Slug>) {
        try write("replace normalized bodies") { db in
            var slugs = Set<Slug>()
            var changed = 0
            for b in bodies {
                try db.execute(sql: "UPDATE item SET body = ?, outlet = COALESCE(?, outlet), normalizerVersion = ? WHERE infoCode = ? AND body != ?",
                               arguments: [b.html, b.outlet, b.version, b.code.rawValue, b.html])
                if db.changesCount > 0 {
                    changed += 1
                    let found = try String.fetchAll(db, sql: "SELECT slug FROM itemCategory WHERE infoCode = ?", arguments: [b.code.rawValue])
                    slugs.formUnion(found.compactMap(Slug.init(validating:)))
                    slugs.insert(Category.all.slug)
                } else {
                    try db.execute(sql: "UPDATE item SET normalizerVersion = ? WHERE infoCode = ?", arguments: [b.version, b.code.rawValue])
                }
            }
            if changed > 0 { try Self.bumpContentVersion(db) }
            return (changed, slugs)
        }
    }
}
