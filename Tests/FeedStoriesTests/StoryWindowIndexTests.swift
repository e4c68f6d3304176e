import FeedStories
import FeedTestSupport
import Foundation
import Testing

@Suite("Story window index: candidates by band, eviction, rebuilds")
struct StoryWindowIndexTests {
    let original = StoryFingerprint(title: StoryGolden.title, html: StoryGolden.html())
    let t = 1_764_547_200.0

    /// Unrelated fingerprints (random bits), one an hour from `t`.
    func filler(_ n: Int, seed: UInt64) -> [StoryFingerprint] {
        var random = SeededGenerator(seed: seed)
        return (0..<n).map { _ in StoryFingerprint(full: random.next(), head: random.next(), length: 300, numbers: []) }
    }

    @Test("a story found among thousands of items, before and after they are sorted into the buckets")
    func foundThroughRebuilds() throws {
        var index = StoryWindowIndex()
        for (i, fp) in filler(5_000, seed: 1).enumerated() {
            index.insert(fp, published: t + Double(i), story: index.newStory("F\(i)"))
            if i == 2_500 { index.insert(original, published: t, story: index.newStory("NW1")) }
            index.settle()
        }
        let reprint = StoryGolden.reprints[0]
        let fp = StoryFingerprint(title: reprint.1, html: reprint.2)
        let found = try #require(index.match(fp, published: t + 3600, window: 72 * 3600))
        #expect(index.label(of: found.story) == "NW1")
        #expect(index.count == 5_001)
        // A fingerprint sharing no band with anything held has no candidate.
        #expect(index.candidateCount(of: StoryFingerprint(full: ~original.full, head: ~original.head, length: 300, numbers: [])) <= 8)
    }

    @Test("items published before the window of the newest are evicted: no longer candidates, gone at the next rebuild")
    func eviction() throws {
        var index = StoryWindowIndex()
        index.insert(original, published: t, story: index.newStory("NW1"))
        // An item 80 h later: the original is 80 h before the newest.
        index.insert(filler(1, seed: 2)[0], published: t + 80 * 3600, story: index.newStory("NW2"))
        #expect(index.match(original, published: t + 71 * 3600, window: 72 * 3600) != nil)
        index.evict(olderThan: 72 * 3600)
        #expect(index.cutoff == t + 8 * 3600)
        #expect(index.match(original, published: t + 71 * 3600, window: 72 * 3600) == nil)
        // A later, wider window does not bring it back: the cutoff only moves forward.
        index.evict(olderThan: 100 * 3600)
        #expect(index.cutoff == t + 8 * 3600)
        for (i, fp) in filler(300, seed: 3).enumerated() { index.insert(fp, published: t + 79 * 3600 + Double(i), story: index.newStory("F\(i)")) }
        index.settle()
        #expect(index.count == 301) // the original left memory
    }

    @Test("a relabelled story is found under its new name")
    func relabel() throws {
        var index = StoryWindowIndex()
        let story = index.newStory("NW1")
        index.insert(original, published: t, story: story)
        index.relabel(story, "NW2")
        let found = try #require(index.match(original, published: t, window: 3600))
        #expect(index.label(of: found.story) == "NW2" && found.distance == 0)
    }

    @Test("in a steady window (items arriving, the old evicted, rebuilds merging the sorted slots): every lookup finds what a scan of the items finds")
    func steadyWindowAgreesWithScan() throws {
        var index = StoryWindowIndex()
        let window = 2_500.0
        var random = SeededGenerator(seed: 7)
        func next() -> UInt64 { random.next() }
        /// A few bits of `x` flipped.
        func near(_ x: UInt64) -> UInt64 {
            var y = x
            for _ in 0..<(next() % 7) { y ^= 1 << (next() % 64) }
            return y
        }
        var held: [(fp: StoryFingerprint, keys: [Int64], published: Double, label: String)] = []
        var checked = 0
        var found = 0
        // One item a second; the window holds 2,500 to 3,125 (a directory that keeps its size: merges).
        for second in 0..<7_000 {
            let t = self.t + Double(second)
            let fp: StoryFingerprint
            if !held.isEmpty, next() % 3 == 0 {
                let of = held[held.count - 1 - Int(next() % UInt64(min(held.count, 2_500)))].fp
                fp = StoryFingerprint(full: near(of.full), head: near(of.head), length: 300, numbers: [])
            } else {
                fp = StoryFingerprint(full: next(), head: next(), length: 300, numbers: [])
            }
            index.evict(olderThan: window)
            while let first = held.first, first.published < index.cutoff { held.removeFirst() }
            if second % 11 == 0 {
                let keys = fp.bandKeys
                let scanned = held.filter { abs($0.published - t) <= window }
                    .filter { zip($0.keys, keys).contains { $0 == $1 } && StoryMatcher.sameStory(fp, $0.fp) }
                    .min { (fp.full.distanceTo($0.fp.full), $0.published) < (fp.full.distanceTo($1.fp.full), $1.published) }
                let match = index.match(fp, published: t, window: window)
                #expect(match.map { index.label(of: $0.story) } == scanned?.label, "second \(second)")
                checked += 1
                if scanned != nil { found += 1 }
            }
            let label = "S\(second)"
            index.insert(fp, published: t, story: index.newStory(label))
            held.append((fp, fp.bandKeys, t, label))
            index.settle()
        }
        #expect(checked > 600 && found > 150, "\(found) of \(checked) lookups found a match")
        #expect(index.count < 3_200, "\(index.count) items held") // the evicted left memory
    }
}

private extension UInt64 {
    func distanceTo(_ other: UInt64) -> Int { (self ^ other).nonzeroBitCount }
}
