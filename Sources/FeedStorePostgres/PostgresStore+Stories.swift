import FeedModel
import FeedStore
import FeedStories
import Foundation
import PostgresNIO

/// Stories, as in `FeedStore+Stories.swift`: the same window index and the
/// same assignment (`StoryBatch`), in a fixed number of queries per batch.
/// Assignments take a transaction-scoped advisory lock, so nodes assign one
/// at a time: each sees the rows the others committed (its index reads the
/// log past what it holds), and log numbers are committed in order.
extension PostgresStore {
    /// The advisory lock key assignments take.
    static let storiesLock = Int64(bitPattern: FNV1a.hash("feedd stories"))

    public func assignStories(_ inputs: [StoryInput], window: TimeInterval, now: Date) async throws(StoreError) -> StoryAssignment {
        guard !inputs.isEmpty else { return StoryAssignment() }
        let (logger, storyWindow) = (self.logger, self.storyWindow)
        let (result, state) = try await attempt("assign stories") {
            try await client.withTransaction(logger: logger) { c in
                let (result, state) = try await Self.assignStories(StoryRequest(inputs: inputs, window: window), now: now,
                                                                   from: storyWindow, on: c, logger: logger)
                if result.joined > 0 {
                    try await c.query("UPDATE renderState SET contentVersion = contentVersion + 1 WHERE id = 1", logger: logger)
                }
                return (result, state)
            }
        }
        storyWindow.put(state) // committed: the index holds what the database holds
        return result
    }

    /// The assignment in the caller's transaction, holding the stories' advisory
    /// lock to its end. Returns the window state to put back once it commits; the
    /// caller marks the content changed when a story gained an item (`joined`).
    static func assignStories(_ request: StoryRequest, now: Date, from storyWindow: StoryWindow, on c: PostgresConnection,
                              logger: Logger) async throws -> (StoryAssignment, StoryWindow.State) {
        let (inputs, window) = (request.inputs, request.window)
        try await c.query("SELECT pg_advisory_xact_lock(\(Self.storiesLock))", logger: logger)
        // Taken out, and the optional let go of before the first insert, so this
        // transaction holds the only reference: inserting does not copy the index.
        var taken = storyWindow.take()
        if taken == nil { taken = try await Self.loadStoryWindow(window: window, on: c, logger: logger) }
        var state = taken! // loaded just above when it was not held
        taken = nil
        state.catchUp(try await Self.storyLog(after: state.logged, on: c, logger: logger))
        state.index.evict(olderThan: window)
        let codes = inputs.map(\.infoCode.rawValue)
        let from = inputs.map(\.published.timeIntervalSince1970).min()! - window
        let older = from < state.index.cutoff
            ? try await Self.storyRows(published: from, before: state.index.cutoff, on: c, logger: logger) : []
        let presence = try await Self.presence(codes, on: c, logger: logger)
        let batch = StoryBatch.assign(inputs, assigned: presence.assigned, stored: presence.stored,
                                      window: window, index: &state.index, older: older)
        // The rows numbered before this batch's were read above: the index holds up to its last.
        if let last = try await Self.insert(batch.rows, now: now, on: c, logger: logger) { state.logged = max(state.logged, last) }
        for (story, original) in batch.takeovers {
            try await c.query("UPDATE itemStory SET story = \(original) WHERE story = \(story)", logger: logger)
        }
        state.index.settle()
        return (batch.result, state)
    }

    /// The window index from the stored rows: those published within `window` of the newest.
    private static func loadStoryWindow(window: TimeInterval, on c: PostgresConnection, logger: Logger) async throws -> StoryWindow.State {
        let logged = try await lastLogged(on: c, logger: logger) ?? 0
        var newest: Double?
        for try await n in try await c.query("SELECT MAX(published) FROM itemStory", logger: logger).decode(Double?.self) { newest = n }
        let rows = try await storyRows(published: newest.map { $0 - window } ?? 0, before: .infinity, on: c, logger: logger)
        return .loaded(rows, newest: newest, window: window, logged: logged)
    }

    private static func lastLogged(on c: PostgresConnection, logger: Logger) async throws -> Int64? {
        var last: Int64?
        for try await n in try await c.query("SELECT MAX(seq) FROM itemStory", logger: logger).decode(Int64?.self) { last = n }
        return last
    }

    private typealias StoryColumns = (String, Int64, Int64, Int, String, Double)

