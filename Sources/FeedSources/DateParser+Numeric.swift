import Foundation

/// Dates that begin with the year: ISO 8601 / RFC 3339 and the forms
/// Chinese sites write (`2021/12/29 15:06`, `2021年12月29日 15:06`).
extension DateParser {
    /// Chinese date and time marks, rewritten to ISO separators before parsing.
    static let chineseMarks: [(Character, String)] = [
        ("年", "-"), ("月", "-"), ("日", " "), ("号", " "), ("时", ":"), ("時", ":"), ("点", ":"), ("分", ":"), ("秒", ""),
    ]

    func parseNumericDate(_ text: String) -> Date? {
        guard let first = text.utf8.first, first >= 0x30, first <= 0x39 else { return nil }
        var s = text
        if s.utf8.contains(where: { $0 >= 0x80 }) {
            var rewritten = ""
            for ch in s {
                if let mark = Self.chineseMarks.first(where: { $0.0 == ch }) { rewritten += mark.1 } else { rewritten.append(ch) }
            }
            s = rewritten
            while s.hasSuffix(":") || s.hasSuffix(" ") { s.removeLast() } // `15时06分` → `15:06`
        }
        var scanner = ByteScanner(Array(s.utf8))
        return scan(&scanner)
    }

    private func scan(_ b: inout ByteScanner) -> Date? {
        var f = Fields()
        if let compact = b.digits(exactly: 8), b.atEnd || b.peek == 0x54 || b.peek == 0x74 { // 20211229[T…]
            f.year = compact / 10_000; f.month = compact / 100 % 100; f.day = compact % 100
        } else {
            b.position = 0
            guard let year = b.digits(exactly: 4), let sep = b.take(anyOf: [0x2D, 0x2F, 0x2E]), // - / .
                  let month = b.digits(1...2), b.take(sep) != nil, let day = b.digits(1...2) else { return nil }
            f.year = year; f.month = month; f.day = day
        }
        if b.atEnd { return date(f) }
        guard b.take(anyOf: [0x54, 0x74]) != nil || b.skipSpaces() else { return nil } // T, t or spaces
        guard scanTime(&b, into: &f) else { return nil }
        b.skipSpaces()
        if let offset = b.isoZone() {
            f.offset = offset
        } else if !b.atEnd {
            guard let offset = Self.zoneOffset(b.rest.split(separator: " ").first ?? ""), b.restIsZoneOnly else { return nil }
            f.offset = offset
        }
        return date(f)
    }

    /// `HH:MM[:SS[.fff]]`, one-digit hours accepted, or the compact `HHMMSS`; a zone may follow at once.
    private func scanTime(_ b: inout ByteScanner, into f: inout Fields) -> Bool {
        let start = b.position
        if let compact = b.digits(exactly: 6), b.peek != 0x3A {
            f.hour = compact / 10_000; f.minute = compact / 100 % 100; f.second = compact % 100
        } else {
            b.position = start
            guard let hour = b.digits(1...2), b.take(0x3A) != nil, let minute = b.digits(exactly: 2) else { return false }
            f.hour = hour; f.minute = minute
            if b.take(0x3A) != nil {
                guard let second = b.digits(exactly: 2) else { return false }
                f.second = second
            }
        }
        if b.take(anyOf: [0x2E, 0x2C]) != nil { _ = b.digits(1...9) } // fraction of a second: dropped
        return true
    }
}

/// A cursor over ASCII bytes for the date parsers.
struct ByteScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    /// The offset when the rest is exactly an RFC 3339 zone (`Z`, `+08:00`,
    /// `+0800`): the common case, read without building strings. Nil for
    /// anything else, which the general zone reading takes.
    func isoZone() -> Int? {
        let n = bytes.count - position
        if n == 1, bytes[position] | 0x20 == 0x7A { return 0 } // Z, z
        guard n == 5 || n == 6, bytes[position] == 0x2B || bytes[position] == 0x2D else { return nil } // + -
        let digits = n == 6 ? [1, 2, 4, 5] : [1, 2, 3, 4]
        guard n == 5 || bytes[position + 3] == 0x3A, digits.allSatisfy({ (0x30...0x39).contains(bytes[position + $0]) }) else {
            return nil
        }
        let value = { (k: Int) in Int(self.bytes[self.position + digits[k]] - 0x30) }
        let hours = value(0) * 10 + value(1)
        let minutes = value(2) * 10 + value(3)
        guard hours <= 14, minutes <= 59 else { return nil }
        return (bytes[position] == 0x2D ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// Three ASCII letters, lowercased and packed (`"Dec"` → `"dec"` as a
    /// big-endian word), consumed; nil (and nothing consumed) otherwise.
    mutating func letters3() -> UInt32? {
        guard position + 3 <= bytes.count else { return nil }
        var packed: UInt32 = 0
        for k in 0..<3 {
            let c = bytes[position + k] | 0x20 // ASCII lowercase
            guard c >= 0x61, c <= 0x7A else { return nil }
            packed = packed << 8 | UInt32(c)
        }
        position += 3
        return packed
    }

    /// The rest as text, `(comments)` removed.
    var rest: Substring {
        var s = String(decoding: bytes[position...], as: UTF8.self)
        if let paren = s.firstIndex(of: "(") { s = String(s[..<paren]) }
        return Substring(s.trimmed)
    }

    /// True when the rest is one zone token (plus an optional `(comment)`).
    var restIsZoneOnly: Bool { !rest.utf8.contains(0x20) }

    mutating func take(_ byte: UInt8) -> UInt8? {
        guard peek == byte else { return nil }
        position += 1
        return byte
    }

    mutating func take(anyOf set: [UInt8]) -> UInt8? {
        guard let c = peek, set.contains(c) else { return nil }
        position += 1
        return c
    }

    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = position
        while let c = peek, c == 0x20 || c == 0x09 { position += 1 }
        return position > start
    }

    mutating func digits(exactly n: Int) -> Int? { digits(n...n) }

    /// As many digits as there are, if their count is in `range`.
    mutating func digits(_ range: ClosedRange<Int>) -> Int? {
        let start = position
        var value = 0
        while let c = peek, c >= 0x30, c <= 0x39, position - start < range.upperBound {
            value = value * 10 + Int(c - 0x30)
            position += 1
        }
        let count = position - start
        if let c = peek, c >= 0x30, c <= 0x39 { position = start; return nil } // more digits than allowed
        guard range.contains(count) else { position = start; return nil }
        return value
    }
}
