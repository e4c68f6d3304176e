import Foundation

/// Byte-level facts about text the serializer writes: what XML 1.0 forbids,
/// what needs escaping, what is whitespace, and whether a character can
/// change under Unicode normalization (NFC).
enum XMLText {
    /// What one byte of UTF-8 text is, for the serializer's text loop.
    enum ByteClass: UInt8 {
        /// ASCII that is written as is.
        case plain
        /// Space, tab, LF, CR, FF: collapsible whitespace outside `pre`.
        case space
        /// `&`, `<`, `>`: written as an entity.
        case escape
        /// C0 controls XML 1.0 forbids (all but tab, LF, CR): dropped.
        case forbidden
        /// First byte of a 2-, 3- or 4-byte scalar.
        case lead2, lead3, lead4
        /// A byte that cannot start a scalar; never seen in a Swift string.
        case other
    }

    /// The class of one byte (a function, not a table: a global table costs
    /// a lazy-initialization check on every access in the text loop).
    @inline(__always)
    static func byteClass(_ b: UInt8) -> ByteClass {
        if b >= 0x80 {
            if b >= 0xF0 { return b <= 0xF4 ? .lead4 : .other }
            if b >= 0xE0 { return .lead3 }
            return b >= 0xC2 ? .lead2 : .other
        }
        if b > 0x20 { return b == 0x26 || b == 0x3C || b == 0x3E ? .escape : .plain }
        switch b {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0C: return .space
        default: return .forbidden
        }
    }

    /// The entity for an escaped byte (`"` only inside attribute values).
    @inline(__always)
    static func entity(_ byte: UInt8) -> StaticString {
        switch byte {
        case UInt8(ascii: "&"): "&amp;"
        case UInt8(ascii: "<"): "&lt;"
        case UInt8(ascii: ">"): "&gt;"
        default: "&quot;"
        }
    }

    /// The scalar whose UTF-8 starts at `p` (lead byte class already known).
    @inline(__always)
    static func scalar(_ p: UnsafePointer<UInt8>, length: Int) -> UInt32 {
        switch length {
        case 2: return (UInt32(p[0] & 0x1F) << 6) | UInt32(p[1] & 0x3F)
        case 3: return (UInt32(p[0] & 0x0F) << 12) | (UInt32(p[1] & 0x3F) << 6) | UInt32(p[2] & 0x3F)
        default:
            return (UInt32(p[0] & 0x07) << 18) | (UInt32(p[1] & 0x3F) << 12)
                | (UInt32(p[2] & 0x3F) << 6) | UInt32(p[3] & 0x3F)
        }
    }

