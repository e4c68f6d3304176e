import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `feedd run` on PostgreSQL (issue 12): the node polls what it leases from the
/// shared source table (`LeaseScheduler`) and renders into its own output
/// folder. Every node renders everything at start (the output folder is its
/// own, so the shared render state says nothing about it); after a poll that
/// changed feeds the polling node renders them and sends the one WebSub ping;
/// the other nodes render the same feeds from the database when told
/// (`NOTIFY`), with no ping; after missed notices (a lost connection) a node
/// renders everything again.
struct ClusterPolling<C: Clock>: Service where C.Duration == Duration {
    private let scheduler: LeaseScheduler<C>
    private let current: PipelineBox
    private let publisher: ChangePublisher
    private let jekyllEvery: Duration

    init(pipeline: Pipeline, coordination: any ClusterCoordination, metrics: DaemonMetrics, logger: Logger, clock: C,
         jekyllEvery: Duration, onPolled: @escaping @Sendable (SourceReport) -> Void) {
        self.jekyllEvery = jekyllEvery
        let current = PipelineBox(pipeline)
        let publisher = ChangePublisher(client: pipeline.client, logger: logger)
        self.current = current
        self.publisher = publisher
        scheduler = LeaseScheduler(coordination: coordination, config: pipeline.config, clock: clock, logger: logger,
                                   poll: { ticket in
            let pipeline = current.pipeline
            let started = ContinuousClock.now
            let polled = await pipeline.poll(ticket.source) { report in
                ticket.nextDelay(failed: report.failed, retryAfter: report.retryAfter, now: pipeline.now())
            }
            metrics.record(polled.report, duration: ContinuousClock.now - started, at: pipeline.now())
            if !polled.changedSlugs.isEmpty && !Task.isCancelled { await publisher.publishMerged(polled.changedSlugs, with: pipeline) }
            logger.debug("\(polled.report.line)")
            onPolled(polled.report)
            // The store's apply told the other nodes in its own transaction; the scheduler tells them the rest.
            return .init(failed: polled.report.failed, retryAfter: polled.report.retryAfter,
                         changedSlugs: polled.unannouncedSlugs, delay: polled.delay)
        }, onNotice: { notice in
            // Not awaited: the next notices are read meanwhile and join the render waiting its turn.
            switch notice {
            case .changed(_, let slugs): Task { await publisher.render(slugs, with: current.pipeline) }
            case .listening(resumed: true): Task { await publisher.render(nil, with: current.pipeline) }
            case .listening, .sourcesSynced: break
            }
        })
    }

    func run() async throws {
        await publisher.render(nil, with: current.pipeline)
        // With `jekyll:`, posts age into the archive between renders too (written by the writer lock's holder only).
        let aging = Task { [current, publisher, jekyllEvery] in
            while true {
                do { try await Task.sleep(for: jekyllEvery) } catch { return }
                let pipeline = current.pipeline
                if pipeline.config.jekyll != nil { await publisher.publishJekyllPosts(with: pipeline) }
            }
        }
        defer { aging.cancel() }
        try await scheduler.run()
    }

    /// SIGHUP: the new pipeline polls from now on; its sources are synced into the shared table; everything is rendered again.
    func reload(_ pipeline: Pipeline) async {
        current.set(pipeline)
        await scheduler.reload(pipeline.config)
        await publisher.render(nil, with: pipeline)
    }
}

/// The pipeline in force, read by each poll (a reload replaces it).
final class PipelineBox: Sendable {
    private let value: Mutex<Pipeline>
    init(_ pipeline: Pipeline) { value = Mutex(pipeline) }
    var pipeline: Pipeline { value.withLock { $0 } }
    func set(_ new: Pipeline) { value.withLock { $0 = new } }
}
