import FeedStore
import Foundation
import Logging
import PostgresNIO

/// `feedd migrate --to postgres://…`: copies an SQLite store into a PostgreSQL
/// database, table by table in primary-key order, 500 rows per statement.
/// Each row is inserted only if its key is absent (`ON CONFLICT DO NOTHING`),
/// so a second run copies nothing, and a run that stopped half-way is finished
/// by running it again. Items come first, so every row that refers to an item
/// finds it.
public struct StoreMigration: Sendable {
    /// A table as both dialects name it: columns (the primary key's first) and their PostgreSQL types.
    public struct Table: Sendable {
        public let name: String
        public let columns: [(name: String, type: String)]
        public let keyCount: Int
    }

    /// Every table feedd keeps (v1–v9), in the order they are copied (`itemStory.seq`
    /// is numbered afresh as the rows are copied). The render
    /// state is not copied: the copy bumps its content version instead, so the
    /// nodes render once from the database.
    public static let tables: [Table] = [
        Table(name: "item", columns: [("infoCode", "text"), ("title", "text"), ("summary", "text"), ("body", "text"),
                                      ("rawBody", "text"), ("normalizerVersion", "integer"), ("link", "text"), ("outlet", "text"),
                                      ("published", "double precision"), ("updated", "double precision"),
                                      ("firstSeen", "double precision")], keyCount: 1),
        Table(name: "itemCategory", columns: [("infoCode", "text"), ("slug", "text"), ("name", "text")], keyCount: 2),
        Table(name: "itemSource", columns: [("infoCode", "text"), ("source", "text")], keyCount: 2),
        Table(name: "itemStory", columns: [("infoCode", "text"), ("story", "text"), ("simFull", "bigint"), ("simHead", "bigint"),
                                           ("length", "integer"), ("numbers", "text"), ("published", "double precision"),
                                           ("joined", "double precision")], keyCount: 1),
        Table(name: "sourceCategory", columns: [("source", "text"), ("slug", "text")], keyCount: 2),
        Table(name: "httpValidator", columns: [("url", "text"), ("etag", "text"), ("lastModified", "text"),
                                               ("storedAt", "double precision")], keyCount: 1),
        Table(name: "sourceState", columns: [("name", "text"), ("lastPoll", "double precision"), ("lastSuccess", "double precision"),
                                             ("lastResult", "text"), ("message", "text"), ("consecutiveFailures", "integer"),
                                             ("nextPoll", "double precision"), ("itemsListed", "integer"), ("itemsNew", "integer"),
                                             ("itemsUpdated", "integer")], keyCount: 1),
    ]

    /// Rows per read and per insert.
    public static let batchSize = 500

    /// What was copied of one table.
    public struct Copied: Sendable, Equatable {
        public var table: String
        /// Rows read from SQLite.
        public var read = 0
        /// Rows inserted into PostgreSQL (the others were there already).
        public var inserted = 0
    }

    let source: FeedStore
    let pool: any BlockingRunner
    let destination: PostgresStore

    public init(from source: FeedStore, pool: any BlockingRunner, to destination: PostgresStore) {
        self.source = source
        self.pool = pool
        self.destination = destination
    }

    /// Copies every table; `progress` is told after each table.
    public func run(progress: (Copied) -> Void = { _ in }) async throws(StoreError) -> [Copied] {
        var all: [Copied] = []
        for table in Self.tables {
            let copied = try await copy(table)
            progress(copied)
            all.append(copied)
        }
        if all.contains(where: { $0.inserted > 0 }) { try await destination.bumpContentVersion() }
        return all
    }

    private func copy(_ table: Table) async throws(StoreError) -> Copied {
        var copied = Copied(table: table.name)
        var after: [StoredValue]?
        let (source, names, keyCount) = (self.source, table.columns.map(\.name), table.keyCount)
        while true {
            let rows = try await pool.run { [after] () throws(StoreError) in
                try source.exportRows(of: table.name, columns: names, keyCount: keyCount, after: after, limit: Self.batchSize)
            }
            guard let last = rows.last else { break }
            copied.read += rows.count
            copied.inserted += try await destination.insertAbsent(rows, into: table)
            after = Array(last.prefix(keyCount))
            if rows.count < Self.batchSize { break }
        }
        return copied
    }
}

extension PostgresStore {
    /// Inserts the rows whose primary key is absent, in one statement (the batch
    /// travels as one JSON parameter: NULLs and types survive, every double exactly).
    /// Returns how many were inserted.
    func insertAbsent(_ rows: [[StoredValue]], into table: StoreMigration.Table) async throws(StoreError) -> Int {
        let json: String
        do {
            json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        } catch {
            throw StoreError(path: location, action: "copy \(table.name)", message: "rows not encodable: \(error)")
        }
        let columns = table.columns.map(\.name).joined(separator: ", ")
        let values = table.columns.enumerated().map { "(r->>\($0.offset))::\($0.element.type)" }.joined(separator: ", ")
        return try await attempt("copy \(table.name)") {
            var inserted = 0
            let query: PostgresQuery = """
                INSERT INTO \(unescaped: table.name) (\(unescaped: columns))
                SELECT \(unescaped: values) FROM jsonb_array_elements(\(json)::jsonb) AS r
                ON CONFLICT DO NOTHING RETURNING 1
                """
            for try await _ in try await client.query(query, logger: logger) { inserted += 1 }
            return inserted
        }
    }

    /// Marks the content as changed, so every node renders it once.
    func bumpContentVersion() async throws(StoreError) {
        _ = try await attempt("record the copy in the render state") {
            try await client.query("UPDATE renderState SET contentVersion = contentVersion + 1 WHERE id = 1", logger: logger)
        }
    }
}
