import FeedConfig
import FeedModel
import FeedRender
import FeedStore
import Foundation

/// Reads categories' newest items from the store and writes their RSS and
/// Atom files under `output/<slug>/`, plus `index.html` and `opml.xml`.
/// Only files whose bytes change are written.
public struct FeedRenderer: Sendable {
    let config: Config
    let store: FeedStore

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
    static let formatVersion = 1

    /// Everything besides the store that decides a rendered byte: the site,
    /// the feed length, the hub, the output folder, the sources (for `<ttl>`).
    var fingerprint: String {
        var parts = ["format \(Self.formatVersion)", config.site.title, config.site.url, config.site.language,
                     config.site.timezone.identifier, "\(config.feeds.items)", config.websub?.hub ?? "-", config.output,
                     config.stories.map { "stories \($0.window)" } ?? "stories off"]
        parts += config.sources.map { "\($0.name)=\(config.interval(of: $0))" }
        return String(FNV1a.hash(parts.joined(separator: "\u{1F}")), radix: 16)
    }

    /// Renders the feeds of `slugs` (nil: every category) and the index and OPML.
    public func render(_ slugs: Set<Slug>?) -> Outcome {
        var outcome = Outcome()
        let summaries: [CategorySummary]
        let sourcesBySlug: [Slug: Set<String>]
        do {
            summaries = try store.categories()
            sourcesBySlug = try store.sourcesBySlug()
        } catch {
            outcome.errors.append("\(error)")
            return outcome
        }
        let categories = [Category.all] + summaries.map(\.category)
        for category in categories where slugs?.contains(category.slug) ?? true {
            do {
                let items = try items(of: category)
                let channel = FeedChannel(site: site, category: category,
                                          ttlMinutes: ttlMinutes(category, sourcesBySlug), hub: config.websub?.hub)
                let folder = config.output + "/" + category.slug.rawValue
                if try AtomicFile.write(RSSWriter.render(channel, items: items), to: folder + "/rss.xml") {
                    outcome.filesWritten += 1
                    outcome.changedFeedURLs.append(channel.rssURL)
                }
                if try AtomicFile.write(AtomWriter.render(channel, items: items), to: folder + "/atom.xml") {
                    outcome.filesWritten += 1
                    outcome.changedFeedURLs.append(channel.atomURL)
                }
            } catch {
                outcome.errors.append("rendering \(category): \(error)")
            }
        }
        writeIndex(summaries, into: &outcome)
        return outcome
    }

    /// A category's newest items; `all` with stories on has one entry per story.
    func items(of category: Category) throws(StoreError) -> [Item] {
        guard category == .all, config.stories != nil else {
            return try store.items(in: category.slug, limit: config.feeds.items)
        }
        return try store.storyEntries(limit: config.feeds.items).map(StoryPresentation.item(for:))
    }

    /// The shortest poll interval among the sources feeding a category, in whole minutes (at least 1).
    func ttlMinutes(_ category: Category, _ sourcesBySlug: [Slug: Set<String>]) -> Int? {
        let names = category == .all ? Set(config.sources.map(\.name)) : sourcesBySlug[category.slug] ?? []
        let intervals = config.sources.filter { names.contains($0.name) }.map { config.interval(of: $0) }
        guard let shortest = intervals.min() else { return nil }
        return max(1, Int((shortest / .seconds(60)).rounded(.up)))
    }

    /// The entries of `all/`: items, or with stories on, stories (an item without one counts as its own).
    private func allCount() -> Int {
        do {
            let items = try store.itemCount()
            guard config.stories != nil else { return items }
            let stories = try store.storyCounts()
            return items - stories.items + stories.stories
        } catch {
            return 0 // the feeds' own reads report the store's failure
        }
    }

    private func writeIndex(_ summaries: [CategorySummary], into outcome: inout Outcome) {
        let total = summaries.isEmpty ? 0 : allCount()
        let newest = summaries.compactMap(\.newest).max()
        let entries = [IndexPage.Entry(category: .all, itemCount: total, newest: newest)]
            + summaries.map { IndexPage.Entry(category: $0.category, itemCount: $0.itemCount, newest: $0.newest) }
        do {
            if try AtomicFile.write(IndexPage.render(site: site, entries: entries), to: config.output + "/index.html") {
                outcome.filesWritten += 1
            }
            if try AtomicFile.write(OPMLWriter.render(site: site, categories: entries.map(\.category)), to: config.output + "/opml.xml") {
                outcome.filesWritten += 1
            }
        } catch {
            outcome.errors.append("\(error)")
        }
    }
}
