/// The identity of an article across every source: `NW202112292229992448`.
///
/// The same code listed by the rolling list and by an outlet's own list is one
/// article; feedd stores it once and lists it in every category it belongs to.
public struct InfoCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Trims surrounding whitespace; nil when nothing is left or the code is
    /// unreasonably long (an upstream that sends a whole body as an id).
    public init?(_ raw: String) {
        let trimmed = Self.trimmingWhitespace(raw)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 200 else { return nil }
        rawValue = trimmed
    }

    /// Without leading and trailing Unicode White_Space and U+200B (the set
    /// Foundation calls `whitespacesAndNewlines`), looking only at the ends:
    /// Foundation's `trimmingCharacters(in:)` converts the whole string to
    /// UTF-16 on Linux, for every item of every poll.
    static func trimmingWhitespace(_ s: String) -> String {
        if let first = s.utf8.first, let last = s.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return s // the usual code: ASCII, nothing to trim
        }
        let scalars = s.unicodeScalars
        let isSpace = { (c: Unicode.Scalar) in c.properties.isWhitespace || c == "\u{200B}" }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
              let end = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[start...end])
    }

    public var description: String { rawValue }

    public static func < (lhs: InfoCode, rhs: InfoCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