    private static func storyRow(_ r: StoryColumns) -> StoredStoryRow? {
        guard let numbers = StoryFingerprint.numbers(fromText: r.4) else { return nil }
        return StoredStoryRow(story: r.0, fingerprint: StoryFingerprint(full: UInt64(bitPattern: r.1), head: UInt64(bitPattern: r.2),
                                                                        length: r.3, numbers: numbers), published: r.5)
    }

    /// The stored rows published in `from..<before` (by the `itemStory_published` index).
    private static func storyRows(published from: Double, before: Double, on c: PostgresConnection,
                                  logger: Logger) async throws -> [StoredStoryRow] {
        let from = from.isFinite ? from : -Double.greatestFiniteMagnitude
        let before = before.isFinite ? before : Double.greatestFiniteMagnitude
        var out: [StoredStoryRow] = []
        for try await r in try await c.query("""
            SELECT story, simFull, simHead, length, numbers, published FROM itemStory WHERE published >= \(from) AND published < \(before)
            """, logger: logger).decode(StoryColumns.self) {
            if let row = storyRow(r) { out.append(row) }
        }
        return out
    }

    /// The rows assigned after the one numbered `seq`, in the order they were.
    private static func storyLog(after seq: Int64, on c: PostgresConnection,
                                 logger: Logger) async throws -> [(seq: Int64, row: StoredStoryRow)] {
        var out: [(seq: Int64, row: StoredStoryRow)] = []
        for try await (n, story, full, head, length, numbers, published) in try await c.query("""
            SELECT seq, story, simFull, simHead, length, numbers, published
            FROM itemStory WHERE seq > \(seq) ORDER BY seq
            """, logger: logger).decode((Int64, String, Int64, Int64, Int, String, Double).self) {
            if let row = storyRow((story, full, head, length, numbers, published)) { out.append((n, row)) }
        }
        return out
    }

    /// Which of `codes` are stored, and which have a story already, in one query.
    private static func presence(_ codes: [String], on c: PostgresConnection,
                                 logger: Logger) async throws -> (stored: Set<String>, assigned: Set<String>) {
        var (stored, assigned) = (Set<String>(), Set<String>())
        for try await (code, isStored, isAssigned) in try await c.query("""
            SELECT t.code, EXISTS (SELECT 1 FROM item i WHERE i.infoCode = t.code),
                   EXISTS (SELECT 1 FROM itemStory s WHERE s.infoCode = t.code)
            FROM UNNEST(\(codes)::text[]) AS t(code)
            """, logger: logger).decode((String, Bool, Bool).self) {
            if isStored { stored.insert(code) }
            if isAssigned { assigned.insert(code) }
        }
        return (stored, assigned)
    }

    /// The batch's fingerprints, in one statement. Returns the last number given (nil: none inserted).
    private static func insert(_ rows: [(input: StoryInput, story: String)], now: Date, on c: PostgresConnection,
                               logger: Logger) async throws -> Int64? {
        guard !rows.isEmpty else { return nil }
        let codes = rows.map(\.input.infoCode.rawValue)
        let stories = rows.map(\.story)
        let full = rows.map { Int64(bitPattern: $0.input.fingerprint.full) }
        let head = rows.map { Int64(bitPattern: $0.input.fingerprint.head) }
        let length = rows.map { Int64($0.input.fingerprint.length) }
        let numbers = rows.map(\.input.fingerprint.numbersText)
        let published = rows.map(\.input.published.timeIntervalSince1970)
        let joined = now.timeIntervalSince1970
        // In the batch's order, so the sequence numbers them in it.
        let numbered = try await c.query("""
            INSERT INTO itemStory (infoCode, story, simFull, simHead, length, numbers, published, joined)
            SELECT code, story, simfull, simhead, length, numbers, published, \(joined)
            FROM UNNEST(\(codes)::text[], \(stories)::text[], \(full)::bigint[], \(head)::bigint[], \(length)::bigint[],
                        \(numbers)::text[], \(published)::float8[]) WITH ORDINALITY AS t(code, story, simfull, simhead, length, numbers, published, n)
            ORDER BY n
            ON CONFLICT (infoCode) DO NOTHING
            RETURNING seq
            """, logger: logger)
        var last: Int64?
        for try await seq in numbered.decode(Int64.self) { last = max(last ?? seq, seq) }
        return last
    }

