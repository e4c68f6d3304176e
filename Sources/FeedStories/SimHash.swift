import FeedModel

/// Charikar's SimHash over character shingles: texts that share most of their
/// shingles get fingerprints a few bits apart.
///
/// Each shingle is hashed (FNV-1a of each character, combined by position and
/// mixed); the fingerprint's bit i is set when more shingles have bit i set
/// than not. The 64 counters are kept as eight 8-lane vectors and a table
/// gives the lanes of each byte, so a shingle costs eight vector adds rather
/// than 64 branches. Counts add up, so the body's opening (the head
/// fingerprint) is a snapshot taken on the way through the body.
public enum SimHash {
    /// Characters per shingle: three keep short Chinese headlines (12–20
    /// characters) apart and survive a changed word in a long body. The
    /// shingle hash below is written for three.
    public static let shingleLength = 3

    /// The fingerprint of one text.
    public static func fingerprint(_ text: ArraySlice<UInt32>) -> UInt64 {
        var counter = Counter()
        counter.add(text)
        return counter.fingerprint
    }

    public static func fingerprint(_ text: [UInt32]) -> UInt64 { fingerprint(text[...]) }

    /// The fingerprint of `body` and `title` together (no shingle spans the
    /// two), and of the body's first `headLength` characters.
    public static func fingerprints(body: [UInt32], title: [UInt32], headLength: Int) -> (full: UInt64, head: UInt64) {
        var counter = Counter()
        counter.add(body[...], snapshotAt: headLength)
        let head = counter.snapshot ?? counter.fingerprint
        counter.add(title[...])
        return (counter.fingerprint, head)
    }

    /// Per-bit counts of shingles.
    struct Counter {
        var acc = (SIMD8<UInt16>(), SIMD8<UInt16>(), SIMD8<UInt16>(), SIMD8<UInt16>(),
                   SIMD8<UInt16>(), SIMD8<UInt16>(), SIMD8<UInt16>(), SIMD8<UInt16>())
        var count = 0
        /// The fingerprint when the snapshot point was passed.
        var snapshot: UInt64?

        /// UInt16 lanes: no more shingles than this are counted, so no lane overflows.
        static let maxCount = Int(UInt16.max)

        @inline(__always)
        mutating func add(hash h: UInt64, lanes: UnsafeBufferPointer<SIMD8<UInt16>>) {
            guard count < Self.maxCount else { return }
            acc.0 &+= lanes[Int(h & 0xFF)]
            acc.1 &+= lanes[Int(h >> 8 & 0xFF)]
            acc.2 &+= lanes[Int(h >> 16 & 0xFF)]
            acc.3 &+= lanes[Int(h >> 24 & 0xFF)]
            acc.4 &+= lanes[Int(h >> 32 & 0xFF)]
            acc.5 &+= lanes[Int(h >> 40 & 0xFF)]
            acc.6 &+= lanes[Int(h >> 48 & 0xFF)]
            acc.7 &+= lanes[Int(h >> 56 & 0xFF)]
            count += 1
        }

        /// Adds the shingles of `text` (one shingle for a text of three characters or fewer);
        /// takes the snapshot once the shingles within the first `snapshotAt` characters are in.
        mutating func add(_ text: ArraySlice<UInt32>, snapshotAt: Int? = nil) {
            guard !text.isEmpty else { return }
            byteLanes.withUnsafeBufferPointer { lanes in
                guard text.count > shingleLength else {
                    add(hash: shingleHash(text), lanes: lanes)
                    return
                }
                let shingles = min(text.count - shingleLength + 1, Self.maxCount - count)
                guard shingles > 0 else { return }
                let snapshotAfter = snapshotAt.map { max(1, min($0, text.count) - shingleLength + 1) } ?? -1
                text.withUnsafeBufferPointer { t in
                    // The counters in locals, so they stay in registers across the loop
                    // (through `self` each add would be a load and a store).
                    var (c0, c1, c2, c3, c4, c5, c6, c7) = acc
                    var a = characterHash(t[0])
                    var b = characterHash(t[1])
                    for i in 0..<shingles {
                        let c = characterHash(t[i + 2])
                        let h = mix(a ^ rotate(b, 21) ^ rotate(c, 42))
                        c0 &+= lanes[Int(h & 0xFF)]
                        c1 &+= lanes[Int(h >> 8 & 0xFF)]
                        c2 &+= lanes[Int(h >> 16 & 0xFF)]
                        c3 &+= lanes[Int(h >> 24 & 0xFF)]
                        c4 &+= lanes[Int(h >> 32 & 0xFF)]
                        c5 &+= lanes[Int(h >> 40 & 0xFF)]
                        c6 &+= lanes[Int(h >> 48 & 0xFF)]
                        c7 &+= lanes[Int(h >> 56 & 0xFF)]
                        a = b
                        b = c
                        if i + 1 == snapshotAfter {
                            acc = (c0, c1, c2, c3, c4, c5, c6, c7)
                            count += i + 1
                            snapshot = fingerprint
                            count -= i + 1
                        }
                    }
                    acc = (c0, c1, c2, c3, c4, c5, c6, c7)
                    count += shingles
                    // Cut short at `maxCount`: the counts stop there, as the snapshot would have.
                    if snapshotAfter > shingles { snapshot = fingerprint }
                }
            }
        }

        var fingerprint: UInt64 {
            guard count > 0 else { return 0 }
            let vectors = [acc.0, acc.1, acc.2, acc.3, acc.4, acc.5, acc.6, acc.7]
            var out: UInt64 = 0
            for (byte, v) in vectors.enumerated() {
                for lane in 0..<8 where Int(v[lane]) * 2 > count {
                    out |= 1 << UInt64(byte * 8 + lane)
                }
            }
            return out
        }
    }

    @inline(__always)
    static func shingleHash(_ s: ArraySlice<UInt32>) -> UInt64 {
        var h: UInt64 = 0
        for (n, v) in s.enumerated() { h ^= rotate(characterHash(v), UInt64(n * 21)) }
        return mix(h)
    }

    @inline(__always)
    static func characterHash(_ v: UInt32) -> UInt64 {
        var h = FNV1a()
        h.add(word: v)
        return h.value
    }

    @inline(__always)
    static func rotate(_ x: UInt64, _ r: UInt64) -> UInt64 { r == 0 ? x : (x << r) | (x >> (64 - r)) }

    /// The finalizer of SplitMix64: every input bit reaches every output bit,
    /// which the XOR of rotated character hashes alone does not give.
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Lane i of entry b is bit i of b.
    static let byteLanes: [SIMD8<UInt16>] = (0..<256).map { b in
        var v = SIMD8<UInt16>()
        for i in 0..<8 { v[i] = UInt16((b >> i) & 1) }
        return v
    }
}

extension UInt64 {
    /// Bits that differ.
    @inline(__always)
    func distance(to other: UInt64) -> Int { (self ^ other).nonzeroBitCount }
}
