/// The parsed form of a pattern (RE2-like syntax, no backtracking features).
indirect enum RegexNode: Sendable {
    case empty
    case scalar(Unicode.Scalar)
    /// A class; `negated` is applied after case folding, so `[^a]` rejects `A` too when folding.
    case set(ScalarSet, negated: Bool)
    /// `.`: any scalar but `\n`.
    case any
    case assertion(Assertion)
    /// `(…)` with its capture index (1-based), `(?:…)` with nil.
    case group(RegexNode, capture: Int?)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?, greedy: Bool)

    enum Assertion: Sendable {
        case textStart, textEnd, wordBoundary, notWordBoundary
    }
}

/// Reads a pattern into a `RegexNode`. Everything that would need
/// backtracking (backreferences, lookaround, possessive or atomic groups) is
/// refused with a message saying so and the scalar offset where it starts.
struct RegexParser {
    /// RE2's limit on `{m,n}` counts.
    static let maxRepeat = 1000

    private let scalars: [Unicode.Scalar]
    private var i = 0
    private(set) var captureCount = 0

    init(_ pattern: String) {
        scalars = Array(pattern.unicodeScalars)
    }

    mutating func parse() throws(PatternError) -> RegexNode {
        let node = try parseAlternation()
        if i < scalars.count {
            // Only an unbalanced ')' stops the top-level alternation early.
            throw fail("unmatched ')'")
        }
        return node
    }

    private func fail(_ message: String, at offset: Int? = nil) -> PatternError {
        PatternError(message: message, offset: offset ?? i)
    }

    private var peek: Unicode.Scalar? { i < scalars.count ? scalars[i] : nil }

    private func peek(_ ahead: Int) -> Unicode.Scalar? { i + ahead < scalars.count ? scalars[i + ahead] : nil }

