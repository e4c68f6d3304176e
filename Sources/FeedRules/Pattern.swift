/// A regular expression checked when the config loads and matched by a
/// linear-time engine (`PikeVM`), so hostile upstream text cannot hang the
/// daemon: RE2-like syntax on Unicode scalars — literals (CJK too), `.`,
/// classes `[…]` with ranges and `^`, `\d \w \s` (ASCII, as in RE2) and their
/// negations, `^ $ \b \B \A \z`, groups `(…)`, `(?:…)`, `(?P<name>…)`,
/// `|`, `* + ? {m,n}` greedy and lazy. Backreferences and lookaround are
/// refused. Matching is case-insensitive unless `caseSensitive`.
public struct Pattern: Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let caseSensitive: Bool
    /// Behind a reference, so `Pattern`'s own layout (compiled into every
    /// module that holds a config) does not change with the engine's insides:
    /// an incremental build that misses a dependent then stays correct.
    private let compiled: Compiled
    var program: RegexProgram { compiled.program }

    private final class Compiled: Sendable {
        let program: RegexProgram
        init(_ program: RegexProgram) { self.program = program }
    }

    /// Instruction visits one match (or one replace-all) may take. The engine
    /// is linear, so only a huge pattern on a huge text comes near it; past
    /// it the text counts as not matching.
    public static let defaultBudget = 10_000_000

    public init(_ source: String, caseSensitive: Bool = false) throws(PatternError) {
        var parser = RegexParser(source)
        let node = try parser.parse()
        self.source = source
        self.caseSensitive = caseSensitive
        compiled = Compiled(try RegexProgram(node, groupCount: parser.captureCount, ignoresCase: !caseSensitive))
    }

    /// Capture groups, not counting the whole match.
    public var groupCount: Int { program.groupCount }

    public var description: String { caseSensitive ? "/\(source)/" : "/\(source)/i" }

    public static func == (a: Pattern, b: Pattern) -> Bool {
        a.source == b.source && a.caseSensitive == b.caseSensitive
    }

    /// What one search gave.
    public enum Outcome: Sendable, Equatable {
        case match(Match)
        case noMatch
        /// The budget ran out: treated as no match by callers, and worth a log line.
        case budgetExceeded
    }

    /// A match's groups as scalar offsets into the text (group 0: the whole match).
    public struct Match: Sendable, Equatable {
        public let groups: [Range<Int>?]
    }

    /// The leftmost-first match in `text`.
    public func firstMatch(in text: String, budget: Int = Pattern.defaultBudget) -> Outcome {
        var remaining = budget
        return firstMatch(in: Array(text.unicodeScalars), from: 0, budget: &remaining)
    }

    /// The text of group `group` of the leftmost-first match (the whole match
    /// when that group took no part in it); nil when nothing matched or the budget ran out.
    public func firstMatchText(in text: String, group: Int, budget: Int = Pattern.defaultBudget) -> String? {
        let scalars = Array(text.unicodeScalars)
        var remaining = budget
        guard case .match(let m) = firstMatch(in: scalars, from: 0, budget: &remaining),
              let range = (group < m.groups.count ? m.groups[group] : nil) ?? m.groups[0] else { return nil }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[range])
        return String(out)
    }

    /// Whether `text` contains a match; nil when the budget ran out.
    public func matches(_ text: String, budget: Int = Pattern.defaultBudget) -> Bool? {
        if let literals = program.literals { return Self.containsAny(literals, in: text, ignoresCase: !caseSensitive, budget: budget) }
        var remaining = budget
        switch PikeVM(program: program, text: Array(text.unicodeScalars)).firstMatch(from: 0, budget: &remaining, captures: false) {
        case .match: return true
        case .noMatch: return false
        case .budgetExceeded: return nil
        }
    }

    /// Whether any of `literals` occurs in `text`: at most (text × longest
    /// literal × literals) comparisons, counted against the budget like VM steps.
    static func containsAny(_ literals: [[UInt32]], in text: String, ignoresCase: Bool, budget: Int) -> Bool? {
        let t = text.unicodeScalars.map { ignoresCase ? CaseFold.lower($0).value : $0.value }
        var remaining = budget
        for i in t.indices {
            for literal in literals where literal[0] == t[i] && literal.count <= t.count - i {
                remaining -= literal.count
                if remaining < 0 { return nil }
                var k = 1
                while k < literal.count, literal[k] == t[i + k] { k += 1 }
                if k == literal.count { return true }
            }
        }
        return false
    }

    func firstMatch(in scalars: [Unicode.Scalar], from: Int, budget: inout Int) -> Outcome {
        switch PikeVM(program: program, text: scalars).firstMatch(from: from, budget: &budget) {
        case .budgetExceeded: return .budgetExceeded
        case .noMatch: return .noMatch
        case .match(let slots):
            let groups = (0...program.groupCount).map { k -> Range<Int>? in
                let (a, b) = (slots[2 * k], slots[2 * k + 1])
                return a >= 0 && b >= a ? a..<b : nil
            }
            return .match(Match(groups: groups))
        }
    }

    /// Every non-overlapping match replaced by `replacement` (`$1`, `${1}`,
    /// `$$`), as Python's `re.sub` and ICU do (an empty match right after a
    /// match counts too); nil when the budget ran out.
    public func replacingMatches(in text: String, with replacement: Replacement,
                                 budget: Int = Pattern.defaultBudget) -> String? {
        let scalars = Array(text.unicodeScalars)
        var remaining = budget
        var out = String.UnicodeScalarView()
        var pos = 0
        let vm = PikeVM(program: program, text: scalars)
        while pos <= scalars.count {
            let found: [Int]
            switch vm.firstMatch(from: pos, budget: &remaining) {
            case .budgetExceeded: return nil
            case .noMatch: out.append(contentsOf: scalars[pos...]); return String(out)
            case .match(let slots): found = slots
            }
            let (start, end) = (found[0], found[1])
            out.append(contentsOf: scalars[pos..<start])
            replacement.append(slots: found, of: scalars, to: &out)
            if end == start {
                // An empty match: keep the next scalar and search after it.
                if end < scalars.count { out.append(scalars[end]) }
                pos = end + 1
            } else {
                pos = end
            }
        }
        return String(out)
    }
}

