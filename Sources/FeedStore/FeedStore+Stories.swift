import FeedModel
import FeedStories
import Foundation
import GRDB

/// An item to assign to a story: its code, fingerprint and date.
public struct StoryInput: Sendable {
    public var infoCode: InfoCode
    public var fingerprint: StoryFingerprint
    public var published: Date
    /// Its body names as source the outlet it is listed under (新华财经's own
    /// dispatch in 新华财经's list): it represents a story founded with it.
    public var namesItselfAsSource: Bool

    public init(infoCode: InfoCode, fingerprint: StoryFingerprint, published: Date, namesItselfAsSource: Bool = false) {
        self.infoCode = infoCode
        self.fingerprint = fingerprint
        self.published = published
        self.namesItselfAsSource = namesItselfAsSource
    }
}

/// Stories to assign in the write that stores the items they are of.
public struct StoryRequest: Sendable {
    public var inputs: [StoryInput]
    /// How far apart in publication two items of one story may be.
    public var window: TimeInterval

    public init(inputs: [StoryInput], window: TimeInterval) {
        self.inputs = inputs
        self.window = window
    }
}

/// What assigning stories changed.
public struct StoryAssignment: Sendable, Equatable {
    /// Items that became the first of a story of their own.
    public var founded = 0
    /// Items that joined an existing story (its entry in `all/` gains a link).
    public var joined = 0
    /// Items that had a story already and kept it.
    public var kept = 0

    public init() {}
}

/// One entry of `all/` when stories are on: the representative and the other
/// outlets that carried the story.
public struct StoryEntry: Sendable {
    public var item: Item
    public var others: [Member]
    /// When the last of `others` that joined after the representative did: the entry's `updated` moves to it.
    public var lastJoined: Date?

    public init(item: Item, others: [Member], lastJoined: Date?) {
        self.item = item
        self.others = others
        self.lastJoined = lastJoined
    }

    public struct Member: Sendable, Equatable {
        public var infoCode: InfoCode
        /// The outlet or column that listed it (its category), else the outlet its body names.
        public var outlet: String
        public var link: String?

        public init(infoCode: InfoCode, outlet: String, link: String?) {
            self.infoCode = infoCode
            self.outlet = outlet
            self.link = link
        }
    }
}

/// Fingerprints and story ids. A story is named by the info code of its
/// representative (the first item stored of it), which never changes while
/// that item is stored. Candidates come from the store's window index
/// (`StoryWindow`), caught up from `itemStory` by its log in the same
/// transaction, so detection survives restarts and sees what other processes
/// on the same file wrote.
extension FeedStore {
    /// Assigns each item that has no story yet, in order of publication, to the
    /// story of its best confirmed match published within `window`, else to a
    /// new story of its own. One transaction; items with a story keep it.
    ///
    /// A story founded in this call is represented by its earliest item, unless
    /// a later item of the same call names itself as the source and the earliest
    /// does not: the original dispatch, not a reprint that was dated first. A
    /// story already stored keeps its representative.
    public func assignStories(_ inputs: [StoryInput], window: TimeInterval, now: Date) throws(StoreError) -> StoryAssignment {
        guard !inputs.isEmpty else { return StoryAssignment() }
        let storyWindow = self.storyWindow
        let (result, state) = try write("assign stories") { db in
            let (result, state) = try Self.assignStories(StoryRequest(inputs: inputs, window: window), now: now,
                                                         from: storyWindow, in: db)
            if result.joined > 0 { try Self.bumpContentVersion(db) }
            return (result, state)
        }
        storyWindow.put(state) // committed: the index holds what the store holds
        return result
    }

