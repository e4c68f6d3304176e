import Foundation
import GRDB

/// What the scheduler and one poll need from a store, source by source: read
/// one source's state by its key, record a poll's result with its next due
/// time. Nothing here reads or scans every source on the path of one poll, so
/// a poll costs the same at 200 sources as at 10,000. A second backend (issue
/// 12's shared database) implements the same operations.
public protocol SourceStateStore: Sendable {
    /// One source's state, or nil if it was never polled.
    func sourceState(named name: String) throws(StoreError) -> SourceState?
    /// What a poll starts from, in one read: the source's state and the validators stored for its URL.
    func pollStart(source name: String, url: String) throws(StoreError) -> PollStart
    /// Every source's state, by name (for `/healthz` and `feedd status`, never per poll).
    func sourceStates() throws(StoreError) -> [SourceState]
    /// Records a poll's result and the time the source is due next, in one write.
    func save(_ state: SourceState) throws(StoreError)
}

/// A source's state and its list's validators, as one poll starts.
public struct PollStart: Sendable {
    public var state: SourceState?
    public var validators: (etag: String?, lastModified: String?)?

    public init(state: SourceState?, validators: (etag: String?, lastModified: String?)?) {
        self.state = state
        self.validators = validators
    }
}

extension FeedStore: SourceStateStore {
    public func pollStart(source name: String, url: String) throws(StoreError) -> PollStart {
        let path = self.path
        // Two lookups by key on the writer's connection: only this source's own poll writes these rows.
        return try writeStatement("read state of '\(name)'") { db in
            let state = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM sourceState WHERE name = ?"),
                                         arguments: [name]).map { try Self.state(from: $0, path: path) }
            let validators = try Row.fetchOne(db.cachedStatement(sql: "SELECT etag, lastModified FROM httpValidator WHERE url = ?"),
                                              arguments: [url]).map { (etag: $0[0] as String?, lastModified: $0[1] as String?) }
            return PollStart(state: state, validators: validators)
        }
    }

    /// Columns by position: decoding by index skips GRDB's per-row column-name lookup.
    static let stateColumns = """
        name, lastPoll, lastSuccess, lastResult, message, consecutiveFailures, nextPoll, itemsListed, itemsNew, itemsUpdated
        """

    public func sourceState(named name: String) throws(StoreError) -> SourceState? {
        let path = self.path
        return try read("read state of '\(name)'") { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM sourceState WHERE name = ?")
            return try Row.fetchOne(statement, arguments: [name]).map { try Self.state(from: $0, path: path) }
        }
    }

    public func sourceStates() throws(StoreError) -> [SourceState] {
        let path = self.path
        return try read("read source states") { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM sourceState ORDER BY name")
            return try Row.fetchAll(statement).map { try Self.state(from: $0, path: path) }
        }
    }

    public func save(_ state: SourceState) throws(StoreError) {
        try writeStatement("save state of '\(state.name)'") { db in try Self.save(state, in: db) } // one upsert: atomic alone
    }

    static func save(_ s: SourceState, in db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO sourceState (\(stateColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(name) DO UPDATE SET lastPoll = excluded.lastPoll, lastSuccess = excluded.lastSuccess,
                lastResult = excluded.lastResult, message = excluded.message,
                consecutiveFailures = excluded.consecutiveFailures, nextPoll = excluded.nextPoll,
                itemsListed = excluded.itemsListed, itemsNew = excluded.itemsNew, itemsUpdated = excluded.itemsUpdated
            """)
        try statement.execute(arguments: [s.name, s.lastPoll?.timeIntervalSince1970, s.lastSuccess?.timeIntervalSince1970,
                                          s.lastResult?.rawValue, s.message, s.consecutiveFailures,
                                          s.nextPoll?.timeIntervalSince1970, s.itemsListed, s.itemsNew, s.itemsUpdated])
    }

    private static func state(from row: Row, path: String) throws -> SourceState {
        let name: String = row[0]
        var result: PollResult?
        if let raw = row[3] as String? {
            guard let known = PollResult(rawValue: raw) else {
                throw StoreError(path: path, action: "read state of '\(name)'",
                                 message: "unknown lastResult '\(raw)' (expected one of \(PollResult.allCases.map(\.rawValue)))")
            }
            result = known
        }
        return SourceState(name: name, lastPoll: date(row[1]), lastSuccess: date(row[2]), lastResult: result,
                           message: row[4], consecutiveFailures: row[5], nextPoll: date(row[6]),
                           itemsListed: row[7], itemsNew: row[8], itemsUpdated: row[9])
    }
}
