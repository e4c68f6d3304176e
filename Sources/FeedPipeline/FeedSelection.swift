import FeedConfig
import FeedModel
import FeedNormalize
import FeedRules
import FeedSources
import FeedStore
import Foundation
import Logging
import Synchronization

/// What a feed shows once the rules have acted: rules work on stored items
/// when feeds are rendered (a discarded item stays stored, so its body is
/// never fetched again, and a changed rule only needs a render). A topic's
/// feed is every stored item its condition matches. One selection serves one
/// render, so each topic's items are read once for its feed and the index.
final class FeedSelection {
    let config: Config
    let store: any Store
    let log: RuleLog
    let limit: Int
    private var topicItems: [Slug: [Item]] = [:]
    /// Rules come from config order: a source's rules apply in the order the sources are configured.
    private let sourceOrder: [String]

    init(config: Config, store: any Store, log: RuleLog) {
        self.config = config
        self.store = store
        self.log = log
        limit = config.feeds.items
        sourceOrder = config.sources.map(\.name).filter { !(config.rules.bySource[$0] ?? []).isEmpty }
    }

    var topicCategories: [Category] { config.topics.map(\.category) }

    /// The stored categories to render beside the topics. A category from
    /// upstream (an outlet named like a topic) can land on a topic's slug: the
    /// topic's feed is written there, the category is left out and said once.
    func storedCategories(_ summaries: [CategorySummary]) -> [CategorySummary] {
        summaries.filter { summary in
            guard let topic = config.topics.first(where: { $0.category.slug == summary.category.slug }) else { return true }
            log.once("slug \(summary.category.slug)",
                     "category \(summary.category) has the slug of topic '\(topic.category.name)'; its feed is the topic's")
            return false
        }
    }

    /// Whether a render of `slugs` (nil: everything) includes `category`. A
    /// topic can gain an item whenever anything changed, that is whenever `all` did.
    func wants(_ category: Category, among slugs: Set<Slug>?) -> Bool {
        guard let slugs else { return true }
        return slugs.contains(category.slug) || (topic(category) != nil && slugs.contains(Category.all.slug))
    }

    private func topic(_ category: Category) -> Topic? {
        config.topics.first { $0.category == category }
    }

    /// The newest items of `category` (a stored category, `all` or a topic) that the rules keep, as the rules left them.
    /// `limit` (at most the feeds' length) reads fewer, as the front page's headlines do; a topic is read whole
    /// (its feed and its index line need it anyway) and kept for this render.
    func items(for category: Category, limit wanted: Int? = nil) async throws(StoreError) -> [Item] {
        let topic = topic(category)
        if let topic, let cached = topicItems[topic.category.slug] { return Array(cached.prefix(wanted ?? limit)) }
        let limit = topic == nil ? min(wanted ?? self.limit, self.limit) : self.limit
        let categoryRules = config.rules.byCategory[category.name] ?? []
        if topic == nil, config.rules.top.isEmpty, categoryRules.isEmpty, sourceOrder.isEmpty {
            return try await store.items(in: category.slug, limit: limit)
        }
        var kept: [Item] = []
        var cursor: FeedStore.PageCursor?
        scan: repeat {
            let page = try await store.itemPage(in: topic == nil ? category.slug : Category.all.slug, after: cursor,
                                          limit: max(limit, 100))
            for listed in page.items {
                if let item = select(listed, topic: topic, categoryRules: categoryRules) {
                    kept.append(item)
                    if kept.count == limit { break scan }
                }
            }
            cursor = page.next
        } while cursor != nil
        if let topic {
            topicItems[topic.category.slug] = kept
            return Array(kept.prefix(wanted ?? limit))
        }
        return kept
    }

    /// `all/` with stories on: each story's representative through the rules of `all/` (top-level, its
    /// sources', `all`'s), then with the line naming the other outlets. A story whose representative the
    /// rules drop is not shown (its copies are in their own categories' feeds).
    func storyItems(_ entries: [StoryEntry]) async throws(StoreError) -> [Item] {
        let categoryRules = config.rules.byCategory[Category.all.name] ?? []
        guard !(config.rules.top.isEmpty && categoryRules.isEmpty && sourceOrder.isEmpty) else {
            return entries.map(StoryPresentation.item(for:))
        }
        let sources = try await store.listingSources(of: entries.map(\.item.infoCode))
        return entries.compactMap { entry in
            let listed = FeedStore.ListedItem(item: entry.item, sources: sources[entry.item.infoCode] ?? [])
            guard let kept = select(listed, topic: nil, categoryRules: categoryRules) else { return nil }
            var shown = entry
            shown.item = kept
            return StoryPresentation.item(for: shown)
        }
    }

