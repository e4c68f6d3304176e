import FeedModel
import Foundation
import GRDB

extension FeedStore {
    /// The codes of items published at or after `date` (of every item when
    /// nil), oldest first: the Jekyll publisher reads them one by one, so a
    /// long history is never held in memory at once.
    public func codes(publishedSince date: Date?) throws(StoreError) -> [InfoCode] {
        try read("list items published since \(date.map { "\($0)" } ?? "the start")") { db in
            try String.fetchAll(db, sql: "SELECT infoCode FROM item WHERE published >= ? ORDER BY published, infoCode",
                                arguments: [date?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude])
                .compactMap(InfoCode.init)
        }
    }

    /// The stored items among `codes`, in the order of `codes` (chunks below SQLite's parameter limit).
    public func items(_ codes: [InfoCode]) throws(StoreError) -> [Item] {
        guard !codes.isEmpty else { return [] }
        return try read("read \(codes.count) items") { db in
            var found: [String: Item] = [:]
            let raw = codes.map(\.rawValue)
            for start in stride(from: 0, to: raw.count, by: 500) {
                let chunk = Array(raw[start..<min(start + 500, raw.count)])
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(db, sql: "SELECT * FROM item WHERE infoCode IN (\(marks))",
                                            arguments: StatementArguments(chunk)) {
                    if let item = try Self.item(from: row, db: db) { found[item.infoCode.rawValue] = item }
                }
            }
            return raw.compactMap { found[$0] }
        }
    }
}
