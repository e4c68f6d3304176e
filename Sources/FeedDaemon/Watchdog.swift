import ServiceLifecycle

/// Pings systemd's watchdog (`WATCHDOG=1`) at half of `WATCHDOG_USEC` while the
/// daemon runs, so a hung process is restarted.
struct Watchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            notifier.watchdog()
            try? await Task.sleep(for: interval)
        }
    }
}
