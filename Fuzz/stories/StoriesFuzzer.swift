import FeedStories
import FuzzDriver

/// Story fingerprints over arbitrary text: the input's first line is the
/// title, the rest the body (HTML, as the normalizer would have written it,
/// or anything else: the fingerprint reads upstream text).
///
/// What must hold: the same item gives the same fingerprint; its figures are
/// sorted and distinct, and read back from their stored form; an item with
/// text is its own story, and the window index, holding only it, finds it.
/// AddressSanitizer watches the in-place buffers of `HTMLText`, `StoryText`
/// and `SimHash`.
@main enum StoriesFuzzer {
    static func main() {
        FuzzDriver.main { input in
            let text = String(decoding: input, as: UTF8.self)
            let split = text.firstIndex(of: "\n") ?? text.endIndex
            let title = String(text[..<split])
            let html = split == text.endIndex ? "" : String(text[text.index(after: split)...])
            let context = "title: \(title.debugDescription)\nhtml: \(html.debugDescription)"
            let fingerprint = StoryFingerprint(title: title, html: html)
            FuzzCheck.expect(StoryFingerprint(title: title, html: html) == fingerprint, "two fingerprints for one item\n\(context)")
            FuzzCheck.expect(zip(fingerprint.numbers, fingerprint.numbers.dropFirst()).allSatisfy { $0 < $1 },
                             "figures not sorted and distinct: \(fingerprint.numbers)\n\(context)")
            FuzzCheck.expect(StoryFingerprint.numbers(fromText: fingerprint.numbersText) == fingerprint.numbers,
                             "figures do not read back from \(fingerprint.numbersText.debugDescription)\n\(context)")
            guard fingerprint.length > 0 else { return }
            FuzzCheck.expect(StoryMatcher.sameStory(fingerprint, fingerprint), "an item is not its own story\n\(context)")
            var index = StoryWindowIndex()
            let story = index.newStory("item")
            index.insert(fingerprint, published: 1_700_000_000, story: story)
            // Enough others (each over 50 bits away: never confirmed) that settling rebuilds the buckets.
            let other = index.newStory("other")
            for i in 0..<300 {
                let far = StoryFingerprint(full: ~fingerprint.full ^ UInt64(i), head: ~fingerprint.head ^ UInt64(i),
                                           length: fingerprint.length, numbers: fingerprint.numbers)
                index.insert(far, published: 1_700_000_000 + Double(i), story: other)
            }
            index.settle()
            let match = index.match(fingerprint, published: 1_700_000_000, window: 72 * 3600)
            FuzzCheck.expect(match?.story == story && match?.distance == 0,
                             "the index does not find the one item it holds: \(String(describing: match))\n\(context)")
        }
    }
}
