/// A set of Unicode scalars as sorted, non-overlapping closed ranges: a
/// bracket class (`[a-z0-9]`, `[^、，]`) or a shorthand (`\d`, `\w`, `\s`).
struct ScalarSet: Sendable, Equatable {
    private(set) var ranges: [ClosedRange<UInt32>] = []

    init() {}

    init(_ ranges: [ClosedRange<UInt32>]) {
        for r in ranges { insert(r) }
    }

    /// RE2's shorthands are ASCII-only: `\d` is [0-9], `\w` [0-9A-Za-z_], `\s` [\t\n\f\r ].
    static let digit = ScalarSet([0x30...0x39])
    static let word = ScalarSet([0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
    static let space = ScalarSet([0x09...0x0A, 0x0C...0x0D, 0x20...0x20])

    mutating func insert(_ range: ClosedRange<UInt32>) {
        var merged = range
        var kept: [ClosedRange<UInt32>] = []
        for r in ranges {
            if r.upperBound &+ 1 < merged.lowerBound || merged.upperBound &+ 1 < r.lowerBound {
                kept.append(r)
            } else {
                merged = min(r.lowerBound, merged.lowerBound)...max(r.upperBound, merged.upperBound)
            }
        }
        kept.append(merged)
        ranges = kept.sorted { $0.lowerBound < $1.lowerBound }
    }

    mutating func formUnion(_ other: ScalarSet) {
        for r in other.ranges { insert(r) }
    }

    /// Every scalar value not in the set (surrogates are not scalars but do no harm).
    var inverted: ScalarSet {
        var out = ScalarSet()
        var next: UInt32 = 0
        for r in ranges {
            if r.lowerBound > next { out.ranges.append(next...(r.lowerBound - 1)) }
            next = r.upperBound &+ 1
            if r.upperBound == 0x10FFFF { return out }
        }
        out.ranges.append(next...0x10FFFF)
        return out
    }

    func contains(_ value: UInt32) -> Bool {
        var lo = 0
        var hi = ranges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = ranges[mid]
            if value < r.lowerBound { hi = mid - 1 } else if value > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }
}

/// Simple (one scalar to one scalar) case folding, so folded text keeps the
/// scalar offsets of the original and captures map back onto it.
enum CaseFold {
    static func lower(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.value < 0x80 {
            return (0x41...0x5A).contains(s.value) ? Unicode.Scalar(s.value + 0x20)! : s
        }
        // Most scalars in Chinese text (CJK, punctuation) have no case: skip the mapping's String.
        guard isCased(s), s.properties.changesWhenLowercased else { return s }
        return single(s.properties.lowercaseMapping) ?? s
    }

    static func upper(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.value < 0x80 {
            return (0x61...0x7A).contains(s.value) ? Unicode.Scalar(s.value - 0x20)! : s
        }
        guard isCased(s), s.properties.changesWhenUppercased else { return s }
        return single(s.properties.uppercaseMapping) ?? s
    }

    /// False for the big caseless blocks (CJK, kana, hangul, full-width
    /// punctuation) without asking ICU; true means "ask".
    private static func isCased(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x2E80...0xA63F, 0xAC00...0xD7FF, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF01...0xFF20, 0x20000...0x3FFFF:
            return false
        default:
            return true
        }
    }

    private static func single(_ mapping: String) -> Unicode.Scalar? {
        var it = mapping.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }
}
