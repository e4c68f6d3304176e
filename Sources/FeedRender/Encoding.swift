import FeedModel

/// The one place where text becomes output bytes. Every writer (RSS, Atom,
/// OPML, the index page) goes through `MarkupWriter`, which calls these with
/// the field's content model; nothing else escapes anything.
///
/// - `plainText`: a plain-text element (titles, author, category, channel
///   description), as the RSS Advisory Board's RSS Profile asks: `&` is
///   `&#x26;` and `<` is `&#x3C;` (and `>` `&#x3E;`), so a reader that
///   decodes the element once more as HTML, and one that does not, show the
///   same characters; the W3C validator accepts such a title as plain text.
/// - `markup`: an HTML-bearing element's HTML (or a URL, id, date): XML's
///   own `&amp;` `&lt;` `&gt;`, so the reader decodes XML and gets the HTML back.
/// - `attribute`: an attribute value (plain text or a URL: no attribute of
///   feedd's holds markup), encoded as plain text is, and also `"`, and
///   tab/LF/CR as references so attribute-value normalization does not turn
///   them into spaces.
///
/// All three drop what XML 1.0 forbids (§2.2: C0 controls but tab, LF, CR;
/// U+FFFE, U+FFFF), so an upstream control character can never make an
/// output unparseable. Lone surrogates cannot occur in a Swift string.
enum Encoding {
    case plainText, markup, attribute

    /// Appends `text`'s UTF-8, encoded for `self`, to `out`.
    @inline(__always)
    func append(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { append($0, to: &out) }
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    func append(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        guard let p = utf8.baseAddress else { return }
        let n = utf8.count
        var run = 0 // start of the bytes not yet copied
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i < n {
            // Fast path, eight bytes at a time: a word with no byte below 0x3F
            // (none of `"&<>`, no control, no space) and no 0xEF (the lead byte
            // of U+FFFE/U+FFFF) needs nothing: most of a CJK text.
            while i + 8 <= n {
                let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let below = (word &- Self.ones &* 0x3F) & ~word & Self.highs
                let ef = word ^ (Self.ones &* 0xEF)
                if below | ((ef &- Self.ones) & ~ef & Self.highs) != 0 { break }
                i += 8
            }
            guard i < n else { break }
            let b = p[i]
            if b > 0x3E && b != 0xEF {
                i += 1
                continue
            }
            let replacement: StaticString?
            switch b {
            case 0x26: replacement = self == .markup ? "&amp;" : "&#x26;"
            case 0x3C: replacement = self == .markup ? "&lt;" : "&#x3C;"
            case 0x3E: replacement = self == .markup ? "&gt;" : "&#x3E;"
            case 0x22 where self == .attribute: replacement = "&#x22;"
            case 0x09 where self == .attribute: replacement = "&#x9;"
            case 0x0A where self == .attribute: replacement = "&#xA;"
            case 0x0D: replacement = "&#xD;" // a raw CR would be read as a line end
            case 0x09, 0x0A: replacement = nil
            case 0x00..<0x20: replacement = "" // forbidden in XML 1.0
            case 0xEF where i + 2 < n && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF):
                // U+FFFE, U+FFFF: not XML characters.
                out.append(contentsOf: UnsafeBufferPointer(start: p + run, count: i - run))
                i += 3
                run = i
                continue
            default: replacement = nil
            }
            if let replacement {
                out.append(contentsOf: UnsafeBufferPointer(start: p + run, count: i - run))
                replacement.withUTF8Buffer { out.append(contentsOf: $0) }
                run = i + 1
            }
            i += 1
        }
        out.append(contentsOf: UnsafeBufferPointer(start: p + run, count: n - run))
    }

    /// `text` without the characters XML 1.0 forbids, which every case above drops: JSON Feed's
    /// strings go through it, so the three formats say the same text.
    static func xmlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isForbidden) else { return text }
        var kept = String.UnicodeScalarView()
        kept.append(contentsOf: text.unicodeScalars.lazy.filter { !isForbidden($0) })
        return String(kept)
    }

    private static func isForbidden(_ u: Unicode.Scalar) -> Bool {
        (u.value < 0x20 && u != "\t" && u != "\n" && u != "\r") || u.value == 0xFFFE || u.value == 0xFFFF
    }
}
