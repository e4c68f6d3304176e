import FeedStore
import FeedTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `feedd run` as systemd runs it: a child process, signals, NOTIFY_SOCKET.
@Suite("feedd run: signals, readiness, reload", .serialized)
struct DaemonProcessTests {
    static func config(_ api: NewsAPIFixture, sources: [String], interval: String = "1s") -> String {
        api.config(storage: "./data/feedd.sqlite", output: "./public", sources: sources)
            .replacingOccurrences(of: "  interval: 60s\n", with: "  interval: \(interval)\n")
            + "server:\n  listen: 127.0.0.1:0\n"
    }

    @Test("READY=1 on the notify socket; SIGHUP reloads (RELOADING=1, READY=1) and adds a source; SIGTERM stops with STOPPING=1 and exit 0")
    func lifecycle() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let path = folder.write("config.yaml", Self.config(api, sources: ["market"]))
        let notify = try NotifySocket(folder: folder.path)
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", path],
                                        environment: ["NOTIFY_SOCKET": notify.path, "JOURNAL_STREAM": "8:12345"], folder: folder.path)
        defer { daemon.kill() }
        #expect(await notify.waitFor("READY=1", timeout: .seconds(30)).last?.contains("READY=1") == true) // a debug binary on a loaded machine
        #expect(await eventually { api.server.requests(to: "/webapi/market").count >= 1 })
        #expect(api.server.requests(to: "/webapi/rolling").isEmpty)

        // An invalid config: logged, the running one stays.
        _ = folder.write("config.yaml", Self.config(api, sources: ["market"]) + "bogus: 1\n")
        daemon.signal(SIGHUP)
        let invalid = await notify.waitFor("READY=1", timeout: .seconds(5))
        #expect(invalid.contains { $0.contains("RELOADING=1") && $0.contains("MONOTONIC_USEC=") })
        #expect(await eventually { daemon.stderr.contains("reload: keeping the running config") && daemon.stderr.contains("bogus") })
        let marketPolls = api.server.requests(to: "/webapi/market").count
        #expect(await eventually { api.server.requests(to: "/webapi/market").count > marketPolls }) // still polling

        // A valid config adding a source: it is polled without a restart.
        _ = folder.write("config.yaml", Self.config(api, sources: ["market", "rolling"]))
        daemon.signal(SIGHUP)
        #expect(await notify.waitFor("READY=1", timeout: .seconds(5)).contains { $0.contains("READY=1") })
        #expect(await eventually { api.server.requests(to: "/webapi/rolling").count >= 1 })

        daemon.signal(SIGTERM)
        #expect(await notify.waitFor("STOPPING=1", timeout: .seconds(5)).last?.contains("STOPPING=1") == true)
        #expect(await daemon.wait(timeout: .seconds(15)) == 0)
        // Under journald every line carries a syslog priority and no timestamp.
        let lines = daemon.stderr.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.first == "<" && $0.dropFirst(2).first == ">" }, "\(lines.prefix(3))")
        #expect(lines.contains { $0.hasPrefix("<3>") }) // the reload error
    }

    @Test("SIGTERM during a poll: exit 0, valid feeds, a consistent store, then the next run goes on")
    func sigtermDuringPoll() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        // Bodies take a while, so the poll is in flight when SIGTERM comes.
        let path = folder.write("config.yaml", Self.config(api, sources: ["market", "media", "rolling"]))
        for (code, body) in api.bodies {
            let json = try JSONSerialization.data(withJSONObject: ["text": body])
            var slow = FixtureServer.Response.file([UInt8](json), contentType: "application/json")
            slow.delay = 0.7
            api.server.set("/NewsData/GetNewsText.do?id=\(code)", slow)
        }
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", path], folder: folder.path)
        defer { daemon.kill() }
        #expect(await eventually { !api.server.requests(to: "/NewsData/GetNewsText.do").isEmpty })
        daemon.signal(SIGTERM)
        let status = await daemon.wait(timeout: .seconds(15))
        #expect(status == 0, "\(daemon.stderr)")
        #expect(daemon.stderr.contains("shutting down"))
        // Whatever was applied is whole: every stored item has its body, every feed parses.
        let store = try FeedStore(path: folder.file("data/feedd.sqlite"))
        for item in try store.items(in: .init(validating: "xinhuacaijing") ?? .init(validating: "x")!, limit: 100) {
            #expect(!item.body.isEmpty)
        }
        for file in ["all/rss.xml", "all/atom.xml", "index.html"] {
            let bytes = [UInt8](FileManager.default.contents(atPath: folder.file("public/" + file)) ?? Data())
            #expect((try? XMLCheck.parse(bytes).get()) != nil, "\(file)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("public/all")).allSatisfy { !$0.hasPrefix(".") })
        // A refresh afterwards completes the rest: nothing lost, nothing duplicated.
        let refresh = try await CLITests.feedd(["refresh", "--config", path])
        #expect(refresh.status == 0, "\(refresh.err)")
        let all = try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: folder.file("public/all/rss.xml"))!)).get()
        let guids = all.strings("/rss/channel/item/guid")
        #expect(guids.count == 6 && Set(guids).count == 6)
    }

    @Test("feedd status reads the store while the daemon runs")
    func status() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let path = folder.write("config.yaml", Self.config(api, sources: ["market", "broken"]))
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", path], folder: folder.path)
        defer { daemon.kill() }
        #expect(await eventually { api.server.requests(to: "/webapi/broken").count >= 1 && api.server.requests(to: "/webapi/market").count >= 1 })
        // A poll is recorded once its bodies are stored and its feeds written (a failed one up to
        // `SQLiteStore.recordedStatesDelay` later): on a loaded machine that can take longer than
        // the list request suggests, so ask (bounded) until both are.
        var run = try await CLITests.feedd(["status", "--config", path])
        _ = try await eventually {
            run = try await CLITests.feedd(["status", "--config", path])
            let lines = run.out.split(separator: "\n")
            return lines.contains { $0.hasPrefix("market\t") && ($0.contains("\tok\t") || $0.contains("\tnot modified\t")) }
                && lines.contains { $0.hasPrefix("broken\t") && $0.contains("\tfailed") }
        }
        #expect(run.status == 0)
        let market = try #require(run.out.split(separator: "\n").first { $0.hasPrefix("market\t") })
        #expect(market.contains("\tok\t") || market.contains("\tnot modified\t"))
        let broken = try #require(run.out.split(separator: "\n").first { $0.hasPrefix("broken\t") })
        #expect(broken.contains("failed: source 'broken'"))
        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(15)) == 0)
    }

    @Test("systemd-analyze verify accepts the unit", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze")))
    func unit() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let unit = try String(contentsOf: root.appendingPathComponent("systemd/feedd.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/feedd run --config /etc/feedd/config.yaml"))
        for needed in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "WatchdogSec=", "Restart=on-failure",
                       "StateDirectory=feedd", "DynamicUser=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                       "NoNewPrivileges=yes", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "SystemCallFilter=@system-service"] {
            #expect(unit.contains(needed), "\(needed)")
        }
        // The installed binary does not exist here: verify a copy that points at the built one.
        let folder = TempFolder()
        defer { folder.remove() }
        let copy = folder.write("feedd.service", unit.replacingOccurrences(of: "/usr/local/bin/feedd", with: CLITests.binary))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/systemd-analyze")
        p.arguments = ["verify", copy]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        try p.run()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(output)")
        // The system config the unit points at is valid and uses the unit's state folder.
        let system = try await CLITests.feedd(["check", "--config", root.appendingPathComponent("systemd/config.yaml").path])
        #expect(system.status == 0, "\(system.err)")
        let yaml = try String(contentsOf: root.appendingPathComponent("systemd/config.yaml"), encoding: .utf8)
        #expect(yaml.contains("storage: /var/lib/feedd/") && yaml.contains("output: /var/lib/feedd/"))
    }
}

func eventually(timeout: Duration = .seconds(8), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try await condition()
}
