import FeedModel
import Foundation

/// The one parser for upstream dates: JSON APIs, feeds and pages.
///
/// - `YYYY-MM-DD HH:MM[:SS[.fff]]` (also with `T`, `/` or `.`, one-digit
///   months, days and hours, `2021年12月29日 15:06`, and the compact
///   `20211229T150600Z`), with an RFC 3339 offset, `Z`, a named zone or none;
///   a bare date;
/// - RFC 822/1123/2822 (`Wed, 29 Dec 2021 15:06:00 +0800`) and what feeds get
///   wrong about it: named zones (`CST` is China's, see `DateTables.zones`),
///   `GMT+8`, missing seconds, two-digit years, Chinese weekday names, full
///   month names, no weekday, no comma, `AM`/`PM`;
/// - Unix seconds or milliseconds.
///
/// A date without a zone is read in `zone` (the site's: upstreams write
/// Beijing time without saying so).
public struct DateParser: Sendable {
    public let zone: TimeZone

    public init(zone: TimeZone) { self.zone = zone }

    /// The instant `text` names, or nil when it is not a date feedd can read.
    public func parse(_ text: String) -> Date? {
        let s = text.trimmed
        guard !s.isEmpty, s.utf8.count <= 100 else { return nil }
        if s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }), s.utf8.count != 8, let n = Double(s) {
            // 13 digits are milliseconds (JavaScript), 10 are seconds. (8 digits are a compact date.)
            let seconds = n > 1e11 ? n / 1000 : n
            // Past year 9999 it is not a time but a number (an id in the date field).
            return seconds < Self.year10000 ? Date(timeIntervalSince1970: seconds) : nil
        }
        return parseNumericDate(s) ?? parseRFC822(s)
    }

    /// 10000-01-01T00:00:00Z, where the dates feedd reads end (as `date(_:)`'s range does).
    static let year10000: Double = 253_402_300_800

    /// Calendar fields as read, before they become an instant.
    struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        /// Seconds east of UTC; nil: the parser's zone.
        var offset: Int?
    }

    /// The instant of `f`, or nil when a field is out of range (a 30 February).
    func date(_ f: Fields) -> Date? {
        guard (1...12).contains(f.month), (1...Self.daysIn(f.month, f.year)).contains(f.day),
              (0...23).contains(f.hour), (0...59).contains(f.minute), (0...60).contains(f.second),
              (1...9999).contains(f.year) else { return nil }
        let local = Double(CivilTime.daysFromCivil(year: f.year, month: f.month, day: f.day) * 86_400 + f.hour * 3600 + f.minute * 60 + f.second)
        if let offset = f.offset { return Date(timeIntervalSince1970: local - Double(offset)) }
        // The zone's offset at that local time: guess, then correct once (DST edges).
        let guess = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: local)))
        let corrected = local - Double(zone.secondsFromGMT(for: Date(timeIntervalSince1970: guess)))
        return Date(timeIntervalSince1970: corrected)
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Seconds east of UTC of a zone as written: `Z`, `+0800`, `+08:00`,
    /// `+8`, `GMT+8`, `UTC+08:00`, or a name from `DateTables.zones`.
    static func zoneOffset(_ token: Substring) -> Int? {
        if let named = DateTables.zones[token.uppercased()] { return named }
        if let sign = token.first, sign == "+" || sign == "-" {
            return numericOffset(token.dropFirst(), negative: sign == "-")
        }
        for prefix in DateTables.offsetPrefixes where token.uppercased().hasPrefix(prefix) {
            let rest = token.dropFirst(prefix.count)
            if let sign = rest.first, sign == "+" || sign == "-" { return numericOffset(rest.dropFirst(), negative: sign == "-") }
        }
        return nil
    }

    /// `0800`, `08:00`, `08`, `8` → seconds.
    private static func numericOffset(_ digits: Substring, negative: Bool) -> Int? {
        let parts = digits.split(separator: ":", omittingEmptySubsequences: false)
        var hours: Int?, minutes = 0
        switch (parts.count, parts.first?.count) {
        case (1, 4?): hours = Int(digits.prefix(2)); minutes = Int(digits.suffix(2)) ?? -1
        case (1, 1?), (1, 2?): hours = Int(digits)
        case (2, _) where parts[1].count == 2: hours = Int(parts[0]); minutes = Int(parts[1]) ?? -1
        default: return nil
        }
        guard let h = hours, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }),
              (0...14).contains(h), (0...59).contains(minutes) else { return nil }
        return (negative ? -1 : 1) * (h * 3600 + minutes * 60)
    }
}
