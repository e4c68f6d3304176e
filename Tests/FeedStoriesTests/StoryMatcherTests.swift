import FeedStories
import Foundation
import Testing

@Suite("Story detection: golden reprints join, hard negatives stay apart")
struct StoryMatcherTests {
    let original = StoryFingerprint(title: StoryGolden.title, html: StoryGolden.html())

    @Test("each edit kind of a reprint is the same story", arguments: StoryGolden.reprints.map { $0.0 })
    func reprintJoins(kind: String) throws {
        let (_, title, html) = try #require(StoryGolden.reprints.first { $0.0 == kind })
        let reprint = StoryFingerprint(title: title, html: html)
        #expect(StoryMatcher.sameStory(original, reprint))
        #expect(StoryMatcher.sameStory(reprint, original))
        // …and the band index finds it as a candidate.
        var index = StoryWindowIndex()
        let t = 1_764_547_200.0
        index.insert(original, published: t, story: index.newStory("NW1"))
        let found = try #require(index.match(reprint, published: t + 3600, window: 72 * 3600))
        #expect(index.label(of: found.story) == "NW1")
    }

    @Test func unrelatedStoriesStayApart() {
        let other = StoryFingerprint(title: StoryGolden.column.0, html: StoryGolden.column.1)
        #expect(!StoryMatcher.sameStory(original, other))
    }

    @Test("template flash items with other figures are other stories")
    func templateFlash() {
        let a = StoryFingerprint(title: StoryGolden.flash.0, html: StoryGolden.flash.1)
        for twin in [StoryGolden.flashTwin, StoryGolden.flashSameSector] {
            #expect(!StoryMatcher.sameStory(a, StoryFingerprint(title: twin.0, html: twin.1)), "\(twin.0)")
        }
        // The same flash reprinted in full width with a source line is one story.
        let reprint = StoryFingerprint(title: StoryGolden.fullWidth(StoryGolden.flash.0),
                                       html: StoryGolden.fullWidth(StoryGolden.flash.1) + "<p>（文章来源：新华社）</p>")
        #expect(StoryMatcher.sameStory(a, reprint))
    }

    @Test("a follow-up that quotes the story is another story")
    func followUp() {
        #expect(!StoryMatcher.sameStory(original, StoryFingerprint(title: StoryGolden.followUp.0, html: StoryGolden.followUp.1)))
    }

    @Test("the same headline on another day is another story")
    func sameHeadlineOtherDay() {
        let a = StoryFingerprint(title: StoryGolden.column.0, html: StoryGolden.column.1)
        let b = StoryFingerprint(title: StoryGolden.columnNextDay.0, html: StoryGolden.columnNextDay.1)
        #expect(!StoryMatcher.sameStory(a, b))
    }

    @Test("a reprint outside the window starts a story of its own")
    func window() {
        var index = StoryWindowIndex()
        let t = 1_764_547_200.0
        index.insert(original, published: t, story: index.newStory("NW1"))
        #expect(index.match(original, published: t + 73 * 3600, window: 72 * 3600) == nil)
        #expect(index.match(original, published: t - 73 * 3600, window: 72 * 3600) == nil)
        #expect(index.match(original, published: t + 71 * 3600, window: 72 * 3600) != nil)
    }

    @Test func storedFormRoundTrips() {
        #expect(StoryFingerprint.numbers(fromText: original.numbersText) == original.numbers)
        #expect(StoryFingerprint.numbers(fromText: "xyz") == nil)
        #expect(original.bandKeys.count == 8)
        #expect(Set(original.bandKeys).count == 8)
    }
}