    /// The scalar at `p` and its length in bytes, or length 0 when the bytes
    /// there are not valid UTF-8 (bad continuation, overlong, surrogate, too
    /// large). `p[0]` is a non-ASCII byte.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, available: Int) -> (scalar: UInt32, length: Int) {
        let b0 = p[0]
        if b0 < 0xC2 { return (0, 0) }
        if b0 < 0xE0 {
            guard available >= 2, p[1] & 0xC0 == 0x80 else { return (0, 0) }
            return ((UInt32(b0 & 0x1F) << 6) | UInt32(p[1] & 0x3F), 2)
        }
        if b0 < 0xF0 {
            guard available >= 3, p[1] & 0xC0 == 0x80, p[2] & 0xC0 == 0x80 else { return (0, 0) }
            let s = (UInt32(b0 & 0x0F) << 12) | (UInt32(p[1] & 0x3F) << 6) | UInt32(p[2] & 0x3F)
            guard s >= 0x800 && (s < 0xD800 || s > 0xDFFF) else { return (0, 0) }
            return (s, 3)
        }
        guard b0 < 0xF5, available >= 4, p[1] & 0xC0 == 0x80, p[2] & 0xC0 == 0x80, p[3] & 0xC0 == 0x80 else {
            return (0, 0)
        }
        let s = (UInt32(b0 & 0x07) << 18) | (UInt32(p[1] & 0x3F) << 12) | (UInt32(p[2] & 0x3F) << 6) | UInt32(p[3] & 0x3F)
        guard s >= 0x10000 && s <= 0x10FFFF else { return (0, 0) }
        return (s, 4)
    }

    /// A `String` from bytes the caller has already validated as UTF-8,
    /// without the standard library validating them again (about 1 ns per
    /// byte of CJK text: a measurable share of a body's budget).
    static func string(validUTF8 bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(copying: UTF8Span(unchecked: bytes.span))
    }

    /// U+FFFE and U+FFFF are not XML 1.0 characters. (Lone surrogates cannot
    /// occur: the input is a Swift string and libxml2 rejects `&#xD800;`.)
    @inline(__always)
    static func isForbidden(_ scalar: UInt32) -> Bool { scalar == 0xFFFE || scalar == 0xFFFF }

    /// True when `scalar` can neither change under NFC nor combine with the
    /// character before it: Unicode's NFC_Quick_Check=Yes with canonical
    /// combining class 0. A text made only of these (and ASCII) is already
    /// NFC, so the serializer skips normalization for it — which is every
    /// body in practice: CJK, fullwidth and CJK punctuation, Latin-1, curly
    /// quotes, dashes, emoji. The ranges are conservative: anything outside
    /// them just takes the slow path through Foundation.
    @inline(__always)
    static func isNFCStable(_ s: UInt32) -> Bool {
        switch s {
        case 0x3400...0x9FFF: true            // CJK unified (+ Ext A, Yijing)
        case 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x33FF: true // CJK punctuation, kana
        case 0xFF00...0xFFEF, 0xFE30...0xFE4F: true // fullwidth forms
        case 0x00A0...0x02FF: true            // Latin-1, Latin Extended
        case 0x2002...0x20CF: true            // punctuation, currency (not U+2000/2001)
        case 0x2460...0x27FF, 0x2E80...0x2FDF: true // enclosed, symbols, radicals
        case 0x0400...0x0482: true            // Cyrillic
        case 0xAC00...0xD7A3: true            // Hangul syllables
        case 0xE000...0xF8FF: true            // private use
        case 0x1F000...0x1FAFF, 0x20000...0x2F7FF: true // emoji, CJK Ext B–F
        default: false
        }
    }

    /// NFC of `bytes` (the rare slow path).
    static func nfc(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.precomposedStringWithCanonicalMapping.utf8)
    }

    /// True when every scalar of `bytes` is NFC-stable (see `isNFCStable`).
    static func isQuickNFC(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        var i = 0
        while i < bytes.count {
            let b = p[i]
            if b < 0x80 { i += 1; continue }
            let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
            guard i + length <= bytes.count else { return false }
            if !isNFCStable(scalar(p + i, length: length)) { return false }
            i += length
        }
        return true
    }

    /// `text` in NFC, skipping the work when it is already stable.
    static func nfc(_ text: String) -> String {
        var copy = text
        let quick = copy.withUTF8 { isQuickNFC($0) }
        return quick ? text : text.precomposedStringWithCanonicalMapping
    }
}

/// `XMLText.isNFCStable` for the Basic Multilingual Plane as a bitmap (8 KB,
/// bit `s & 63` of word `s >> 6`; surrogates, U+FFFE and U+FFFF are 0), so
/// the text loop tests a 2- or 3-byte scalar with one load. Built once,
/// never written again, never freed: safe to share between threads.
final class NFCStableTable: @unchecked Sendable {
    static let shared = NFCStableTable()

    let words: UnsafePointer<UInt64>

    private init() {
        let words = UnsafeMutablePointer<UInt64>.allocate(capacity: 1024)
        for word in 0..<1024 {
            var bits: UInt64 = 0
            for bit in 0..<64 where XMLText.isNFCStable(UInt32(word * 64 + bit)) { bits |= 1 << UInt64(bit) }
            words[word] = bits
        }
        self.words = UnsafePointer(words)
    }
}
