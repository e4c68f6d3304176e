/// The text of a normalized HTML body as Unicode scalar values in one buffer,
/// with the end of each block (paragraph, list item, heading, line break).
/// The normalizer's output is well-formed UTF-8 and escapes only
/// `&amp; &lt; &gt; &quot;` and numeric references, so one pass of a small
/// state machine over the bytes is enough; attributes (an image's `alt`, a
/// link's `href`) are not text.
struct HTMLText {
    var scalars: [UInt32] = []
    /// `scalars[ends[i - 1]..<ends[i]]` is block i (from 0 for the first).
    var ends: [Int] = []
    /// Whether an opening bracket may be in the text (noted by `Width.fold`): asides need one.
    var hasBrackets = true
    /// Whether a character NFKC changes (besides full-width ASCII) may be in the text.
    var needsNFKC = false

    /// Tags that end a block, each name packed into a word (lowercase ASCII, at most 8 bytes):
    /// a tag costs no allocation and no hashing.
    static let blockTags: [UInt64] = [
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "figure", "table", "ul", "ol",
        "pre", "hr", "section", "article", "dd", "dt",
    ].map { name in name.utf8.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } + [packed("blockquote"), packed("figcaption")]

    /// Names longer than 8 bytes keep their first 8: `blockquo`, `figcapti` (no other tag starts so).
    static func packed(_ name: String) -> UInt64 { name.utf8.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }

    /// The blocks of one line of plain text (a title).
    init(plain: String) {
        var flags = Width.Flags()
        scalars = plain.unicodeScalars.map { Width.fold($0.value, &flags) }
        ends = [scalars.count]
        hasBrackets = flags.brackets
        needsNFKC = flags.needsNFKC
    }

    /// Reads blocks until the one in which `limit` characters are reached.
    init(html: String, limit: Int = .max) {
        var html = html
        var ends: [Int] = []
        var flags = Width.Flags()
        html.withUTF8 { bytes in
            // No more characters than bytes: one buffer, written in place (no append per character).
            scalars = [UInt32](unsafeUninitializedCapacity: bytes.count) { out, count in
                count = Self.read(bytes, into: out, ends: &ends, flags: &flags, limit: limit)
            }
        }
        if scalars.count > (ends.last ?? 0) { ends.append(scalars.count) }
        self.ends = ends
        hasBrackets = flags.brackets
        needsNFKC = flags.needsNFKC
    }

    /// Decodes `b` into `out` (folded to one width as it goes), noting where each block ends; returns the count.
    private static func read(_ b: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt32>,
                             ends: inout [Int], flags: inout Width.Flags, limit: Int) -> Int {
        var i = 0
        var n = 0
        let count = b.count
        while i < count {
            let byte = b[i]
            if byte == 0x3C { // '<': a tag; a block tag ends the block
                var j = i + 1
                if j < count, b[j] == 0x2F { j += 1 }
                var name: UInt64 = 0
                var length = 0
                while j < count, Self.isNameByte(b[j]) {
                    let c = b[j]
                    if length < 8 { name = name << 8 | UInt64(c >= 0x41 && c <= 0x5A ? c + 0x20 : c) }
                    length += 1
                    j += 1
                }
                while j < count, b[j] != 0x3E { j += 1 }
                if Self.blockTags.contains(name) {
                    if n > (ends.last ?? 0) { ends.append(n) }
                    if n >= limit { return n }
                }
                i = j + 1
            } else if byte == 0x26, let (v, next) = Self.reference(b, at: i) {
                out[n] = Width.fold(v, &flags)
                n += 1
                i = next
            } else if byte < 0x80 {
                if byte == 0x28 || byte == 0x5B { flags.brackets = true }
                out[n] = UInt32(byte)
                n += 1
                i += 1
            } else if byte >= 0xE0 && byte < 0xF0 && i + 3 <= count { // three bytes: CJK, the bulk of the text
                let v = UInt32(byte & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
                out[n] = v >= 0x4E00 && v <= 0x9FFF ? v : Width.fold(v, &flags)
                n += 1
                i += 3
            } else {
                // UTF-8 from Swift's String: well-formed, so the lead byte gives the length.
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                guard i + length <= count else { return n }
                var v = UInt32(byte) & (length == 4 ? 0x07 : length == 3 ? 0x0F : 0x1F)
                for k in 1..<length { v = v << 6 | UInt32(b[i + k] & 0x3F) }
                out[n] = Width.fold(v, &flags)
                n += 1
                i += length
            }
        }
        return n
    }

    @inline(__always)
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
    }

    private static let named: [[UInt8]: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0,
    ].reduce(into: [:]) { $0[Array($1.key.utf8)] = $1.value }

    /// The character of the reference at `i` (`&amp;`, `&#21496;`, `&#x516C;`) and the index after it;
    /// nil when the `&` opens no reference (it is then text).
    private static func reference(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        var j = i + 1
        while j < b.count, j - i <= 10, b[j] != 0x3B {
            guard isNameByte(b[j]) || b[j] == 0x23 else { return nil }
            j += 1
        }
        guard j < b.count, b[j] == 0x3B, j > i + 1 else { return nil }
        let body = b[(i + 1)..<j]
        if body.first == 0x23 { // '#'
            var digits = body.dropFirst()
            var radix: UInt32 = 10
            if let x = digits.first, x == 0x78 || x == 0x58 { radix = 16; digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var value: UInt32 = 0
            for d in digits {
                let n: UInt32
                switch d {
                case 0x30...0x39: n = UInt32(d - 0x30)
                case 0x61...0x66 where radix == 16: n = UInt32(d - 0x61 + 10)
                case 0x41...0x46 where radix == 16: n = UInt32(d - 0x41 + 10)
                default: return nil
                }
                value = value * radix + n
                guard value <= 0x10FFFF else { return nil }
            }
            return Unicode.Scalar(value) == nil ? nil : (value, j + 1)
        }
        return named[Array(body)].map { ($0, j + 1) }
    }
}
