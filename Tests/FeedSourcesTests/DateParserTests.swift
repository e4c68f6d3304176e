@testable import FeedSources
import Foundation
import Testing

@Suite("DateParser: one parser for every upstream date")
struct DateParserTests {
    let parser = DateParser(zone: TimeZone(identifier: "Asia/Shanghai")!)

    /// 2021-12-29 15:06:00 +08:00, the instant most cases name.
    static let instant = Date(timeIntervalSince1970: 1_640_761_560)

    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let expected: Date
        var description: String { text }
        init(_ text: String, _ expected: Date = DateParserTests.instant) {
            self.text = text
            self.expected = expected
        }
        init(_ text: String, offsetFromInstant seconds: TimeInterval) {
            self.init(text, DateParserTests.instant.addingTimeInterval(seconds))
        }
    }

    static let existing: [Case] = [
        Case("2021-12-29 15:06:00"),
        Case("2021-12-29T15:06:00"),
        Case("2021/12/29 15:06:00"),
        Case("2021-12-29 15:06"),
        Case("2021-12-29 15:06:00.250"),
        Case("2021-12-29T07:06:00Z"),
        Case("2021-12-29T15:06:00+08:00"),
        Case("2021-12-29T02:06:00-05:00"),
        Case("2021-12-29", offsetFromInstant: -(15 * 3600 + 6 * 60)),
        Case("1640761560"),
        Case("1640761560000"),
    ]

    static let iso8601: [Case] = [
        Case("2021-12-29T15:06:00+0800"),
        Case("2021-12-29T15:06:00.123456+08:00"),
        Case("2021-12-29T15:06:00,5+08"),
        Case("2021-12-29T07:06:00z"),
        Case("20211229T070600Z"),
        Case("2021-12-29 15:06:00 +0800"),
        Case("2021-12-29 15:06:00 CST"),
        Case("2021-12-29 07:06:00 GMT"),
        Case("2021-12-29 15:06:00 GMT+8"),
        Case("2021-12-29 15:06:00 +0800 (CST)"),
        Case("2021.12.29 15:06"),
        Case("2021-12-29  15:06"),
        Case("2021年12月29日 15:06"),
        Case("2021年12月29日 15:06:00"),
        Case("2021年12月29日15时06分"),
        Case("2021-01-05 09:05:00", Date(timeIntervalSince1970: 1_609_808_700)),
        Case("2021-1-5 9:05", Date(timeIntervalSince1970: 1_609_808_700)),
    ]

    static let rfc822: [Case] = [
        Case("Wed, 29 Dec 2021 15:06:00 +0800"),
        Case("Wed, 29 Dec 2021 07:06:00 GMT"),
        Case("Wed, 29 Dec 2021 07:06:00 UT"),
        Case("Wed, 29 Dec 2021 07:06:00 Z"),
        Case("Wed, 29 Dec 2021 02:06:00 EST"),
        Case("Wed, 29 Dec 2021 15:06:00 CST"),
        Case("Wed, 29 Dec 2021 15:06:00 GMT+8"),
        Case("Wed, 29 Dec 2021 15:06:00 GMT+08:00"),
        Case("Wed, 29 Dec 2021 15:06:00 UTC+0800"),
        Case("Wed, 29 Dec 2021 15:06:00 +08:00"),
        Case("Wed, 29 Dec 2021 15:06 +0800"),
        Case("Wed, 29 Dec 21 15:06:00 +0800"),
        Case("29 Dec 2021 15:06:00 +0800"),
        Case("Wed 29 Dec 2021 15:06:00 +0800"),
        Case("Wednesday, 29 December 2021 15:06:00 +0800"),
        Case("wed, 29 dec 2021 15:06:00 +0800"),
        Case("星期三, 29 Dec 2021 15:06:00 +0800"),
        Case("周三, 29 Dec 2021 15:06:00 +0800"),
        Case("Wed, 29 Dec 2021 15:06:00"),
        Case("Wed, 29 Dec 2021 15:06:00 +0800 (CST)"),
        Case("Wed, 29 Dec 2021 15:06:00+0800"),
        Case("Wed, 29 Dec 2021 03:06 PM +0800"),
        Case("Dec 29, 2021 15:06:00 +0800"),
        Case("Wed Dec 29 15:06:00 2021"),
        Case("Wed Dec 29 15:06:00 CST 2021"),
        Case("29-Dec-2021 15:06:00 +0800"),
        Case("Thu, 1 Jan 1970 00:00:00 GMT", Date(timeIntervalSince1970: 0)),
        Case("Sat, 1 Jan 99 00:00:00 GMT", Date(timeIntervalSince1970: 915_148_800)),
        Case("Wed, 29 Dec 2021 15:06:00 +0800", Date(timeIntervalSince1970: 1_640_761_560)),
    ]

    @Test("existing forms keep their meaning", arguments: existing)
    func existingForms(_ c: Case) {
        #expect(parser.parse(c.text) == c.expected)
    }

    @Test("ISO 8601 and Chinese forms", arguments: iso8601)
    func isoForms(_ c: Case) {
        #expect(parser.parse(c.text) == c.expected)
    }

    @Test("RFC 822 and its common mistakes", arguments: rfc822)
    func rfc822Forms(_ c: Case) {
        #expect(parser.parse(c.text) == c.expected)
    }

    @Test("not dates", arguments: [
        "", "yesterday", "2021-13-01", "2021-02-30", "2021-12-29 25:00", "Wed, 32 Dec 2021 15:06:00 +0800",
        "Wed, 29 Foo 2021 15:06:00 +0800", "29 Dec", "Wed, 29 Dec 2021 15:06:00 +0800 extra words",
        "2021-12-29T15:06:00+25:00", "刚刚", "3小时前", "Wed, 29 Dec 2021 13:06 PM",
        "16407615600997615", // past year 9999 even as milliseconds: a number, not a time (a fuzz finding)
    ])
    func notDates(_ text: String) {
        #expect(parser.parse(text) == nil)
    }

    /// The byte-level reading of the canonical RFC 822 form is a shortcut:
    /// wherever it answers, the lenient reading answers the same; where it
    /// declines, the lenient reading still decides.
    @Test("the canonical RFC 822 shortcut agrees with the lenient reading")
    func canonicalRFC822AgreesWithLenient() {
        var random = SystemRandomNumberGenerator()
        let weekdays = ["Mon, ", "Tue, ", "sat, ", "SUN, ", "", "Wed,", "Thursday, ", "Fri "]
        let months = ["Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Sept", "Foo"]
        let zones = ["+0800", "-0500", "+0000", "GMT", "UT", "UTC", "Z", "CST", "+08:00", "+1500", "+0860", "EST", "gmt", "+08"]
        var answered = 0
        for _ in 0..<20_000 {
            let day = Int.random(in: 0...32, using: &random)
            let dayText = Bool.random(using: &random) ? String(format: "%02d", day) : "\(day)"
            let year = [2024, 1999, 21, 99, 12345].randomElement(using: &random)!
            let time = String(format: "%02d:%02d", Int.random(in: 0...24, using: &random), Int.random(in: 0...60, using: &random))
                + (Bool.random(using: &random) ? String(format: ":%02d", Int.random(in: 0...61, using: &random)) : "")
            let text = weekdays.randomElement(using: &random)! + dayText + " " + months.randomElement(using: &random)! + " \(year) "
                + time + " " + zones.randomElement(using: &random)!
            guard let shortcut = parser.parseCanonicalRFC822(text) else {
                continue
            }
            answered += 1
            #expect(parser.parseLenientRFC822(text) == shortcut, "\(text)")
        }
        #expect(answered > 1_000) // the shortcut does answer the common forms
    }

    @Test("a date without a zone is read in the site's zone")
    func siteZone() {
        let utc = DateParser(zone: TimeZone(identifier: "UTC")!)
        #expect(utc.parse("2021-12-29 07:06:00") == Self.instant)
        #expect(utc.parse("Wed, 29 Dec 2021 07:06:00") == Self.instant)
    }
}
