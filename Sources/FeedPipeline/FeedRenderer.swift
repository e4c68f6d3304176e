import FeedConfig
import FeedModel
import FeedRender
import FeedStore
import Foundation

/// Reads categories' newest items from the store and writes their RSS,
/// Atom and JSON Feed files under `output/<slug>/`, plus `opml.xml`; with
/// `site.pages` (the default) also the site's pages (SitePages.swift): the front
/// page `index.html`, `style.css`, and per category `index.html` and one page per item.
/// Only files whose bytes change are written. Store reads are awaited (either
/// backend); each category's files are written in one hop to `blocking`, to
/// temp files, and the render's files are made durable and put in place
/// together at its end (`StagedWrites`).
public struct FeedRenderer: Sendable {
    let config: Config
    let store: any Store
    /// Where the fsyncs and renames run.
    let blocking: BlockingPool
    /// Rules' log lines, said once per renderer (FeedSelection.swift).
    let ruleLog = RuleLog()

    public init(config: Config, store: any Store, blocking: BlockingPool = .shared) {
        self.config = config
        self.store = store
        self.blocking = blocking
    }

    public struct Outcome: Sendable {
        public var filesWritten = 0
        public var errors: [String] = []
        /// Public URLs of the feeds whose files changed (for WebSub pings).
        public var changedFeedURLs: [String] = []
    }

    var site: SiteInfo {
        SiteInfo(title: config.site.title, url: config.site.url, language: config.site.language, timezone: config.site.timezone)
    }

    public func renderAll() async -> Outcome { await render(nil) }

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
    public func render(_ slugs: Set<Slug>?) async -> Outcome {
        var outcome = Outcome()
        let selection = FeedSelection(config: config, store: store, log: ruleLog) // rules and topics
        let summaries: [CategorySummary]
        let sourcesBySlug: [Slug: Set<String>]
        let total: Int
        do {
            summaries = selection.storedCategories(try await store.categories())
            // Counted with the categories, not after the feeds are written: the index must not
            // count items of a category it does not list yet (a poll may store some meanwhile).
            total = summaries.isEmpty ? 0 : try await allCount()
            sourcesBySlug = try await store.sourcesBySlug()
        } catch {
            outcome.errors.append("\(error)")
            return outcome
        }
        let categories = [Category.all] + summaries.map(\.category) + selection.topicCategories
        var rendered: [Slug: [Item]] = [:]
        let staged = StagedWrites()
        for category in categories where selection.wants(category, among: slugs) {
            do {
                let items = try await feedItems(category, selection, limit: config.feeds.items)
                rendered[category.slug] = items
                let channel = FeedChannel(site: site, category: category,
                                          ttlMinutes: ttlMinutes(category, sourcesBySlug), hub: config.websub?.hub)
                let folder = config.output + "/" + category.slug.rawValue
                var files = [
                    PendingFile(path: folder + "/rss.xml", bytes: RSSWriter.render(channel, items: items), feedURL: channel.rssURL),
                    PendingFile(path: folder + "/atom.xml", bytes: AtomWriter.render(channel, items: items), feedURL: channel.atomURL),
                    PendingFile(path: folder + "/feed.json", bytes: JSONFeedWriter.render(channel, items: items),
                                feedURL: channel.jsonFeedURL),
                ]
                // With pages off, the folder keeps none (those of an earlier render with pages on go).
                var pages: (folder: String, kept: Set<String>) = (folder, [])
                if config.site.pages {
                    let (pageFiles, kept) = pageFiles(channel, items: items, folder: folder)
                    files += pageFiles
                    pages = (folder, kept)
                }
                if let error = outcome.add(await write(files, removingPagesIn: pages, staged: staged)) { throw error }
            } catch {
                outcome.errors.append("rendering \(category): \(error)")
            }
        }
        let topics = await selection.topicSummaries()
        outcome.errors += topics.errors
        await writeIndex(summaries + topics.entries, total: total, rendered: rendered, selection: selection,
                         staged: staged, into: &outcome)
        outcome.add(committing: await commit(staged))
        return outcome
    }

