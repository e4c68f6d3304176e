import Foundation

/// Fixes, byte for byte, the two mistakes that make most real feeds
/// ill-formed, so the strict parser can read them:
///
/// - anything before the first `<` (a byte-order mark, blank lines a CMS
///   printed before `<?xml`): dropped;
/// - `&` that XML does not accept: an HTML named entity (`&nbsp;`, `&mdash;`)
///   becomes a character reference (`&#160;`), and any other `&` that does not
///   start `&amp;`-style XML entity or a character reference becomes `&amp;`
///   (`?a=1&b=2` in a link).
///
/// CDATA sections, comments and processing instructions are copied untouched:
/// `&nbsp;` inside CDATA is literal text, meant for the HTML it holds.
enum XMLRepair {
    /// The repaired bytes (the input itself when nothing needed fixing).
    static func repair(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBufferPointer { b -> [UInt8] in
            var start = 0
            while start < b.count, b[start] != 0x3C { start += 1 } // '<'
            var out: [UInt8] = []
            var changed = false // `out` is used only once something needs fixing
            var copied = start // bytes of `b` already accounted for in `out`
            var i = start
            while true {
                i = nextMarkup(b, from: i)
                guard i < b.count else { break }
                if b[i] == 0x3C { // '<'
                    i = skipUntouched(b, at: i)
                    continue
                }
                // '&': escaped HTML is mostly &lt; &gt; &amp;, recognised with one load.
                if let length = commonEntityLength(b, at: i) {
                    i += length
                    continue
                }
                let (keep, replacement, length) = reference(b, at: i)
                if keep { i += length; continue }
                if !changed { changed = true; out.reserveCapacity(b.count + 64) }
                out.append(contentsOf: b[copied..<i])
                out.append(contentsOf: replacement)
                i += length
                copied = i
            }
            guard changed else { return start == 0 ? input : Array(b[start...]) }
            out.append(contentsOf: b[copied...])
            return out
        }
    }

    /// The index of the next `<` or `&` from `start` (the end when there is
    /// none), eight bytes at a time: a feed is mostly text between them.
    @inline(__always)
    private static func nextMarkup(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = b.baseAddress else { return b.count }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        while i + 8 <= b.count {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            // A byte of `x` is zero where `word` holds the byte looked for; the
            // lowest flagged byte is exact (only bytes above a match can be false).
            let amp = word ^ (ones &* 0x26)
            let lt = word ^ (ones &* 0x3C)
            let found = ((amp &- ones) & ~amp | (lt &- ones) & ~lt) & highs
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < b.count, b[i] != 0x26, b[i] != 0x3C { i += 1 }
        return i
    }

    /// The length of `&lt;`, `&gt;` or `&amp;` at `i`, or nil.
    @inline(__always)
    private static func commonEntityLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        guard i + 5 <= b.count, let base = b.baseAddress else { return nil }
        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self)
        switch UInt32(littleEndian: word) {
        case 0x3B74_6C26, 0x3B74_6726: return 4 // "&lt;", "&gt;"
        case 0x706D_6126 where base[i + 4] == 0x3B: return 5 // "&amp;"
        default: return nil
        }
    }

    /// The bytes without the C0 control characters XML 1.0 forbids anywhere
    /// (all below U+0020 but tab, line feed and carriage return), and how many
    /// there were. UTF-8 multi-byte sequences never contain such bytes.
    static func removingControlCharacters(_ input: [UInt8]) -> ([UInt8], Int) {
        let kept = input.filter { $0 >= 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        return (kept, input.count - kept.count)
    }

    /// Past a CDATA section, comment or processing instruction starting at
    /// `i`; past the `<` alone otherwise.
    private static func skipUntouched(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        if starts(b, i, "<![CDATA[") { return index(after: "]]>", in: b, from: i + 9) }
        if starts(b, i, "<!--") { return index(after: "-->", in: b, from: i + 4) }
        if starts(b, i, "<?") { return index(after: "?>", in: b, from: i + 2) }
        return i + 1
    }

    /// What to do with the `&` at `i`: keep it, or replace the `length` bytes from `i`.
    private static func reference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (keep: Bool, [UInt8], length: Int) {
        var j = i + 1
        if j < b.count, b[j] == 0x23 { // '#': a character reference must be well-formed
            j += 1
            let hex = j < b.count && (b[j] == 0x78 || b[j] == 0x58)
            if hex { j += 1 }
            let digitsStart = j
            while j < b.count, isDigit(b[j], hex: hex) { j += 1 }
            if j > digitsStart, j < b.count, b[j] == 0x3B { return (true, [], j + 1 - i) }
            return (false, Array("&amp;".utf8), 1)
        }
        while j < b.count, j - i <= HTMLEntities.longestName + 1, isNameByte(b[j]) { j += 1 }
        guard j < b.count, b[j] == 0x3B, j > i + 1 else { return (false, Array("&amp;".utf8), 1) }
        // Escaped HTML is mostly &lt; &gt; &amp; &quot;: recognised byte-wise, the common case stays cheap.
        if isXMLEntity(b, from: i + 1, to: j) { return (true, [], j + 1 - i) }
        let name = String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)..<j]), as: UTF8.self)
        if let scalar = HTMLEntities.table[name] { return (false, Array("&#\(scalar);".utf8), j + 1 - i) }
        return (false, Array("&amp;".utf8), 1) // an unknown entity stays visible as text
    }

    /// `lt`, `gt`, `amp`, `quot` or `apos` between `start` and `end`.
    private static func isXMLEntity(_ b: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
        switch end - start {
        case 2: return (b[start] == 0x6C || b[start] == 0x67) && b[start + 1] == 0x74 // lt, gt
        case 3: return b[start] == 0x61 && b[start + 1] == 0x6D && b[start + 2] == 0x70 // amp
        case 4:
            return (b[start] == 0x71 && b[start + 1] == 0x75 && b[start + 2] == 0x6F && b[start + 3] == 0x74) // quot
                || (b[start] == 0x61 && b[start + 1] == 0x70 && b[start + 2] == 0x6F && b[start + 3] == 0x73) // apos
        default: return false
        }
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    }

    private static func isDigit(_ c: UInt8, hex: Bool) -> Bool {
        (c >= 0x30 && c <= 0x39) || (hex && ((c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46)))
    }

    private static func starts(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ literal: StaticString) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        for k in 0..<n where b[i + k] != literal.utf8Start[k] { return false }
        return true
    }

    /// Past the next `literal` from `start` (the end when there is none).
    /// memchr finds each candidate first byte: a CDATA body is most of a feed.
    private static func index(after literal: StaticString, in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = b.baseAddress else { return b.count }
        let first = Int32(literal.utf8Start[0])
        var i = start
        while i < b.count, let hit = memchr(base + i, first, b.count - i) {
            let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if starts(b, at, literal) { return at + literal.utf8CodeUnitCount }
            i = at + 1
        }
        return b.count
    }
}
