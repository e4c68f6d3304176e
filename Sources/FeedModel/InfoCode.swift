/// The identity of an article across every source: `NW202112292229992448`.
///
/// The same code listed by the rolling list and by an outlet's own list is one
/// article; feedd stores it once and lists it in every category it belongs to.
public struct InfoCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Trims surrounding whitespace; nil when nothing is left or the code is
    /// unreasonably long (an upstream that sends a whole body as an id).
    public init?(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.utf8.count <= 200 else { return nil }
        rawValue = trimmed
    }

    public var description: String { rawValue }

    public static func < (lhs: InfoCode, rhs: InfoCode) -> Bool { lhs.rawValue < rhs.rawValue }
}
