/// FNV-1a, 64 bits: feedd's one stable hash (Swift's `Hasher` is seeded per
/// process). Hashed slugs, hashed info codes, ETags, render fingerprints and
/// story shingles all use it, so a value hashed today hashes the same after a
/// restart and on another machine.
public struct FNV1a: Sendable, Equatable {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x100_0000_01b3

    /// The hash of what was added so far.
    public var value: UInt64 = FNV1a.offsetBasis

    @inlinable
    public init() {}

    // Inlinable: story shingles hash every character of every body through these.
    @inlinable
    public mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }

    @inlinable
    public mutating func add(_ bytes: some Sequence<UInt8>) {
        for b in bytes { add(b) }
    }

    /// The four bytes of `word`, low byte first.
    @inlinable
    public mutating func add(word: UInt32) {
        add(UInt8(truncatingIfNeeded: word))
        add(UInt8(truncatingIfNeeded: word >> 8))
        add(UInt8(truncatingIfNeeded: word >> 16))
        add(UInt8(truncatingIfNeeded: word >> 24))
    }

    /// The hash of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h = FNV1a()
        h.add(bytes)
        return h.value
    }

    /// The hash of a string's UTF-8.
    public static func hash(_ s: String) -> UInt64 { hash(s.utf8) }

    /// The value as 16 lowercase hex digits, zero-padded.
    public static func hex16(_ value: UInt64) -> String { hex16(joined: [value]) }

    /// The values as 16 lowercase hex digits each, separated by one space:
    /// written into one buffer (story figures are stored so, 20 items per poll;
    /// `String(_:radix:)` and padding allocated three strings per value).
    public static func hex16(joined values: [UInt64]) -> String {
        guard !values.isEmpty else { return "" }
        return String(unsafeUninitializedCapacity: values.count * 17 - 1) { buffer in
            var n = 0
            for (i, value) in values.enumerated() {
                if i > 0 {
                    buffer[n] = 0x20
                    n += 1
                }
                for shift in stride(from: 60, through: 0, by: -4) {
                    let digit = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xF
                    buffer[n] = digit < 10 ? 0x30 + digit : 0x61 - 10 + digit
                    n += 1
                }
            }
            return n
        }
    }
}
