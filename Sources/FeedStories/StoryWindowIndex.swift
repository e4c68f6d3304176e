/// The items of the story window in memory, found by band: the candidates
/// for a new item are the items that share one of its band keys, published
/// within the window of it. The one candidate index: both store backends hold
/// one (`FeedStore/StoryWindow.swift` keeps it caught up with the stored
/// rows), and the benchmark measures it.
///
/// Layout, sized by the items held (not by the 8 × 65,536 band keys): each
/// item's fingerprint, date, length, story and figures in flat arrays; its 8
/// band keys in buckets of a directory of `8 × 2^bits` entries, `bits` chosen
/// from the item count (a bucket may hold a few band values: each candidate's
/// band is checked). The buckets hold the candidates' fingerprints inline
/// with their dates (the distance and window filters read no other memory), in one array sorted by bucket (built at `settle()`), so a lookup
/// reads a few contiguous runs instead of chasing each candidate through
/// memory; items inserted since are chained per bucket until the next
/// rebuild. Items published before `cutoff` are no longer candidates, and
/// leave memory at the next rebuild.
public struct StoryWindowIndex: Sendable {
    /// What names a story outside the index: its representative's info code.
    public typealias Label = String

    /// A story held in the index. Valid until the next `settle()`, which renumbers them.
    public struct Story: Hashable, Sendable {
        public let number: Int32
    }

    /// The best confirmed candidate of a lookup.
    public struct Match: Sendable {
        public var story: Story
        /// Bits between the full fingerprints.
        public var distance: Int
        /// Seconds since 1970.
        public var published: Double

        /// Whether this candidate wins over `other`: the nearer, then the earlier published.
        public func isBetter(than other: Match?) -> Bool {
            guard let other else { return true }
            return (distance, published) < (other.distance, other.published)
        }
    }

    // Items, by number (0..<count).
    private var fulls: [UInt64] = []
    private var heads: [UInt64] = []
    private var published: [Double] = []
    private var lengths: [Int32] = []
    private var stories: [Int32] = []
    /// The figures of item i are `numbers[numberEnds[i - 1]..<numberEnds[i]]`.
    private var numberEnds: [UInt32] = []
    private var numbers: [UInt64] = []
    private var labels: [Label] = []

    /// Directory bits per key number: the directory has `keysPerItem << bits` buckets.
    private var bits = StoryWindowIndex.minBits
    /// Items `0..<built` are in the sorted buckets; the later ones in the chains.
    private var built = 0
    /// Bucket b's run of the sorted slots is `offsets[b]..<offsets[b + 1]`.
    private var offsets: [UInt32]
    private var slotFulls: [UInt64] = []
    private var slotHeads: [UInt64] = []
    private var slotPublished: [Double] = []
    private var slotItems: [UInt32] = []
    /// The last chained slot of each bucket (-1: none); chained slot j is key `j % 8` of item `built + j / 8`.
    private var chainHeads: [Int32]
    private var chainNext: [Int32] = []

    /// Items published before this (seconds since 1970) are not candidates: not held, or evicted.
    public private(set) var cutoff = -Double.infinity
    /// The newest date of an item held.
    public private(set) var newest = -Double.infinity

    static var keysPerItem: Int { StoryFingerprint.bandsPerFingerprint * 2 }
    static var minBits: Int { 4 }

    public init() {
        offsets = Array(repeating: 0, count: (Self.keysPerItem << Self.minBits) + 1)
        chainHeads = Array(repeating: -1, count: Self.keysPerItem << Self.minBits)
    }

    /// An empty index that holds nothing published before `cutoff`.
    public init(cutoff: Double) {
        self.init()
        self.cutoff = cutoff
    }

    /// Items held (evicted ones included until the next rebuild).
    public var count: Int { fulls.count }

    /// Bytes the index's arrays hold (capacity, not counting the labels' own storage).
    public var bytes: Int {
        fulls.capacity * 8 + heads.capacity * 8 + published.capacity * 8 + lengths.capacity * 4 + stories.capacity * 4
            + numberEnds.capacity * 4 + numbers.capacity * 8 + labels.capacity * MemoryLayout<Label>.stride
            + offsets.capacity * 4 + slotFulls.capacity * 8 + slotHeads.capacity * 8 + slotPublished.capacity * 8 + slotItems.capacity * 4 + chainHeads.capacity * 4 + chainNext.capacity * 4
    }

    // MARK: Stories

    public mutating func newStory(_ label: Label) -> Story {
        labels.append(label)
        return Story(number: Int32(labels.count - 1))
    }

    public func label(of story: Story) -> Label { labels[Int(story.number)] }