    /// The assignment in the caller's write transaction (SQLite's write lock is
    /// the assignment lock). Returns the window state to put back once the
    /// transaction commits: until then the store's window holds none, so a
    /// transaction that rolls back leaves it to be read again, never ahead of the file.
    /// The caller marks the content changed when a story gained an item (`joined`).
    /// `stored`: codes the caller has just stored in this transaction (not looked up again).
    static func assignStories(_ request: StoryRequest, stored: Set<String> = [], now: Date, from storyWindow: StoryWindow,
                              in db: Database) throws -> (StoryAssignment, StoryWindow.State) {
        let (inputs, window) = (request.inputs, request.window)
        // Taken out, so this transaction holds the only reference: inserting does not copy the index.
        var state = try storyWindow.take() ?? Self.loadStoryWindow(window: window, in: db)
        state.catchUp(try Self.storyLog(after: state.logged, in: db))
        state.index.evict(olderThan: window)
        let from = inputs.map(\.published.timeIntervalSince1970).min()! - window
        let older = from < state.index.cutoff ? try Self.storyRows(published: from, before: state.index.cutoff, in: db) : []
        let presence = try Self.presence(inputs.map(\.infoCode.rawValue), storedAlready: stored, in: db)
        let batch = StoryBatch.assign(inputs, assigned: presence.assigned, stored: presence.stored, window: window,
                                      index: &state.index, older: older)
        for row in batch.rows { try Self.insertStory(row.input, story: row.story, now: now, in: db) }
        // The rows numbered before this batch's were read above: the index holds up to its last (`seq` is the rowid).
        if !batch.rows.isEmpty { state.logged = max(state.logged, db.lastInsertedRowID) }
        for (story, original) in batch.takeovers {
            try db.execute(sql: "UPDATE itemStory SET story = ? WHERE story = ?", arguments: [original, story])
        }
        state.index.settle()
        return (batch.result, state)
    }

    /// The window index from the stored rows: those published within `window` of the newest.
    static func loadStoryWindow(window: TimeInterval, in db: Database) throws -> StoryWindow.State {
        let logged = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM itemStory") ?? 0
        let newest = try Double.fetchOne(db, sql: "SELECT MAX(published) FROM itemStory")
        let rows = try storyRows(published: newest.map { $0 - window } ?? 0, before: .infinity, in: db)
        return .loaded(rows, newest: newest, window: window, logged: logged)
    }

    static let storyColumns = "s.story, s.simFull, s.simHead, s.length, s.numbers, s.published"

    /// A row of `storyColumns` from column `first` on; nil when its figures are not in their stored form.
    static func storyRow(_ row: Row, from first: Int = 0) -> StoredStoryRow? {
        guard let numbers = StoryFingerprint.numbers(fromText: row[first + 4]) else { return nil }
        let fingerprint = StoryFingerprint(full: UInt64(bitPattern: row[first + 1]), head: UInt64(bitPattern: row[first + 2]),
                                           length: row[first + 3], numbers: numbers)
        return StoredStoryRow(story: row[first], fingerprint: fingerprint, published: row[first + 5])
    }

