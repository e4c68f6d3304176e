import Foundation

/// The folder name of a category's feeds under `output`: always
/// `[a-z0-9-]{1,64}`, so it can never name a path outside the output folder.
public struct Slug: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Longest slug accepted; longer names get a hashed slug.
    public static let maxLength = 64
    /// Slugs feedd uses for its own files.
    public static let reserved: Set<String> = ["all"]

    init(unchecked: String) { rawValue = unchecked }

    /// A slug given by the user (`categories: {name: {slug: …}}`); nil unless it is safe.
    public init?(validating raw: String) {
        guard Slug.isSafe(raw), !Slug.reserved.contains(raw) else { return nil }
        rawValue = raw
    }

    public var description: String { rawValue }
    public static func < (lhs: Slug, rhs: Slug) -> Bool { lhs.rawValue < rhs.rawValue }

    static func isSafe(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= maxLength, s.first != "-", s.last != "-" else { return false }
        return s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }

    /// The result of deriving a slug from a category name.
    public struct Derivation: Sendable {
        public let slug: Slug
        /// Set when the name could not give a readable slug and a hashed one was used.
        public let warning: String?
    }

    /// Derives the slug of a category name.
    ///
    /// A name with Chinese characters becomes its toneless pinyin, lowercase,
    /// letters and digits only (新华财经 → `xinhuacaijing`). Other names become
    /// lowercase ASCII words joined by `-` (`Reuters Markets` → `reuters-markets`).
    /// A name that gives nothing usable, a reserved slug, or more than 64
    /// characters gets a stable hashed slug (`c-1a2b3c4d5e6f7a8b`) and a warning.
    public static func derive(from name: String) -> Derivation {
        let candidate: String
        if name.unicodeScalars.contains(where: isHan) {
            candidate = pinyin(of: name).filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.lowercased()
        } else {
            candidate = asciiWords(of: name)
        }
        if isSafe(candidate), !reserved.contains(candidate) {
            return Derivation(slug: Slug(unchecked: candidate), warning: nil)
        }
        let hashed = Slug(unchecked: "c-" + stableHash(name))
        let why = candidate.isEmpty ? "it has no letters or digits"
            : candidate.utf8.count > maxLength ? "it is over \(maxLength) characters"
            : "'\(candidate)' is reserved"
        return Derivation(slug: hashed, warning: "category '\(name)' gets slug '\(hashed)': \(why)")
    }

    private static func isHan(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    /// Toneless pinyin through ICU's transliterator (Foundation on Linux has it);
    /// traditional characters are simplified first so 財經 reads as caijing.
    private static func pinyin(of name: String) -> String {
        let simplified = name.applyingTransform(StringTransform("Traditional-Simplified"), reverse: false) ?? name
        let halfwidth = simplified.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? simplified
        let latin = halfwidth.applyingTransform(.mandarinToLatin, reverse: false) ?? halfwidth
        return latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
    }

    private static func asciiWords(of name: String) -> String {
        let folded = (name.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? name).lowercased()
        var out = ""
        var pendingDash = false
        for ch in folded.unicodeScalars {
            let isWordChar = (ch.value >= 0x61 && ch.value <= 0x7A) || (ch.value >= 0x30 && ch.value <= 0x39)
            if isWordChar {
                if pendingDash && !out.isEmpty { out.append("-") }
                out.unicodeScalars.append(ch)
                pendingDash = false
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// FNV-1a 64 of the name, as hex: stable across runs and machines.
    static func stableHash(_ s: String) -> String { FNV1a.hex16(FNV1a.hash(s)) }
}
