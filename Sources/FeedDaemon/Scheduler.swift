import FeedConfig
import FeedFetch
import FeedModel
import FeedPipeline
import Foundation
import Logging
import ServiceLifecycle

/// Polls every source on its own schedule (interval, jitter, backoff,
/// Retry-After), each in its own task so a failing or hanging source never
/// delays another; renders only the categories whose items changed.
public actor Scheduler: Service {
    struct Entry {
        var source: SourceConfig
        var policy: PollPolicy
        var due: ContinuousClock.Instant
        var failures: Int
        var running = false
    }

    private var pipeline: Pipeline
    private var entries: [String: Entry] = [:]
    private let publisher: ChangePublisher
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let clock = ContinuousClock()
    private var random = SystemRandomNumberGenerator()
    private var stopping = false
    private var inFlight = 0
    /// How long in-flight polls may finish after SIGTERM before they are cancelled.
    private let shutdownGrace: Duration
    /// With `jekyll:`, how often posts are published and aged into the archive
    /// when no render has done it (a render does it every time).
    private let jekyllEvery: Duration
    private var nextJekyll: ContinuousClock.Instant

    public init(pipeline: Pipeline, metrics: DaemonMetrics, logger: Logger, shutdownGrace: Duration = .seconds(10),
                jekyllEvery: Duration = .seconds(3600)) {
        self.pipeline = pipeline
        self.metrics = metrics
        self.logger = logger
        self.shutdownGrace = shutdownGrace
        self.jekyllEvery = jekyllEvery
        nextJekyll = ContinuousClock.now.advanced(by: jekyllEvery)
        publisher = ChangePublisher(client: pipeline.client, logger: logger)
    }

    public func run() async throws {
        await publisher.publishIfStale(with: pipeline) // feeds, index and OPML reflect the store and config from the start
        schedule(pipeline.config, keepingState: false)
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                await loop(group: &group)
                await drain(group: &group)
            }
        } onGracefulShutdown: {
            Task { await self.beginStop() }
        }
        logger.info("scheduler stopped")
    }

    private func beginStop() { stopping = true }

    /// Starts due sources; wakes at the next due time, or every 250 ms to see finished polls and stop requests.
    private func loop(group: inout DiscardingTaskGroup) async {
        while !stopping && !Task.isCancelled {
            let now = clock.now
            for name in entries.keys.sorted() where !entries[name]!.running && entries[name]!.due <= now {
                entries[name]!.running = true
                inFlight += 1
                let source = entries[name]!.source
                let pipeline = self.pipeline
                group.addTask { await self.poll(source, with: pipeline) }
            }
            if pipeline.config.jekyll != nil, now >= nextJekyll {
                nextJekyll = now.advanced(by: jekyllEvery)
                let pipeline = self.pipeline
                group.addTask { await self.publisher.publishJekyllPosts(with: pipeline) }
            }
            let next = entries.values.filter { !$0.running }.map(\.due).min() ?? now.advanced(by: .seconds(1))
            let wait = min(max(next - clock.now, .milliseconds(10)), .milliseconds(250))
            try? await Task.sleep(for: wait)
        }
    }

    /// After a stop request: let in-flight polls finish until the grace deadline, then cancel them.
    private func drain(group: inout DiscardingTaskGroup) async {
        let deadline = clock.now.advanced(by: shutdownGrace)
        while inFlight > 0 && clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if inFlight > 0 {
            logger.warning("cancelling \(inFlight) polls still running after \(shutdownGrace)")
            group.cancelAll()
        }
    }

    private nonisolated func poll(_ source: SourceConfig, with pipeline: Pipeline) async {
        let started = ContinuousClock.now
        let (report, changed) = await pipeline.poll(source)
        metrics.record(report, duration: ContinuousClock.now - started, at: Date())
        if !changed.isEmpty && !Task.isCancelled { await publisher.publish(changed, with: pipeline) }
        await finished(source.name, report)
    }

    private func finished(_ name: String, _ report: SourceReport) {
        inFlight -= 1
        guard var entry = entries[name] else { return } // removed by a reload meanwhile
        entry.running = false
        entry.failures = report.failed ? entry.failures + 1 : 0
        let retryAfter = report.retryAfter.flatMap { PollPolicy.parseRetryAfter($0, now: Date()) }
        let delay = entry.policy.delay(afterFailures: entry.failures, retryAfter: retryAfter, random: &random)
        entry.due = clock.now.advanced(by: delay)
        entries[name] = entry
        switch report.status {
        case .failed: logger.warning("\(name): failed \(entry.failures)× in a row; next poll in \(delay)")
        default: logger.debug("\(report.line); next poll in \(delay)")
        }
        try? pipeline.store.setNextPoll(Date().addingTimeInterval(delay.seconds), forSource: name)
    }

    /// Takes a new config (SIGHUP): added sources start soon, removed ones stop
    /// being polled (a poll in flight finishes), changed ones keep their backoff.
    public func reload(_ pipeline: Pipeline) async {
        self.pipeline = pipeline
        schedule(pipeline.config, keepingState: true)
        await publisher.publishIfStale(with: pipeline)
    }

    private func schedule(_ config: Config, keepingState: Bool) {
        var next: [String: Entry] = [:]
        for source in config.sources {
            let policy = PollPolicy(interval: config.interval(of: source), maxBackoff: config.poll.maxBackoff)
            if keepingState, var old = entries[source.name] {
                if old.source != source { old.due = min(old.due, clock.now.advanced(by: policy.firstDelay(random: &random))) }
                old.source = source
                old.policy = policy
                next[source.name] = old
            } else {
                let failures = (try? pipeline.store.sourceState(named: source.name))??.consecutiveFailures ?? 0
                next[source.name] = Entry(source: source, policy: policy,
                                          due: clock.now.advanced(by: policy.firstDelay(random: &random)), failures: failures)
            }
        }
        entries = next
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
