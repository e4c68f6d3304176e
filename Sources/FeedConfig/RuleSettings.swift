import FeedModel
import FeedRules

/// The `rules:` lists of a config, by level. Rendering a feed applies the
/// top-level rules, then those of each source that listed the item (in the
/// order the sources are configured), then those of the feed's category.
public struct RuleBook: Sendable, Equatable {
    /// `rules:` at the top: every item.
    public var top: [Rule] = []
    /// `sources[i].rules`, by source name.
    public var bySource: [String: [Rule]] = [:]
    /// `categories.<name>.rules` (and `topics.<name>.rules`), by category name.
    public var byCategory: [String: [Rule]] = [:]
    /// Every `remove` XPath with where it was written, for the pipeline to compile at load.
    public var xpaths: [XPathSite] = []

    public init() {}

    public struct XPathSite: Sendable, Equatable {
        public var expression: String
        public var file: String
        public var line: Int?
        public var keyPath: String

        public func error(_ message: String) -> ConfigError {
            ConfigError(file: file, line: line, keyPath: keyPath, message: message)
        }
    }

    public var isEmpty: Bool { top.isEmpty && bySource.values.allSatisfy(\.isEmpty) && byCategory.values.allSatisfy(\.isEmpty) }

    /// A stable text of every rule (part of the render fingerprint: a changed rule re-renders).
    public var fingerprintText: String {
        var parts = top.map(\.description)
        for name in bySource.keys.sorted() { parts += bySource[name]!.map { "source \(name): \($0)" } }
        for name in byCategory.keys.sorted() { parts += byCategory[name]!.map { "category \(name): \($0)" } }
        return parts.joined(separator: "\n")
    }
}

/// Collects the mistakes of a pass that goes on after the first one.
struct ConfigMistakes {
    private(set) var errors: [ConfigError] = []

    mutating func record(_ error: ConfigError) { errors.append(error) }

    /// Throws the first mistake, carrying the others.
    func check() throws(ConfigError) {
        guard var first = errors.first else { return }
        first.others += errors.dropFirst().flatMap { [$0] + $0.others }.map { e in var e = e; e.others = []; return e }
        throw first
    }
}

extension ConfigLoader {
    static let ruleKinds = ["discard", "keep_only", "rewrite", "remove"]
    static let caseKey = "case"

    /// Reads `rules:` at the three levels. Sources and categories were checked
    /// already; only their `rules` keys are read here.
    static func readRuleBook(_ top: YAMLMapping, mistakes: inout ConfigMistakes) throws(ConfigError) -> RuleBook {
        var book = RuleBook()
        book.top = readRules(top.optional("rules"), into: &book, mistakes: &mistakes)
        for item in try top.required("sources").sequence() {
            let m = try item.mapping(allowed: nil)
            guard let rules = m.optional("rules") else { continue }
            book.bySource[try m.required("name").string()] = readRules(rules, into: &book, mistakes: &mistakes)
        }
        for (name, settings) in try top.optional("categories")?.namedMapping() ?? [] {
            guard let rules = try settings.mapping(allowed: nil).optional("rules") else { continue }
            book.byCategory[name] = readRules(rules, into: &book, mistakes: &mistakes)
        }
        return book
    }

    /// A list of rules, each a mapping with exactly one of `ruleKinds`. Every
    /// rule is read: each mistake is recorded and the next rule read.
    static func readRules(_ value: YAMLValue?, into book: inout RuleBook, mistakes: inout ConfigMistakes) -> [Rule] {
        guard let value else { return [] }
        var rules: [Rule] = []
        do {
            for item in try value.sequence() {
                do { rules.append(try readRule(item, into: &book)) } catch { mistakes.record(error) }
            }
        } catch {
            mistakes.record(error)
        }
        return rules
    }

    static func readRule(_ item: YAMLValue, into book: inout RuleBook) throws(ConfigError) -> Rule {
        let m = try item.mapping(allowed: ruleKinds)
        guard m.entries.count == 1, let (kind, body) = m.entries.first else {
            throw item.error("a rule is one of \(ruleKinds.joined(separator: ", ")); found \(m.entries.count) keys")
        }
        let place = "\(item.file):\(item.line ?? 0) \(item.keyPath)"
        let action: Rule.Action
        switch kind {
        case "discard": action = .discard(try readCondition(body))
        case "keep_only": action = .keepOnly(try readCondition(body))
        case "rewrite": action = try readRewrite(body)
        default:
            let x = try body.mapping(allowed: ["xpath"]).required("xpath")
            let expression = try x.string()
            book.xpaths.append(.init(expression: expression, file: x.file, line: x.line, keyPath: x.keyPath))
            action = .remove(xpath: expression)
        }
        return Rule(action: action, place: place)
    }

    /// `{title: "…", outlet: "…", case: sensitive}`: patterns over fields, all of which must match.
    static func readCondition(_ value: YAMLValue) throws(ConfigError) -> Condition {
        let m = try value.mapping(allowed: RuleField.allCases.map(\.rawValue) + [caseKey])
        let sensitive = try readCase(m.optional(caseKey))
        var clauses: [Condition.Clause] = []
        for (key, v) in m.entries where key != caseKey {
            clauses.append(.init(field: RuleField(rawValue: key)!, pattern: try readPattern(v, caseSensitive: sensitive)))
        }
        guard !clauses.isEmpty else {
            throw value.error("a condition needs at least one field: \(RuleField.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return Condition(clauses: clauses)
    }

    /// `{title: {pattern: "^【(.+?)】", replace: "$1", case: sensitive}}`.
    static func readRewrite(_ value: YAMLValue) throws(ConfigError) -> Rule.Action {
        let m = try value.mapping(allowed: RewriteField.allCases.map(\.rawValue))
        guard m.entries.count == 1, let (key, spec) = m.entries.first else {
            throw value.error("a rewrite changes one field: \(RewriteField.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let s = try spec.mapping(allowed: ["pattern", "replace", caseKey])
        let pattern = try readPattern(s.required("pattern"), caseSensitive: try readCase(s.optional(caseKey)))
        let replaceValue = try s.required("replace")
        // An empty replacement deletes the match, so `replace: ""` is allowed here.
        guard let replace = replaceValue.scalar else { throw replaceValue.error("expected a string") }
        do {
            let replacement = try Replacement(replace, groupCount: pattern.groupCount)
            return .rewrite(RewriteField(rawValue: key)!, pattern, replacement)
        } catch {
            throw replaceValue.error("'\(replace)': \(error.message)")
        }
    }

    static func readCase(_ value: YAMLValue?) throws(ConfigError) -> Bool {
        guard let value else { return false }
        switch try value.string() {
        case "sensitive": return true
        case "insensitive": return false
        case let other: throw value.error("'\(other)' is not a case; write 'sensitive' or 'insensitive' (the default)")
        }
    }

    static func readPattern(_ value: YAMLValue, caseSensitive: Bool) throws(ConfigError) -> Pattern {
        let text = try value.string()
        do {
            return try Pattern(text, caseSensitive: caseSensitive)
        } catch {
            throw value.error("'\(text)' is not a pattern feedd can match: \(error)")
        }
    }
}
