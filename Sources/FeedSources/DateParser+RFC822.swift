import Foundation

/// RFC 822 (§5), as amended by RFC 1123 and RFC 2822 §3.3, read the way
/// lenient feed readers do: `[weekday,] day month year [time] [zone]`, with
/// the order of day, month and year loosened (`Dec 29 2021`, asctime's
/// `Wed Dec 29 15:06:00 2021`, `29-Dec-2021`).
extension DateParser {
    func parseRFC822(_ text: String) -> Date? {
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