    /// The index entries of the topics: how many items their feeds hold and the newest.
    func topicSummaries() async -> (entries: [CategorySummary], errors: [String]) {
        var entries: [CategorySummary] = []
        var errors: [String] = []
        for category in topicCategories {
            do {
                let items = try await items(for: category)
                entries.append(CategorySummary(feed: category, itemCount: items.count, newest: items.map(\.published).max()))
            } catch {
                errors.append("reading topic \(category): \(error)")
            }
        }
        return (entries, errors)
    }

    /// The item as the rules leave it, or nil when it is not in the feed.
    private func select(_ listed: FeedStore.ListedItem, topic: Topic?, categoryRules: [Rule]) -> Item? {
        var item = listed.item
        let editor = BodyRuleEditor(link: item.link, log: log)
        var exceeded: [BudgetExceeded] = []
        defer { log.budgetExceeded(exceeded, sources: listed.sources, item: item.infoCode) }
        var raw = RuleSubject(title: item.title, summary: item.summary, body: item.body, outlet: item.outlet,
                              link: item.link, categories: item.categories.map(\.name), sources: listed.sources)
        if let topic {
            let place = "topics.\(topic.category.name).match"
            guard RuleEvaluation.holds(topic.match, for: &raw, place: place, editor: editor, exceeded: &exceeded) else { return nil }
        }
        guard var subject = shared(raw, code: item.infoCode, editor: editor, exceeded: &exceeded),
              RuleEvaluation.apply(categoryRules, to: &subject, editor: editor, exceeded: &exceeded) else { return nil }
        item.title = subject.title
        item.summary = subject.summary
        item.body = subject.body
        item.outlet = subject.outlet
        return item
    }

    /// What the top-level and source rules leave of an item (nil: dropped).
    /// The same for every feed the item is in, so worked out once per render.
    private var afterShared: [InfoCode: RuleSubject] = [:]
    private var droppedByShared: Set<InfoCode> = []

    private func shared(_ raw: RuleSubject, code: InfoCode, editor: BodyRuleEditor,
                        exceeded: inout [BudgetExceeded]) -> RuleSubject? {
        if let done = afterShared[code] { return done }
        if droppedByShared.contains(code) { return nil }
        var rules = config.rules.top
        for name in sourceOrder where raw.sources.contains(name) { rules += config.rules.bySource[name] ?? [] }
        var subject = raw
        guard RuleEvaluation.apply(rules, to: &subject, editor: editor, exceeded: &exceeded) else {
            droppedByShared.insert(code)
            return nil
        }
        afterShared[code] = subject
        return subject
    }
}

/// `remove` and the `text` field for stored bodies: libxml2's XPath on the
/// normalized body, then the normalizer again so the result is still its HTML.
struct BodyRuleEditor: BodyEditor {
    let link: String?
    let log: RuleLog

    func plainText(ofNormalizedHTML html: String) -> String {
        HTMLNormalizer.plainText(ofNormalized: html)
    }

    func removing(xpath: String, from html: String) -> String {
        do {
            guard let edited = try HTMLFragmentEdit.removing(xpath: xpath, from: html) else { return html }
            return HTMLNormalizer.normalize(edited, articleURL: link).html
        } catch {
            // Checked when the config loaded (ConfigCheck), so only a config read without that check gets here.
            log.once("xpath \(xpath)", "rules: \(error); the rule is skipped")
            return html
        }
    }
}

/// Log lines about rules, each said once per renderer (once per config):
/// a pattern out of budget is logged once per source, not once per item.
final class RuleLog: Sendable {
    private let said = Mutex<Set<String>>([])
    private let logger = Logger(label: "feedd.rules")

    /// Logs `message` unless `key` was logged already; true when it logged.
    @discardableResult
    func once(_ key: String, _ message: @autoclosure () -> String) -> Bool {
        guard said.withLock({ $0.insert(key).inserted }) else { return false }
        logger.warning("\(message())")
        return true
    }

    /// One line per (source, rule, pattern); the number of lines it logged.
    @discardableResult
    func budgetExceeded(_ exceeded: [BudgetExceeded], sources: [String], item: InfoCode) -> Int {
        var logged = 0
        for e in exceeded {
            let source = sources.first ?? "(no source recorded)"
            if once("budget \(source) \(e.place) \(e.pattern)",
                    "rules: \(e.pattern) (\(e.place)) ran out of its match budget on the \(e.field) of \(item) from \(source); treated as no match (said once per source)") {
                logged += 1
            }
        }
        return logged
    }
}

/// The render fingerprint's part for rules and topics: a changed rule or topic re-renders (also after SIGHUP).
enum RuleFingerprint {
    static func text(_ config: Config) -> String {
        config.rules.fingerprintText + "\n" + config.topics.map {
            "topic \($0.category.name)=\($0.category.slug): \(Rule.describe($0.match))"
        }.joined(separator: "\n")
    }
}
