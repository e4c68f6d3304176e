import FeedTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// systemd's stop: with the watchdog on (`WatchdogSec=`, so `WATCHDOG_USEC`
/// set), SIGTERM must be answered by `STOPPING=1` at once and an exit well
/// inside `TimeoutStopSec`, not after the watchdog's next half-interval nap.
/// In `DaemonProcessTests` (serialized): one spawned daemon at a time.
extension DaemonProcessTests {
    @Test("SIGTERM with WATCHDOG_USEC=60s: STOPPING=1 first, exit 0 in under 2 s")
    func stopsAtOnce() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let path = folder.write("config.yaml", DaemonProcessTests.config(api, sources: ["market"], interval: "60s"))
        let notify = try NotifySocket(folder: folder.path)
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", path],
                                        environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "60000000"],
                                        folder: folder.path)
        defer { daemon.kill() }
        // Start-up is not what is measured: a loaded machine may take a while to get there.
        let start = await notify.waitFor("READY=1", timeout: .seconds(30))
        #expect(start.contains { $0.contains("READY=1") }, "\(start) \(daemon.stderr)")
        var pinged = start.contains { $0.contains("WATCHDOG=1") }
        if !pinged { pinged = await notify.waitFor("WATCHDOG=1", timeout: .seconds(2)).contains { $0.contains("WATCHDOG=1") } }
        #expect(pinged) // the watchdog is on
        // Nothing in flight: the first poll (within the 5 s jitter) and its render are done.
        #expect(await eventually(timeout: .seconds(10)) { FileManager.default.fileExists(atPath: folder.file("public/index.html")) && !api.server.requests(to: "/webapi/market").isEmpty })
        try await Task.sleep(for: .milliseconds(300))

        let sent = ContinuousClock.now
        daemon.signal(SIGTERM)
        let after = await notify.waitFor("STOPPING=1", timeout: .seconds(2))
        #expect(after.last?.contains("STOPPING=1") == true, "\(after)")
        #expect(!after.dropLast().contains { $0.contains("READY=1") || $0.contains("RELOADING=1") })
        let status = await daemon.wait(timeout: .seconds(5))
        let took = ContinuousClock.now - sent
        #expect(status == 0, "\(daemon.stderr)")
        #expect(took < .seconds(2), "exit took \(took)")
    }
}
