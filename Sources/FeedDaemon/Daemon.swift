import FeedConfig
import FeedPipeline
import FeedStore
import FeedStorePostgres
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `feedd run`: the scheduler and the feed server as services in one
/// `ServiceGroup`, which turns SIGTERM/SIGINT into a graceful shutdown;
/// SIGHUP reloads the config; systemd is told about readiness, reloads and
/// stopping, and its watchdog is fed.
public struct Daemon: Sendable {
    public let configPath: String
    public let logger: Logger
    public let notifier: SystemdNotifier

    public init(configPath: String, logger: Logger, notifier: SystemdNotifier = SystemdNotifier()) {
        self.configPath = configPath
        self.logger = logger
        self.notifier = notifier
    }

    /// The daemon's start window: a poll starts at most 120 ms before its due time,
    /// and at most a hundredth of the shortest interval (its jitter is ± a tenth), so
    /// sources due close together share a wake-up and the threads it wakes. At 200
    /// sources every 30 s that halves the CPU of a poll (`bench/scale.sh`).
    public static func startWindow(_ config: Config) -> Duration {
        let shortest = config.sources.map { config.interval(of: $0) }.min() ?? config.poll.interval
        return min(.milliseconds(120), shortest / 100)
    }

    /// Runs until SIGTERM or SIGINT; returns after a clean shutdown.
    public func run(config: Config) async throws {
        let group = try await makeGroup(config: config, shutdownSignals: [.sigterm, .sigint], clock: ContinuousClock(),
                                        startWindow: Self.startWindow(config))
        try await group.run()
        logger.notice("feedd stopped")
    }

    /// The services of a daemon in one group. Tests run it without signals and
    /// stop it with `triggerGracefulShutdown()`; `onListening` gets the bound port.
    /// - Parameters:
    ///   - jekyllEvery: with `jekyll:`, how often posts age into the archive between renders.
    ///   - clock: the scheduler's time (tests pass a clock they advance).
    ///   - startWindow: sources due within this much after a scheduler wake start with it (`Scheduler`).
    ///   - onPolled: told of every finished poll once the source is scheduled again.
    public func makeGroup<C: Clock>(config: Config, shutdownSignals: [UnixSignal], jekyllEvery: Duration = .seconds(3600),
                                    clock: C, startWindow: Duration = .zero, onPolled: @escaping @Sendable (SourceReport) -> Void = { _ in },
                                    onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        async throws -> ServiceGroup where C.Duration == Duration {
        let store = try await StoreBackend.open(config, logger: logger, pool: BlockingPool.shared)
        // On PostgreSQL the node is one of a cluster: it polls what it leases from the shared table.
        let cluster = StoreBackend.cluster(for: store, config, logger: logger)
        let pipeline = Pipeline(config: config, store: store, logger: logger, cluster: cluster)
        let metrics = DaemonMetrics()
        metrics.register(sources: config.sources.map(\.name))
        let current = CurrentConfig(config)
        let polling: any Service
        let reloadPolling: @Sendable (Pipeline) async -> Void
        if let cluster {
            let leased = ClusterPolling(pipeline: pipeline, coordination: cluster, metrics: metrics, logger: logger, clock: clock,
                                        jekyllEvery: jekyllEvery, onPolled: onPolled)
            (polling, reloadPolling) = (leased, { await leased.reload($0) })
            logger.notice("cluster node \(cluster.node): polling the sources it leases from \(store.location)")
        } else {
            let scheduler = Scheduler(pipeline: pipeline, metrics: metrics, logger: logger, clock: clock, jekyllEvery: jekyllEvery,
                                      startWindow: startWindow, onPolled: onPolled)
            (polling, reloadPolling) = (scheduler, { await scheduler.reload($0) })
        }
        // Trap SIGHUP before telling systemd we are ready: its default action would end the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        // A ServiceGroup shuts its services down one at a time, last first: the
        // announcer goes first (STOPPING=1 at once), then the scheduler drains
        // its polls, then the server, the reloader and the watchdog stop.
        // First in the list, so stopped last: the store's connections close after the polls have drained.
        // The cluster's notice and lock connections close before the store's (the writer lock is let go).
        var services: [any Service] = [StoreCloser(store: store, cluster: cluster, logger: logger)]
        if let interval = SystemdNotifier.watchdogInterval() {
            services.append(Watchdog(notifier: notifier, interval: interval))
        }
        services.append(ConfigReloader(path: configPath, signals: hangups, reloadPolling: reloadPolling, store: store,
                                       cluster: cluster, current: current, notifier: notifier, logger: logger))
        let notifier = self.notifier
        let logger = self.logger
        if let settings = config.server {
            services.append(FeedServer.build(config: config, settings: settings, store: store, blocking: pipeline.blocking,
                                             metrics: metrics, currentConfig: { current.config }, logger: logger) { port in
                logger.notice("serving \(config.output) on \(settings.host):\(port)")
                notifier.ready()
                await onListening(port)
            })
        } else {
            notifier.ready() // the store is open; there is no server to wait for
        }
        services += [polling, ShutdownAnnouncer(notifier: notifier, logger: logger)]
        logger.notice("feedd running: \(config.sources.count) sources, config \(configPath)")
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: shutdownSignals, logger: logger))
    }
}

