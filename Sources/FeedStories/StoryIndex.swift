import Foundation

/// Items in memory, found by band: the candidates for a new item are the
/// items that share one of its band keys and were published within the window.
///
/// The store keeps the same keys in a table (`FeedStore+Stories.swift`); this
/// one serves the benchmark. Each bucket holds its items' fingerprints inline,
/// so a lookup reads a few contiguous arrays rather than chasing each
/// candidate through memory (with 100,000 items, several times faster).
public struct StoryIndex: Sendable {
    public struct Entry: Sendable {
        public var fingerprint: StoryFingerprint
        public var published: Date
        public var story: Int
    }

    public let window: TimeInterval
    private var fingerprints: [StoryFingerprint] = []
    private var published: [Double] = []
    private var stories: [Int32] = []
    /// 24 bytes: a bucket of 600 candidates is 14 KB to scan.
    struct Slot {
        var full: UInt64
        var head: UInt64
        /// Seconds since 1970 (to 2106).
        var published: UInt32
        var item: Int32
    }
    /// One bucket per band key.
    private var buckets: [[Slot]]
    public private(set) var storyCount = 0

    static let keysPerItem = StoryFingerprint.bandsPerFingerprint * 2
    static let keyCount = keysPerItem << StoryFingerprint.bandBits

    public init(window: TimeInterval) {
        self.window = window
        buckets = Array(repeating: [], count: Self.keyCount)
    }

    public var count: Int { fingerprints.count }

    public func entry(_ i: Int) -> Entry {
        Entry(fingerprint: fingerprints[i], published: Date(timeIntervalSince1970: published[i]), story: Int(stories[i]))
    }

    /// The best confirmed match among the candidates: the nearest full fingerprint.
    public func match(_ fingerprint: StoryFingerprint, published date: Date) -> Entry? {
        let t = date.timeIntervalSince1970
        var best = -1
        var bestDistance = Int.max
        let keys = fingerprint.bandKeys
        for (k, key) in keys.enumerated() {
            for slot in buckets[Int(key)] {
                let d = fingerprint.full.distance(to: slot.full)
                // Cheap filters first: the confirmation below never accepts outside these.
                guard d <= StoryMatcher.maxNearDistance
                        || (d <= StoryMatcher.maxFullDistance && fingerprint.head.distance(to: slot.head) <= StoryMatcher.maxHeadDistance),
                      abs(Double(slot.published) - t) <= window, d < bestDistance || best < 0 else { continue }
                // An item in two buckets is confirmed once: in the first of them.
                guard !(0..<k).contains(where: { StoryFingerprint.bandKey($0, full: slot.full, head: slot.head) == keys[$0] })
                else { continue }
                if StoryMatcher.sameStory(fingerprint, fingerprints[Int(slot.item)]) {
                    best = Int(slot.item)
                    bestDistance = d
                }
            }
        }
        return best < 0 ? nil : entry(best)
    }

    /// How many items share a band key with `fingerprint`, counted once per bucket (for the benchmark).
    public func candidateCount(of fingerprint: StoryFingerprint) -> Int {
        var n = 0
        for key in fingerprint.bandKeys { n += buckets[Int(key)].count }
        return n
    }

    /// Adds an item: to the story of its best match, else to a new story.
    /// Returns the story number and whether it is new.
    @discardableResult
    public mutating func assign(_ fingerprint: StoryFingerprint, published: Date) -> (story: Int, isNew: Bool) {
        if let m = match(fingerprint, published: published) {
            insert(fingerprint, published: published, story: m.story)
            return (m.story, false)
        }
        let story = storyCount
        insert(fingerprint, published: published, story: story)
        return (story, true)
    }

    /// Adds an item to a known story.
    public mutating func insert(_ fingerprint: StoryFingerprint, published date: Date, story: Int) {
        let index = Int32(fingerprints.count)
        fingerprints.append(fingerprint)
        published.append(date.timeIntervalSince1970)
        stories.append(Int32(story))
        let seconds = UInt32(clamping: Int64(date.timeIntervalSince1970.rounded()))
        let slot = Slot(full: fingerprint.full, head: fingerprint.head, published: seconds, item: index)
        for key in fingerprint.bandKeys { buckets[Int(key)].append(slot) }
        storyCount = max(storyCount, story + 1)
    }
}
