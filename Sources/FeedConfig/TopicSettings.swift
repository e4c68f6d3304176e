import FeedModel
import FeedRules

/// `topics: {光伏: {match: {text: "光伏|太阳能"}, slug: pv}}`: a category whose
/// items are every stored item, whatever its source, that the condition matches.
public struct Topic: Sendable, Equatable {
    public var category: Category
    public var match: Condition

    public init(category: Category, match: Condition) {
        self.category = category
        self.match = match
    }
}

extension ConfigLoader {
    static let topicKeys = ["match", "slug", "rules"]

    /// Reads `topics:`; their `rules` join `book.byCategory`. A topic's slug
    /// (given or derived like a category's) must not be taken by a category
    /// or another topic.
    static func readTopics(_ value: YAMLValue?, config: Config, book: inout RuleBook,
                           mistakes: inout ConfigMistakes) throws(ConfigError) -> [Topic] {
        guard let value else { return [] }
        var taken: [String: String] = [:]
        for name in Set(config.sources.compactMap(\.category)).union(config.categories.keys) {
            taken[config.category(named: name).category.slug.rawValue] = "category '\(name)'"
        }
        var topics: [Topic] = []
        for (name, settings) in try value.namedMapping() {
            do {
                topics.append(try readTopic(name, settings, config: config, taken: &taken, book: &book, mistakes: &mistakes))
            } catch {
                mistakes.record(error)
            }
        }
        return topics
    }

    /// One topic; its slug joins `taken`.
    static func readTopic(_ name: String, _ settings: YAMLValue, config: Config, taken: inout [String: String],
                          book: inout RuleBook, mistakes: inout ConfigMistakes) throws(ConfigError) -> Topic {
        let m = try settings.mapping(allowed: topicKeys)
        if config.sources.contains(where: { $0.category == name }) {
            throw settings.error("'\(name)' is already a source's category; give the topic another name")
        }
        let slug: Slug
        if let s = m.optional("slug") {
            let text = try s.string()
            guard let valid = Slug(validating: text) else {
                throw s.error("'\(text)' is not a usable slug: 1–64 of a-z, 0-9 and '-', not 'all'")
            }
            slug = valid
        } else {
            slug = config.category(named: name).category.slug
        }
        if let owner = taken[slug.rawValue], owner != "category '\(name)'" {
            throw (m.optional("slug") ?? settings).error("slug '\(slug)' is already used by \(owner)")
        }
        taken[slug.rawValue] = "topic '\(name)'"
        let match = try readCondition(m.required("match"))
        if let rules = m.optional("rules") {
            if book.byCategory[name] != nil {
                throw rules.error("'\(name)' has rules under categories too; keep them in one place")
            }
            book.byCategory[name] = readRules(rules, into: &book, mistakes: &mistakes)
        }
        return Topic(category: Category(name: name, slug: slug), match: match)
    }
}
