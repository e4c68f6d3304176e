import FeedRules
import Foundation

/// `type: feed`: an RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 or JSON Feed
/// 1.0/1.1 document; the format is detected from the content.
public struct FeedSourceSettings: Sendable, Equatable {
    /// `category_from: item`: each item's own `<category>` (RSS, Atom) or
    /// `tags` (JSON Feed) name its categories; the source's `category`, when
    /// set, is used for items that carry none.
    public var categoryFromItem: Bool
    /// `id`: a regular expression whose first match in the item's guid (or
    /// Atom/JSON Feed id), else its link, is the info code. With a capture
    /// group, the first group is the code.
    public var idPattern: Pattern?
    /// `full_text`: fetch each new item's page and take this node as its body.
    public var fullText: ArticleExtraction?

    public init(categoryFromItem: Bool = false, idPattern: Pattern? = nil, fullText: ArticleExtraction? = nil) {
        self.categoryFromItem = categoryFromItem
        self.idPattern = idPattern
        self.fullText = fullText
    }
}

/// Where an article's body sits on its page: `{xpath: '//div[@id="ContentBody"]'}`.
public struct ArticleExtraction: Sendable, Equatable {
    /// An XPath 1.0 expression evaluated on the parsed HTML page. One matched
    /// element gives its content; several give each node whole, in order.
    public var xpath: String

    public init(xpath: String) { self.xpath = xpath }
}

extension ConfigLoader {
    static let feedSourceKeys = ["category_from", "id", "full_text"]

    /// `type: feed`: `category` or `category_from: item`, optional `id` regex and `full_text`.
    static func readFeedSource(_ s: SourceContext) throws(ConfigError) -> SourceConfig.Kind {
        let m = s.mapping
        var fromItem = false
        if let from = m.optional("category_from") {
            let text = try from.string()
            guard text == "item" else { throw from.error("'\(text)' is not a category origin; the only one is 'item'") }
            fromItem = true
        }
        if !fromItem, m.optional("category") == nil {
            throw s.value.error("source '\(s.name)' needs 'category' (a fixed category) or 'category_from: item'")
        }
        return .feed(FeedSourceSettings(categoryFromItem: fromItem, idPattern: try readIDPattern(m.optional("id")),
                                        fullText: try readExtraction(m.optional("full_text"))))
    }

    /// An `id` regex, compiled once here so a typo is a config error, not a poll error. It runs
    /// on upstream ids and links, so it is a `Pattern` (the rules' linear-time engine, case-sensitive).
    static func readIDPattern(_ value: YAMLValue?) throws(ConfigError) -> Pattern? {
        guard let value else { return nil }
        let pattern = try value.string()
        do {
            return try Pattern(pattern, caseSensitive: true)
        } catch {
            throw value.error("'\(pattern)' is not a valid regular expression: \(error)")
        }
    }

    /// `{xpath: …}`: the node of a page that holds an article's body.
    static func readExtraction(_ value: YAMLValue?) throws(ConfigError) -> ArticleExtraction? {
        guard let value else { return nil }
        let m = try value.mapping(allowed: ["xpath"])
        return ArticleExtraction(xpath: try m.required("xpath").string())
    }
}
