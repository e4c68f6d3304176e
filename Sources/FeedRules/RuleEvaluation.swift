/// One item as the rules see it, changed in place by `rewrite` and `remove`.
public struct RuleSubject: Sendable {
    public var title: String
    public var summary: String
    /// Normalized HTML.
    public var body: String { didSet { cachedText = nil } }
    public var outlet: String?
    public var link: String?
    public var categories: [String]
    public var sources: [String]
    private var cachedText: String?

    public init(title: String, summary: String, body: String, outlet: String?, link: String?,
                categories: [String], sources: [String]) {
        self.title = title
        self.summary = summary
        self.body = body
        self.outlet = outlet
        self.link = link
        self.categories = categories
        self.sources = sources
    }

    /// The body's plain text, read once per body.
    mutating func text(_ editor: some BodyEditor) -> String {
        if let cachedText { return cachedText }
        let t = editor.plainText(ofNormalizedHTML: body)
        cachedText = t
        return t
    }
}

/// What the rules need done to HTML bodies; the pipeline supplies it (libxml2
/// and the normalizer live there), so this module stays pure Swift.
public protocol BodyEditor {
    func plainText(ofNormalizedHTML html: String) -> String
    /// The body without the nodes `xpath` selects, normalized again.
    func removing(xpath: String, from html: String) -> String
}

/// A pattern that ran out of budget on some field (the caller logs it once per source).
public struct BudgetExceeded: Sendable, Hashable {
    public var place: String
    public var pattern: String
    public var field: String

    public init(place: String, pattern: String, field: String) {
        self.place = place
        self.pattern = pattern
        self.field = field
    }
}

public enum RuleEvaluation {
    /// Whether `condition` holds for `subject`: every clause matches (for
    /// `category`/`source`, any of the names). A clause whose match ran out of
    /// budget counts as not matching and is reported through `exceeded`.
    public static func holds(_ condition: Condition, for subject: inout RuleSubject, place: String,
                             editor: some BodyEditor, exceeded: inout [BudgetExceeded]) -> Bool {
        for clause in condition.clauses {
            let values: [String]
            switch clause.field {
            case .title: values = [subject.title]
            case .text: values = [subject.text(editor)]
            case .outlet: values = [subject.outlet ?? ""]
            case .link: values = [subject.link ?? ""]
            case .category: values = subject.categories
            case .source: values = subject.sources
            }
            var any = false
            for value in values {
                switch clause.pattern.matches(value) {
                case true?: any = true
                case false?: break
                case nil:
                    exceeded.append(BudgetExceeded(place: place, pattern: clause.pattern.description, field: clause.field.rawValue))
                }
                if any { break }
            }
            if !any { return false }
        }
        return true
    }

    /// Applies `rules` in order; false when one of them drops the item.
    public static func apply(_ rules: [Rule], to subject: inout RuleSubject, editor: some BodyEditor,
                             exceeded: inout [BudgetExceeded]) -> Bool {
        for rule in rules {
            switch rule.action {
            case .discard(let c):
                if holds(c, for: &subject, place: rule.place, editor: editor, exceeded: &exceeded) { return false }
            case .keepOnly(let c):
                if !holds(c, for: &subject, place: rule.place, editor: editor, exceeded: &exceeded) { return false }
            case .rewrite(let field, let pattern, let replacement):
                let old: String? = switch field {
                case .title: subject.title
                case .summary: subject.summary
                case .outlet: subject.outlet
                }
                guard let old else { continue }
                guard let new = pattern.replacingMatches(in: old, with: replacement) else {
                    exceeded.append(BudgetExceeded(place: rule.place, pattern: pattern.description, field: field.rawValue))
                    continue
                }
                switch field {
                case .title: subject.title = new
                case .summary: subject.summary = new
                case .outlet: subject.outlet = new.isEmpty ? nil : new
                }
            case .remove(let xpath):
                subject.body = editor.removing(xpath: xpath, from: subject.body)
            }
        }
        return true
    }
}
