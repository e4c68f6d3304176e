import ServiceLifecycle

/// Pings systemd's watchdog (`WATCHDOG=1`) at half of `WATCHDOG_USEC` while the
/// daemon runs, so a hung process is restarted. Its sleep ends the moment a
/// graceful shutdown begins: the service group waits for every service, and a
/// watchdog asleep for half a minute would hold the exit back that long.
struct Watchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.watchdog()
            do {
                try await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            } catch {
                return // cancelled by the shutdown
            }
        }
    }
}
