import FeedRules
import FeedTestSupport
import Foundation
import Testing

/// The engine against Foundation's `NSRegularExpression` (ICU, backtracking)
/// on random small patterns and texts where both define the same result:
/// ASCII only, no newlines (ICU's `$` and `.` differ there), and no
/// quantifier over something that can match empty (where backtracking
/// engines disagree with each other about captures).
@Suite struct DifferentialTests {

    /// A pattern and whether it can match the empty string.
    static func pattern(depth: Int, rng: inout SeededGenerator) -> (String, Bool) {
        let atoms: [(String, Bool)] = [("a", false), ("b", false), ("A", false), (".", false), ("[ab]", false),
                                       ("[^a]", false), ("[a-c]", false), ("\\w", false), ("\\d", false)]
        switch depth > 2 ? 0 : rng.below(6) {
        case 0, 1:
            let (atom, nullable) = atoms[rng.below(atoms.count)]
            return quantified(atom, nullable, rng: &rng)
        case 2:
            let (inner, nullable) = pattern(depth: depth + 1, rng: &rng)
            let open = rng.below(2) == 0 ? "(" : "(?:"
            return quantified(open + inner + ")", nullable, rng: &rng)
        case 3:
            let (a, na) = pattern(depth: depth + 1, rng: &rng)
            let (b, nb) = pattern(depth: depth + 1, rng: &rng)
            return ("(?:" + a + "|" + b + ")", na || nb)
        case 4:
            let (a, na) = pattern(depth: depth + 1, rng: &rng)
            let (b, nb) = pattern(depth: depth + 1, rng: &rng)
            return (a + b, na && nb)
        default:
            let anchors = ["^", "$", "\\b", ""]
            let (a, na) = pattern(depth: depth + 1, rng: &rng)
            return (anchors[rng.below(anchors.count)] + a + anchors[rng.below(anchors.count)], na)
        }
    }

    static func quantified(_ atom: String, _ nullable: Bool, rng: inout SeededGenerator) -> (String, Bool) {
        guard !nullable else { return (atom, true) }
        let quantifiers = ["", "", "*", "+", "?", "{2}", "{1,2}", "{0,2}", "*?", "+?", "??", "{1,3}?"]
        let q = quantifiers[rng.below(quantifiers.count)]
        return (atom + q, ["*", "?", "{0,2}", "*?", "??"].contains(q))
    }

    static func text(rng: inout SeededGenerator) -> String {
        let alphabet = Array("abcAB1 _")
        return String((0..<rng.below(9)).map { _ in alphabet[rng.below(alphabet.count)] })
    }

    @Test(arguments: [1, 2, 3, 4])
    func agreesWithNSRegularExpression(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var compared = 0
        for _ in 0..<400 {
            let (source, _) = Self.pattern(depth: 0, rng: &rng)
            let caseSensitive = rng.below(2) == 0
            let ours = try Pattern(source, caseSensitive: caseSensitive)
            let theirs = try NSRegularExpression(pattern: source, options: caseSensitive ? [] : [.caseInsensitive])
            for _ in 0..<6 {
                let text = Self.text(rng: &rng)
                let expected: [Range<Int>?]? = theirs.firstMatch(in: text, range: NSRange(location: 0, length: text.utf16.count))
                    .map { m in (0..<m.numberOfRanges).map { k in
                        let r = m.range(at: k)
                        return r.location == NSNotFound ? nil : r.location..<(r.location + r.length)
                    } }
                let got: [Range<Int>?]?
                switch ours.firstMatch(in: text) {
                case .match(let m): got = m.groups
                case .noMatch: got = nil
                case .budgetExceeded: Issue.record("budget on /\(source)/"); continue
                }
                #expect(got == expected, "seed \(seed): /\(source)/\(caseSensitive ? "" : "i") on '\(text)'")
                #expect(ours.matches(text) == (expected != nil), "matches: /\(source)/ on '\(text)'")
                compared += 1
            }
        }
        #expect(compared == 2_400)
    }

    /// Replace-all agrees too, empty matches included (`x*` on `ab` is `<>a<>b<>`).
    @Test(arguments: [5, 6])
    func replaceAllAgreesWithNSRegularExpression(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<300 {
            let (source, _) = Self.pattern(depth: 0, rng: &rng)
            let ours = try Pattern(source)
            let theirs = try NSRegularExpression(pattern: source, options: [.caseInsensitive])
            let template = ours.groupCount > 0 ? "<$1|$0>" : "<$0>"
            let replacement = try Replacement(template, groupCount: ours.groupCount)
            for _ in 0..<4 {
                let text = Self.text(rng: &rng)
                let expected = theirs.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: text.utf16.count),
                                                               withTemplate: template)
                #expect(ours.replacingMatches(in: text, with: replacement) == expected, "seed \(seed): /\(source)/i on '\(text)'")
            }
        }
    }
}
