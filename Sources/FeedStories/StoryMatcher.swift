/// The confirmation step: whether two items whose fingerprints came near in
/// the band index are one story. Precision first: a false merge hides a story
/// from a reader, which is worse than showing a duplicate.
public enum StoryMatcher {
    /// Below this many characters an item is a flash (a headline and a sentence
    /// or two), where a template with other figures is a different story.
    public static let flashLength = 80
    /// No pair further apart than this in both fingerprints is one story.
    public static let maxFullDistance = 20
    public static let maxHeadDistance = 4
    /// Full fingerprints this close need no help from the head's.
    public static let maxNearDistance = 8

    /// The verdict for two items (the caller has checked they are within `stories.window`).
    public static func sameStory(_ a: StoryFingerprint, _ b: StoryFingerprint) -> Bool {
        sameStory(a, full: b.full, head: b.head, length: b.length, numbers: b.numbers[...])
    }

    /// The verdict for `a` and an item known by its parts (as the window index holds them).
    public static func sameStory(_ a: StoryFingerprint, full bFull: UInt64, head bHead: UInt64, length bLength: Int,
                                 numbers bNumbers: ArraySlice<UInt64>) -> Bool {
        let aIsShort = a.length <= bLength
        let (shortLength, longLength) = aIsShort ? (a.length, bLength) : (bLength, a.length)
        guard longLength > 0 else { return false }
        let full = a.full.distance(to: bFull)
        let head = a.head.distance(to: bHead)
        if shortLength < flashLength {
            // Flash items: the same text and the same figures, nothing less.
            return a.numbers.elementsEqual(bNumbers) && full <= 4 && head <= 4
        }
        // Every figure of the shorter text must be in the longer: a reprint
        // can drop a paragraph, it does not change a number.
        guard aIsShort ? isSubset(a.numbers[...], of: bNumbers) : isSubset(bNumbers, of: a.numbers[...]) else { return false }
        let ratio = Double(shortLength) / Double(longLength)
        if full <= maxNearDistance && ratio >= 0.6 { return true }
        // A dropped last paragraph moves the whole text's fingerprint but not the opening's.
        return head <= maxHeadDistance && full <= maxFullDistance && ratio >= 0.6
    }

    static func isSubset(_ a: ArraySlice<UInt64>, of b: ArraySlice<UInt64>) -> Bool {
        var j = b.startIndex
        for x in a {
            while j < b.endIndex && b[j] < x { j += 1 }
            guard j < b.endIndex, b[j] == x else { return false }
            j += 1
        }
        return true
    }
}