    /// The stored rows published in `from..<before` (by the `itemStory_published` index).
    static func storyRows(published from: Double, before: Double, in db: Database) throws -> [StoredStoryRow] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT \(storyColumns) FROM itemStory s WHERE s.published >= ? AND s.published < ?
            """, arguments: [from.isFinite ? from : -Double.greatestFiniteMagnitude,
                             before.isFinite ? before : Double.greatestFiniteMagnitude])
        var out: [StoredStoryRow] = []
        while let row = try rows.next() { if let r = storyRow(row) { out.append(r) } }
        return out
    }

    /// The rows assigned after the one numbered `seq`, in the order they were.
    static func storyLog(after seq: Int64, in db: Database) throws -> [(seq: Int64, row: StoredStoryRow)] {
        let rows = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT s.seq, \(storyColumns) FROM itemStory s WHERE s.seq > ? ORDER BY s.seq
            """), arguments: [seq])
        var out: [(seq: Int64, row: StoredStoryRow)] = []
        while let row = try rows.next() { if let r = storyRow(row, from: 1) { out.append((row[0], r)) } }
        return out
    }

    /// Which of `codes` are stored, and which have a story already: one cached
    /// statement per code (a poll brings about 20; an `IN` list of each length
    /// would be parsed afresh every time); a code in `storedAlready` is stored.
    private static func presence(_ codes: [String], storedAlready: Set<String>,
                                 in db: Database) throws -> (stored: Set<String>, assigned: Set<String>) {
        let statement = try db.cachedStatement(sql: """
            SELECT (?2 OR EXISTS (SELECT 1 FROM item WHERE infoCode = ?1)) + 2 * EXISTS (SELECT 1 FROM itemStory WHERE infoCode = ?1)
            """)
        var stored = Set<String>()
        var assigned = Set<String>()
        for code in codes {
            let flags = try Int.fetchOne(statement, arguments: [code, storedAlready.contains(code)]) ?? 0
            if flags & 1 != 0 { stored.insert(code) }
            if flags & 2 != 0 { assigned.insert(code) }
        }
        return (stored, assigned)
    }

    private static func insertStory(_ input: StoryInput, story: String, now: Date, in db: Database) throws {
        let fp = input.fingerprint
        try db.cachedStatement(sql: """
            INSERT INTO itemStory (infoCode, story, simFull, simHead, length, numbers, published, joined)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [input.infoCode.rawValue, story, Int64(bitPattern: fp.full), Int64(bitPattern: fp.head),
                             fp.length, fp.numbersText, input.published.timeIntervalSince1970, now.timeIntervalSince1970])
    }

    /// Up to `limit` stored items without a story, oldest first (for `feedd stories rebuild`).
    public func itemsWithoutStory(limit: Int) throws(StoreError)
        -> [(infoCode: InfoCode, title: String, body: String, published: Date, namesItselfAsSource: Bool)] {
        try read("read items without a story") { db in
            try Row.fetchAll(db, sql: """
                SELECT i.infoCode, i.title, i.body, i.published,
                       EXISTS (SELECT 1 FROM itemCategory c WHERE c.infoCode = i.infoCode AND c.name = i.outlet) AS itself
                FROM item i
                WHERE NOT EXISTS (SELECT 1 FROM itemStory s WHERE s.infoCode = i.infoCode)
                ORDER BY i.published, i.infoCode LIMIT ?
                """, arguments: [limit]).compactMap { row in
                InfoCode(row["infoCode"]).map {
                    ($0, row["title"], row["body"], Date(timeIntervalSince1970: row["published"]), row["itself"])
                }
            }
        }
    }

    /// How many items have a story, and how many stories there are.
    public func storyCounts() throws(StoreError) -> (items: Int, stories: Int) {
        try read("count stories") { db in
            let row = try Row.fetchOne(db, sql: "SELECT COUNT(*) AS n, COUNT(DISTINCT story) AS s FROM itemStory")
            return (row?["n"] ?? 0, row?["s"] ?? 0)
        }
    }

    /// The story of an item, if it has one.
    public func story(of code: InfoCode) throws(StoreError) -> InfoCode? {
        try read("read story of \(code)") { db in
            try String.fetchOne(db, sql: "SELECT story FROM itemStory WHERE infoCode = ?", arguments: [code.rawValue])
                .flatMap(InfoCode.init)
        }
    }

    /// The newest `limit` entries of `all/` with one entry per story: items
    /// without a story, and each story's representative (if it was deleted, its
    /// earliest member still stored), with the story's other items.
    public func storyEntries(limit: Int) throws(StoreError) -> [StoryEntry] {
        try read("read story entries") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.*, s.story AS storyCode, s.joined AS storyJoined FROM item i LEFT JOIN itemStory s ON s.infoCode = i.infoCode
                WHERE s.story IS NULL OR s.story = i.infoCode
                   OR (NOT EXISTS (SELECT 1 FROM item r WHERE r.infoCode = s.story)
                       AND i.infoCode = (SELECT m.infoCode FROM itemStory m WHERE m.story = s.story
                                         ORDER BY m.published, m.infoCode LIMIT 1))
                ORDER BY i.published DESC, i.infoCode DESC LIMIT ?
                """, arguments: [limit])
            return try rows.compactMap { row -> StoryEntry? in
                guard let item = try Self.item(from: row, db: db) else { return nil }
                guard let story: String = row["storyCode"] else { return StoryEntry(item: item, others: [], lastJoined: nil) }
                let members = try Row.fetchAll(db, sql: """
                    SELECT m.infoCode, m.joined, i.link, i.outlet,
                           (SELECT c.name FROM itemCategory c WHERE c.infoCode = m.infoCode ORDER BY c.slug LIMIT 1) AS category
                    FROM itemStory m JOIN item i ON i.infoCode = m.infoCode
                    WHERE m.story = ? AND m.infoCode != ? ORDER BY m.published, m.infoCode
                    """, arguments: [story, item.infoCode.rawValue])
                let others = members.compactMap { m -> StoryEntry.Member? in
                    guard let code = InfoCode(m["infoCode"]) else { return nil }
                    let outlet: String = m["category"] ?? m["outlet"] ?? code.rawValue
                    return StoryEntry.Member(infoCode: code, outlet: outlet, link: m["link"])
                }
                // Only a copy that joined after the representative moves `updated`:
                // copies stored with it (one poll, one rebuild batch) are part of the entry as first shown.
                let since: Double = row["storyJoined"] ?? 0
                let lastJoined = members.map { $0["joined"] as Double }.filter { $0 > since }.max()
                    .map(Date.init(timeIntervalSince1970:))
                return StoryEntry(item: item, others: others, lastJoined: lastJoined)
            }
        }
    }
}
