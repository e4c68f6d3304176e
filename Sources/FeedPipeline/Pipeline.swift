import FeedConfig
import FeedFetch
import FeedModel
import FeedNormalize
import FeedRender
import FeedSources
import FeedStore
import FeedStorePostgres
import Foundation
import Logging
import Synchronization

/// The whole flow for a set of sources: poll → fetch new bodies → normalize →
/// store (deduplicated by info code) → render. `feedd refresh` runs it once;
/// the daemon runs `poll(_:)` per source on a schedule.
public final class Pipeline: Sendable {
    public let config: Config
    /// SQLite or PostgreSQL: every read and write goes through `Store` (`StoreBackend.open` picks the backend).
    public let store: any Store
    public let client: HTTPClient
    let logger: Logger
    /// The wall clock (injected by tests).
    public let now: @Sendable () -> Date
    let limiter: FetchLimiter
    let bodies = BodyCoordinator()
    let knownSlugs = Mutex<[String: Slug]>([:])
    let renderer: FeedRenderer
    let dates: DateParser
    /// Where the SQLite backend's calls and the renderer's file writes run: never on the cooperative pool.
    public let blocking: BlockingPool
    /// With PostgreSQL in `feedd run`: the cluster's coordination. New bodies are
    /// claimed in the database before they are fetched, and Jekyll posts are
    /// written only while this node holds the writer lock. nil: a single node.
    public let cluster: (any ClusterCoordination)?

    /// Upstream dates further ahead than this are clamped to first-seen time.
    static let allowedClockSkew: TimeInterval = 5 * 60

    /// Opens the config's store (`StoreBackend.open`: the SQLite file or the PostgreSQL database) and builds the pipeline over it.
    public static func open(config: Config, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) async throws(StoreError) -> Pipeline {
        let store = try await StoreBackend.open(config, logger: logger, pool: BlockingPool.shared)
        return Pipeline(config: config, store: store, logger: logger, now: now, blocking: .shared)
    }

    /// A pipeline over an open store: the daemon builds a new one on reload and keeps the store.
    public init(config: Config, store: any Store, logger: Logger, now: @escaping @Sendable () -> Date = { Date() },
                blocking: BlockingPool = .shared, cluster: (any ClusterCoordination)? = nil) {
        self.config = config
        self.cluster = cluster
        self.blocking = blocking
        self.logger = logger
        self.now = now
        self.store = store
        client = HTTPClient(poll: config.poll)
        limiter = FetchLimiter(width: config.poll.concurrency, perHost: config.poll.perHost)
        renderer = FeedRenderer(config: config, store: store, blocking: blocking)
        dates = DateParser(zone: config.site.timezone)
    }

    // MARK: refresh

    /// Polls `sources` once (in a cluster, each under its lease: `pollOnce`), then renders every feed whose items changed. At
    /// most `poll.concurrency` sources are in flight at once, each stored as
    /// soon as its items are in: memory depends on that width, not on how many
    /// sources or items there are.
    public func refresh(_ sources: [SourceConfig]) async -> RefreshReport {
        var reports = [SourceReport?](repeating: nil, count: sources.count)
        await withTaskGroup(of: (Int, SourceReport).self) { group in
            var next = 0
            while next < min(config.poll.concurrency, sources.count) {
                let index = next
                group.addTask { (index, await self.pollOnce(sources[index]).report) }
                next += 1
            }
            for await (index, report) in group {
                reports[index] = report
                guard next < sources.count else { continue }
                let index = next
                group.addTask { (index, await self.pollOnce(sources[index]).report) }
                next += 1
            }
        }
        // Written before the run ends (the daemon's polls are written a moment after each).
        do { try await store.flush() } catch { logger.error("\(error)") }
        let rendered = await render(nil)
        for error in rendered.errors { logger.error("\(error)") }
        return RefreshReport(sources: reports.compactMap { $0 }, filesWritten: rendered.filesWritten, renderErrors: rendered.errors)
    }

    // MARK: render

    /// Renders the feeds of `slugs` (and `all`), writing only files whose bytes change.
    /// With `jekyll:` configured the posts are written (and old ones archived) too.
    /// A complete render that succeeds is recorded, so a restart can skip it.
    /// Store reads are awaited; file writes run on `blocking`.
    public func render(_ slugs: Set<Slug>? = nil) async -> FeedRenderer.Outcome {
        var before: FeedStore.RenderState?
        // In a cluster the render state is one shared row and the output folder this node's own:
        // a node's complete render says nothing of another's folder, so none is recorded (nodes render all at start).
        if slugs == nil && cluster == nil {
            do { before = try await store.renderState() } catch { logger.error("render: cannot record it as complete: \(error)") }
        }
        var outcome = await renderer.render(slugs).adding(publishJekyllPosts())
        if let before, outcome.errors.isEmpty {
            do { try await store.markRendered(version: before.contentVersion, fingerprint: renderer.fingerprint) } catch {
                outcome.errors.append("\(error)")
            }
        }
        return outcome
    }

    /// A complete render unless the output already shows this content with these
    /// settings (a daemon restarting in steady state: nothing to read, nothing to write).
    /// nil when skipped. Jekyll posts age into the archive, so with `jekyll:` it always renders.
    public func renderIfStale() async -> FeedRenderer.Outcome? {
        var stored: FeedStore.RenderState?
        do { stored = try await store.renderState() } catch { logger.error("render state unreadable, rendering everything: \(error)") }
        if config.jekyll == nil, let state = stored,
           state.renderedVersion == state.contentVersion, state.renderedFingerprint == renderer.fingerprint,
           FileManager.default.fileExists(atPath: config.output + (config.site.pages ? "/index.html" : "/opml.xml")) {
            return nil
        }
        return await render(nil)
    }
}
