import FeedModel
import FeedSources
import Foundation
import FuzzDriver

/// The date parser over arbitrary text, read in Beijing time and in UTC.
///
/// What must hold: the same text gives the same answer; a date is inside
/// years 1…9999 (what `CivilTime` and the writers handle); a text read in both
/// zones is either the same instant (it names its zone) or Beijing's is 0–9
/// hours earlier (+08:00, +09:00 in the summers of 1986–1991); and the date
/// written back as RFC 3339 and as RFC 822 (with `CivilTime`, as the writers
/// do) reads back as the same second.
@main enum DatesFuzzer {
    static let beijing = DateParser(zone: TimeZone(identifier: "Asia/Shanghai")!)
    static let utc = DateParser(zone: TimeZone(secondsFromGMT: 0)!)
    static let earliest = CivilTime.date(year: 1, month: 1, day: 1)!.addingTimeInterval(-86_400)
    static let latest = CivilTime.date(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59)!.addingTimeInterval(86_400)
    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func main() {
        FuzzDriver.main { input in
            let text = String(decoding: input, as: UTF8.self)
            let context = "input: \(text.debugDescription)"
            let local = beijing.parse(text)
            FuzzCheck.expect(beijing.parse(text) == local, "two answers for one text\n\(context)")
            let universal = utc.parse(text)
            FuzzCheck.expect((local == nil) == (universal == nil), "read in one zone only: \(String(describing: local)) / \(String(describing: universal))\n\(context)")
            guard let local, let universal else { return }
            for date in [local, universal] {
                FuzzCheck.expect(date >= earliest && date <= latest, "\(date.timeIntervalSince1970) s is outside years 1…9999\n\(context)")
            }
            let difference = universal.timeIntervalSince(local)
            FuzzCheck.expect(difference == 0 || (difference > 0 && difference <= 9 * 3600),
                             "UTC and Beijing readings differ by \(difference) s\n\(context)")
            let t = CivilTime(local, offset: 0)
            // 0001-01-01 in Beijing is still year 0 in UTC, which no date text here names.
            guard (1...9999).contains(t.year) else { return }
            let second = Date(timeIntervalSince1970: local.timeIntervalSince1970.rounded(.down))
            let clock = "\(pad(t.hour)):\(pad(t.minute)):\(pad(t.second))"
            let iso = "\(pad(t.year, 4))-\(pad(t.month))-\(pad(t.day))T\(clock)Z"
            FuzzCheck.expect(beijing.parse(iso) == second, "\(iso) reads back as \(String(describing: beijing.parse(iso)))\n\(context)")
            guard t.year >= 1000 else { return }
            let rfc822 = "\(weekdays[t.weekday]), \(pad(t.day)) \(months[t.month - 1]) \(t.year) \(clock) +0000"
            FuzzCheck.expect(beijing.parse(rfc822) == second, "\(rfc822) reads back as \(String(describing: beijing.parse(rfc822)))\n\(context)")
        }
    }

    static func pad(_ n: Int, _ width: Int = 2) -> String {
        let digits = String(n)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
