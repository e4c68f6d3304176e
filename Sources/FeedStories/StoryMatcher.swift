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
        let (short, long) = a.length <= b.length ? (a, b) : (b, a)
        guard long.length > 0 else { return false }
        let full = a.full.distance(to: b.full)
        let head = a.head.distance(to: b.head)
        if short.length < flashLength {
            // Flash items: the same text and the same figures, nothing less.
            return short.numbers == long.numbers && full <= 4 && head <= 4
        }
        // Every figure of the shorter text must be in the longer: a reprint
        // can drop a paragraph, it does not change a number.
        guard isSubset(short.numbers, of: long.numbers) else { return false }
        let ratio = Double(short.length) / Double(long.length)
        if full <= maxNearDistance && ratio >= 0.6 { return true }
        // A dropped last paragraph moves the whole text's fingerprint but not the opening's.
        return head <= maxHeadDistance && full <= maxFullDistance && ratio >= 0.6
    }

    static func isSubset(_ a: [UInt64], of b: [UInt64]) -> Bool {
        var j = 0
        for x in a {
            while j < b.count && b[j] < x { j += 1 }
            guard j < b.count, b[j] == x else { return false }
            j += 1
        }
        return true
    }
}