    private mutating func parseAlternation() throws(PatternError) -> RegexNode {
        var branches = [try parseConcat()]
        while peek == "|" {
            i += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcat() throws(PatternError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != "|", c != ")" {
            let start = i
            var atom = try parseAtom()
            if let (min, max) = try parseQuantifier() {
                if case .assertion = atom { throw fail("nothing to repeat before offset \(start)", at: start) }
                var greedy = true
                if peek == "?" { greedy = false; i += 1 }
                if peek == "+" { throw fail("possessive quantifiers are not supported") }
                if let next = peek, "*+?".unicodeScalars.contains(next) || (next == "{" && isCountedRepeat()) {
                    throw fail("a quantifier cannot follow another; use a group: (?:x*)*")
                }
                atom = .repetition(atom, min: min, max: max, greedy: greedy)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    /// `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}`; a `{` that starts none of these is a literal.
    private mutating func parseQuantifier() throws(PatternError) -> (Int, Int?)? {
        switch peek {
        case "*": i += 1; return (0, nil)
        case "+": i += 1; return (1, nil)
        case "?": i += 1; return (0, 1)
        case "{" where isCountedRepeat():
            let start = i
            i += 1
            let min = readNumber()!
            var max: Int? = min
            if peek == "," {
                i += 1
                max = readNumber()
            }
            i += 1 // "}"
            guard min <= Self.maxRepeat, (max ?? 0) <= Self.maxRepeat else {
                throw fail("a count above \(Self.maxRepeat) in {m,n}", at: start)
            }
            if let max, max < min { throw fail("{\(min),\(max)}: the maximum is below the minimum", at: start) }
            return (min, max)
        default: return nil
        }
    }

    private func isCountedRepeat() -> Bool {
        var j = i + 1
        var digits = 0
        while j < scalars.count, ("0"..."9").contains(scalars[j]) { j += 1; digits += 1 }
        guard digits > 0, j < scalars.count else { return false }
        if scalars[j] == "}" { return true }
        guard scalars[j] == "," else { return false }
        j += 1
        while j < scalars.count, ("0"..."9").contains(scalars[j]) { j += 1 }
        return j < scalars.count && scalars[j] == "}"
    }

    private mutating func readNumber() -> Int? {
        var n: Int?
        while let c = peek, ("0"..."9").contains(c) {
            n = min((n ?? 0) * 10 + Int(c.value - 48), 1_000_000)
            i += 1
        }
        return n
    }

    private mutating func parseAtom() throws(PatternError) -> RegexNode {
        let c = scalars[i]
        switch c {
        case "(": return try parseGroup()
        case "[": return try parseClass()
        case ".": i += 1; return .any
        case "^": i += 1; return .assertion(.textStart)
        case "$": i += 1; return .assertion(.textEnd)
        case "\\": return try parseEscape(inClass: false).node
        case "*", "+", "?": throw fail("nothing to repeat: '\(c)' follows no expression")
        case "{" where isCountedRepeat(): throw fail("nothing to repeat: '{' follows no expression")
        default: i += 1; return .scalar(c)
        }
    }

    private mutating func parseGroup() throws(PatternError) -> RegexNode {
        let start = i
        i += 1
        var capture: Int?
        if peek == "?" {
            switch (peek(1), peek(2)) {
            case (":", _): i += 2
            case ("=", _), ("!", _): throw fail("lookahead (?= (?! is not supported", at: start)
            case ("<", "="), ("<", "!"): throw fail("lookbehind (?<= (?<! is not supported", at: start)
            case (">", _): throw fail("atomic groups (?> are not supported", at: start)
            case ("P", "<"), ("<", _):
                i += peek(1) == "P" ? 3 : 2
                let nameStart = i
                while let n = peek, n != ">" {
                    guard n.properties.isAlphabetic || ("0"..."9").contains(n) || n == "_" else {
                        throw fail("a group name holds letters, digits and '_'")
                    }
                    i += 1
                }
                guard peek == ">", i > nameStart else { throw fail("unterminated group name", at: start) }
                i += 1
                captureCount += 1
                capture = captureCount
            default:
                throw fail("unsupported group syntax '(?\(peek(1).map { String($0) } ?? "")'; use (…) or (?:…)", at: start)
            }
        } else {
            captureCount += 1
            capture = captureCount
        }
        let inner = try parseAlternation()
        guard peek == ")" else { throw fail("missing ')' for the group at offset \(start)", at: start) }
        i += 1
        return .group(inner, capture: capture)
    }

    private mutating func parseClass() throws(PatternError) -> RegexNode {
        let start = i
        i += 1
        var negated = false
        if peek == "^" { negated = true; i += 1 }
        var set = ScalarSet()
        var first = true
        while true {
            guard let c = peek else { throw fail("missing ']' for the class at offset \(start)", at: start) }
            if c == "]" && !first { i += 1; break }
            first = false
            let low: Unicode.Scalar
            if c == "\\" {
                let escaped = try parseEscape(inClass: true)
                guard let scalar = escaped.scalar else {
                    if case .set(let s, let neg) = escaped.node { set.formUnion(neg ? s.inverted : s) }
                    continue
                }
                low = scalar
            } else {
                low = c
                i += 1
            }
            // A '-' before ']' (or at the start) is a literal.
            if peek == "-", let after = peek(1), after != "]" {
                i += 1
                let high: Unicode.Scalar
                if after == "\\" {
                    guard let s = try parseEscape(inClass: true).scalar else { throw fail("a class cannot end a range") }
                    high = s
                } else {
                    high = after
                    i += 1
                }
                guard low.value <= high.value else { throw fail("range \(low)-\(high) is out of order") }
                set.insert(low.value...high.value)
            } else {
                set.insert(low.value...low.value)
            }
        }
        return .set(set, negated: negated)
    }

    /// One escape: a literal scalar, a shorthand class, or (outside classes) an assertion.
    private mutating func parseEscape(inClass: Bool) throws(PatternError) -> (node: RegexNode, scalar: Unicode.Scalar?) {
        let start = i
        i += 1
        guard let c = peek else { throw fail("a pattern cannot end with '\\'", at: start) }
        i += 1
        func literal(_ s: Unicode.Scalar) -> (RegexNode, Unicode.Scalar?) { (.scalar(s), s) }
        switch c {
        case "d": return (.set(.digit, negated: false), nil)
        case "D": return (.set(.digit, negated: true), nil)
        case "w": return (.set(.word, negated: false), nil)
        case "W": return (.set(.word, negated: true), nil)
        case "s": return (.set(.space, negated: false), nil)
        case "S": return (.set(.space, negated: true), nil)
        case "n": return literal("\n")
        case "t": return literal("\t")
        case "r": return literal("\r")
        case "f": return literal("\u{0C}")
        case "v": return literal("\u{0B}")
        case "x": return literal(try parseHex(start: start))
        case "b" where !inClass: return (.assertion(.wordBoundary), nil)
        case "B" where !inClass: return (.assertion(.notWordBoundary), nil)
        case "A" where !inClass: return (.assertion(.textStart), nil)
        case "z" where !inClass: return (.assertion(.textEnd), nil)
        case "1"..."9": throw fail("backreferences (\\\(c)) are not supported", at: start)
        case "k": throw fail("named backreferences (\\k) are not supported", at: start)
        case "p", "P": throw fail("Unicode property classes (\\\(c){…}) are not supported", at: start)
        default:
            if c.value < 0x80, !c.properties.isAlphabetic, !("0"..."9").contains(c) { return literal(c) }
            if c.value >= 0x80 { return literal(c) }
            throw fail("unknown escape '\\\(c)'", at: start)
        }
    }

    /// `\xHH` or `\x{H…}`.
    private mutating func parseHex(start: Int) throws(PatternError) -> Unicode.Scalar {
        var digits = ""
        if peek == "{" {
            i += 1
            while let c = peek, c != "}" { digits.unicodeScalars.append(c); i += 1 }
            guard peek == "}" else { throw fail("missing '}' in \\x{…}", at: start) }
            i += 1
        } else {
            for _ in 0..<2 {
                guard let c = peek else { break }
                digits.unicodeScalars.append(c)
                i += 1
            }
        }
        guard !digits.isEmpty, digits.count <= 6, let value = UInt32(digits, radix: 16), let s = Unicode.Scalar(value) else {
            throw fail("'\\x\(digits)' is not a Unicode scalar in hex", at: start)
        }
        return s
    }
}
