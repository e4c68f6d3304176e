/// Titles and category names as plain text. Feeds put HTML in titles in every
/// way possible (escaped, double-escaped, as entities): tags are dropped,
/// character references decoded, whitespace collapsed.
enum UpstreamText {
    /// `A &amp;amp; B <b>now</b>` → `A & B now`; nil when nothing is left.
    static func from(_ text: String?) -> String? {
        guard let text else { return nil }
        var s = text
        if s.utf8.contains(0x3C) { s = stripTags(s) } // '<'
        if s.utf8.contains(0x26) { s = decodeReferences(s) } // '&'
        let collapsed = collapseWhitespace(s)
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Runs of whitespace become one space; none is left at either end.
    static func collapseWhitespace(_ s: String) -> String {
        guard needsCollapsing(s.utf8) else { return s }
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        var changed = false
        for scalar in s.unicodeScalars {
            if scalar.isWhitespaceFast {
                if scalar != " " || pendingSpace || out.isEmpty { changed = true }
                pendingSpace = true
                continue
            }
            if pendingSpace, !out.isEmpty { out.append(" ") }
            pendingSpace = false
            out.append(scalar)
        }
        if pendingSpace { changed = true }
        return changed ? String(out) : s
    }

    /// False when the only whitespace is single ASCII spaces between words:
    /// the usual title, checked on bytes without decoding it.
    static func needsCollapsing(_ utf8: String.UTF8View) -> Bool {
        var previousSpace = true // a leading space needs collapsing
        var iterator = utf8.makeIterator()
        var lead: (UInt8, UInt8) = (0, 0) // the two bytes before this one
        while let b = iterator.next() {
            switch b {
            case 0x20:
                if previousSpace { return true }
                previousSpace = true
            case 0x09...0x0D: return true
            default:
                previousSpace = false
                // Non-ASCII White_Space, by its last byte: U+0085, U+00A0, U+1680, U+2000–U+200A,
                // U+2028, U+2029, U+202F, U+205F, U+3000.
                switch (lead.0, lead.1, b) {
                case (_, 0xC2, 0x85), (_, 0xC2, 0xA0), (0xE1, 0x9A, 0x80), (0xE2, 0x80, 0x80...0x8A),
                     (0xE2, 0x80, 0xA8), (0xE2, 0x80, 0xA9), (0xE2, 0x80, 0xAF), (0xE2, 0x81, 0x9F), (0xE3, 0x80, 0x80):
                    return true
                default: break
                }
            }
            lead = (lead.1, b)
        }
        return previousSpace && !utf8.isEmpty // a trailing space
    }

    /// Removes `<tag …>` and `</tag>`; a `<` not followed by a letter, `/` or `!` stays (`A<B`).
    static func stripTags(_ s: String) -> String {
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            let next = s.index(after: i)
            if c == "<", next < s.endIndex, s[next].isASCII && s[next].isLetter || s[next] == "/" || s[next] == "!",
               let close = s[next...].firstIndex(of: ">") {
                out += " "
                i = s.index(after: close)
                continue
            }
            out.append(c)
            i = next
        }
        return out
    }

    /// Decodes `&name;` (XML's five and HTML 4's), `&#N;` and `&#xN;`; an
    /// unknown reference stays as written.
    static func decodeReferences(_ s: String) -> String {
        var out = ""
        var rest = s[...]
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out += "&"
                rest = after
                continue
            }
            let name = after[..<semi]
            if let scalar = scalar(for: name) {
                out.unicodeScalars.append(scalar)
                rest = after[after.index(after: semi)...]
            } else {
                out += "&"
                rest = after
            }
        }
        out += rest
        return out
    }

    private static let xml: [Substring: Unicode.Scalar] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'"]

    private static func scalar(for name: Substring) -> Unicode.Scalar? {
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init)
        }
        if let s = xml[name] { return s }
        return HTMLEntities.table[String(name)].flatMap(Unicode.Scalar.init)
    }
}
