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

    /// `n` as two ASCII digits.
    @inline(__always)
    private static func two(_ n: Int, _ out: inout [UInt8]) {
        out.append(0x30 + UInt8(n / 10 % 10))
        out.append(0x30 + UInt8(n % 10))
    }

    private static func four(_ n: Int, _ out: inout [UInt8]) {
        two(n / 100, &out)
        two(n % 100, &out)
    }

    /// A page's time for people, in `zone`: `2021-12-29 15:06` (`withYear: false`: `12-29 15:06`).
    static func display(_ date: Date, in zone: TimeZone, withYear: Bool = true) -> String {
        let (c, _) = parts(date, zone)
        let day = "\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
        return withYear ? "\(c.year)-" + day : day
    }

    /// RFC 822 as RSS 2.0 wants it: `Wed, 29 Dec 2021 15:06:00 +0800`.
    static func rfc822(_ date: Date, in zone: TimeZone) -> String {
        var out: [UInt8] = []
        appendRFC822(date, in: zone, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `rfc822` written straight into a writer's bytes (no string per date).
    static func appendRFC822(_ date: Date, in zone: TimeZone, to out: inout [UInt8]) {
        let (c, offset) = parts(date, zone)
        out.append(contentsOf: days[c.weekday].utf8)
        out.append(0x2C); out.append(0x20)
        two(c.day, &out); out.append(0x20)
        out.append(contentsOf: months[c.month - 1].utf8); out.append(0x20)
        four(c.year, &out); out.append(0x20)
        two(c.hour, &out); out.append(0x3A); two(c.minute, &out); out.append(0x3A); two(c.second, &out)
        out.append(0x20); out.append(offset < 0 ? 0x2D : 0x2B)
        let o = abs(offset) / 60
        two(o / 60, &out); two(o % 60, &out)
    }

    /// RFC 3339 as Atom wants it: `2021-12-29T15:06:00+08:00`.
    static func rfc3339(_ date: Date, in zone: TimeZone, millisecond: Int? = nil) -> String {
        var out: [UInt8] = []
        appendRFC3339(date, in: zone, millisecond: millisecond, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `rfc3339` written straight into a writer's bytes; with `millisecond`,
    /// a fraction of the second (`15:06:00.417+08:00`).
    static func appendRFC3339(_ date: Date, in zone: TimeZone, millisecond: Int? = nil, to out: inout [UInt8]) {
        let (c, offset) = parts(date, zone)
        four(c.year, &out); out.append(0x2D); two(c.month, &out); out.append(0x2D); two(c.day, &out)
        out.append(0x54)
        two(c.hour, &out); out.append(0x3A); two(c.minute, &out); out.append(0x3A); two(c.second, &out)
        if let millisecond {
            out.append(0x2E)
            out.append(0x30 + UInt8(millisecond / 100 % 10))
            two(millisecond % 100, &out)
        }
        if offset == 0 { out.append(0x5A); return }
        out.append(offset < 0 ? 0x2D : 0x2B)
        let o = abs(offset) / 60
        two(o / 60, &out); out.append(0x3A); two(o % 60, &out)
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
