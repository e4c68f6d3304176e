import Foundation

/// RFC 822 (§5), as amended by RFC 1123 and RFC 2822 §3.3, read the way
/// lenient feed readers do: `[weekday,] day month year [time] [zone]`, with
/// the order of day, month and year loosened (`Dec 29 2021`, asctime's
/// `Wed Dec 29 15:06:00 2021`, `29-Dec-2021`).
extension DateParser {
    func parseRFC822(_ text: String) -> Date? {
        parseCanonicalRFC822(text) ?? parseLenientRFC822(text)
    }

    /// Any order and spelling the lenient readers accept.
    func parseLenientRFC822(_ text: String) -> Date? {
        var f = Fields()
        var numbers: [(value: Int, digits: Int)] = []
        var month: Int?
        var time: (Int, Int, Int)?
        var pm: Bool?
        var zoneSeen = false
        for token in Self.tokens(text) {
            guard let first = token.utf8.first else { continue }
            let isDigit = first >= 0x30 && first <= 0x39
            if first >= 0x80 {
                guard Self.isChineseWeekday(token) else { return nil }
                continue
            }
            let lower = isDigit ? "" : token.lowercased()
            if isDigit {
                // Numbers and times: below.
            } else if DateTables.englishWeekdays.contains(lower) {
                continue
            } else if let m = DateTables.months[lower] {
                guard month == nil else { return nil }
                month = m
                continue
            } else if lower == "am" || lower == "pm" {
                pm = lower == "pm"
                continue
            }
            if isDigit, token.utf8.contains(0x3A), time == nil {
                // `15:06:00`, possibly with a zone glued on: `15:06:00+0800`, `15:06:00Z`.
                let timeEnd = token.firstIndex { !($0.isNumber || $0 == ":" || $0 == ".") } ?? token.endIndex
                guard let t = Self.clock(token[..<timeEnd]) else { return nil }
                time = t
                if timeEnd < token.endIndex {
                    guard let offset = Self.zoneOffset(token[timeEnd...]) else { return nil }
                    f.offset = offset
                    zoneSeen = true
                }
            } else if isDigit, token.utf8.count <= 4, token.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(token) {
                numbers.append((n, token.utf8.count))
            } else if !zoneSeen, let offset = Self.zoneOffset(token) {
                f.offset = offset
                zoneSeen = true
            } else {
                return nil
            }
        }
        guard let month, numbers.count == 2 else { return nil }
        // The year is the four-digit number, else the one after the day.
        let (day, year) = numbers[1].digits >= 3 || numbers[0].digits <= 2 && numbers[1].digits <= 2
            ? (numbers[0], numbers[1]) : (numbers[1], numbers[0])
        guard day.digits <= 2 else { return nil }
        f.day = day.value
        f.month = month
        f.year = Self.fullYear(year.value, digits: year.digits)
        if let (h, m, s) = time {
            f.hour = h; f.minute = m; f.second = s
            if let pm {
                guard (1...12).contains(h) else { return nil }
                f.hour = h % 12 + (pm ? 12 : 0)
            }
        }
        return date(f)
    }

    /// `Sat, 01 Jun 2024 12:00:00 +0800` — RFC 822 the way nearly every feed
    /// writes it: `[Www, ]D[D] Mon YYYY HH:MM[:SS] zone`, the zone `±hhmm`,
    /// `GMT`, `UT`, `UTC` (or RFC 3339's `Z`, `±hh:mm`) — read straight from
    /// the bytes (the lenient reading splits and lowercases words: a few µs
    /// an item). Nil for anything else, which the lenient reading takes.
    func parseCanonicalRFC822(_ text: String) -> Date? {
        var b = ByteScanner(Array(text.utf8))
        if let weekday = b.letters3() {
            guard Self.weekdays3.contains(weekday), b.take(0x2C) != nil, b.take(0x20) != nil else { return nil } // ", "
        }
        var f = Fields()
        guard let day = b.digits(1...2), b.take(0x20) != nil, let month = b.letters3().flatMap({ Self.months3[$0] }),
              b.take(0x20) != nil, let year = b.digits(exactly: 4), b.take(0x20) != nil,
              let hour = b.digits(exactly: 2), b.take(0x3A) != nil, let minute = b.digits(exactly: 2) else { return nil }
        f.day = day; f.month = month; f.year = year; f.hour = hour; f.minute = minute
        if b.take(0x3A) != nil {
            guard let second = b.digits(exactly: 2) else { return nil }
            f.second = second
        }
        guard b.take(0x20) != nil else { return nil }
        if let offset = b.isoZone() {
            f.offset = offset
        } else if ["GMT", "UT", "UTC"].contains(where: { b.bytes[b.position...].elementsEqual($0.utf8) }) {
            f.offset = 0
        } else {
            return nil
        }
        return date(f)
    }

    private static func pack3(_ s: String) -> UInt32 { s.utf8.reduce(0) { $0 << 8 | UInt32($1) } }
    private static let weekdays3: Set<UInt32> = Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(pack3))
    private static let months3: [UInt32: Int] = Dictionary(uniqueKeysWithValues:
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].enumerated().map { (pack3($1), $0 + 1) })

    /// Words of the date: split at spaces and commas; `29-Dec-2021` split at its dashes.
    static func tokens(_ text: String) -> [Substring] {
        var s = text
        if let paren = s.firstIndex(of: "(") { s = String(s[..<paren]) } // `+0800 (CST)`: the comment goes
        var out: [Substring] = []
        for word in s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) {
            if word.first?.isNumber == true, word.utf8.contains(0x2D), word.contains(where: \.isLetter) {
                out += word.split(separator: "-")
            } else {
                out.append(word)
            }
        }
        return out
    }

    static func isChineseWeekday(_ token: Substring) -> Bool {
        guard let first = token.utf8.first, first >= 0x80 else { return false }
        guard let prefix = DateTables.chineseWeekdayPrefixes.first(where: { token.hasPrefix($0) }) else { return false }
        let rest = token.dropFirst(prefix.count)
        return rest.count == 1 && rest.first.map(DateTables.chineseWeekdayDays.contains) == true
    }

    /// `15:06:00`, `15:06`, `9:05:00.123` → (h, m, s).
    static func clock(_ text: Substring) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), (1...2).contains(parts[0].count), parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        var s = 0
        if parts.count == 3 {
            let whole = parts[2].split(separator: ".", maxSplits: 1).first ?? ""
            guard whole.count == 2, let v = Int(whole) else { return nil }
            s = v
        }
        return (h, m, s)
    }

    /// RFC 2822 §4.3: two-digit years 00–49 are 20xx and 50–99 are 19xx; three-digit years add 1900.
    static func fullYear(_ year: Int, digits: Int) -> Int {
        switch digits {
        case 1, 2: year < 50 ? 2000 + year : 1900 + year
        case 3: 1900 + year
        default: year
        }
    }
}
