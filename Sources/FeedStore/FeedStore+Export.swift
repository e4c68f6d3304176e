import GRDB

/// One column's value as SQLite holds it, for copying a store to another
/// backend (`feedd migrate`): encoded as JSON, it keeps its type and, for a
/// REAL, every bit (the shortest text that reads back to the same double).
public enum StoredValue: Sendable, Equatable, Encodable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

extension FeedStore {
    /// Up to `limit` rows of `table` (its `columns`, the primary key's first),
    /// in primary-key order after the row whose key is `after`: a table is read
    /// page by page on its index, never whole.
    public func exportRows(of table: String, columns: [String], keyCount: Int, after: [StoredValue]?,
                           limit: Int) throws(StoreError) -> [[StoredValue]] {
        let key = columns.prefix(keyCount).joined(separator: ", ")
        let marks = Array(repeating: "?", count: keyCount).joined(separator: ", ")
        let filter = after == nil ? "" : "WHERE (\(key)) > (\(marks))"
        let sql = "SELECT \(columns.joined(separator: ", ")) FROM \(table) \(filter) ORDER BY \(key) LIMIT \(limit)"
        let arguments = StatementArguments((after ?? []).map(\.databaseValue))
        let path = self.path
        return try read("export \(table)") { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                try columns.indices.map { index in
                    let value: DatabaseValue = row[index]
                    switch value.storage {
                    case .null: return .null
                    case .int64(let value): return .integer(value)
                    case .double(let value): return .real(value)
                    case .string(let value): return .text(value)
                    case .blob:
                        throw StoreError(path: path, action: "export \(table)",
                                         message: "column \(columns[index]) holds a blob, which no feedd table stores")
                    }
                }
            }
        }
    }
}

extension StoredValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let value): return value.databaseValue
        case .real(let value): return value.databaseValue
        case .text(let value): return value.databaseValue
        }
    }
}
