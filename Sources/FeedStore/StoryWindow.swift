import FeedStories
import Foundation
import Synchronization

/// A stored fingerprint as the window index reads it (`itemStory`'s row).
public struct StoredStoryRow: Sendable {
    public var story: String
    public var fingerprint: StoryFingerprint
    /// Seconds since 1970.
    public var published: Double

    public init(story: String, fingerprint: StoryFingerprint, published: Double) {
        self.story = story
        self.fingerprint = fingerprint
        self.published = published
    }
}

/// The story window a store process holds in memory: the candidate index of
/// the items stored within the window, and how far it has read the store's
/// assignments (`itemStory.seq`, numbered in the order assigned, whoever
/// assigns). Each assignment, in its write transaction and holding the store's
/// assignment lock (SQLite's write lock, PostgreSQL's advisory lock), first
/// reads the rows numbered past `logged` into the index, so an
/// item another process or node stored is a candidate of the next assignment;
/// the index goes back only after the transaction commits, so a failed one
/// leaves it unknown (read again from the store) rather than ahead of it.
public final class StoryWindow: Sendable {
    public struct State: Sendable {
        public var index: StoryWindowIndex
        /// The last `itemStory.seq` the index holds.
        public var logged: Int64

        public init(index: StoryWindowIndex, logged: Int64) {
            self.index = index
            self.logged = logged
        }

        /// The index of the rows stored from `newest - window` on (`newest`: the latest
        /// published date stored), having read the assignments up to `logged`.
        public static func loaded(_ rows: [StoredStoryRow], newest: Double?, window: TimeInterval, logged: Int64) -> State {
            var index = StoryWindowIndex(cutoff: newest.map { $0 - window } ?? -.infinity)
            var stories: [String: StoryWindowIndex.Story] = [:]
            for row in rows where row.published >= index.cutoff {
                let story = stories[row.story] ?? index.newStory(row.story)
                stories[row.story] = story
                index.insert(row.fingerprint, published: row.published, story: story)
            }
            index.settle()
            return State(index: index, logged: logged)
        }

        /// Adds the rows assigned past `logged` (those before the cutoff are not held).
        public mutating func catchUp(_ rows: [(seq: Int64, row: StoredStoryRow)]) {
            for (seq, row) in rows {
                logged = max(logged, seq)
                guard row.published >= index.cutoff else { continue }
                index.insert(row.fingerprint, published: row.published, story: index.newStory(row.story))
            }
        }
    }

    private let held = Mutex<State?>(nil)

    public init() {}

    /// The state, taken out (nil when not loaded yet, or after a failed assignment).
    public func take() -> State? {
        held.withLock { state in
            defer { state = nil }
            return state
        }
    }

    /// Puts the state back after the transaction that used it committed.
    public func put(_ state: State) {
        held.withLock { $0 = state }
    }
}

/// One call of `assignStories`, whichever backend holds the rows: each input
/// without a story, in order of publication, joins the story of its best
/// confirmed match published within the window (from the window index, and
/// for an input whose window reaches before the index's cutoff, from the
/// stored rows before it, `older`), else founds a story of its own.
public struct StoryBatch: Sendable {
    public private(set) var result = StoryAssignment()
    /// The items assigned and their stories, in order.
    public private(set) var rows: [(input: StoryInput, story: String)] = []
    /// Stories founded in this batch that a later member of it represents: rename `story` to `original`.
    public var takeovers: [(story: String, original: String)] { representatives.takeovers }
    private var representatives = Representatives()

    /// `assigned`: codes with a story already (kept); `stored`: codes stored (the others are not assigned).
    public static func assign(_ inputs: [StoryInput], assigned: Set<String>, stored: Set<String>, window: TimeInterval,
                              index: inout StoryWindowIndex, older: [StoredStoryRow]) -> StoryBatch {
        var batch = StoryBatch()
        typealias Story = StoryWindowIndex.Story
        // The rows before the index's cutoff, and this batch's items dated before it.
        var earlier = StoryWindowIndex()
        for row in older { earlier.insert(row.fingerprint, published: row.published, story: earlier.newStory(row.story)) }
        var inIndex: [String: Story] = [:]
        var inEarlier: [String: Story] = [:]
        var seen = assigned
        let ordered = inputs.sorted { ($0.published, $0.infoCode) < ($1.published, $1.infoCode) }
        for input in ordered {
            let code = input.infoCode.rawValue
            guard !seen.contains(code) else {
                batch.result.kept += 1
                continue
            }
            guard stored.contains(code) else { continue } // not stored (a failed body): nothing to assign
            seen.insert(code)
            let t = input.published.timeIntervalSince1970
            var best: (story: String, match: StoryWindowIndex.Match)?
            if let m = index.match(input.fingerprint, published: t, window: window) {
                let story = index.label(of: m.story)
                best = (story, m)
                inIndex[story] = inIndex[story] ?? m.story
            }
            if t - window < index.cutoff, let m = earlier.match(input.fingerprint, published: t, window: window),
               m.isBetter(than: best?.match) {
                let story = earlier.label(of: m.story)
                best = (story, m)
                inEarlier[story] = inEarlier[story] ?? m.story
            }
            let story = best?.story ?? code
            if t >= index.cutoff {
                let ref = inIndex[story] ?? index.newStory(story)
                inIndex[story] = ref
                index.insert(input.fingerprint, published: t, story: ref)
            } else {
                let ref = inEarlier[story] ?? earlier.newStory(story)
                inEarlier[story] = ref
                earlier.insert(input.fingerprint, published: t, story: ref)
            }
            batch.rows.append((input, story))
            if best != nil {
                batch.result.joined += 1
                batch.representatives.joined(story, by: code, namesItself: input.namesItselfAsSource)
            } else {
                batch.result.founded += 1
                batch.representatives.founded(code, namesItself: input.namesItselfAsSource)
            }
        }
        for (story, original) in batch.takeovers {
            if let ref = inIndex[story] { index.relabel(ref, original) }
        }
        return batch
    }

    /// Who represents each story founded in one batch: its earliest item,
    /// unless a later item of the batch names itself as the source and the
    /// earliest does not (the original dispatch, not a reprint dated first).
    /// A story already stored keeps its representative.
    struct Representatives: Sendable {
        private var founded: [String: (namesItself: Bool, original: String?)] = [:]

        mutating func founded(_ code: String, namesItself: Bool) { founded[code] = (namesItself, nil) }

        mutating func joined(_ story: String, by code: String, namesItself: Bool) {
            guard namesItself, let f = founded[story], !f.namesItself, f.original == nil else { return }
            founded[story]?.original = code
        }

        var takeovers: [(story: String, original: String)] {
            founded.compactMap { story, f in f.original.map { (story, $0) } }.sorted { $0.story < $1.story }
        }
    }
}
