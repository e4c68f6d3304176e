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
///
/// Driven by due times: the sources wait in a heap by due instant and the
/// scheduler sleeps until the earliest is due, or until a reload, a finished
/// poll or a shutdown wakes it. Nothing polls on a timer and nothing scans
/// every source per wake. Time comes from `clock`, so tests drive it.
public actor Scheduler<C: Clock>: Service where C.Duration == Duration {
    struct Entry {
        /// The source's place in `pipeline.config.sources` (not a copy of its 300-byte
        /// config: at 10,000 sources the copies alone held 5 MB).
        var index: Int
        /// The list's host, for the per-host start gate.
        var host: String
        var policy: PollPolicy
        var failures: Int
        /// Bumped whenever the source is scheduled again; older heap entries are stale.
        var generation = 0
        var running = false
        /// When its running poll started (for the shutdown's log).
        var startedAt: C.Instant?
    }

    private var pipeline: Pipeline
    private var entries: [String: Entry] = [:]
    private var queue = DueQueue<C.Instant>()
    private let publisher: ChangePublisher
    private let metrics: DaemonMetrics
    private let logger: Logger
    private let clock: C
    private var random = SystemRandomNumberGenerator()
    private var stopping = false
    private var inFlight = 0
    /// Polls started and not finished, per list host; a due source whose host has
    /// `poll.per_host` of them waits in `parked` (it would only wait for a fetch
    /// slot, holding a task), so a slow host holds back no other host.
    private var runningByHost: [String: Int] = [:]
    private var parked: [String: [(name: String, generation: Int)]] = [:]
    private var reachability: Reachability
    /// How long in-flight polls may finish after SIGTERM before they are cancelled.
    private let shutdownGrace: Duration
    /// With `jekyll:`, how often posts are published and aged into the archive
    /// when no render has done it (a render does it every time).
    private let jekyllEvery: Duration
    private var nextJekyll: C.Instant
    // The one sleep: until the next due time (or indefinitely), woken early by `wakeNow()`.
    private let sleeper: Sleeper<C>

    /// Told each finished poll once it is rescheduled (tests wait on it instead of on time).
    private let onPolled: @Sendable (SourceReport) -> Void
    /// A source due within this much after a wake starts with that wake (at most this much
    /// early): a burst of sources due a few milliseconds apart costs one wake-up, not one each.
    private let startWindow: Duration

    /// - Parameter startWindow: sources due within this much after a wake start with it (zero: each at its due time).
    public init(pipeline: Pipeline, metrics: DaemonMetrics, logger: Logger, clock: C, shutdownGrace: Duration = .seconds(10),
                jekyllEvery: Duration = .seconds(3600), startWindow: Duration = .zero,
                onPolled: @escaping @Sendable (SourceReport) -> Void = { _ in }) {
        self.onPolled = onPolled
        self.startWindow = startWindow
        self.pipeline = pipeline
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        sleeper = Sleeper(clock: clock)
        self.shutdownGrace = shutdownGrace
        self.jekyllEvery = jekyllEvery
        nextJekyll = clock.now.advanced(by: jekyllEvery)
        publisher = ChangePublisher(client: pipeline.client, logger: logger)
        reachability = Reachability(sources: pipeline.config.sources)
    }

    public func run() async throws {
        await publisher.publishIfStale(with: pipeline) // feeds, index and OPML reflect the store and config from the start
        await schedule(pipeline, keepingState: false)
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await withDiscardingTaskGroup { group in
                    await loop(group: &group)
                    await drain(group: &group)
                }
            } onCancel: {
                Task { await self.beginStop() }
            }
        } onGracefulShutdown: {
            Task { await self.beginStop() }
        }
        logger.info("scheduler stopped")
    }

    private func beginStop() {
        stopping = true
        wakeNow()
    }

    /// At most this many polls in flight: each holds a task and its buffers, so
    /// 10,000 sources falling due together must not mean 10,000 tasks. A few
    /// times `poll.concurrency`, so a fetch slot never waits for a poll to start.
    private var maxInFlight: Int { max(8, pipeline.config.poll.concurrency * 4) }

    /// Starts the sources that are due (within the in-flight and per-host gates), then sleeps until the next is due.
    private func loop(group: inout DiscardingTaskGroup) async {
        while !stopping {
            let now = clock.now
            let horizon = now.advanced(by: startWindow)
            while inFlight < maxInFlight, let due = queue.first, due.at <= horizon {
                _ = queue.removeFirst()
                guard var entry = entries[due.name], entry.generation == due.generation, !entry.running else { continue }
                if runningByHost[entry.host, default: 0] >= pipeline.config.poll.perHost {
                    parked[entry.host, default: []].append((due.name, due.generation))
                    continue
                }
                entry.running = true
                entry.startedAt = now
                entries[due.name] = entry
                inFlight += 1
                runningByHost[entry.host, default: 0] += 1
                let (source, host, pipeline, delay) = (self.pipeline.config.sources[entry.index], entry.host, self.pipeline,
                                                       nextDelay(for: entry))
                group.addTask { await self.poll(source, host: host, with: pipeline, nextDelay: delay) }
            }
            if pipeline.config.jekyll != nil, now >= nextJekyll {
                nextJekyll = now.advanced(by: jekyllEvery)
                let pipeline = self.pipeline
                group.addTask { await self.publisher.publishJekyllPosts(with: pipeline) }
            }
            // At the in-flight limit, a finished poll wakes the loop; no due time can.
            var until = inFlight >= maxInFlight ? nil : queue.first?.at
            if pipeline.config.jekyll != nil { until = until.map { min($0, nextJekyll) } ?? nextJekyll }
            await sleep(until: until)
        }
    }

    /// After a stop request: in-flight polls may finish until the grace
    /// deadline (each one that finishes wakes this), then the rest are cancelled.
    private func drain(group: inout DiscardingTaskGroup) async {
        let deadline = clock.now.advanced(by: shutdownGrace)
        while inFlight > 0 && clock.now < deadline {
            await sleep(until: deadline)
        }
        if inFlight > 0 {
            logger.warning("cancelling \(inFlight) polls still running after \(shutdownGrace): \(runningSources())")
            group.cancelAll()
        }
    }

    /// The sources being polled, each with how long ago its poll started (what a slow stop waits for).
    private func runningSources() -> String {
        let now = clock.now
        return entries.filter { $0.value.running }.sorted { $0.key < $1.key }.map { name, entry in
            entry.startedAt.map { "\(name) (started \($0.duration(to: now)) ago)" } ?? name
        }.joined(separator: ", ")
    }

    private func sleep(until deadline: C.Instant?) async {
        await sleeper.sleep(until: deadline)
    }

    private func wakeNow() { sleeper.wake() }

    /// The delay after a poll, from its report: backoff counted on the
    /// failures before it, the upstream's Retry-After honoured.
    private func nextDelay(for entry: Entry) -> @Sendable (SourceReport) -> Duration {
        let (policy, failures, wallNow) = (entry.policy, entry.failures, pipeline.now)
        return { report in
            var random = SystemRandomNumberGenerator()
            let retryAfter = report.retryAfter.flatMap { PollPolicy.parseRetryAfter($0, now: wallNow()) }
            return policy.delay(afterFailures: report.failed ? failures + 1 : 0, retryAfter: retryAfter, random: &random)
        }
    }

    private nonisolated func poll(_ source: SourceConfig, host: String, with pipeline: Pipeline,
                                  nextDelay: @escaping @Sendable (SourceReport) -> Duration) async {
        let started = ContinuousClock.now
        let polled = await pipeline.poll(source, nextDelay: nextDelay)
        metrics.record(polled.report, duration: ContinuousClock.now - started, at: pipeline.now())
        if !polled.changedSlugs.isEmpty && !Task.isCancelled { await publisher.publish(polled.changedSlugs, with: pipeline) }
        await finished(source.name, host: host, polled.report, delay: polled.delay)
    }

    private func finished(_ name: String, host: String, _ report: SourceReport, delay: Duration?) {
        inFlight -= 1
        runningByHost[host, default: 1] -= 1
        if runningByHost[host] == 0 { runningByHost[host] = nil }
        if var waiting = parked[host], !waiting.isEmpty {
            // The host has a free start again: its longest-parked source is due now (still with its generation).
            let next = waiting.removeFirst()
            parked[host] = waiting.isEmpty ? nil : waiting
            queue.insert(.init(at: clock.now, name: next.name, generation: next.generation))
            if sleeper.isAsleep { wakeNow() }
        }
        if sleeper.isAsleepUnbounded { wakeNow() } // asleep at the in-flight limit: room again
        if let line = reachability.record(name, report) { logger.error("\(line)") }
        entries[name]?.running = false
        entries[name]?.startedAt = nil
        if stopping {
            if inFlight == 0 { wakeNow() }
            return
        }
        guard var entry = entries[name] else { return } // removed by a reload meanwhile
        entry.running = false
        entry.failures = report.failed ? entry.failures + 1 : 0
        let delay = delay ?? entry.policy.interval
        entries[name] = entry
        enqueue(name, at: clock.now.advanced(by: delay))
        switch report.status {
        case .failed where report.unreachableHost == nil:
            logger.warning("\(name): failed \(entry.failures)× in a row; next poll in \(delay)")
        default: logger.debug("\(report.line); next poll in \(delay)")
        }
        onPolled(report)
    }

    private func enqueue(_ name: String, at due: C.Instant) {
        guard var entry = entries[name] else { return }
        entry.generation += 1
        entries[name] = entry
        queue.insert(.init(at: due, name: name, generation: entry.generation))
        if sleeper.sleepsPast(due) { wakeNow() }
    }

    /// Takes a new config (SIGHUP): added sources start soon, removed ones stop
    /// being polled (a poll in flight finishes), changed ones keep their backoff.
    public func reload(_ pipeline: Pipeline) async {
        await schedule(pipeline, keepingState: true)
        await publisher.publishIfStale(with: pipeline)
    }

    /// Takes `pipeline` and its sources' entries together (no suspension between: an
    /// entry's index always points into the config of `self.pipeline`).
    private func schedule(_ pipeline: Pipeline, keepingState: Bool) async {
        let config = pipeline.config
        var next: [String: Entry] = [:]
        next.reserveCapacity(config.sources.count)
        var firstDue: [(String, C.Instant)] = []
        let stored = await storedFailures(keepingState ? [] : config.sources)
        let previous = self.pipeline.config.sources
        for (index, source) in config.sources.enumerated() {
            let policy = PollPolicy(interval: config.interval(of: source), maxBackoff: config.poll.maxBackoff)
            let soon = clock.now.advanced(by: policy.firstDelay(random: &random))
            if keepingState, var old = entries[source.name] {
                // A changed source is polled soon; an unchanged one keeps its place (its heap entry stays valid).
                if previous[old.index] != source && !old.running { firstDue.append((source.name, soon)) }
                old.index = index
                old.host = FetchLimiter.host(of: source.url)
                old.policy = policy
                next[source.name] = old
            } else {
                next[source.name] = Entry(index: index, host: FetchLimiter.host(of: source.url), policy: policy,
                                          failures: stored[source.name] ?? 0)
                firstDue.append((source.name, soon))
            }
        }
        self.pipeline = pipeline
        entries = next
        metrics.register(sources: config.sources.map(\.name))
        for (name, due) in firstDue { enqueue(name, at: due) }
        wakeNow()
    }

    /// The failure counts the store holds, for backoff across restarts (one read, at start).
    private func storedFailures(_ sources: [SourceConfig]) async -> [String: Int] {
        guard !sources.isEmpty else { return [:] }
        do {
            let states = try await pipeline.store.sourceStates()
            return Dictionary(states.map { ($0.name, $0.consecutiveFailures) }, uniquingKeysWith: { a, _ in a })
        } catch {
            logger.error("source states unreadable; backoff starts from zero: \(error)")
            return [:]
        }
    }
}
