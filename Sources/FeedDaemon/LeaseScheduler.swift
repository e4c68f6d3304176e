import FeedConfig
import FeedModel
import FeedPipeline
import FeedStore
import Foundation
import Logging
import ServiceLifecycle

/// The scheduler of a node in a cluster (issue 12): instead of a heap of its
/// own, the shared source table says what is due. It claims due sources
/// (leases), hands each to `poll`, records the result with the next due time
/// (from the same `PollPolicy` a single node uses: interval and jitter,
/// backoff, Retry-After) and lets go of the lease; then it sleeps until the
/// earliest next due time, a finished poll, a notice from another node (its
/// config sync) or a shutdown. At most `poll.concurrency` polls in flight per
/// node, so a node takes no more than it can fetch. Time comes from `clock`;
/// due times are the database's.
public actor LeaseScheduler<C: Clock>: Service where C.Duration == Duration {
    /// One leased source, for the poll closure.
    public struct Ticket: Sendable {
        public var source: SourceConfig
        /// Consecutive failures before this poll, across the cluster.
        public var failures: Int
        public var policy: PollPolicy
        /// When the lease runs out (the poll should be done by then).
        public var leaseUntil: Date

        /// The delay before the next poll after this one: backoff counted on the
        /// failures before it, the upstream's Retry-After honoured (as `Scheduler` does).
        public func nextDelay(failed: Bool, retryAfter: String?, now: Date) -> Duration {
            var random = SystemRandomNumberGenerator()
            let wait = retryAfter.flatMap { PollPolicy.parseRetryAfter($0, now: now) }
            return policy.delay(afterFailures: failed ? failures + 1 : 0, retryAfter: wait, random: &random)
        }
    }

    /// What a poll did, as the scheduler needs it.
    public struct Outcome: Sendable, Equatable {
        public var failed: Bool
        /// The upstream's `Retry-After`, as sent.
        public var retryAfter: String?
        /// The feeds whose items changed: every node is told.
        public var changedSlugs: Set<Slug>
        /// The delay the poll recorded in its own state, when it asked `Ticket.nextDelay` for
        /// one: the shared table gets the same (nil: the scheduler asks it).
        public var delay: Duration?

        public init(failed: Bool, retryAfter: String? = nil, changedSlugs: Set<Slug> = [], delay: Duration? = nil) {
            self.failed = failed
            self.retryAfter = retryAfter
            self.changedSlugs = changedSlugs
            self.delay = delay
        }
    }

    public typealias Poll = @Sendable (Ticket) async -> Outcome

    private let coordination: any ClusterCoordination
    private var config: Config
    private var sources: [String: (source: SourceConfig, policy: PollPolicy)] = [:]
    private let clock: C
    private let logger: Logger
    private let pollSource: Poll
    private let onNotice: @Sendable (ClusterNotice) async -> Void
    private let onPolled: @Sendable (String, Outcome) -> Void
    private let now: @Sendable () -> Date
    /// The longest sleep: a node whose notice connection is down still sees other nodes' changes this often.
    private let maxIdle: Duration
    private let shutdownGrace: Duration
    /// The sources being polled, with when each poll started.
    private var running: [String: C.Instant] = [:]
    private var inFlight: Int { running.count }
    private var stopping = false
    private var claimFailures = 0
    // The one sleep (as in `Scheduler`): until a deadline or woken; a wake while awake makes the next sleep return at once.
    private let sleeper: Sleeper<C>
    private var sleepingFull = false

    /// - Parameters:
    ///   - lease: how long a claimed source is this node's; default `poll.timeout` plus half of it (at least 5 s more).
    ///   - poll: polls one source and records its items (the pipeline's poll).
    ///   - onNotice: told every notice from another node (a `changed` one: render those feeds
    ///     from the database; `listening(resumed: true)`: notices were missed, render what is stale).
    ///   - onPolled: told each finished poll once its lease is let go (tests wait on it).
    public init(coordination: any ClusterCoordination, config: Config, clock: C, logger: Logger, lease: Duration? = nil,
                maxIdle: Duration = .seconds(30), shutdownGrace: Duration = .seconds(10),
                now: @escaping @Sendable () -> Date = { Date() }, poll: @escaping Poll,
                onNotice: @escaping @Sendable (ClusterNotice) async -> Void = { _ in },
                onPolled: @escaping @Sendable (String, Outcome) -> Void = { _, _ in }) {
        self.coordination = coordination
        self.config = config
        self.clock = clock
        sleeper = Sleeper(clock: clock)
        self.logger = logger
        self.maxIdle = maxIdle
        self.shutdownGrace = shutdownGrace
        self.now = now
        pollSource = poll
        self.onNotice = onNotice
        self.onPolled = onPolled
        self.lease = lease ?? config.poll.lease
    }

    private let lease: Duration

    /// At most this many polls in flight on this node.
    private var maxInFlight: Int { max(1, config.poll.concurrency) }

    public func run() async throws {
        await sync(config)
        let follower = Task { await self.follow() }
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
        follower.cancel()
        await follower.value
        logger.info("lease scheduler stopped")
    }

    /// Takes a new config (SIGHUP): synced into the shared table, so every node polls its sources.
    public func reload(_ config: Config) async {
        self.config = config
        await sync(config)
        wakeNow()
    }

    private func beginStop() {
        stopping = true
        wakeNow()
    }

    /// Syncs this node's sources into the shared table; logs how the cluster's differed.
    private func sync(_ config: Config) async {
        var random = SystemRandomNumberGenerator()
        var entries: [ClusterSourceEntry] = []
        sources = [:]
        for source in config.sources {
            let policy = PollPolicy(interval: config.interval(of: source), maxBackoff: config.poll.maxBackoff)
            sources[source.name] = (source, policy)
            entries.append(ClusterSourceEntry(name: source.name, fingerprint: SourceFingerprint.of(source),
                                              firstDelay: policy.firstDelay(random: &random)))
        }
        do {
            let report = try await coordination.syncSources(entries)
            if report.differs && report.previousNode == coordination.node {
                logger.notice("config synced into the shared table: \(report)")
            } else if report.differs {
                logger.warning("""
                    this node's config differs from the cluster's (last synced by \(report.previousNode ?? "?")): \
                    \(report); the shared source table now follows this node's
                    """)
            } else {
                logger.info("\(entries.count) sources synced into the shared table (config \(report.hash))")
            }
        } catch {
            logger.error("sources not synced into the shared table (polling what it holds): \(error)")
        }
    }

    /// Claims what is due (as many as there is room for), starts their polls, sleeps until the next.
    private func loop(group: inout DiscardingTaskGroup) async {
        while !stopping {
            var wake: Duration? = maxIdle
            let room = maxInFlight - inFlight
            if room > 0 {
                do {
                    let claim = try await coordination.claimDue(limit: room, lease: lease)
                    if claimFailures > 0 { logger.notice("claiming sources works again after \(claimFailures) failures") }
                    claimFailures = 0
                    for claimed in claim.claimed { await start(claimed, group: &group) }
                    // No room left: the loop goes round and sleeps until a poll finishes. Else nothing
                    // more is claimable now: wait for the next due time (rows another node was claiming
                    // at that instant show as due here: a short pause, no spin).
                    wake = claim.claimed.count == room ? .zero
                        : min(claim.nextWake.map { max($0, .milliseconds(20)) } ?? maxIdle, maxIdle)
                } catch {
                    if Task.isCancelled { break } // stopping: the claim was cut short, nothing to report
                    claimFailures += 1
                    if claimFailures == 1 { logger.error("claiming due sources failed (retrying): \(error)") }
                    wake = min(.milliseconds(250) * (1 << min(claimFailures, 6)), maxIdle)
                }
            } else {
                wake = nil // full: a finished poll wakes the loop
            }
            if wake == .zero { continue }
            // Only a full node is woken by a finished poll: the others claim when something is
            // due, so the nodes do not each send a claim after every poll.
            sleepingFull = wake == nil
            await sleep(until: wake.map { clock.now.advanced(by: $0) })
            sleepingFull = false
        }
    }

    private func start(_ claimed: ClaimedSource, group: inout DiscardingTaskGroup) async {
        guard let known = sources[claimed.name] else {
            // Another node's config has it and this one's does not: leave it to them.
            logger.warning("\(claimed.name): leased but not in this node's config; handed back")
            do { _ = try await coordination.release(claimed.name, failures: claimed.failures, nextPollIn: .seconds(5)) } catch {
                logger.error("\(claimed.name): lease not handed back (it runs out at \(claimed.until)): \(error)")
            }
            return
        }
        running[claimed.name] = clock.now
        let ticket = Ticket(source: known.source, failures: claimed.failures, policy: known.policy, leaseUntil: claimed.until)
        group.addTask { await self.poll(ticket) }
    }

    private nonisolated func poll(_ ticket: Ticket) async {
        let name = ticket.source.name
        let outcome = await withLeaseRenewed(of: name, for: lease, on: coordination, logger: logger,
                                             sleep: { try await self.clock.sleep(for: $0) }) {
            await self.pollSource(ticket)
        }
        let delay = outcome.delay ?? ticket.nextDelay(failed: outcome.failed, retryAfter: outcome.retryAfter, now: now())
        // Recorded even when the poll was cancelled (a shutdown past its grace): a task of its
        // own does not inherit the cancellation, so the lease is let go instead of left to run out.
        await Task { await record(name, outcome, delay: delay, ticket: ticket) }.value
        await finished(name, outcome)
    }

    private nonisolated func record(_ name: String, _ outcome: Outcome, delay: Duration, ticket: Ticket) async {
        if !outcome.changedSlugs.isEmpty {
            do { try await coordination.notifyChanged(outcome.changedSlugs) } catch {
                logger.error("\(name): other nodes not told of changed feeds (they render on their next notice): \(error)")
            }
        }
        do {
            let kept = try await coordination.release(name, failures: outcome.failed ? ticket.failures + 1 : 0,
                                                      nextPollIn: delay)
            if !kept { logger.warning("\(name): the lease ran out before the poll finished; another node holds it now") }
        } catch {
            logger.error("\(name): result not recorded in the shared table (the lease runs out at \(ticket.leaseUntil)): \(error)")
        }
    }

    private func finished(_ name: String, _ outcome: Outcome) {
        running[name] = nil
        onPolled(name, outcome)
        if stopping || sleepingFull { wakeNow() }
    }

    /// After a stop request: in-flight polls may finish until the grace deadline, then the rest are cancelled.
    private func drain(group: inout DiscardingTaskGroup) async {
        let deadline = clock.now.advanced(by: shutdownGrace)
        while inFlight > 0 && clock.now < deadline {
            await sleep(until: deadline)
        }
        if inFlight > 0 {
            let now = clock.now
            let names = running.sorted { $0.key < $1.key }.map { "\($0.key) (started \($0.value.duration(to: now)) ago)" }
            logger.warning("cancelling \(inFlight) polls still running after \(shutdownGrace); their leases run out: \(names.joined(separator: ", "))")
            group.cancelAll()
        }
    }

    /// Reads the cluster's notices: another node's sync may have made sources due
    /// sooner, and missed notices (a lost connection) too; changes go to `onNotice`.
    private func follow() async {
        for await notice in coordination.notices() {
            switch notice {
            case .listening(let resumed):
                if resumed {
                    wakeNow()
                    await onNotice(notice)
                }
            case .sourcesSynced(let node):
                if node != coordination.node { wakeNow() }
            case .changed(let node, _):
                if node != coordination.node { await onNotice(notice) }
            }
        }
    }

    private func sleep(until deadline: C.Instant?) async {
        await sleeper.sleep(until: deadline)
    }

    private func wakeNow() { sleeper.wake() }
}
