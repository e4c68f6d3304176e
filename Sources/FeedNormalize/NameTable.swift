/// A fixed set of short ASCII names (tags, attributes), looked up straight
/// from libxml2's NUL-terminated `xmlChar*` without building a Swift `String`.
///
/// A name of up to 16 bytes is packed little-endian into two 64-bit words and
/// found in a small open-addressing table; longer names are never in the set.
/// libxml2's HTML parser lowercases tag and attribute names, so the lookup is
/// case-sensitive.
struct NameTable: Sendable {
    private let keysLow: [UInt64]
    private let keysHigh: [UInt64]
    private let ids: [UInt8]
    private let mask: Int

    /// `names[i]` gets id `i + 1`; 0 means "not in the table".
    init(_ names: [String]) {
        precondition(names.count < 255, "ids are one byte")
        var size = 16
        while size < names.count * 4 { size *= 2 }
        var low = [UInt64](repeating: 0, count: size)
        var high = [UInt64](repeating: 0, count: size)
        var ids = [UInt8](repeating: 0, count: size)
        for (index, name) in names.enumerated() {
            let bytes = Array(name.utf8)
            precondition(!bytes.isEmpty && bytes.count <= 16 && !bytes.contains(0), "bad name \(name)")
            let (l, h) = Self.pack(bytes)
            var slot = Self.slot(l, h, mask: size - 1)
            while ids[slot] != 0 {
                precondition(low[slot] != l || high[slot] != h, "duplicate name \(name)")
                slot = (slot + 1) & (size - 1)
            }
            low[slot] = l
            high[slot] = h
            ids[slot] = UInt8(index + 1)
        }
        keysLow = low
        keysHigh = high
        self.ids = ids
        mask = size - 1
    }

    private static func pack(_ bytes: [UInt8]) -> (UInt64, UInt64) {
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { low |= UInt64(b) << (8 * i) } else { high |= UInt64(b) << (8 * (i - 8)) }
        }
        return (low, high)
    }

    @inline(__always)
    private static func slot(_ low: UInt64, _ high: UInt64, mask: Int) -> Int {
        let mixed = (low ^ (high &* 0x9E37_79B9)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 40) & mask
    }

    /// The id of the NUL-terminated name at `name`, or 0.
    @inline(__always)
    func lookup(_ name: UnsafePointer<UInt8>) -> UInt8 {
        var low: UInt64 = 0
        var i = 0
        while i < 8 {
            let b = name[i]
            if b == 0 { return find(low, 0) }
            low |= UInt64(b) << (8 &* i)
            i &+= 1
        }
        var high: UInt64 = 0
        while i < 16 {
            let b = name[i]
            if b == 0 { return find(low, high) }
            high |= UInt64(b) << (8 &* (i &- 8))
            i &+= 1
        }
        return name[16] == 0 ? find(low, high) : 0
    }

    /// The id of the `count` bytes at `name` (not NUL-terminated), or 0.
    func lookup(_ name: UnsafePointer<UInt8>, count: Int) -> UInt8 {
        guard count > 0, count <= 16 else { return 0 }
        var low: UInt64 = 0
        var high: UInt64 = 0
        for i in 0..<count {
            let b = name[i]
            if i < 8 { low |= UInt64(b) << (8 * i) } else { high |= UInt64(b) << (8 * (i - 8)) }
        }
        return find(low, high)
    }

    @inline(__always)
    private func find(_ low: UInt64, _ high: UInt64) -> UInt8 {
        var slot = Self.slot(low, high, mask: mask)
        while true {
            let id = ids[slot]
            if id == 0 { return 0 }
            if keysLow[slot] == low && keysHigh[slot] == high { return id }
            slot = (slot &+ 1) & mask
        }
    }
}
