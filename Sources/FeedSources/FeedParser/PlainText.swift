/// Titles and category names as plain text. Feeds put HTML in titles in every
/// way possible (escaped, double-escaped, as entities): tags are dropped,
/// character references decoded, whitespace collapsed.
enum PlainText {
    /// `A &amp;amp; B <b>now</b>` → `A & B now`; nil when nothing is left.
    static func from(_ text: String?) -> String? {
        guard let text else { return nil }
        var s = text
        if s.contains("<") { s = stripTags(s) }
        if s.contains("&") { s = decodeReferences(s) }
        let collapsed = s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        return collapsed.isEmpty ? nil : collapsed
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
