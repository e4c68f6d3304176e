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
    public static func hex16(_ value: UInt64) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