    /// What `category`'s feed shows, newest first, at most `limit`: for `all` with stories on, one entry per story.
    func feedItems(_ category: Category, _ selection: FeedSelection, limit: Int) async throws(StoreError) -> [Item] {
        let items = try category == .all && config.stories != nil
            ? await selection.storyItems(store.storyEntries(limit: limit))
            : await selection.items(for: category, limit: limit)
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
    private func allCount() async throws(StoreError) -> Int {
        let items = try await store.itemCount()
        guard config.stories != nil else { return items }
        let stories = try await store.storyCounts()
        return items - stories.items + stories.stories
    }

    private func writeIndex(_ summaries: [CategorySummary], total: Int, rendered: [Slug: [Item]],
                            selection: FeedSelection, staged: StagedWrites, into outcome: inout Outcome) async {
        let newest = summaries.compactMap(\.newest).max()
        var entries = [IndexPage.Entry(category: .all, itemCount: total, newest: newest)]
            + summaries.map { IndexPage.Entry(category: $0.category, itemCount: $0.itemCount, newest: $0.newest) }
        // The OPML first and the front page last: whoever sees the new front page finds the OPML it links to as new.
        var files = [PendingFile(path: config.output + "/opml.xml",
                                 bytes: OPMLWriter.render(site: site, categories: entries.map(\.category)))]
        if config.site.pages {
            for i in entries.indices {
                let category = entries[i].category
                let count = category == .all ? Self.allHeadlines : Self.headlines
                do {
                    if let done = rendered[category.slug] {
                        entries[i].headlines = Array(done.prefix(count))
                    } else {
                        entries[i].headlines = try await feedItems(category, selection, limit: count)
                    }
                } catch {
                    outcome.errors.append("reading the headlines of \(category): \(error)")
                }
            }
            files.append(PendingFile(path: config.output + "/" + PageShell.stylesheet, bytes: SiteStyle.bytes))
            files.append(PendingFile(path: config.output + "/index.html", bytes: IndexPage.render(site: site, entries: entries)))
        }
        let removing = config.site.pages ? [] : [config.output + "/index.html", config.output + "/" + PageShell.stylesheet]
        if let error = outcome.add(await write(files, removing: removing, staged: staged)) { outcome.errors.append("\(error)") }
    }

    /// A file to write only if its bytes differ; `feedURL` is the public URL a changed feed is announced under.
    struct PendingFile: Sendable {
        var path: String
        var bytes: [UInt8]
        var feedURL: String? = nil
    }

    /// What one hop of writes did.
    struct Written: Sendable {
        var files = 0
        var changedFeedURLs: [String] = []
        /// The write that failed (the files after it were not written).
        var error: AtomicFile.WriteError?
        var removalErrors: [String] = []
    }

    /// Stages `files` in order on the blocking pool (one hop): each to a temp
    /// file, put in place when the render commits; the pages of items that left
    /// `pages.folder`'s feed are removed then. The first failed write stops the rest.
    func write(_ files: [PendingFile], removingPagesIn pages: (folder: String, kept: Set<String>)? = nil,
               removing removals: [String] = [], staged: StagedWrites) async -> Written {
        await blocking.run { () -> Written in
            var done = Written()
            for file in files {
                do throws(AtomicFile.WriteError) {
                    guard try staged.batch.write(file.bytes, to: file.path) else { continue }
                    done.files += 1
                    if let url = file.feedURL {
                        done.changedFeedURLs.append(url)
                        staged.feedURLs[file.path] = url
                    }
                } catch {
                    done.error = error
                    return done
                }
            }
            if let pages { staged.pageRemovals.append(pages) }
            staged.fileRemovals += removals
            return done
        }
    }

    /// Makes the render's staged files durable and puts them in place (one round of
    /// fsyncs: `AtomicFile.Batch`), then removes the pages that left their feeds.
    func commit(_ staged: StagedWrites) async -> Committed {
        await blocking.run { () -> Committed in
            let failed = staged.batch.commit()
            var done = Committed(failed: failed.map { "\($0)" })
            done.failedFeedURLs = Set(failed.compactMap { staged.feedURLs[$0.path] })
            for pages in staged.pageRemovals { done.removalErrors += Self.removePages(in: pages.folder, keeping: pages.kept) }
            for path in staged.fileRemovals where unlink(path) != 0 && errno != ENOENT {
                done.removalErrors.append("cannot remove \(path): \(String(cString: strerror(errno)))")
            }
            return done
        }
    }

    /// What committing a render's files did: the files that could not be put in place (each named, with why).
    struct Committed: Sendable {
        var failed: [String]
        var failedFeedURLs: Set<String> = []
        var removalErrors: [String] = []
    }
}

/// The files of one render: written to temp files as each category is done,
/// made durable and put in place together when the render ends. Touched only
/// on the blocking pool, by one render at a time (renders run in order), so
/// never from two threads at once.
final class StagedWrites: @unchecked Sendable {
    var batch = AtomicFile.Batch()
    /// The public URL of each staged feed file, by path: a file that fails at commit is not announced.
    var feedURLs: [String: String] = [:]
    /// Folders whose old pages go once the new ones are in place.
    var pageRemovals: [(folder: String, kept: Set<String>)] = []
    /// Files that go once the new ones are in place (the front page and stylesheet when pages are off).
    var fileRemovals: [String] = []
}

extension FeedRenderer.Outcome {
    /// Counts what a hop of writes did; returns its failed write, if any.
    mutating func add(_ written: FeedRenderer.Written) -> AtomicFile.WriteError? {
        filesWritten += written.files
        changedFeedURLs += written.changedFeedURLs
        errors += written.removalErrors
        return written.error
    }

    /// Counts the files of a render that could not be put in place, and no longer announces them.
    mutating func add(committing committed: FeedRenderer.Committed) {
        filesWritten -= committed.failed.count
        errors += committed.failed + committed.removalErrors
        changedFeedURLs.removeAll { committed.failedFeedURLs.contains($0) }
    }
}
