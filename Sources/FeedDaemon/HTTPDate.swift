import FeedModel
import Foundation

/// IMF-fixdate (RFC 9110 §5.6.7), the date format of HTTP headers:
/// `Wed, 21 Oct 2015 07:28:00 GMT`. Written by hand: DateFormatter is slow and locale-bound.
enum HTTPDate {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ date: Date) -> String {
        let c = CivilTime(date, offset: 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[c.weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }

    static func parse(_ text: String) -> Date? {
        // "Wed, 21 Oct 2015 07:28:00 GMT"
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
              let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]) else { return nil }
        let time = parts[4].split(separator: ":").compactMap { Int($0) }
        guard time.count == 3 else { return nil }
        return CivilTime.date(year: year, month: month + 1, day: day, hour: time[0], minute: time[1], second: time[2])
    }
}
