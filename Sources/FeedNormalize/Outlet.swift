/// The outlet an article came from, as Eastmoney-style bodies name it in
/// their last line: `<p class="em_media">（文章来源：新华财经）</p>`, or a plain
/// trailing paragraph `（文章来源：X）`, `(来源：X)`, `来源：X` with full-width or
/// ASCII parentheses and colon. It becomes the item's author (Atom `author`,
/// RSS `dc:creator`), so the line itself is removed from the body.
///
/// Matched on UTF-8 bytes: it runs for most bodies, and scalar arrays made
/// it a visible share of the normalizer's time.
enum Outlet {
    /// The name in a source line, or nil when the text is anything else.
    /// "（文章来源：新华财经）" → "新华财经".
    static func name(fromSourceLine line: String) -> String? {
        let bytes = Array(line.utf8)
        var range = withoutParentheses(bytes)
        _ = skip("文章", in: bytes, &range)
        guard skip("来源", in: bytes, &range) else { return nil }
        range = trimmed(bytes, range)
        guard skip("：", in: bytes, &range) || skip(":", in: bytes, &range) else { return nil }
        range = trimmed(bytes, range)
        let name = bytes[range]
        // A name, not a sentence.
        let scalars = name.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        guard scalars > 0, scalars <= 40, !containsPunctuation(name) else { return nil }
        return String(decoding: name, as: UTF8.self)
    }

    /// The name in an `em_media` line: the source-line form, or else the
    /// whole line without its parentheses.
    static func name(fromOutletLine line: String) -> String? {
        if let name = name(fromSourceLine: line) { return name }
        let bytes = Array(line.utf8)
        let range = withoutParentheses(bytes)
        return range.isEmpty ? nil : String(decoding: bytes[range], as: UTF8.self)
    }

    /// Cheap test before building a string: does the text hold "来源"?
    static func mayBeSourceLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let needle: StaticString = "来源"
        let n = needle.utf8CodeUnitCount
        guard bytes.count >= n else { return false }
        outer: for i in 0...(bytes.count - n) where bytes[i] == needle.utf8Start[0] {
            for k in 1..<n where bytes[i + k] != needle.utf8Start[k] { continue outer }
            return true
        }
        return false
    }

    // MARK: - Bytes

    /// The line trimmed, without one pair of surrounding parentheses.
    private static func withoutParentheses(_ bytes: [UInt8]) -> Range<Int> {
        var range = trimmed(bytes, 0..<bytes.count)
        _ = skip("（", in: bytes, &range) || skip("(", in: bytes, &range)
        _ = skipSuffix("）", in: bytes, &range) || skipSuffix(")", in: bytes, &range)
        return trimmed(bytes, range)
    }

    private static func skip(_ word: StaticString, in bytes: [UInt8], _ range: inout Range<Int>) -> Bool {
        let n = word.utf8CodeUnitCount
        guard range.count >= n else { return false }
        for k in 0..<n where bytes[range.lowerBound + k] != word.utf8Start[k] { return false }
        range = range.lowerBound + n..<range.upperBound
        return true
    }

    private static func skipSuffix(_ word: StaticString, in bytes: [UInt8], _ range: inout Range<Int>) -> Bool {
        let n = word.utf8CodeUnitCount
        guard range.count >= n else { return false }
        for k in 0..<n where bytes[range.upperBound - n + k] != word.utf8Start[k] { return false }
        range = range.lowerBound..<range.upperBound - n
        return true
    }

    /// Without ASCII whitespace, no-break spaces and ideographic spaces at
    /// either end.
    private static func trimmed(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var range = range
        while true {
            let before = range
            for space in spaces { _ = skip(space, in: bytes, &range); _ = skipSuffix(space, in: bytes, &range) }
            if range == before { return range }
        }
    }

    private static let spaces: [StaticString] = [" ", "\t", "\n", "\r", "\u{00A0}", "\u{3000}"]

    private static func containsPunctuation(_ name: ArraySlice<UInt8>) -> Bool {
        for mark in ["（", "）", "(", ")", "：", ":", "。", "，", ","] as [StaticString] {
            let n = mark.utf8CodeUnitCount
            guard name.count >= n else { continue }
            outer: for i in name.startIndex...(name.endIndex - n) {
                for k in 0..<n where name[i + k] != mark.utf8Start[k] { continue outer }
                return true
            }
        }
        return false
    }
}
