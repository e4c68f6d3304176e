#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Text and attribute values: whitespace, indents, escaping, characters XML
/// forbids, NFC. Every multi-byte sequence is validated as it is copied, so
/// the output is valid UTF-8 by construction (`ByteBuffer.string` relies on
/// it to skip the standard library's second validation pass).
extension Serializer {
    /// Writes the text of one text node.
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let s = bytes.baseAddress, bytes.count > 0 else { return }
        let length = bytes.count
        if preDepth > 0 { preformattedText(s, length: length); return }
        // Worst case: every byte becomes "&amp;", plus a space and an implied <p>.
        out.reserve(length &* 5 &+ 8)
        var wroteVisible = false
        // Where the first scalar that may change under NFC was written.
        var firstUnstable = -1
        var i = 0
        let stable = nfcStable
        while i < length {
            if spacing == .afterText {
                // The common case, copied in runs.
                let run = Self.plainRun(s, from: i, length: length, stable: stable)
                if run > i {
                    out.appendUnchecked(UnsafeBufferPointer(start: s + i, count: run &- i))
                    wroteVisible = true
                    i = run
                    if i == length { break }
                }
            }
            let byte = s[i]
            switch XMLText.byteClass(byte) {
            case .plain:
                if spacing != .afterText { beginVisible() }
                out.appendUnchecked(byte)
                wroteVisible = true
                i &+= 1
            case .space:
                if spacing == .afterText { spacing = .pendingSpace }
                i &+= 1
            case .escape:
                if spacing != .afterText { beginVisible() }
                out.append(XMLText.entity(byte))
                wroteVisible = true
                i &+= 1
            case .forbidden, .other:
                i &+= 1
            case .lead2, .lead3, .lead4:
                let (scalar, n) = XMLText.decode(s + i, available: length &- i)
                if n == 0 || XMLText.isForbidden(scalar) {
                    i &+= max(n, 1)
                    continue
                }
                if (scalar == 0xA0 || scalar == 0x3000) && (spacing == .lineStart || spacing == .afterBreak) {
                    // The indent of a paragraph or line: "　　今年以来".
                    i &+= n
                    continue
                }
                if spacing != .afterText { beginVisible() }
                if firstUnstable < 0 && !XMLText.isNFCStable(scalar) { firstUnstable = out.count }
                writeScalar(s + i, length: n, scalar: scalar)
                wroteVisible = true
                i &+= n
            }
        }
        if wroteVisible {
            substantive &+= 1
            content &+= 1
        }
        if firstUnstable >= 0 { normalizeNFC(from: firstUnstable) }
    }

    /// The end of the run from `start` that is written as is: printable
    /// ASCII other than `& < >`, and valid NFC-stable scalars. Only called
    /// after visible text, where no-break and ideographic spaces are content.
    /// This loop sees nearly every byte of a body: it reads a word at a time
    /// and asks `XMLText.nfcStableBMP` about 2- and 3-byte scalars (the CJK
    /// text, punctuation and fullwidth forms of Chinese news).
    @inline(__always)
    private static func plainRun(_ s: UnsafePointer<UInt8>, from start: Int, length: Int,
                                 stable: UnsafePointer<UInt64>) -> Int {
        var j = start
        while j &+ 4 <= length {
            let word = UInt32(littleEndian: UnsafeRawPointer(s + j).loadUnaligned(as: UInt32.self))
            let b = word & 0xFF
            if b &- 0xE4 < 6 {
                // U+4000–U+9FFF (lead E4–E9), the bulk of Chinese text:
                // valid with two continuation bytes, always NFC-stable.
                guard word & 0x00C0_C000 == 0x0080_8000 else { break }
                j &+= 3
            } else if b < 0x80 {
                guard b > 0x20 && b != 0x26 && b != 0x3C && b != 0x3E else { break }
                j &+= 1
            } else if word & 0x00C0_C000 == 0x0080_8000 && Self.isCommonStablePunctuation(word) {
                j &+= 3
            } else if b & 0xE0 == 0xC0 && b >= 0xC2 && word & 0xC000 == 0x8000 {
                let scalar = (b & 0x1F) &<< 6 | (word &>> 8) & 0x3F
                guard stable[Int(scalar &>> 6)] &>> UInt64(scalar & 63) & 1 != 0 else { break }
                j &+= 2
            } else if b & 0xF0 == 0xE0 && word & 0x00C0_C000 == 0x0080_8000 {
                let scalar = (b & 0x0F) &<< 12 | (word &>> 2) & 0x0FC0 | (word &>> 16) & 0x3F
                // Below U+0800 it is an overlong form, not a character.
                guard scalar >= 0x800, stable[Int(scalar &>> 6)] &>> UInt64(scalar & 63) & 1 != 0 else { break }
                j &+= 3
            } else {
                break
            }
        }
        while j < length {
            let b = s[j]
            if b < 0x80 {
                guard b > 0x20 && b != 0x26 && b != 0x3C && b != 0x3E else { break }
                j &+= 1
            } else {
                let (scalar, n) = XMLText.decode(s + j, available: length &- j)
                guard n > 0 && XMLText.isNFCStable(scalar) else { break }
                j &+= n
            }
        }
        return j
    }

    /// The punctuation of Chinese text, by its first two bytes (continuation
    /// bytes already checked): U+FF00–U+FF7F fullwidth forms (，：；（）！？),
    /// U+3000–U+3029 and U+3030–U+303F (、。《》「」), U+2002–U+203F (“”—…).
    @inline(__always)
    private static func isCommonStablePunctuation(_ word: UInt32) -> Bool {
        switch word & 0xFFFF {
        case 0xBCEF, 0xBDEF: return true
        case 0x80E3:
            let third = (word &>> 16) & 0xFF
            return third < 0xAA || third >= 0xB0
        case 0x80E2: return (word &>> 16) & 0xFF >= 0x82
        default: return false
        }
    }

    /// Prepares for the first visible character after whitespace, a tag or
    /// nothing (the caller reserved room for a space and a `<p>`).
    @inline(__always)
    private mutating func beginVisible() {
        if out.count == 0 && open.isEmpty {
            // libxml2 wraps text that starts a fragment in <p> (htmlCheckParagraph);
            // do the same so the output parses back unchanged.
            beginStartTag(table.p)
            _ = finishStartTag()
        }
        if spacing == .pendingSpace { out.appendUnchecked(0x20) }
        spacing = .afterText
    }

    /// Text inside `pre`: whitespace kept, CR and CRLF read as LF, form
    /// feeds (not XML characters) dropped.
    private mutating func preformattedText(_ s: UnsafePointer<UInt8>, length: Int) {
        out.reserve(length &* 5 &+ 8)
        var wroteVisible = false
        var wroteAny = false
        var firstUnstable = -1
        var i = 0
        while i < length {
            let byte = s[i]
            switch XMLText.byteClass(byte) {
            case .plain:
                out.appendUnchecked(byte)
                wroteVisible = true
                i &+= 1
            case .space:
                if byte == 0x0D {
                    if i &+ 1 < length && s[i &+ 1] == 0x0A { i &+= 1; continue }
                    out.appendUnchecked(0x0A)
                } else if byte != 0x0C {
                    out.appendUnchecked(byte)
                }
                wroteAny = true
                i &+= 1
            case .escape:
                out.append(XMLText.entity(byte))
                wroteVisible = true
                i &+= 1
            case .forbidden, .other:
                i &+= 1
            case .lead2, .lead3, .lead4:
                let (scalar, n) = XMLText.decode(s + i, available: length &- i)
                if n > 0 && !XMLText.isForbidden(scalar) {
                    if firstUnstable < 0 && !XMLText.isNFCStable(scalar) { firstUnstable = out.count }
                    writeScalar(s + i, length: n, scalar: scalar)
                    wroteVisible = true
                }
                i &+= max(n, 1)
            }
        }
        if wroteVisible || wroteAny { content &+= 1 }
        if wroteVisible {
            substantive &+= 1
            spacing = .afterText
        }
        if firstUnstable >= 0 { normalizeNFC(from: firstUnstable) }
    }

    /// Writes one scalar of text. U+0338 (combining long solidus overlay)
    /// right after a tag is written as a character reference: raw, the `>`
    /// before it and it would compose to U+226F under NFC, so the output
    /// string would not be NFC. It is the only combining mark that composes
    /// with a character markup can end in (`<`, `=`, `>`).
    @inline(__always)
    private mutating func writeScalar(_ p: UnsafePointer<UInt8>, length: Int, scalar: UInt32) {
        if scalar == 0x338 && out.last == UInt8(ascii: ">") {
            out.append("&#x338;")
        } else {
            out.appendUnchecked(UnsafeBufferPointer(start: p, count: length))
        }
    }

    /// Normalizes the text from the first unstable scalar to the end, widened
    /// back to the nearest scalar that cannot combine with what precedes it
    /// (ASCII or NFC-stable), so that a combining mark at the start of this
    /// text node composes with the character before it, as it will when the
    /// output is parsed again. Never reaches back past a tag (text holds no
    /// raw `>`): `>` + U+0338 would compose into `≯`. The look-back is capped
    /// (`maxLookBack` bytes) so that text split into many tiny nodes cannot
    /// make this quadratic; only more than ~40 combining marks in a row,
    /// spread over several elements, can go past it.
    private mutating func normalizeNFC(from firstUnstable: Int) {
        var start = firstUnstable
        let limit = max(0, firstUnstable - Self.maxLookBack)
        while start > limit {
            // Step back one scalar.
            var previous = start - 1
            while previous > limit && out[previous] & 0xC0 == 0x80 { previous -= 1 }
            let lead = out[previous]
            // A tag, or the limit reached in the middle of a scalar.
            if lead == UInt8(ascii: ">") || lead & 0xC0 == 0x80 { break }
            start = previous
            if lead < 0x80 { break }
            let isStable = out.withBytes(previous..<firstUnstable) { bytes in
                let (scalar, n) = XMLText.decode(bytes.baseAddress!, available: bytes.count)
                return n > 0 && XMLText.isNFCStable(scalar)
            }
            if isStable { break }
        }
        let range = start..<out.count
        var normalized = out.withBytes(range) { XMLText.nfc($0) }
        // Canonical reordering can bring U+0338 to the front (U+0301 U+0338
        // becomes U+0338 U+0301); right after a tag it needs a reference.
        if range.lowerBound > 0 && out[range.lowerBound - 1] == UInt8(ascii: ">")
            && normalized.starts(with: [0xCC, 0xB8]) {
            normalized.replaceSubrange(0..<2, with: Array("&#x338;".utf8))
        }
        out.replace(range, with: normalized)
    }

    private static let maxLookBack = 128

    // MARK: - Attributes

    /// ` name="value"` for a value that is already safe and valid UTF-8 (a
    /// URL from `URLResolver`, a number): only escaped.
    mutating func attribute(_ name: AttributeName, bytes: [UInt8]) {
        writeAttributeName(name)
        bytes.withUnsafeBufferPointer { value in
            out.reserve(value.count &* 6 &+ 2)
            for byte in value {
                if byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 {
                    out.append(XMLText.entity(byte))
                } else {
                    out.appendUnchecked(byte)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// ` name="123"` for a number.
    mutating func attribute(_ name: AttributeName, number: Int) {
        writeAttributeName(name)
        out.reserve(24)
        if number < 0 { out.appendUnchecked(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        for digit in digits.reversed() { out.appendUnchecked(digit) }
        out.append(UInt8(ascii: "\""))
    }

    /// ` rel="noopener noreferrer"` for links.
    mutating func relAttribute() {
        out.append(" rel=\"noopener noreferrer\"")
    }

    /// ` name="value"` for free text (title, alt, datetime): trimmed,
    /// whitespace collapsed, forbidden characters dropped, escaped, NFC.
    /// An empty value is left out unless `keepEmpty`.
    mutating func attribute(_ name: AttributeName, text value: UnsafePointer<UInt8>, keepEmpty: Bool) {
        let before = out.count
        writeAttributeName(name)
        let start = out.count
        let length = strlen(value)
        out.reserve(length &* 6 &+ 2)
        var pendingSpace = false
        var needsNFC = false
        var i = 0
        while i < length {
            let byte = value[i]
            switch XMLText.byteClass(byte) {
            case .space:
                pendingSpace = out.count > start
                i &+= 1
            case .forbidden, .other:
                i &+= 1
            case .plain, .escape:
                if pendingSpace { out.appendUnchecked(0x20); pendingSpace = false }
                if byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 {
                    out.append(XMLText.entity(byte))
                } else {
                    out.appendUnchecked(byte)
                }
                i &+= 1
            case .lead2, .lead3, .lead4:
                let (scalar, n) = XMLText.decode(value + i, available: length &- i)
                if n > 0 && !XMLText.isForbidden(scalar) {
                    if pendingSpace { out.appendUnchecked(0x20); pendingSpace = false }
                    if !XMLText.isNFCStable(scalar) { needsNFC = true }
                    out.appendUnchecked(UnsafeBufferPointer(start: value + i, count: n))
                }
                i &+= max(n, 1)
            }
        }
        if out.count == start && !keepEmpty {
            out.truncate(to: before)
            return
        }
        if needsNFC {
            let normalized = out.withBytes(start..<out.count) { XMLText.nfc($0) }
            out.replace(start..<out.count, with: normalized)
        }
        out.append(UInt8(ascii: "\""))
    }

    private mutating func writeAttributeName(_ name: AttributeName) {
        out.append(0x20)
        out.append(Self.attributeNames[name.rawValue])
        out.append("=\"")
    }

    private static let attributeNames: [[UInt8]] = AttributeName.allCases.map { Array($0.name.utf8) }
}
