import FeedModel
import Foundation

/// An item's text as story detection sees it: letters and digits only, in
/// one width and one case, without the lines an outlet adds when it reprints
/// (`（文章来源：新华社）`, `（责任编辑：张三）`, `编辑：李四`), plus the numbers
/// it states.
///
/// Everything an outlet changes when it takes a dispatch — the indent (`　　`),
/// full-width or half-width digits and punctuation, the source and editor
/// lines, an image — leaves this text as it was.
public struct StoryText: Sendable, Equatable {
    /// The title's letters and digits (Unicode scalar values).
    public var title: [UInt32]
    /// The body's letters and digits, paragraphs joined.
    public var body: [UInt32]
    /// FNV-1a of each number the body states (`0.5`, `12`), distinct, sorted:
    /// the template flash items that differ only in their figures differ here.
    public var numbers: [UInt64]

    /// Characters of the body read: the blocks up to the one that reaches this
    /// many. A story is told in its opening; the rest of a long body costs time
    /// (most of detection's) and adds no precision.
    public static let bodyLimit = 400

    /// Reads a title (plain text) and a normalized HTML body.
    public init(title: String, html: String) {
        var titleText = HTMLText(plain: title)
        let titleCanonical = Self.canonical(&titleText)
        self.title = titleCanonical.scalars
        var bodyText = HTMLText(html: html, limit: Self.bodyLimit)
        let bodyCanonical = Self.canonical(&bodyText)
        body = bodyCanonical.scalars
        // A flash item may be all title: its figures are then the title's.
        numbers = Self.distinctSorted(bodyCanonical.scalars.isEmpty ? titleCanonical.numbers : bodyCanonical.numbers)
    }

    public init(title: [UInt32], body: [UInt32], numbers: [UInt64]) {
        self.title = title
        self.body = body
        self.numbers = numbers
    }

    static func distinctSorted(_ values: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(values.count)
        for v in values.sorted() where out.last != v { out.append(v) }
        return out
    }

    struct Canonical {
        var scalars: [UInt32] = []
        var numbers: [UInt64] = []
    }

    /// The canonical text of `text`'s blocks (folded in place, asides blanked out).
    static func canonical(_ text: inout HTMLText) -> Canonical {
        var out = Canonical()
        Width.fold(&text)
        var numbers: [UInt64] = []
        // No more characters than the text's: one buffer, written in place.
        out.scalars = [UInt32](unsafeUninitializedCapacity: text.scalars.count) { buffer, count in
            var start = 0
            for end in text.ends {
                defer { start = end }
                guard !EditorialLines.isEditorial(text.scalars[start..<end]) else { continue }
                if text.hasBrackets { EditorialLines.blankAsides(&text.scalars, start..<end) }
                text.scalars.withUnsafeBufferPointer { source in
                    count = append(UnsafeBufferPointer(rebasing: source[start..<end]), to: buffer, at: count, numbers: &numbers)
                }
            }
        }
        out.numbers = numbers
        return out
    }

    /// Keeps letters and digits (ASCII lowercased), written from `at`, and collects
    /// the numbers: runs of digits with a `.` or `,` between digits. Returns the new count.
    private static func append(_ text: UnsafeBufferPointer<UInt32>, to out: UnsafeMutableBufferPointer<UInt32>, at start: Int,
                               numbers: inout [UInt64]) -> Int {
        var n = start
        var number = FNV1a()
        var inNumber = false
        let count = text.count
        for i in 0..<count {
            let v = text[i]
            if v >= 0x30 && v <= 0x39 {
                number.add(UInt8(v))
                inNumber = true
                out[n] = v
                n += 1
                continue
            }
            if inNumber {
                let joinsDigits = (v == 0x2E || v == 0x2C) && i + 1 < count && text[i + 1] >= 0x30 && text[i + 1] <= 0x39
                if joinsDigits {
                    if v == 0x2E { number.add(0x2E) } // 1,000 and 1000 are one figure; 0.5 and 05 are not
                    continue
                }
                numbers.append(number.value)
                number = FNV1a()
                inNumber = false
            }
            if v >= 0x4E00 && v <= 0x9FFF { // CJK ideographs: the bulk of the text
                out[n] = v
                n += 1
            } else if isWordScalar(v) {
                out[n] = v >= 0x41 && v <= 0x5A ? v + 0x20 : v
                n += 1
            }
        }
        if inNumber { numbers.append(number.value) }
        return n
    }

    @inline(__always)
    static func isWordScalar(_ v: UInt32) -> Bool {
        if v < 0x80 {
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
        }
        if v >= 0x4E00 && v <= 0x9FFF { return true } // CJK ideographs: the bulk of the text
        if v >= 0x3000 && v <= 0x303F { return false } // CJK punctuation
        guard let c = Unicode.Scalar(v) else { return false }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
