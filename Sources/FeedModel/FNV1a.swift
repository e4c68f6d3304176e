/// FNV-1a 64 of a string's UTF-8: stable across runs and machines (Swift's
/// `Hasher` is seeded per process), for names, fingerprints and tie-breaks
/// that must come out the same every time.
public enum FNV1a {
    public static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
