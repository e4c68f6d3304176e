import FeedConfig
import FeedModel
import FeedNormalize
import FeedRender
import FeedStore
import Foundation

/// Keeps the old Jekyll site fed (`config.jekyll`): moves posts past
/// `keep_days` to the archive, then writes the post of each recent item.
///
/// Which posts are written:
/// - an item still within `keep_days` (see `JekyllArchive` for the day rule)
///   gets its post in `posts`, rewritten whenever its bytes change (a new
///   title, a body normalized again, another category picked);
/// - an item past `keep_days` (one a refresh stored late, or one an import
///   added) gets a post only when it has none yet, straight in the archive
///   (in `posts` when there is no archive); an existing old post is history
///   and is left as it is;
/// - a post already in the archive is never written again, in either folder.
///
/// A run reads only the items of the last `keep_days` (plus the ones it is
/// given), so its cost does not grow with the history.
public struct JekyllPublisher: Sendable {
    let settings: Config.Jekyll
    let site: JekyllSite
    /// Categories a source gives everything it lists: never an outlet (see `JekyllPost.category(for:listCategories:)`).
    let listCategories: Set<String>
    let store: any Store
    /// Where the archive's moves and the posts' writes run.
    let blocking: BlockingPool
    /// `images:`, applied to each post's body as it is written.
    let images: ImagePolicy

    /// nil when the config has no `jekyll:` section.
    public init?(config: Config, store: any Store, blocking: BlockingPool = .shared) {
        guard let settings = config.jekyll else { return nil }
        self.settings = settings
        site = JekyllSite(url: settings.siteURL, shareLink: settings.shareLink, timezone: config.site.timezone)
        listCategories = Set(config.sources.compactMap(\.category))
        self.store = store
        self.blocking = blocking
        images = config.imagePolicy
    }

    public struct Outcome: Sendable, Equatable {
        /// Paths of posts written or rewritten.
        public var written: [String] = []
        /// File names moved from `posts` to the archive.
        public var archived: [String] = []
        public var errors: [String] = []

        public init(written: [String] = [], archived: [String] = [], errors: [String] = []) {
            self.written = written
            self.archived = archived
            self.errors = errors
        }
    }

    /// Archives, then writes the posts of the items of the last `keep_days`
    /// and of `also` (the items an import just added). `now` decides what is past keeping.
    public func publish(now: Date, also: [InfoCode] = []) async -> Outcome {
        var outcome = Outcome()
        if let archive = settings.archive {
            let (posts, keepDays, timezone) = (settings.posts, settings.keepDays, site.timezone)
            let moved = await blocking.run {
                JekyllArchive(posts: posts, archive: archive, keepDays: keepDays, timezone: timezone).run(now: now)
            }
            outcome.archived = moved.moved
            outcome.errors += moved.errors
        }
        // Two days of slack: whatever the zone, every item whose day is still kept is read.
        let since = now.addingTimeInterval(-Double(settings.keepDays + 2) * 86_400)
        var codes: [InfoCode]
        do {
            codes = try await store.codes(publishedSince: since)
            let recent = Set(codes)
            codes += also.filter { !recent.contains($0) }
        } catch {
            outcome.errors.append("jekyll posts: \(error)")
            return outcome
        }
        // A batch of items per read (one query, not one per post); its posts written in one hop to the blocking pool.
        for start in stride(from: 0, to: codes.count, by: Self.batchSize) {
            let batch = Array(codes[start..<min(start + Self.batchSize, codes.count)])
            let items: [Item]
            do {
                items = try await store.items(batch).map(images.presenting)
            } catch {
                outcome.errors += batch.map { "jekyll post of \($0): \(error)" }
                continue
            }
            let publisher = self
            let written = await blocking.run { () -> Outcome in
                var done = Outcome()
                for item in items {
                    do {
                        if let path = try publisher.write(item, now: now) { done.written.append(path) }
                    } catch {
                        done.errors.append("jekyll post of \(item.infoCode): \(error)")
                    }
                }
                return done
            }
            outcome.written += written.written
            outcome.errors += written.errors
        }
        return outcome
    }

    /// Items read per query.
    static let batchSize = 500

    public struct NoCategory: Error, CustomStringConvertible {
        public var description: String { "the item has no category to file the post under" }
    }

    /// Writes one item's post where it belongs; returns its path when the file changed.
    private func write(_ item: Item, now: Date) throws -> String? {
        guard let post = JekyllPost(item: item, listCategories: listCategories) else { throw NoCategory() }
        let name = post.fileName(in: site.timezone)
        let files = FileManager.default
        if let archive = settings.archive, files.fileExists(atPath: archive + "/" + name) { return nil }
        let path: String
        if JekyllArchive.isPastKeeping(PostDay(post.date, in: site.timezone), now: now, keepDays: settings.keepDays,
                                       in: site.timezone) {
            if files.fileExists(atPath: settings.posts + "/" + name) { return nil }
            path = (settings.archive ?? settings.posts) + "/" + name
            if files.fileExists(atPath: path) { return nil }
        } else {
            path = settings.posts + "/" + name
        }
        return try AtomicFile.write(Array(post.render(for: site).utf8), to: path) ? path : nil
    }
}

extension Pipeline {
    /// Writes the Jekyll posts when the config has a `jekyll:` section (nil
    /// otherwise). `refresh` calls it after the feeds; the daemon may call it
    /// after any poll that stored something.
    public func publishJekyllPosts() async -> JekyllPublisher.Outcome? {
        guard config.jekyll != nil else { return nil }
        if let cluster {
            // One node writes the posts at a time: the one holding the cluster's writer lock.
            do {
                guard try await cluster.holdWriterLock() else { return nil }
            } catch {
                logger.error("jekyll: posts not written (the writer lock could not be asked for): \(error)")
                return nil
            }
        }
        return await JekyllPublisher(config: config, store: store, blocking: blocking)?.publish(now: now())
    }
}

extension FeedRenderer.Outcome {
    /// This outcome and the posts' files and errors, for one line and one exit status.
    func adding(_ posts: JekyllPublisher.Outcome?) -> Self {
        guard let posts else { return self }
        var sum = self
        sum.filesWritten += posts.written.count + posts.archived.count
        sum.errors += posts.errors
        return sum
    }
}
