/// What a condition can read of an item.
public enum RuleField: String, Sendable, CaseIterable {
    case title
    /// The body's plain text.
    case text
    case outlet
    case link
    /// Any of the item's category names.
    case category
    /// Any of the names of the sources that listed it.
    case source
}

/// The plain-text fields a `rewrite` may change. (The body is HTML: `remove` edits it.)
public enum RewriteField: String, Sendable, CaseIterable {
    case title
    case summary
    case outlet
}

/// Patterns over fields that must all match (`{title: "…", outlet: "…"}`).
public struct Condition: Sendable, Equatable {
    public struct Clause: Sendable, Equatable {
        public var field: RuleField
        public var pattern: Pattern

        public init(field: RuleField, pattern: Pattern) {
            self.field = field
            self.pattern = pattern
        }
    }

    public var clauses: [Clause]

    public init(clauses: [Clause]) { self.clauses = clauses }
}

/// One rule of a `rules:` list, with where it was written (for log lines).
public struct Rule: Sendable, Equatable, CustomStringConvertible {
    public enum Action: Sendable, Equatable {
        /// Drop the item when the condition matches.
        case discard(Condition)
        /// Drop the item unless the condition matches.
        case keepOnly(Condition)
        /// Replace every match in a plain-text field.
        case rewrite(RewriteField, Pattern, Replacement)
        /// Delete the body elements an XPath 1.0 expression selects (checked at load by the pipeline).
        case remove(xpath: String)
    }

    public var action: Action
    /// `config.yaml:12 rules[0]`.
    public var place: String

    public init(action: Action, place: String) {
        self.action = action
        self.place = place
    }

    public var description: String {
        switch action {
        case .discard(let c): "\(place) discard \(Self.describe(c))"
        case .keepOnly(let c): "\(place) keep_only \(Self.describe(c))"
        case .rewrite(let f, let p, let r): "\(place) rewrite \(f.rawValue) \(p) → \(r.source)"
        case .remove(let x): "\(place) remove \(x)"
        }
    }

    /// A stable text of the condition (part of the render fingerprint).
    public static func describe(_ c: Condition) -> String {
        c.clauses.map { "\($0.field.rawValue)=\($0.pattern)" }.joined(separator: ",")
    }
}
