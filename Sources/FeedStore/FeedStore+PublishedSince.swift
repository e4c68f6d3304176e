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
}
