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
/// with their dates (the distance and window filters read no other memory):
/// one array of 32-byte slots sorted by bucket (built at `settle()`), so a
/// lookup reads a few contiguous runs instead of chasing each candidate
/// through memory, and a rebuild writes one cache line per slot; items
/// inserted since are chained per bucket until the next rebuild. Items
/// published before `cutoff` are no longer candidates, and leave memory at
/// the next rebuild.
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
    private var slots: [Slot] = []
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
            + offsets.capacity * 4 + slots.capacity * MemoryLayout<Slot>.stride + chainHeads.capacity * 4 + chainNext.capacity * 4
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
    /// when enough have come since the last time (a quarter more): each item's
    /// slots are moved a bounded number of times on average (a rebuild of
    /// 100,000 items takes tens of milliseconds: at an eighth, the rebuilds
    /// cost more per item than the lookups). Renumbers the stories when items leave.
    public mutating func settle() {
        guard count - built > max(256, built / 4) else { return }
        rebuild()
    }

    /// The best confirmed match of `fingerprint` published within `window` of `date`
    /// (seconds since 1970): the nearest full fingerprint, then the earliest published, then the first held.
    public func match(_ fingerprint: StoryFingerprint, published date: Double, window: Double) -> Match? {
        var probe = Probe(fingerprint: fingerprint, date: date, window: max(0, window), cutoff: cutoff)
        for k in 0..<Self.keysPerItem {
            let bucket = Self.bucket(k, probe.bands[k], bits: bits)
            slots.withUnsafeBufferPointer { slots in
                for s in Int(offsets[bucket])..<Int(offsets[bucket + 1]) {
                    let slot = slots[s]
                    consider(Int(slot.item), full: slot.full, head: slot.head, published: slot.published, key: k, &probe)
                }
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
            for s in Int(offsets[bucket])..<Int(offsets[bucket + 1]) where Self.band(k, full: slots[s].full, head: slots[s].head) == band {
                n += 1
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

    /// A candidate in a bucket: what the filters read, and its item.
    struct Slot {
        var full: UInt64
        var head: UInt64
        var published: Double
        var item: UInt32
    }

    /// Lets the items published before `cutoff` go (if any), sizes the directory
    /// to the items kept and sorts the slots into their buckets (a counting
    /// sort). While the directory keeps its size (from 65,536 items on, always),
    /// the sorted slots are merged, not sorted again: copied bucket by bucket in
    /// one sequential pass, and only the chained items' slots scattered.
    private mutating func rebuild() {
        let oldBits = bits
        let oldBuilt = built
        let renumbered = published.contains(where: { $0 < cutoff }) ? compact() : nil
        let n = count
        let bits = min(StoryFingerprint.bandBits, max(Self.minBits, Int.bitWidth - n.leadingZeroBitCount - 1))
        let buckets = Self.keysPerItem << bits
        let merging = bits == oldBits && oldBuilt > 0
        // The old slots' items as now numbered (-1: evicted), and the first item not in them.
        let renumber: (UInt32) -> Int32 = { item in renumbered.map { $0[Int(item)] } ?? Int32(item) }
        let firstNew = merging ? (renumbered.map { map in map.prefix(oldBuilt).reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } } ?? oldBuilt) : 0
        var offsets = [UInt32](repeating: 0, count: buckets + 1)
        if merging {
            for b in 0..<buckets {
                for s in Int(self.offsets[b])..<Int(self.offsets[b + 1]) where renumber(slots[s].item) >= 0 { offsets[b + 1] += 1 }
            }
        }
        // Each new slot's bucket computed once, read by both passes.
        var newBuckets = [UInt32](repeating: 0, count: (n - firstNew) * Self.keysPerItem)
        for i in firstNew..<n {
            for k in 0..<Self.keysPerItem {
                let b = Self.bucket(k, Self.band(k, full: fulls[i], head: heads[i]), bits: bits)
                newBuckets[(i - firstNew) * Self.keysPerItem + k] = UInt32(b)
                offsets[b + 1] += 1
            }
        }
        for b in 0..<buckets { offsets[b + 1] += offsets[b] }
        var next = offsets
        var sorted = [Slot](repeating: Slot(full: 0, head: 0, published: 0, item: 0), count: Int(offsets[buckets]))
        if merging {
            for b in 0..<buckets {
                for s in Int(self.offsets[b])..<Int(self.offsets[b + 1]) {
                    var slot = slots[s]
                    let item = renumber(slot.item)
                    guard item >= 0 else { continue }
                    slot.item = UInt32(item)
                    sorted[Int(next[b])] = slot
                    next[b] += 1
                }
            }
        }
        for i in firstNew..<n {
            let slot = Slot(full: fulls[i], head: heads[i], published: published[i], item: UInt32(i))
            for k in 0..<Self.keysPerItem {
                let b = Int(newBuckets[(i - firstNew) * Self.keysPerItem + k])
                sorted[Int(next[b])] = slot
                next[b] += 1
            }
        }
        self.bits = bits
        built = n
        self.offsets = offsets
        slots = sorted
        chainHeads = [Int32](repeating: -1, count: buckets)
        chainNext = []
    }

    /// Keeps the items from `cutoff` on, renumbered, with their stories; returns
    /// each old item's new number (-1: gone). The slots and chains are left as they were.
    private mutating func compact() -> [Int32] {
        var storyMap = [Int32](repeating: -1, count: labels.count)
        var itemMap = [Int32](repeating: -1, count: count)
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
            itemMap[i] = Int32(kept.fulls.count)
            let start = i == 0 ? 0 : Int(numberEnds[i - 1])
            kept.fulls.append(fulls[i])
            kept.heads.append(heads[i])
            kept.published.append(published[i])
            kept.lengths.append(lengths[i])
            kept.stories.append(storyMap[old])
            kept.numbers.append(contentsOf: numbers[start..<Int(numberEnds[i])])
            kept.numberEnds.append(UInt32(kept.numbers.count))
        }
        fulls = kept.fulls
        heads = kept.heads
        published = kept.published
        lengths = kept.lengths
        stories = kept.stories
        numbers = kept.numbers
        numberEnds = kept.numberEnds
        labels = kept.labels
        return itemMap
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