    /// Names the story otherwise (its representative changed).
    public mutating func relabel(_ story: Story, _ label: Label) { labels[Int(story.number)] = label }

    // MARK: Items

    /// Adds an item to a story. It is a candidate at once (chained); `settle()` sorts it in.
    public mutating func insert(_ fingerprint: StoryFingerprint, published date: Double, story: Story) {
        let item = fulls.count
        fulls.append(fingerprint.full)
        heads.append(fingerprint.head)
        published.append(date)
        lengths.append(Int32(clamping: fingerprint.length))
        stories.append(story.number)
        numbers.append(contentsOf: fingerprint.numbers)
        numberEnds.append(UInt32(numbers.count))
        newest = max(newest, date)
        precondition(item - built < Int(Int32.max) / Self.keysPerItem)
        for k in 0..<Self.keysPerItem {
            let bucket = Self.bucket(k, Self.band(k, full: fingerprint.full, head: fingerprint.head), bits: bits)
            chainNext.append(chainHeads[bucket])
            chainHeads[bucket] = Int32(chainNext.count - 1)
        }
    }

    /// Stops holding items published before `newest - window` (the matcher's
    /// ±window: no item published from then on can join them). The cutoff only moves forward.
    public mutating func evict(olderThan window: Double) {
        cutoff = max(cutoff, newest - window)
    }

    /// Sorts the chained items into the buckets and lets the evicted ones go
    /// when enough have come since the last time (an eighth more): each item is
    /// moved a bounded number of times on average. Renumbers the stories.
    public mutating func settle() {
        guard count - built > max(256, built / 8) else { return }
        rebuild()
    }

    /// The best confirmed match of `fingerprint` published within `window` of `date`
    /// (seconds since 1970): the nearest full fingerprint, then the earliest published, then the first held.
    public func match(_ fingerprint: StoryFingerprint, published date: Double, window: Double) -> Match? {
        var probe = Probe(fingerprint: fingerprint, date: date, window: max(0, window), cutoff: cutoff)
        for k in 0..<Self.keysPerItem {
            let bucket = Self.bucket(k, probe.bands[k], bits: bits)
            for s in Int(offsets[bucket])..<Int(offsets[bucket + 1]) {
                consider(Int(slotItems[s]), full: slotFulls[s], head: slotHeads[s], published: slotPublished[s], key: k, &probe)
            }
            var j = chainHeads[bucket]
            while j >= 0 {
                let item = built + Int(j) / Self.keysPerItem
                consider(item, full: fulls[item], head: heads[item], published: published[item], key: k, &probe)
                j = chainNext[Int(j)]
            }
        }
        return probe.best.map { Match(story: Story(number: stories[$0.item]), distance: $0.distance, published: $0.published) }
    }

    /// How many items share a band key with `fingerprint`, counted once per key (for the benchmark).
    public func candidateCount(of fingerprint: StoryFingerprint) -> Int {
        var n = 0
        for k in 0..<Self.keysPerItem {
            let band = Self.band(k, full: fingerprint.full, head: fingerprint.head)
            let bucket = Self.bucket(k, band, bits: bits)
            for s in Int(offsets[bucket])..<Int(offsets[bucket + 1]) {
                let item = Int(slotItems[s])
                if Self.band(k, full: fulls[item], head: heads[item]) == band { n += 1 }
            }
            var j = chainHeads[bucket]
            while j >= 0 {
                let item = built + Int(j) / Self.keysPerItem
                if Self.band(k, full: fulls[item], head: heads[item]) == band { n += 1 }
                j = chainNext[Int(j)]
            }
        }
        return n
    }

    // MARK: Lookup

    private struct Probe {
        var fingerprint: StoryFingerprint
        var date: Double
        var window: Double
        var cutoff: Double
        var bands: [UInt16]
        var best: (item: Int, distance: Int, published: Double)?

        init(fingerprint: StoryFingerprint, date: Double, window: Double, cutoff: Double) {
            self.fingerprint = fingerprint
            self.date = date
            self.window = window
            self.cutoff = cutoff
            bands = (0..<StoryWindowIndex.keysPerItem).map { StoryWindowIndex.band($0, full: fingerprint.full, head: fingerprint.head) }
        }
    }