    public func itemsWithoutStory(limit: Int) async throws(StoreError) -> [StorylessItem] {
        try await attempt("read items without a story") {
            var out: [StorylessItem] = []
            for try await (code, title, body, published, itself) in try await client.query("""
                SELECT i.infoCode, i.title, i.body, i.published,
                       EXISTS (SELECT 1 FROM itemCategory c WHERE c.infoCode = i.infoCode AND c.name = i.outlet)
                FROM item i
                WHERE NOT EXISTS (SELECT 1 FROM itemStory s WHERE s.infoCode = i.infoCode)
                ORDER BY i.published, i.infoCode LIMIT \(limit)
                """, logger: logger).decode((String, String, String, Double, Bool).self) {
                if let c = InfoCode(code) { out.append((c, title, body, Date(timeIntervalSince1970: published), itself)) }
            }
            return out
        }
    }

    public func storyCounts() async throws(StoreError) -> (items: Int, stories: Int) {
        try await attempt("count stories") {
            var counts = (items: 0, stories: 0)
            for try await (n, s) in try await client.query("SELECT COUNT(*), COUNT(DISTINCT story) FROM itemStory",
                                                           logger: logger).decode((Int, Int).self) { counts = (n, s) }
            return counts
        }
    }

    public func story(of code: InfoCode) async throws(StoreError) -> InfoCode? {
        try await attempt("read story of \(code)") {
            var story: InfoCode?
            for try await s in try await client.query("SELECT story FROM itemStory WHERE infoCode = \(code.rawValue)",
                                                      logger: logger).decode(String.self) { story = InfoCode(s) }
            return story
        }
    }

    public func storyEntries(limit: Int) async throws(StoreError) -> [StoryEntry] {
        try await attempt("read story entries") {
            var heads: [(item: Item, story: String?, joined: Double?)] = []
            for try await (code, title, summary, body, link, outlet, published, updated, story, joined) in try await client.query("""
                SELECT \(unescaped: Self.itemColumns), s.story, s.joined FROM item i LEFT JOIN itemStory s ON s.infoCode = i.infoCode
                WHERE s.story IS NULL OR s.story = i.infoCode
                   OR (NOT EXISTS (SELECT 1 FROM item r WHERE r.infoCode = s.story)
                       AND i.infoCode = (SELECT m.infoCode FROM itemStory m WHERE m.story = s.story
                                         ORDER BY m.published, m.infoCode LIMIT 1))
                ORDER BY i.published DESC, i.infoCode DESC LIMIT \(limit)
                """, logger: logger).decode((String, String, String, String, String?, String?, Double, Double, String?, Double?).self) {
                guard let c = InfoCode(code) else { continue }
                heads.append((Item(infoCode: c, title: title, summary: summary, body: body, link: link, outlet: outlet,
                                   published: Date(timeIntervalSince1970: published),
                                   updated: Date(timeIntervalSince1970: updated), categories: []), story, joined))
            }
            guard !heads.isEmpty else { return [] }
            let categories = try await categories(of: heads.map(\.item.infoCode.rawValue))
            let members = try await storyMembers(Array(Set(heads.compactMap(\.story))))
            return heads.map { head in
                var item = head.item
                item.categories = categories[item.infoCode.rawValue] ?? []
                guard let story = head.story else { return StoryEntry(item: item, others: [], lastJoined: nil) }
                let others = (members[story] ?? []).filter { $0.member.infoCode != item.infoCode }
                // Only a copy that joined after the representative moves `updated` (as in SQLite).
                let since = head.joined ?? 0
                let lastJoined = others.map(\.joined).filter { $0 > since }.max().map(Date.init(timeIntervalSince1970:))
                return StoryEntry(item: item, others: others.map(\.member), lastJoined: lastJoined)
            }
        }
    }

    /// The stored members of each story, in publication order, with when each joined: one query for all of them.
    private func storyMembers(_ stories: [String]) async throws -> [String: [(member: StoryEntry.Member, joined: Double)]] {
        guard !stories.isEmpty else { return [:] }
        var out: [String: [(member: StoryEntry.Member, joined: Double)]] = [:]
        for try await (story, code, joined, link, outlet, category) in try await client.query("""
            SELECT m.story, m.infoCode, m.joined, i.link, i.outlet,
                   (SELECT c.name FROM itemCategory c WHERE c.infoCode = m.infoCode ORDER BY c.slug LIMIT 1)
            FROM itemStory m JOIN item i ON i.infoCode = m.infoCode
            WHERE m.story = ANY(\(stories)) ORDER BY m.story, m.published, m.infoCode
            """, logger: logger).decode((String, String, Double, String?, String?, String?).self) {
            guard let c = InfoCode(code) else { continue }
            out[story, default: []].append((StoryEntry.Member(infoCode: c, outlet: category ?? outlet ?? code, link: link), joined))
        }
        return out
    }
}
