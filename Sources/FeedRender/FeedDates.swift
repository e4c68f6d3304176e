import FeedModel
import Foundation

/// Date formats the feeds are written in, computed without DateFormatter
/// (fixed English names, no locale surprises, thread-safe).
enum FeedDates {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func parts(_ date: Date, _ zone: TimeZone) -> (CivilTime, Int) {
        // Whole minutes, as every format here writes it: a local mean time (Shanghai's +08:05:43
        // before 1901) would otherwise give a clock time 43 s off the written offset.
        let offset = zone.secondsFromGMT(for: date) / 60 * 60
        return (CivilTime(date, offset: offset), offset)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    /// Four digits, as RFC 3339 and the post file names need (a year 221 upstream is "0221").
    private static func four(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }

    /// RFC 822 as RSS 2.0 wants it: `Wed, 29 Dec 2021 15:06:00 +0800`.
    static func rfc822(_ date: Date, in zone: TimeZone) -> String {
        let (c, offset) = parts(date, zone)
        let sign = offset < 0 ? "-" : "+"
        let o = abs(offset) / 60
        return "\(days[c.weekday]), \(two(c.day)) \(months[c.month - 1]) \(four(c.year)) "
            + "\(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(sign)\(two(o / 60))\(two(o % 60))"
    }

    /// RFC 3339 as Atom wants it: `2021-12-29T15:06:00+08:00`.
    static func rfc3339(_ date: Date, in zone: TimeZone) -> String {
        let (c, offset) = parts(date, zone)
        let o = abs(offset) / 60
        let suffix = offset == 0 ? "Z" : "\(offset < 0 ? "-" : "+")\(two(o / 60)):\(two(o % 60))"
        return "\(four(c.year))-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))\(suffix)"
    }

    /// Jekyll front matter, as the old site's posts have it: `2021-12-29 15:06:00 +0800`.
    static func jekyll(_ date: Date, in zone: TimeZone) -> String {
        let (c, offset) = parts(date, zone)
        let o = abs(offset) / 60
        return "\(day(date, in: zone)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) \(offset < 0 ? "-" : "+")\(two(o / 60))\(two(o % 60))"
    }

    /// The calendar day in `zone`, as post file names start: `2021-12-29`.
    static func day(_ date: Date, in zone: TimeZone) -> String {
        let (c, _) = parts(date, zone)
        return "\(four(c.year))-\(two(c.month))-\(two(c.day))"
    }
}
