#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The normalizer's output: one growable UTF-8 byte buffer, allocated once per
/// body and written front to back.
///
/// Why not `[UInt8]`: every `Array.append` re-checks uniqueness and capacity
/// and cannot be inlined into the text loop as well as a raw pointer store;
/// on a 5 KB body that alone costs more than the whole tree walk. The buffer
/// is noncopyable, owns its memory and frees it in `deinit`, so the unsafe
/// pointer never escapes this type.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Makes room for `extra` more bytes, so that a run of `appendUnchecked`
    /// calls needs no capacity test per byte.
    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count &+ extra > capacity { grow(to: count &+ extra) }
    }

    private mutating func grow(to needed: Int) {
        var newCapacity = capacity &* 2
        while newCapacity < needed { newCapacity &*= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count &+ 1) }
        base[count] = byte
        count &+= 1
    }

    /// Appends without a capacity test; the caller has called `reserve`.
    @inline(__always)
    mutating func appendUnchecked(_ byte: UInt8) {
        base[count] = byte
        count &+= 1
    }

    /// Appends without a capacity test; the caller has called `reserve`.
    @inline(__always)
    mutating func appendUnchecked(_ bytes: UnsafeBufferPointer<UInt8>) {
        (base + count).update(from: bytes.baseAddress!, count: bytes.count)
        count &+= bytes.count
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        reserve(bytes.count)
        if let source = bytes.baseAddress { (base + count).update(from: source, count: bytes.count) }
        count &+= bytes.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ bytes: StaticString) {
        append(UnsafeBufferPointer(start: bytes.utf8Start, count: bytes.utf8CodeUnitCount))
    }

    /// Drops everything from `position` on (rolling back an element that
    /// turned out to be empty, or removing the outlet line).
    @inline(__always)
    mutating func truncate(to position: Int) {
        count = min(count, position)
    }

    @inline(__always)
    subscript(index: Int) -> UInt8 { base[index] }

    var last: UInt8? { count > 0 ? base[count &- 1] : nil }

    /// True when the bytes just before the end are `suffix`.
    func hasSuffix(_ suffix: StaticString) -> Bool {
        let n = suffix.utf8CodeUnitCount
        guard count >= n else { return false }
        return memcmp(base + (count - n), suffix.utf8Start, n) == 0
    }

    /// Replaces bytes `range` with `replacement` (the rare NFC rewrite).
    mutating func replace(_ range: Range<Int>, with replacement: [UInt8]) {
        let tail = count - range.upperBound
        let newCount = range.lowerBound + replacement.count + tail
        reserve(max(0, newCount - count))
        (base + range.lowerBound + replacement.count).update(from: base + range.upperBound, count: tail)
        replacement.withUnsafeBufferPointer {
            (base + range.lowerBound).update(from: $0.baseAddress!, count: $0.count)
        }
        count = newCount
    }

    /// Calls `body` with a read-only view of bytes `range`.
    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    /// The bytes as a `String`. The serializer validates every multi-byte
    /// sequence it copies, so the bytes are valid UTF-8 by construction.
    func string(_ range: Range<Int>) -> String {
        XMLText.string(validUTF8: UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }
}
