/// The names dates are written with, as data: months, weekdays and time zones.
enum DateTables {
    /// English month names and abbreviations, lowercased (RFC 822 uses the
    /// three-letter ones; feeds also write them in full, and `Sept`).
    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
        "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
        "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
        "dec": 12, "december": 12,
    ]

    /// Weekday names carry no information (the date has it) and are skipped:
    /// English, and the Chinese 星期X / 周X / 礼拜X that Chinese CMSes print.
    static let englishWeekdays: Set<String> = [
        "mon", "monday", "tue", "tues", "tuesday", "wed", "weds", "wednesday", "thu", "thur", "thurs", "thursday",
        "fri", "friday", "sat", "saturday", "sun", "sunday",
    ]
    static let chineseWeekdayPrefixes = ["星期", "礼拜", "禮拜", "周", "週"]
    static let chineseWeekdayDays: Set<Character> = ["一", "二", "三", "四", "五", "六", "日", "天"]

    /// Named zones, uppercased, in seconds east of UTC.
    ///
    /// `CST` is China Standard Time (+08:00) here, not US Central (−06:00):
    /// feedd reads Chinese outlets, whose servers (PHP's `date('T')`, Java's
    /// `Date.toString()` on Asia/Shanghai) print `CST` for Beijing time. A US
    /// feed that means Central time should write a numeric offset, as RFC 2822
    /// asks. The other North American zones keep RFC 822's meaning.
    static let zones: [String: Int] = [
        "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0,
        "CST": 8 * 3600, "BJT": 8 * 3600, "CCT": 8 * 3600, "HKT": 8 * 3600, "SGT": 8 * 3600, "AWST": 8 * 3600,
        "PHT": 8 * 3600, "MYT": 8 * 3600, "TWT": 8 * 3600,
        "JST": 9 * 3600, "KST": 9 * 3600, "IST": 5 * 3600 + 1800, "ICT": 7 * 3600,
        "AEST": 10 * 3600, "AEDT": 11 * 3600,
        "BST": 3600, "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600, "MSK": 3 * 3600,
        "EST": -5 * 3600, "EDT": -4 * 3600, "CDT": -5 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600,
        "PST": -8 * 3600, "PDT": -7 * 3600,
    ]

    /// Prefixes of `GMT+8`, `UTC+08:00`, `GMT+0800`: a name, then a numeric offset.
    static let offsetPrefixes = ["GMT", "UTC", "UT"]
}
