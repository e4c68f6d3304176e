/// The text of a normalized HTML body as Unicode scalar values, one array per
/// block (paragraph, list item, heading, line break). The normalizer's output
/// is well-formed and escapes only `&amp; &lt; &gt; &quot;` and numeric
/// references, so one pass of a small state machine is enough; attributes (an
/// image's `alt`, a link's `href`) are not text.
enum HTMLText {
    static let blockTags: Set<[UInt8]> = Set([
        "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "blockquote", "figure",
        "figcaption", "table", "ul", "ol", "pre", "hr", "section", "article", "dd", "dt",
    ].map { Array($0.utf8) })

    static func paragraphs(of html: String) -> [[UInt32]] {
        var out: [[UInt32]] = []
        var current: [UInt32] = []
        current.reserveCapacity(256)
        var tagName: [UInt8] = []
        var inTag = false
        var nameDone = false
        var entity: [UInt32]? = nil
        for c in html.unicodeScalars {
            let v = c.value
            if inTag {
                if v == 0x3E { // '>'
                    inTag = false
                    if blockTags.contains(tagName), !current.isEmpty {
                        out.append(current)
                        current.removeAll(keepingCapacity: true)
                    }
                } else if !nameDone {
                    if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) {
                        tagName.append(UInt8(v))
                    } else if v >= 0x41 && v <= 0x5A {
                        tagName.append(UInt8(v + 0x20))
                    } else if !(v == 0x2F && tagName.isEmpty) {
                        nameDone = true
                    }
                }
                continue
            }
            if var e = entity {
                if v == 0x3B { // ';'
                    if let decoded = decode(e) { current.append(decoded) } else { current += [0x26] + e + [0x3B] }
                    entity = nil
                    continue
                }
                if e.count < 10 && v != 0x26 && v != 0x3C && !Width.isSpace(v) {
                    e.append(v)
                    entity = e
                    continue
                }
                current += [0x26] + e // not a reference: its text stays, and `v` is read as usual
                entity = nil
            }
            if v == 0x3C {
                inTag = true
                nameDone = false
                tagName.removeAll(keepingCapacity: true)
            } else if v == 0x26 {
                entity = []
            } else {
                current.append(v)
            }
        }
        if let e = entity { current += [0x26] + e }
        if !current.isEmpty { out.append(current) }
        return out
    }

    private static let named: [[UInt32]: UInt32] = [
        "amp": 0x26, "lt": 0x3C, "gt": 0x3E, "quot": 0x22, "apos": 0x27, "nbsp": 0xA0,
    ].reduce(into: [:]) { $0[$1.key.unicodeScalars.map(\.value)] = $1.value }

    private static func decode(_ body: [UInt32]) -> UInt32? {
        if body.first == 0x23 { // '#'
            var radix: UInt32 = 10
            var digits = body.dropFirst()
            if let x = digits.first, x == 0x78 || x == 0x58 { radix = 16; digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var value: UInt32 = 0
            for d in digits {
                let n: UInt32
                switch d {
                case 0x30...0x39: n = d - 0x30
                case 0x61...0x66 where radix == 16: n = d - 0x61 + 10
                case 0x41...0x46 where radix == 16: n = d - 0x41 + 10
                default: return nil
                }
                value = value &* radix &+ n
                guard value <= 0x10FFFF else { return nil }
            }
            return Unicode.Scalar(value) == nil ? nil : value
        }
        return named[body]
    }
}