/// A pattern the engine cannot take, and where in it (a scalar offset).
public struct PatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public var description: String { "\(message) (at offset \(offset))" }
}

/// A rewrite's replacement text: literal parts and `$n` / `${n}` group
/// references (`$$` is a literal `$`), checked against the pattern's groups.
public struct Replacement: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case text(String)
        case group(Int)
    }

    let parts: [Part]
    public let source: String

    public init(_ source: String, groupCount: Int) throws(PatternError) {
        var parts: [Part] = []
        var literal = String.UnicodeScalarView()
        let s = Array(source.unicodeScalars)
        var i = 0
        while i < s.count {
            guard s[i] == "$", i + 1 < s.count else { literal.append(s[i]); i += 1; continue }
            if s[i + 1] == "$" { literal.append("$"); i += 2; continue }
            var j = i + 1
            let braced = s[j] == "{"
            if braced { j += 1 }
            var n = 0
            let digitsStart = j
            while j < s.count, ("0"..."9").contains(s[j]), n < 1000 { n = n * 10 + Int(s[j].value - 48); j += 1 }
            if j == digitsStart || (braced && (j >= s.count || s[j] != "}")) {
                throw PatternError(message: "'$' must be followed by a group number ($1, ${1}) or '$'", offset: i)
            }
            if braced { j += 1 }
            guard n <= groupCount else {
                throw PatternError(message: "$\(n) names a group the pattern does not have (it has \(groupCount))", offset: i)
            }
            if !literal.isEmpty { parts.append(.text(String(literal))); literal = .init() }
            parts.append(.group(n))
            i = j
        }
        if !literal.isEmpty { parts.append(.text(String(literal))) }
        self.parts = parts
        self.source = source
    }

    func append(slots: [Int], of text: [Unicode.Scalar], to out: inout String.UnicodeScalarView) {
        for part in parts {
            switch part {
            case .text(let t): out.append(contentsOf: t.unicodeScalars)
            case .group(let k):
                let (a, b) = (slots[2 * k], slots[2 * k + 1])
                if a >= 0, b >= a { out.append(contentsOf: text[a..<b]) }
            }
        }
    }
}
