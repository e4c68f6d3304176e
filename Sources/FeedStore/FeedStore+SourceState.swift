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
        if let held = pollMemory.pollStart(source: name, url: url) { return held }
        let path = self.path
        // Two lookups by key on the writer's connection: only this source's own poll writes these rows.
        let read = try writeStatement("read state of '\(name)'") { db in
            let state = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM sourceState WHERE name = ?"),
                                         arguments: [name]).map { try Self.state(from: $0, path: path) }
            let validators = try Row.fetchOne(db.cachedStatement(sql: "SELECT etag, lastModified FROM httpValidator WHERE url = ?"),
                                              arguments: [url]).map { (etag: $0[0] as String?, lastModified: $0[1] as String?) }
            return PollStart(state: state, validators: validators)
        }
        return pollMemory.remember(read, source: name, url: url)
    }

    /// What a poll starts from, when this process holds it in memory (it read or wrote both before): no file read.
    public func heldPollStart(source name: String, url: String) -> PollStart? {
        pollMemory.pollStart(source: name, url: url)
    }

    /// Columns by position: decoding by index skips GRDB's per-row column-name lookup.
    static let stateColumns = """
        name, lastPoll, lastSuccess, lastResult, message, consecutiveFailures, nextPoll, itemsListed, itemsNew, itemsUpdated
        """

    public func sourceState(named name: String) throws(StoreError) -> SourceState? {
        // Recorded and not written yet: the newest.
        if let recorded = pollMemory.contents.withLock({ $0.unwritten[name] }) { return recorded }
        let path = self.path
        return try read("read state of '\(name)'") { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM sourceState WHERE name = ?")
            return try Row.fetchOne(statement, arguments: [name]).map { try Self.state(from: $0, path: path) }
        }
    }

    public func sourceStates() throws(StoreError) -> [SourceState] {
        let path = self.path
        let stored = try read("read source states") { db in
            let statement = try db.cachedStatement(sql: "SELECT \(Self.stateColumns) FROM sourceState ORDER BY name")
            return try Row.fetchAll(statement).map { try Self.state(from: $0, path: path) }
        }
        let unwritten = pollMemory.contents.withLock { $0.unwritten }
        guard !unwritten.isEmpty else { return stored }
        var byName = Dictionary(stored.map { ($0.name, $0) }, uniquingKeysWith: { $1 })
        byName.merge(unwritten) { $1 }
        return byName.values.sorted { $0.name < $1.name }
    }

    /// Writes a poll's state now (one upsert: atomic alone).
    public func save(_ state: SourceState) throws(StoreError) {
        let memory = pollMemory
        try writeStatement("save state of '\(state.name)'") { db in
            memory.supersede(state.name)
            try Self.save(state, in: db)
        }
        memory.wrote(state)
    }

    /// Records a poll's state in memory at once (`sourceState`, `pollStart` and
    /// `sourceStates` answer with it) and queues its write, so the poll does not
    /// wait for the disk. Returns whether the caller must start that write
    /// (`writeRecorded`): none is queued yet.
    public func record(_ state: SourceState) -> Bool {
        pollMemory.contents.withLock { c in
            c.states[state.name] = .some(state)
            c.unwritten[state.name] = state
            defer { c.writeQueued = true }
            return !c.writeQueued
        }
    }

    /// The queued write that `record` asked for: the states recorded since the last write.
    public func writeRecorded() throws(StoreError) {
        pollMemory.contents.withLock { $0.writeQueued = false } // a state recorded from now on queues another write
        try writeRecordedNow()
    }

    /// Writes the states recorded and not written yet, in one transaction on
    /// the writer (so in order with applies, which write their source's state
    /// themselves). On a failure they stay recorded, to be written next time;
    /// the error names their sources.
    public func writeRecordedNow() throws(StoreError) {
        let memory = pollMemory
        guard memory.contents.withLock({ !$0.unwritten.isEmpty }) else { return }
        do {
            try write("save source states") { db in
                let states = memory.takeUnwritten()
                memory.contents.withLock { $0.writing = states }
                for state in states { try Self.save(state, in: db) }
            }
            memory.contents.withLock { $0.writing = [] }
        } catch {
            let names = memory.restoreWriting()
            let shown = names.prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
            throw StoreError(path: path, action: "save the polls of \(shown) (kept, written with the next)", message: error.message)
        }
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
