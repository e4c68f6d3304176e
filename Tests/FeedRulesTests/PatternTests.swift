import FeedRules
import Foundation
import Testing

/// The engine's syntax and matching, case by case: pattern, text, the whole
/// match and its groups as text (nil: no match / group did not take part).
@Suite struct PatternTests {
    struct Case: Sendable, CustomStringConvertible {
        let pattern: String
        let text: String
        let expected: [String?]?
        var caseSensitive = false
        var description: String { "/\(pattern)/ on \(text.prefix(30))" }
    }

    static let cases: [Case] = [
        Case(pattern: "广告", text: "这是广告内容", expected: ["广告"]),
        Case(pattern: "广告|推广|直播预告", text: "明日直播预告：…", expected: ["直播预告"]),
        Case(pattern: "直播预告|推广", text: "直播预", expected: nil),
        Case(pattern: "(?:NEWS|快讯)", text: "今日news", expected: ["news"]),
        Case(pattern: "(?:NEWS|快讯)", text: "今日news", expected: nil, caseSensitive: true),
        Case(pattern: "^【(.+?)】", text: "【快讯】北交所开市", expected: ["【快讯】", "快讯"]),
        Case(pattern: "^【(.+)】", text: "【快讯】a【b】", expected: ["【快讯】a【b】", "快讯】a【b"]),
        Case(pattern: "a.c", text: "xa\ncabc", expected: ["abc"]),
        Case(pattern: "[0-9]+%", text: "涨幅12.5%", expected: ["5%"]),
        Case(pattern: "[^、，]+", text: "、，光伏，组件", expected: ["光伏"]),
        Case(pattern: "[一-龥]{2}", text: "ab中国c", expected: ["中国"]),
        Case(pattern: "\\d{3,4}", text: "code 12 34567", expected: ["3456"]),
        Case(pattern: "\\d{2,}?", text: "12345", expected: ["12"]),
        Case(pattern: "\\w+\\s\\w+", text: "--foo  bar baz", expected: ["bar baz"]),
        Case(pattern: "\\D\\W\\S", text: "1a!b", expected: ["a!b"]),
        Case(pattern: "\\d\\W", text: "a1b", expected: nil),
        Case(pattern: "\\bcat\\b", text: "concat cat", expected: ["cat"]),
        Case(pattern: "\\Bcat", text: "cat concat", expected: ["cat"]),
        Case(pattern: "colou?r", text: "COLOR", expected: ["COLOR"]),
        Case(pattern: "colou?r", text: "COLOR", expected: nil, caseSensitive: true),
        Case(pattern: "[a-z]+", text: "ABC", expected: ["ABC"]),
        Case(pattern: "[^a-z]", text: "ABC1", expected: ["1"]),
        Case(pattern: "σ", text: "ΣΑΣ", expected: ["Σ"]),
        Case(pattern: "(?:ab)+", text: "xababa", expected: ["abab"]),
        Case(pattern: "(a)|(b)", text: "b", expected: ["b", nil, "b"]),
        Case(pattern: "(?P<code>NW\\d+)", text: "id=NW2021", expected: ["NW2021", "NW2021"]),
        Case(pattern: "a*?b", text: "aaab", expected: ["aaab"]),
        Case(pattern: "x*", text: "abc", expected: [""]),
        Case(pattern: "$", text: "abc", expected: [""]),
        Case(pattern: "c$", text: "abcabc", expected: ["c"]),
        Case(pattern: "^abc$", text: "abc\n", expected: nil),
        Case(pattern: "(a*)*", text: "b", expected: ["", nil]),
        Case(pattern: "(a*)+$", text: "aab", expected: ["", ""]),
        Case(pattern: "(|a)*b", text: "aab", expected: ["aab", "a"]),
        Case(pattern: "\\.\\*\\(\\)\\[\\]", text: "x.*()[]", expected: [".*()[]"]),
        Case(pattern: "a{2}", text: "a{2}aa", expected: ["aa"]),
        Case(pattern: "a{,2}", text: "a{,2}", expected: ["a{,2}"]),
        Case(pattern: "\\x{5149}伏", text: "光伏", expected: ["光伏"]),
        Case(pattern: "[\\d-]+", text: "2021-12-29", expected: ["2021-12-29"]),
        Case(pattern: "[]a]+", text: "x]a]", expected: ["]a]"]),
        Case(pattern: "\\AN\\z", text: "N", expected: ["N"]),
    ]

    @Test(arguments: cases)
    func matches(_ c: Case) throws {
        let pattern = try Pattern(c.pattern, caseSensitive: c.caseSensitive)
        // The yes/no search (no captures; a plain literal search for literal alternations) agrees.
        #expect(pattern.matches(c.text) == (c.expected != nil))
        let scalars = Array(c.text.unicodeScalars)
        switch pattern.firstMatch(in: c.text) {
        case .match(let m):
            let texts = m.groups.map { $0.map { String(String.UnicodeScalarView(scalars[$0])) } }
            #expect(texts == c.expected)
        case .noMatch:
            #expect(c.expected == nil)
        case .budgetExceeded:
            Issue.record("budget exceeded")
        }
    }

