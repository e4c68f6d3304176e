import FeedStories
import Foundation
import Testing

@Suite("Story window index: candidates by band, eviction, rebuilds")
struct StoryWindowIndexTests {
    let original = StoryFingerprint(title: StoryGolden.title, html: StoryGolden.html())
    let t = 1_764_547_200.0

    /// Unrelated fingerprints (random bits), one an hour from `t`.
    func filler(_ n: Int, seed: UInt64) -> [StoryFingerprint] {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (0..<n).map { _ in StoryFingerprint(full: next(), head: next(), length: 300, numbers: []) }
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
}