    /// One candidate of bucket `key`. The cheap filters come first: the
    /// confirmation never accepts a pair beyond the fingerprint distances.
    @inline(__always)
    private func consider(_ item: Int, full: UInt64, head: UInt64, published p: Double, key k: Int, _ probe: inout Probe) {
        let d = (probe.fingerprint.full ^ full).nonzeroBitCount
        guard d <= StoryMatcher.maxFullDistance else { return }
        guard d <= StoryMatcher.maxNearDistance || (probe.fingerprint.head ^ head).nonzeroBitCount <= StoryMatcher.maxHeadDistance
        else { return }
        guard p >= probe.cutoff, abs(p - probe.date) <= probe.window else { return }
        if let best = probe.best, (d, p, item) >= (best.distance, best.published, best.item) { return }
        // Band `k` really shared (a bucket may hold several bands), and the first
        // shared: an item in several buckets is confirmed once.
        guard Self.band(k, full: full, head: head) == probe.bands[k],
              !(0..<k).contains(where: { Self.band($0, full: full, head: head) == probe.bands[$0] }) else { return }
        let numberStart = item == 0 ? 0 : Int(numberEnds[item - 1])
        guard StoryMatcher.sameStory(probe.fingerprint, full: full, head: head, length: Int(lengths[item]),
                                     numbers: numbers[numberStart..<Int(numberEnds[item])]) else { return }
        probe.best = (item, d, p)
    }

    /// Band `k` (0…7): bands 0–3 of the full fingerprint, then 0–3 of the head.
    @inline(__always)
    static func band(_ k: Int, full: UInt64, head: UInt64) -> UInt16 {
        let value = k < StoryFingerprint.bandsPerFingerprint ? full : head
        return UInt16(truncatingIfNeeded: value >> UInt64((k % StoryFingerprint.bandsPerFingerprint) * StoryFingerprint.bandBits))
    }

    @inline(__always)
    static func bucket(_ k: Int, _ band: UInt16, bits: Int) -> Int {
        k << bits | Int(band) >> (StoryFingerprint.bandBits - bits)
    }

    // MARK: Rebuild

    /// Keeps the items from `cutoff` on (renumbered, with their stories), sizes
    /// the directory to them and sorts every slot into its bucket (a counting sort).
    private mutating func rebuild() {
        var storyMap = [Int32](repeating: -1, count: labels.count)
        var kept = StoryWindowIndex(cutoff: cutoff)
        kept.newest = newest
        let keep = (0..<count).filter { published[$0] >= cutoff }
        kept.reserve(keep.count)
        for i in keep {
            let old = Int(stories[i])
            if storyMap[old] < 0 {
                storyMap[old] = Int32(kept.labels.count)
                kept.labels.append(labels[old])
            }
            let start = i == 0 ? 0 : Int(numberEnds[i - 1])
            kept.fulls.append(fulls[i])
            kept.heads.append(heads[i])
            kept.published.append(published[i])
            kept.lengths.append(lengths[i])
            kept.stories.append(storyMap[old])
            kept.numbers.append(contentsOf: numbers[start..<Int(numberEnds[i])])
            kept.numberEnds.append(UInt32(kept.numbers.count))
        }
        let n = keep.count
        let bits = min(StoryFingerprint.bandBits, max(Self.minBits, Int.bitWidth - n.leadingZeroBitCount - 1))
        let buckets = Self.keysPerItem << bits
        var offsets = [UInt32](repeating: 0, count: buckets + 1)
        for i in 0..<n {
            for k in 0..<Self.keysPerItem {
                offsets[Self.bucket(k, Self.band(k, full: kept.fulls[i], head: kept.heads[i]), bits: bits) + 1] += 1
            }
        }
        for b in 0..<buckets { offsets[b + 1] += offsets[b] }
        var next = offsets
        var slotFulls = [UInt64](repeating: 0, count: n * Self.keysPerItem)
        var slotHeads = [UInt64](repeating: 0, count: n * Self.keysPerItem)
        var slotPublished = [Double](repeating: 0, count: n * Self.keysPerItem)
        var slotItems = [UInt32](repeating: 0, count: n * Self.keysPerItem)
        for i in 0..<n {
            for k in 0..<Self.keysPerItem {
                let b = Self.bucket(k, Self.band(k, full: kept.fulls[i], head: kept.heads[i]), bits: bits)
                let s = Int(next[b])
                slotFulls[s] = kept.fulls[i]
                slotHeads[s] = kept.heads[i]
                slotPublished[s] = kept.published[i]
                slotItems[s] = UInt32(i)
                next[b] += 1
            }
        }
        kept.bits = bits
        kept.built = n
        kept.offsets = offsets
        kept.slotFulls = slotFulls
        kept.slotHeads = slotHeads
        kept.slotPublished = slotPublished
        kept.slotItems = slotItems
        kept.chainHeads = [Int32](repeating: -1, count: buckets)
        self = kept
    }

    private mutating func reserve(_ n: Int) {
        fulls.reserveCapacity(n)
        heads.reserveCapacity(n)
        published.reserveCapacity(n)
        lengths.reserveCapacity(n)
        stories.reserveCapacity(n)
        numberEnds.reserveCapacity(n)
    }
}
