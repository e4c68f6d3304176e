/// A growable byte buffer for text pieces: appends are a bounds check and a
/// copy (an `Array`'s generic append cost more than the copy for the
/// one-byte pieces of escaped HTML).
struct TextRun: ~Copyable {
    private var base = UnsafeMutablePointer<UInt8>.allocate(capacity: 4096)
    private var capacity = 4096
    var count = 0

    deinit { base.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    mutating func append(_ bytes: UnsafePointer<UInt8>, count extra: Int) {
        if count + extra > capacity {
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + extra))
            grown.initialize(from: base, count: count)
            base.deallocate()
            base = grown
            capacity = max(capacity * 2, count + extra)
        }
        (base + count).initialize(from: bytes, count: extra)
        count += extra
    }
}
