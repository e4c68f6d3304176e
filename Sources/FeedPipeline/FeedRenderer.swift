import FeedConfig
import FeedModel
import FeedRender
import FeedStore
import Foundation

/// Reads categories' newest items from the store and writes their RSS,
/// Atom and JSON Feed files under `output/<slug>/`, plus `opml.xml`; with
/// `site.pages` (the default) also the site's pages (SitePages.swift): the front
/// page `index.html`, `style.css`, and per category `index.html` and one page per item.
/// Only files whose bytes change are written.
public struct FeedRenderer: Sendable {
    let config: Config
    let store: FeedStore
    /// Rules' log lines, said once per renderer (FeedSelection.swift).
    let ruleLog = RuleLog()

    public struct Outcome: Sendable {
        public var filesWritten = 0
        public var errors: [String] = []
        /// Public URLs of the feeds whose files changed (for WebSub pings).
        public var changedFeedURLs: [String] = []
    }

    var site: SiteInfo {
        SiteInfo(title: config.site.title, url: config.site.url, language: config.site.language, timezone: config.site.timezone)
    }

    public func renderAll() -> Outcome { render(nil) }

    /// Bump when a writer's output changes, so a restart re-renders even if nothing else did.
    static let formatVersion = 4 // 3: feed.json beside rss.xml and atom.xml; writers with content models; 4: pages

    /// Everything besides the store that decides a rendered byte: the site,
    /// the feed length, the hub, the output folder, the sources (for `<ttl>`).
    var fingerprint: String {
        var parts = ["format \(Self.formatVersion)", "pages \(config.site.pages)", config.site.title, config.site.url, config.site.language,
                     config.site.timezone.identifier, "\(config.feeds.items)", config.websub?.hub ?? "-", config.output,
                     config.imagePolicy.fingerprint, config.stories.map { "stories \($0.window)" } ?? "stories off"]
        parts += config.sources.map { "\($0.name)=\(config.interval(of: $0))" }
        parts.append(RuleFingerprint.text(config))
        return String(FNV1a.hash(parts.joined(separator: "\u{1F}")), radix: 16)
    }

    /// Renders the feeds of `slugs` (nil: every category) and the index and OPML.
    public func render(_ slugs: Set<Slug>?) -> Outcome {
        var outcome = Outcome()
        let selection = FeedSelection(config: config, store: store, log: ruleLog) // rules and topics
        let summaries: [CategorySummary]
        let sourcesBySlug: [Slug: Set<String>]
        let total: Int
        do {
            summaries = selection.storedCategories(try store.categories())
            sourcesBySlug = try store.sourcesBySlug()
            // Counted with the categories, not after the feeds are written: the index must not
            // count items of a category it does not list yet (a poll may store some meanwhile).
            total = summaries.isEmpty ? 0 : try allCount()
        } catch {
            outcome.errors.append("\(error)")
            return outcome
        }
        let categories = [Category.all] + summaries.map(\.category) + selection.topicCategories
        var rendered: [Slug: [Item]] = [:]
        var files = AtomicFile.Batch() // the render's files, made durable together at the end
        for category in categories where selection.wants(category, among: slugs) {
            do {
                let items = try feedItems(category, selection, limit: config.feeds.items)
                rendered[category.slug] = items
                let channel = FeedChannel(site: site, category: category,
                                          ttlMinutes: ttlMinutes(category, sourcesBySlug), hub: config.websub?.hub)
                let folder = config.output + "/" + category.slug.rawValue
                if try files.write(RSSWriter.render(channel, items: items), to: folder + "/rss.xml") {
                    outcome.filesWritten += 1
                    outcome.changedFeedURLs.append(channel.rssURL)
                }
                if try files.write(AtomWriter.render(channel, items: items), to: folder + "/atom.xml") {
                    outcome.filesWritten += 1
                    outcome.changedFeedURLs.append(channel.atomURL)
                }
                if try files.write(JSONFeedWriter.render(channel, items: items), to: folder + "/feed.json") {
                    outcome.filesWritten += 1
                    outcome.changedFeedURLs.append(channel.jsonFeedURL)
                }
                if config.site.pages { try writePages(channel, items: items, folder: folder, files: &files, into: &outcome) }
            } catch {
                outcome.errors.append("rendering \(category): \(error)")
            }
        }
        let topics = selection.topicSummaries()
        outcome.errors += topics.errors
        writeIndex(summaries + topics.entries, total: total, rendered: rendered, selection: selection, files: &files, into: &outcome)
        let failed = files.commit()
        outcome.errors += failed.map { "\($0)" }
        outcome.filesWritten -= failed.count
        return outcome
    }

    /// What `category`'s feed shows, newest first, at most `limit`: for `all` with stories on, one entry per story.
    func feedItems(_ category: Category, _ selection: FeedSelection, limit: Int) throws(StoreError) -> [Item] {
        let items = try category == .all && config.stories != nil
            ? selection.storyItems(store.storyEntries(limit: limit))
            : selection.items(for: category, limit: limit)
        return items.map(config.imagePolicy.presenting)
    }

    /// The shortest poll interval among the sources feeding a category, in whole minutes (at least 1).
    func ttlMinutes(_ category: Category, _ sourcesBySlug: [Slug: Set<String>]) -> Int? {
        let anySource = category == .all || config.topics.contains { $0.category == category } // topics: like all
        let names = anySource ? Set(config.sources.map(\.name)) : sourcesBySlug[category.slug] ?? []
        let intervals = config.sources.filter { names.contains($0.name) }.map { config.interval(of: $0) }
        guard let shortest = intervals.min() else { return nil }
        return max(1, Int((shortest / .seconds(60)).rounded(.up)))
    }

    /// The entries of `all/`: items, or with stories on, stories (an item without one counts as its own).
    private func allCount() throws(StoreError) -> Int {
        let items = try store.itemCount()
        guard config.stories != nil else { return items }
        let stories = try store.storyCounts()
        return items - stories.items + stories.stories
    }

    private func writeIndex(_ summaries: [CategorySummary], total: Int, rendered: [Slug: [Item]],
                            selection: FeedSelection, files: inout AtomicFile.Batch, into outcome: inout Outcome) {
        let newest = summaries.compactMap(\.newest).max()
        var entries = [IndexPage.Entry(category: .all, itemCount: total, newest: newest)]
            + summaries.map { IndexPage.Entry(category: $0.category, itemCount: $0.itemCount, newest: $0.newest) }
        do {
            if config.site.pages {
                for i in entries.indices {
                    let category = entries[i].category
                    let count = category == .all ? Self.allHeadlines : Self.headlines
                    do {
                        entries[i].headlines = try Array(rendered[category.slug]?.prefix(count)
                            ?? feedItems(category, selection, limit: count)[...])
                    } catch {
                        outcome.errors.append("reading the headlines of \(category): \(error)")
                    }
                }
                if try files.write(IndexPage.render(site: site, entries: entries), to: config.output + "/index.html") {
                    outcome.filesWritten += 1
                }
                if try files.write(SiteStyle.bytes, to: config.output + "/" + PageShell.stylesheet) {
                    outcome.filesWritten += 1
                }
            }
            if try files.write(OPMLWriter.render(site: site, categories: entries.map(\.category)), to: config.output + "/opml.xml") {
                outcome.filesWritten += 1
            }
        } catch {
            outcome.errors.append("\(error)")
        }
    }
}
