import FeedFetch
import FeedModel
import FeedPipeline
import Logging

/// Renders the feeds whose items changed, one render at a time (two renders
/// of the same feed never race: they run in order on a one-thread pool of
/// their own, off the cooperative threads), and announces changed feeds to the WebSub
/// hub (`hub.mode=publish`), so subscribed readers get items within seconds.
actor ChangePublisher {
    private let client: HTTPClient
    private let logger: Logger
    /// The last render asked for: each render waits for the one before it, so they run in the order they were asked for.
    private var tail: Task<Void, Never>?

    init(client: HTTPClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Renders everything unless the output already shows the store's content
    /// with these settings (a restart or reload that changed nothing).
    func publishIfStale(with pipeline: Pipeline) async {
        guard let outcome = await inOrder({ await pipeline.renderIfStale() }) else {
            logger.info("feeds are up to date with the store; nothing to render")
            return
        }
        await announce(outcome, with: pipeline)
    }

    /// Renders `slugs` (nil: everything) with `pipeline`'s config and pings the hub for changed feeds.
    func publish(_ slugs: Set<Slug>?, with pipeline: Pipeline) async {
        await announce(await inOrder { await pipeline.render(slugs) }, with: pipeline)
    }

    /// Renders `slugs` (nil: everything) with no WebSub ping: in a cluster, what another
    /// node stored (that node pings), or everything after a start, a reload or missed notices.
    func render(_ slugs: Set<Slug>?, with pipeline: Pipeline) async {
        await merged(slugs, with: pipeline, ping: false)
    }

    /// In a cluster, `publish` merged: the feeds this node's polls changed, rendered and pinged.
    func publishMerged(_ slugs: Set<Slug>, with pipeline: Pipeline) async {
        await merged(slugs, with: pipeline, ping: true)
    }

    /// Asks that arrive while a render of the same kind (pinging or not) waits its turn join
    /// it: a burst of polls or notices is one render, not a queue of them. Returns once the
    /// render that has these slugs is done.
    private func merged(_ slugs: Set<Slug>?, with pipeline: Pipeline, ping: Bool) async {
        var next = waiting[ping] ?? Waiting()
        if let slugs { next.slugs.formUnion(slugs) } else { next.all = true }
        next.pipeline = pipeline
        waiting[ping] = next
        if let queued = next.task {
            await queued.value
            return
        }
        let task = Task<Void, Never> {
            let (outcome, used) = await self.inOrder {
                let (slugs, pipeline) = await self.takeWaiting(ping: ping, else: pipeline)
                return (await pipeline.render(slugs), pipeline)
            }
            if ping {
                await self.announce(outcome, with: used)
            } else {
                for error in outcome.errors { self.logger.error("\(error)") }
                if outcome.filesWritten > 0 { self.logger.info("rendered: \(outcome.filesWritten) files written") }
            }
        }
        waiting[ping]?.task = task
        await task.value
    }

    /// What the queued merged render is to do, once its turn has come (later asks start a new one).
    private func takeWaiting(ping: Bool, else asked: Pipeline) -> (Set<Slug>?, Pipeline) {
        let taken = waiting[ping] ?? Waiting()
        waiting[ping] = nil
        return (taken.all ? nil : taken.slugs, taken.pipeline ?? asked)
    }

    private struct Waiting {
        var slugs: Set<Slug> = []
        var all = false
        var pipeline: Pipeline?
        var task: Task<Void, Never>?
    }

    /// The merged render waiting its turn, by whether it pings.
    private var waiting: [Bool: Waiting] = [:]

    /// Writes the Jekyll posts and moves those past `keep_days` to the
    /// archive (with `jekyll:`), between renders: posts age even when no feed
    /// changes.
    func publishJekyllPosts(with pipeline: Pipeline) async {
        guard let outcome = await inOrder({ await pipeline.publishJekyllPosts() }) else { return }
        for error in outcome.errors { logger.error("\(error)") }
        if !outcome.archived.isEmpty { logger.info("jekyll: \(outcome.archived.count) posts moved to the archive") }
        if !outcome.written.isEmpty { logger.info("jekyll: \(outcome.written.count) posts written") }
    }

    /// Runs `body` after every render asked for before it has finished (an actor alone would
    /// interleave two renders at their awaits). The tail is set before this actor suspends.
    private func inOrder<T: Sendable>(_ body: @escaping @Sendable () async -> T) async -> T {
        let previous = tail
        let task = Task<T, Never> {
            await previous?.value
            return await body()
        }
        tail = Task { _ = await task.value }
        return await task.value
    }

    private func announce(_ outcome: FeedRenderer.Outcome, with pipeline: Pipeline) async {
        for error in outcome.errors { logger.error("\(error)") }
        if outcome.filesWritten > 0 { logger.info("rendered: \(outcome.filesWritten) files written") }
        guard let hub = pipeline.config.websub?.hub, !outcome.changedFeedURLs.isEmpty else { return }
        for url in outcome.changedFeedURLs {
            do {
                _ = try await client.fetch(FetchRequest(url: hub, form: [("hub.mode", "publish"), ("hub.url", url)]))
            } catch {
                logger.warning("WebSub ping for \(url) failed: \(error)")
            }
        }
    }
}