/// The config in force, for `/healthz` and reloads. A lock, not an actor:
/// request handlers read it without waiting for the cooperative pool.
final class CurrentConfig: Sendable {
    private let value: Mutex<Config>
    init(_ config: Config) { value = Mutex(config) }
    var config: Config { value.withLock { $0 } }
    func set(_ new: Config) { value.withLock { $0 = new } }
}

/// Closes the store when the group shuts down (PostgreSQL: its connections end cleanly).
struct StoreCloser: Service {
    let store: any Store
    var cluster: (any ClusterCoordination)?
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            // Cancelled: the group is ending without a graceful shutdown; the store is closed all the same.
        }
        do { try await store.flush() } catch { logger.error("\(error)") }
        await cluster?.close()
        await store.close()
    }
}

/// Sends `STOPPING=1` as soon as a graceful shutdown begins.
struct ShutdownAnnouncer: Service {
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        do {
            try await gracefulShutdown()
        } catch {
            return // cancelled: the group is ending without a graceful shutdown
        }
        logger.notice("shutting down: finishing in-flight polls")
        notifier.stopping()
    }
}

/// SIGHUP: re-reads the config. Sources added, removed or changed take effect
/// at once; an invalid config is logged and the running one stays in force.
struct ConfigReloader: Service {
    let path: String
    let signals: UnixSignalsSequence
    /// Hands the new pipeline to the scheduler (a single node's, or the cluster's, which re-syncs the shared table).
    let reloadPolling: @Sendable (Pipeline) async -> Void
    let store: any Store
    let cluster: (any ClusterCoordination)?
    let current: CurrentConfig
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.reloading()
            await reload()
            notifier.ready()
        }
    }

    private func reload() async {
        let old = current.config
        var new: Config
        do {
            new = try ConfigCheck.load(path: path)
        } catch {
            logger.error("reload: keeping the running config: \(error)")
            return
        }
        // The store, the output folder and the listening socket belong to the running process.
        if new.storage != old.storage || new.output != old.output || new.server != old.server {
            logger.warning("reload: storage, output and server.listen changes take effect after a restart")
            new.storage = old.storage
            new.output = old.output
            new.server = old.server
        }
        await reloadPolling(Pipeline(config: new, store: store, logger: logger, cluster: cluster))
        current.set(new)
        let added = Set(new.sources.map(\.name)).subtracting(old.sources.map(\.name))
        let removed = Set(old.sources.map(\.name)).subtracting(new.sources.map(\.name))
        logger.notice("reloaded \(path): \(new.sources.count) sources (added: \(added.sorted()), removed: \(removed.sorted()))")
    }
}
