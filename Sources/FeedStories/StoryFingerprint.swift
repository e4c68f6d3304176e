import FeedModel

/// What story detection keeps of an item: two SimHashes, the text's length
/// and the figures it states. Small enough to store beside every item.
public struct StoryFingerprint: Sendable, Equatable {
    /// SimHash of the title and the body.
    public var full: UInt64
    /// SimHash of the body's opening (`headLength` characters): a reprint that
    /// drops its last paragraph or changes its title keeps this one.
    public var head: UInt64
    /// Letters and digits in the body (the title's, for an item that is all title).
    public var length: Int
    /// FNV-1a of each figure, distinct, sorted.
    public var numbers: [UInt64]

    /// Characters of the body that make the head fingerprint: about a lead paragraph.
    public static let headLength = 120

    public init(full: UInt64, head: UInt64, length: Int, numbers: [UInt64]) {
        self.full = full
        self.head = head
        self.length = length
        self.numbers = numbers
    }

    public init(_ text: StoryText) {
        if text.body.isEmpty { // all title: a flash item
            full = SimHash.fingerprint(text.title)
            head = SimHash.fingerprint(text.title.prefix(Self.headLength))
            length = text.title.count
        } else {
            (full, head) = SimHash.fingerprints(body: text.body, title: text.title, headLength: Self.headLength)
            length = text.body.count
        }
        numbers = text.numbers
    }

    /// Reads an item: a plain-text title and its normalized HTML body.
    public init(title: String, html: String) {
        self.init(StoryText(title: title, html: html))
    }

    // MARK: Stored form

    /// The figures as stored: 16 hex digits each, space-separated.
    public var numbersText: String { FNV1a.hex16(joined: numbers) }

    /// The figures from their stored form; nil when the text is not that form.
    /// Read byte by byte: loading the window index reads one of these per stored item.
    public static func numbers(fromText text: String) -> [UInt64]? {
        var out: [UInt64] = []
        var value: UInt64 = 0
        var digits = 0
        for b in text.utf8 {
            let d: UInt64
            switch b {
            case 0x20:
                guard digits == 0 || digits == 16 else { return nil }
                if digits == 16 { out.append(value) }
                value = 0
                digits = 0
                continue
            case 0x30...0x39: d = UInt64(b - 0x30)
            case 0x61...0x66: d = UInt64(b - 0x61 + 10)
            case 0x41...0x46: d = UInt64(b - 0x41 + 10)
            default: return nil
            }
            guard digits < 16 else { return nil }
            value = value << 4 | d
            digits += 1
        }
        guard digits == 0 || digits == 16 else { return nil }
        if digits == 16 { out.append(value) }
        return out
    }

    // MARK: Band index keys

    /// Bits per band: 4 bands of 16 over each fingerprint. Two fingerprints
    /// within 3 bits share a band for certain; the confirmation step decides.
    public static let bandBits = 16
    public static let bandsPerFingerprint = 64 / bandBits

    /// The band keys of both fingerprints, each unique to its band and fingerprint:
    /// `(key number << 16) | band bits`, 8 keys in all.
    public var bandKeys: [Int64] {
        (0..<Self.bandsPerFingerprint * 2).map { Self.bandKey($0, full: full, head: head) }
    }

    /// Key `n` (0…7): bands 0–3 of the full fingerprint, then 0–3 of the head.
    @inline(__always)
    public static func bandKey(_ n: Int, full: UInt64, head: UInt64) -> Int64 {
        let value = n < bandsPerFingerprint ? full : head
        let band = n % bandsPerFingerprint
        return Int64(n << bandBits) | Int64((value >> UInt64(band * bandBits)) & 0xFFFF)
    }
}
