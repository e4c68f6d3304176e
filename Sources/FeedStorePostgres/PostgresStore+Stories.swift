import FeedModel
import FeedStore
import FeedStories
import Foundation
import PostgresNIO

/// Stories, as in `FeedStore+Stories.swift`: the same assignment rule, in a
/// fixed number of queries per batch. The candidates of the whole batch come
/// in one query (every band key of every input, the union of their windows);
/// the items assigned earlier in the batch are candidates of the later ones
/// in memory, as SQLite's later lookups see its earlier inserts.
extension PostgresStore {
    /// A stored fingerprint that can be matched.
    private struct Candidate {
        var code: String
        var story: String
        var fingerprint: StoryFingerprint
        var published: Double
        var keys: Set<Int64>
    }

    public func assignStories(_ inputs: [StoryInput], window: TimeInterval, now: Date) async throws(StoreError) -> StoryAssignment {
        let ordered = inputs.sorted { ($0.published, $0.infoCode) < ($1.published, $1.infoCode) }
        guard !ordered.isEmpty else { return StoryAssignment() }
        let logger = self.logger
        return try await attempt("assign stories") {
            try await client.withTransaction(logger: logger) { c in
                let codes = ordered.map(\.infoCode.rawValue)
                var assigned = Set<String>()
                for try await code in try await c.query("SELECT infoCode FROM itemStory WHERE infoCode = ANY(\(codes))",
                                                        logger: logger).decode(String.self) { assigned.insert(code) }
                var stored = Set<String>()
                for try await code in try await c.query("SELECT infoCode FROM item WHERE infoCode = ANY(\(codes))",
                                                        logger: logger).decode(String.self) { stored.insert(code) }
                var candidates = try await Self.candidates(for: ordered.filter { !assigned.contains($0.infoCode.rawValue) },
                                                           window: window, on: c, logger: logger)
                var result = StoryAssignment()
                var founded: [String: (namesItself: Bool, original: String?)] = [:]
                var rows: [(input: StoryInput, story: String)] = []
                for input in ordered {
                    let code = input.infoCode.rawValue
                    guard !assigned.contains(code) else {
                        result.kept += 1
                        continue
                    }
                    guard stored.contains(code) else { continue } // not stored (a failed body): nothing to assign
                    let story = Self.bestMatch(input, window: window, among: candidates)
                    rows.append((input, story ?? code))
                    assigned.insert(code)
                    candidates.append(Candidate(code: code, story: story ?? code, fingerprint: input.fingerprint,
                                                published: input.published.timeIntervalSince1970,
                                                keys: Set(input.fingerprint.bandKeys)))
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
                try await Self.insert(rows, now: now, on: c, logger: logger)
                for (story, f) in founded.sorted(by: { $0.key < $1.key }) {
                    guard let original = f.original else { continue }
                    try await c.query("UPDATE itemStory SET story = \(original) WHERE story = \(story)", logger: logger)
                }
                if result.joined > 0 {
                    try await c.query("UPDATE renderState SET contentVersion = contentVersion + 1 WHERE id = 1", logger: logger)
                }
                return result
            }
        }
    }

    /// Every stored fingerprint sharing a band with one of `inputs`, published within the union of their windows.
    private static func candidates(for inputs: [StoryInput], window: TimeInterval, on c: PostgresConnection,
                                   logger: Logger) async throws -> [Candidate] {
        guard !inputs.isEmpty else { return [] }
        let keys = Array(Set(inputs.flatMap(\.fingerprint.bandKeys)))
        let times = inputs.map(\.published.timeIntervalSince1970)
        let from = times.min()! - window, to = times.max()! + window
        var byCode: [String: Candidate] = [:]
        var order: [String] = []
        for try await (key, code, story, full, head, length, numbers, published) in try await c.query("""
            SELECT b.key, s.infoCode, s.story, s.simFull, s.simHead, s.length, s.numbers, s.published
            FROM storyBand b JOIN itemStory s ON s.infoCode = b.infoCode
            WHERE b.key = ANY(\(keys)) AND s.published BETWEEN \(from) AND \(to)
            ORDER BY s.published, s.infoCode
            """, logger: logger).decode((Int64, String, String, Int64, Int64, Int, String, Double).self) {
            if byCode[code] != nil {
                byCode[code]?.keys.insert(key)
                continue
            }
            guard let numbers = StoryFingerprint.numbers(fromText: numbers) else { continue }
            let fingerprint = StoryFingerprint(full: UInt64(bitPattern: full), head: UInt64(bitPattern: head),
                                               length: length, numbers: numbers)
            byCode[code] = Candidate(code: code, story: story, fingerprint: fingerprint, published: published, keys: [key])
            order.append(code)
        }
        return order.compactMap { byCode[$0] }
    }

    /// The story of the nearest confirmed candidate (ties: the earlier published), as SQLite's `bestMatch`.
    private static func bestMatch(_ input: StoryInput, window: TimeInterval, among candidates: [Candidate]) -> String? {
        let keys = Set(input.fingerprint.bandKeys)
        let t = input.published.timeIntervalSince1970
        var best: (story: String, distance: Int, published: Double)?
        for candidate in candidates where candidate.published >= t - window && candidate.published <= t + window
            && !candidate.keys.isDisjoint(with: keys) {
            guard StoryMatcher.sameStory(input.fingerprint, candidate.fingerprint) else { continue }
            let d = (input.fingerprint.full ^ candidate.fingerprint.full).nonzeroBitCount
            if best == nil || d < best!.distance || (d == best!.distance && candidate.published < best!.published) {
                best = (candidate.story, d, candidate.published)
            }
        }
        return best?.story
    }

    /// The batch's fingerprints and bands, in two statements.
    private static func insert(_ rows: [(input: StoryInput, story: String)], now: Date, on c: PostgresConnection,
                               logger: Logger) async throws {
        guard !rows.isEmpty else { return }
        let codes = rows.map(\.input.infoCode.rawValue)
        let stories = rows.map(\.story)
        let full = rows.map { Int64(bitPattern: $0.input.fingerprint.full) }
        let head = rows.map { Int64(bitPattern: $0.input.fingerprint.head) }
        let length = rows.map { Int64($0.input.fingerprint.length) }
        let numbers = rows.map(\.input.fingerprint.numbersText)
        let published = rows.map(\.input.published.timeIntervalSince1970)
        let joined = now.timeIntervalSince1970
        try await c.query("""
            INSERT INTO itemStory (infoCode, story, simFull, simHead, length, numbers, published, joined)
            SELECT code, story, simfull, simhead, length, numbers, published, \(joined)
            FROM UNNEST(\(codes)::text[], \(stories)::text[], \(full)::bigint[], \(head)::bigint[], \(length)::bigint[],
                        \(numbers)::text[], \(published)::float8[]) AS t(code, story, simfull, simhead, length, numbers, published)
            ON CONFLICT (infoCode) DO NOTHING
            """, logger: logger)
        let bands = rows.flatMap { row in row.input.fingerprint.bandKeys.map { ($0, row.input.infoCode.rawValue) } }
        try await c.query("""
            INSERT INTO storyBand (key, infoCode)
            SELECT key, code FROM UNNEST(\(bands.map(\.0))::bigint[], \(bands.map(\.1))::text[]) AS t(key, code)
            ON CONFLICT DO NOTHING
            """, logger: logger)
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