    struct Refusal: Sendable, CustomStringConvertible {
        let pattern: String
        let message: String
        let offset: Int
        var description: String { pattern }
    }

    static let refusals: [Refusal] = [
        Refusal(pattern: "(a)\\1", message: "backreferences", offset: 3),
        Refusal(pattern: "a(?=b)", message: "lookahead", offset: 1),
        Refusal(pattern: "a(?!b)", message: "lookahead", offset: 1),
        Refusal(pattern: "(?<=a)b", message: "lookbehind", offset: 0),
        Refusal(pattern: "(?<!a)b", message: "lookbehind", offset: 0),
        Refusal(pattern: "(?>a+)b", message: "atomic", offset: 0),
        Refusal(pattern: "a++", message: "possessive", offset: 2),
        Refusal(pattern: "a**", message: "cannot follow another", offset: 2),
        Refusal(pattern: "*a", message: "nothing to repeat", offset: 0),
        Refusal(pattern: "a|+", message: "nothing to repeat", offset: 2),
        Refusal(pattern: "(ab", message: "missing ')'", offset: 0),
        Refusal(pattern: "ab)", message: "unmatched ')'", offset: 2),
        Refusal(pattern: "[ab", message: "missing ']'", offset: 0),
        Refusal(pattern: "[z-a]", message: "out of order", offset: 4),
        Refusal(pattern: "a{3,2}", message: "below the minimum", offset: 1),
        Refusal(pattern: "a{1001}", message: "above 1000", offset: 1),
        Refusal(pattern: "(a{1000}){1000}", message: "too large", offset: 0),
        Refusal(pattern: "\\q", message: "unknown escape", offset: 0),
        Refusal(pattern: "\\p{Han}", message: "property classes", offset: 0),
        Refusal(pattern: "abc\\", message: "end with", offset: 3),
        Refusal(pattern: "(?i)a", message: "unsupported group", offset: 0),
    ]

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) {
        #expect(throws: PatternError.self) { try Pattern(r.pattern) }
        do {
            _ = try Pattern(r.pattern)
        } catch {
            #expect(error.message.contains(r.message), "\(error)")
            #expect(error.offset == r.offset, "\(error)")
        }
    }

    @Test(arguments: [
        ("^【(.+?)】", "$1", "【快讯】北交所", "快讯北交所"),
        ("\\s+", " ", "a  b\t\tc", "a b c"),
        ("(\\d+)元", "${1} yuan", "3元 4元", "3 yuan 4 yuan"),
        ("x*", "-", "ab", "-a-b-"),
        ("a", "$$", "banana", "b$n$n$"),
        ("(a)|b", "[$1]", "ab", "[a][]"),
    ])
    func replaces(_ pattern: String, _ template: String, _ text: String, _ expected: String) throws {
        let p = try Pattern(pattern)
        let r = try Replacement(template, groupCount: p.groupCount)
        #expect(p.replacingMatches(in: text, with: r) == expected)
    }

    @Test func replacementNamesOnlyExistingGroups() throws {
        let p = try Pattern("(a)")
        #expect(throws: PatternError.self) { try Replacement("$2", groupCount: p.groupCount) }
        #expect(throws: PatternError.self) { try Replacement("$x", groupCount: p.groupCount) }
        #expect(throws: PatternError.self) { try Replacement("${1", groupCount: p.groupCount) }
    }

    /// `(a+)+$` on a 50 KB title of `a` that ends in `!` is exponential for
    /// a backtracking engine. Here the search is one pass: it ends with a miss
    /// inside the default budget (which counts instruction visits, so this
    /// pins the linear bound without timing anything).
    @Test(arguments: ["(a+)+$", "(a|a)*b$", "(?:a|aa)+$"])
    func pathologicalPatternIsLinear(_ source: String) throws {
        let hostile = String(repeating: "a", count: 50_000) + "!"
        let pattern = try Pattern(source)
        #expect(pattern.matches(hostile) == false)
        #expect(pattern.firstMatch(in: hostile) == .noMatch)
        // Linear: a tenth of the text needs about a tenth of the visits.
        #expect(pattern.matches(String(hostile.suffix(5_001)), budget: Pattern.defaultBudget / 8) == false)
    }

    /// A budget too small for the text ends the search, reported as such, not as a match or a miss.
    @Test func budgetEndsTheSearch() throws {
        let pattern = try Pattern("(a+)+$")
        let text = String(repeating: "a", count: 5_000) + "!"
        #expect(pattern.firstMatch(in: text, budget: 1_000) == .budgetExceeded)
        #expect(pattern.firstMatch(in: text) == .noMatch)
        #expect(pattern.matches(text, budget: 1_000) == nil)
    }
}
