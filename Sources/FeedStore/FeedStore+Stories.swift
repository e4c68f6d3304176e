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
/// that item is stored; candidates come from the `storyBand` table, so
/// detection survives restarts and sees what other nodes on a shared store wrote.
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
        let ordered = inputs.sorted { ($0.published, $0.infoCode) < ($1.published, $1.infoCode) }
        return try write("assign stories") { db in
            var result = StoryAssignment()
            var founded: [String: (namesItself: Bool, original: String?)] = [:]
            for input in ordered {
                let code = input.infoCode.rawValue
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM itemStory WHERE infoCode = ?"), arguments: [code]) == nil else {
                    result.kept += 1
                    continue
                }
                guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM item WHERE infoCode = ?"), arguments: [code]) != nil else {
                    continue // not stored (a failed body): nothing to assign
                }
                let story = try Self.bestMatch(input, window: window, in: db)
                try Self.insertStory(input, story: story ?? code, now: now, in: db)
                if let story {
                    result.joined += 1
                    if input.namesItselfAsSource, let f = founded[story], !f.namesItself, f.original == nil {
                        founded[story]?.original = code
                    }
                } else {
                    result.founded += 1
                    founded[code] = (input.namesItselfAsSource, nil)
                }
            }
            for (story, f) in founded {
                guard let original = f.original else { continue }
                try db.execute(sql: "UPDATE itemStory SET story = ? WHERE story = ?", arguments: [original, story])
            }
            if result.joined > 0 { try Self.bumpContentVersion(db) }
            return result
        }
    }

    /// The story of the nearest confirmed candidate (ties: the earlier published).
    ///
    /// Candidates share a band key and fall within the window. Each is read by
    /// column index from one cached statement, and the fingerprint distances
    /// (the confirmation never accepts beyond them) are checked before the
    /// numbers are decoded: most candidates stop there.
    private static func bestMatch(_ input: StoryInput, window: TimeInterval, in db: Database) throws -> String? {
        let keys = input.fingerprint.bandKeys
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ",")
        let t = input.published.timeIntervalSince1970
        let statement = try db.cachedStatement(sql: """
            SELECT DISTINCT s.simFull, s.simHead, s.published, s.length, s.numbers, s.story
            FROM storyBand b JOIN itemStory s ON s.infoCode = b.infoCode
            WHERE b.key IN (\(marks)) AND s.published BETWEEN ? AND ?
            """)
        let rows = try Row.fetchCursor(statement, arguments: StatementArguments(keys + [t - window, t + window] as [any DatabaseValueConvertible]))
        let probe = input.fingerprint
        var best: (story: String, distance: Int, published: Double)?
        while let row = try rows.next() {
            let full = UInt64(bitPattern: row[0] as Int64)
            let head = UInt64(bitPattern: row[1] as Int64)
            let distance = (probe.full ^ full).nonzeroBitCount
            guard distance <= StoryMatcher.maxNearDistance
                    || (distance <= StoryMatcher.maxFullDistance
                        && (probe.head ^ head).nonzeroBitCount <= StoryMatcher.maxHeadDistance) else { continue }
            let published: Double = row[2]
            if let best, distance > best.distance || (distance == best.distance && published >= best.published) { continue }
            guard let numbers = StoryFingerprint.numbers(fromText: row[4]) else { continue }
            let fp = StoryFingerprint(full: full, head: head, length: row[3], numbers: numbers)
            guard StoryMatcher.sameStory(probe, fp) else { continue }
            best = (row[5], distance, published)
        }
        return best?.story
    }

    private static func insertStory(_ input: StoryInput, story: String, now: Date, in db: Database) throws {
        let fp = input.fingerprint
        try db.cachedStatement(sql: """
            INSERT INTO itemStory (infoCode, story, simFull, simHead, length, numbers, published, joined)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [input.infoCode.rawValue, story, Int64(bitPattern: fp.full), Int64(bitPattern: fp.head),
                             fp.length, fp.numbersText, input.published.timeIntervalSince1970, now.timeIntervalSince1970])
        let band = try db.cachedStatement(sql: "INSERT OR IGNORE INTO storyBand (key, infoCode) VALUES (?, ?)")
        for key in fp.bandKeys { try band.execute(arguments: [key, input.infoCode.rawValue]) }
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
