import Foundation

/// The one parser for upstream dates. Upstream JSON APIs write Beijing time
/// with no zone (`2021-12-29 15:06:00`); those are read in the site's zone.
public struct DateParser: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) { self.zone = zone }

    /// Accepts `YYYY-MM-DD HH:MM[:SS[.fff]]`, the same with `T` or `/`, an
    /// RFC 3339 offset or `Z`, a bare date, and Unix seconds or milliseconds.
    public func parse(_ text: String) -> Date? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let n = Double(s), s.allSatisfy({ $0.isNumber || $0 == "." }) {
            // 13 digits are milliseconds (JavaScript), 10 are seconds.
            return Date(timeIntervalSince1970: n > 1e11 ? n / 1000 : n)
        }
        return parseCalendarDate(Array(s.utf8))
    }

    private func parseCalendarDate(_ b: [UInt8]) -> Date? {
        var i = 0
        func number(_ digits: Int) -> Int? {
            guard i + digits <= b.count else { return nil }
            var n = 0
            for k in i..<(i + digits) {
                guard b[k] >= 0x30 && b[k] <= 0x39 else { return nil }
                n = n * 10 + Int(b[k] - 0x30)
            }
            i += digits
            return n
        }
        func skip(_ chars: Set<UInt8>) -> Bool {
            guard i < b.count, chars.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), skip([0x2D, 0x2F]), let month = number(2), skip([0x2D, 0x2F]),
              let day = number(2) else { return nil }
        var c = DateComponents(year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
        var offset: Int?
        if skip([0x20, 0x54, 0x74]) { // ' ', 'T', 't'
            guard let hour = number(2), skip([0x3A]), let minute = number(2) else { return nil }
            c.hour = hour
            c.minute = minute
            if skip([0x3A]) {
                guard let second = number(2) else { return nil }
                c.second = second
                if skip([0x2E, 0x2C]) { while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 } } // fraction dropped
            }
            while i < b.count, b[i] == 0x20 { i += 1 }
            if i < b.count {
                if b[i] == 0x5A || b[i] == 0x7A { offset = 0; i += 1 } // Z
                else if b[i] == 0x2B || b[i] == 0x2D {
                    let sign = b[i] == 0x2D ? -1 : 1
                    i += 1
                    guard let oh = number(2) else { return nil }
                    _ = skip([0x3A])
                    let om = number(2) ?? 0
                    offset = sign * (oh * 3600 + om * 60)
                }
            }
        }
        guard i == b.count, (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(c.hour!), (0...59).contains(c.minute!), (0...60).contains(c.second!) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = offset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        guard let date = calendar.date(from: c), calendar.component(.day, from: date) == day else { return nil }
        return date
    }
}
