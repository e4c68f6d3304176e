/// Plain text read back from the serializer's own output: the body's summary
/// and the text of outlet lines.
enum TextContent {
    /// The text of normalized HTML: tags removed (block tags and `<br/>` read
    /// as a space, inline tags as nothing), the four entities the serializer
    /// writes decoded, whitespace collapsed to single spaces and trimmed.
    /// Stops after `limit` Unicode scalars. `isSimple` tells whether every
    /// scalar is its own grapheme cluster (see `isSingleGrapheme`).
    static func of(_ html: UnsafeBufferPointer<UInt8>, limit: Int) -> (text: String, isSimple: Bool) {
        let table = Allowlist.table
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit * 4 + 4) { text in
            var count = 0
            var scalars = 0
            var isSimple = true
            var pendingSpace = false
            var i = 0
            while i < html.count && scalars < limit {
                let byte = html[i]
                switch byte {
                case UInt8(ascii: "<"):
                    i = skipTag(html, at: i, table: table, pendingSpace: &pendingSpace, hasText: count > 0)
                    continue
                case 0x20, 0x0A, 0x09, 0x0D:
                    pendingSpace = count > 0
                    i += 1
                    continue
                default:
                    break
                }
                if pendingSpace {
                    // A space is never the last character of the text.
                    if scalars + 1 == limit { break }
                    text[count] = 0x20
                    count += 1
                    scalars += 1
                    pendingSpace = false
                }
                if byte == UInt8(ascii: "&") {
                    let (scalar, length) = entity(html, at: i)
                    for unit in UTF8.encode(scalar)! {
                        text[count] = unit
                        count += 1
                    }
                    if scalar.value >= 0x80 { isSimple = false }
                    i += length
                    scalars += 1
                    continue
                }
                // A run of text up to the next tag, entity or space: copied
                // whole, scalars counted by their first bytes.
                let runStart = i
                while i < html.count && scalars < limit {
                    let b = html[i]
                    if b < 0x80 {
                        if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == UInt8(ascii: "<") || b == UInt8(ascii: "&") { break }
                        i += 1
                    } else {
                        let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                        guard i + length <= html.count else { break }
                        // CJK (lead bytes E4–E9) needs no further look.
                        if isSimple && (b < 0xE4 || b > 0xE9) {
                            isSimple = isSingleGrapheme(XMLText.scalar(html.baseAddress! + i, length: length))
                        }
                        i += length
                    }
                    scalars += 1
                }
                // No progress only on a scalar cut off at the very end.
                if i == runStart { break }
                (text.baseAddress! + count).update(from: html.baseAddress! + runStart, count: i - runStart)
                count += i - runStart
            }
            // Copied from the serializer's valid UTF-8, whole scalars only.
            let string = XMLText.string(validUTF8: UnsafeBufferPointer(rebasing: text[..<count]))
            return (string, isSimple)
        }
    }

    /// Skips the tag at `i`; a block tag or `<br/>` leaves a pending space.
    private static func skipTag(_ html: UnsafeBufferPointer<UInt8>, at i: Int, table: borrowing ElementTable,
                                pendingSpace: inout Bool, hasText: Bool) -> Int {
        var end = i + 1
        while end < html.count && html[end] != UInt8(ascii: ">") { end += 1 }
        var nameStart = i + 1
        if nameStart < end && html[nameStart] == UInt8(ascii: "/") { nameStart += 1 }
        var nameEnd = nameStart
        while nameEnd < end, html[nameEnd] != 0x20, html[nameEnd] != UInt8(ascii: "/") { nameEnd += 1 }
        let id = table.names.lookup(html.baseAddress! + nameStart, count: nameEnd - nameStart)
        if hasText && (id == table.br || table.flags[Int(id)].contains(.block)) { pendingSpace = true }
        return end + 1
    }

    /// The character an entity the serializer writes stands for: `&amp;`
    /// `&lt;` `&gt;` `&quot;` and hexadecimal references (`&#x338;`).
    private static func entity(_ html: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, length: Int) {
        func matches(_ name: StaticString) -> Bool {
            let n = name.utf8CodeUnitCount
            guard i + n <= html.count else { return false }
            for k in 0..<n where html[i + k] != name.utf8Start[k] { return false }
            return true
        }
        if matches("&amp;") { return ("&", 5) }
        if matches("&lt;") { return ("<", 4) }
        if matches("&gt;") { return (">", 4) }
        if matches("&quot;") { return ("\"", 6) }
        if matches("&#x") {
            var value: UInt32 = 0
            var j = i + 3
            while j < html.count, j < i + 10, let digit = hexValue(html[j]) {
                value = value << 4 | digit
                j += 1
            }
            if j < html.count, html[j] == UInt8(ascii: ";"), let scalar = Unicode.Scalar(value) {
                return (scalar, j + 1 - i)
            }
        }
        return ("&", 1)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case 0x30...0x39: UInt32(byte - 0x30)
        case 0x41...0x46: UInt32(byte - 0x41 + 10)
        case 0x61...0x66: UInt32(byte - 0x61 + 10)
        default: nil
        }
    }

    /// True for a non-ASCII scalar that always forms a grapheme cluster of
    /// its own (no combining marks, joiners, variation selectors, Hangul
    /// jamo, regional indicators): the CJK, kana, fullwidth, Latin-1 and
    /// punctuation ranges Chinese news is written in. Lets the summary cut
    /// by scalars instead of running grapheme breaking. Conservative: any
    /// other scalar takes the grapheme path.
    static func isSingleGrapheme(_ s: UInt32) -> Bool {
        switch s {
        case 0x3400...0x9FFF, 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x30FF: true
        case 0xFF01...0xFF9D, 0x00A0...0x02FF, 0x2010...0x2027, 0x2030...0x205E: true
        default: false
        }
    }
}

/// The summary of a body: its plain text, cut after a fixed number of
/// user-perceived characters (grapheme clusters), without an ellipsis.
enum Summary {
    /// Graphemes in a summary (RSS `<description>`, Atom `<summary>`).
    static let length = 200

    static func of(normalizedHTML html: UnsafeBufferPointer<UInt8>) -> String {
        // Fast path: when every scalar is its own grapheme, the first
        // `length` scalars are the first `length` graphemes.
        let (text, isSimple) = TextContent.of(html, limit: length)
        // Simple scalars are also NFC-stable, so nothing more to do.
        if isSimple { return text }
        // Four scalars per grapheme is plenty for real text.
        var summary = TextContent.of(html, limit: length * 4).text.prefix(length)
        while summary.last?.isWhitespace == true { summary.removeLast() }
        // Each text node is NFC, but joining two (a combining mark that
        // started an inline element) may not be.
        return XMLText.nfc(String(summary))
    }
}
