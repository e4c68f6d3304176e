import FeedConfig
import FeedStore
import FeedTestSupport
import Foundation
import GRDB
import Testing

/// What the daemon tells its operator: metrics from the start, health when
/// the store fails, one clear line when the upstreams are out of reach.
@Suite("the daemon's health, metrics and failures", .serialized)
struct DaemonHealthTests {
    @Test("/metrics has every configured source's counters at 0 before any poll")
    func metricsFromStartup() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        try await h.run(h.config(["market", "rolling"]), firstPolls: false) { port in
            let text = try await RawHTTP.request(port: port, "/metrics").text
            for source in ["market", "rolling"] {
                for series in ["feedd_polls_total", "feedd_poll_failures_total", "feedd_not_modified_total",
                               "feedd_fetched_bytes_total", "feedd_items_new_total", "feedd_items_updated_total"] {
                    #expect(text.contains("\(series){source=\"\(source)\"} 0\n"), "\(series) \(source)")
                }
            }
            #expect(h.api.server.requests(to: "/webapi/market").isEmpty) // nothing was polled: these are the startup series
        }
    }

    /// A state the store cannot read is not "never polled": the poll is not
    /// made (it would reset the failure count), `/healthz` says 503 and why.
    @Test("an unreadable source state: no poll, the failure count kept, /healthz 503 with the reason")
    func unreadableState() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        let store = try FeedStore(path: config.storage)
        try store.save(SourceState(name: "market", lastResult: .failed, message: "earlier", consecutiveFailures: 3))
        let db = try DatabaseQueue(path: config.storage)
        try await db.write { try $0.execute(sql: "UPDATE sourceState SET lastResult = 'exploded' WHERE name = 'market'") }
        try await h.run(config, firstPolls: false) { port in
            let health = try await RawHTTP.request(port: port, "/healthz")
            #expect(health.status == 503)
            #expect(health.text.contains("\"status\" : \"unavailable\"") && health.text.contains("exploded"), "\(health.text)")
            try await h.startFirstPolls()
            try await h.waitForPolls("market", 1)
            #expect(h.api.server.requests(to: "/webapi/market").isEmpty)
            #expect(h.logs.messages(atLeast: .error).contains { $0.contains("market: not polled") && $0.contains("exploded") })
        }
        let failures = try await db.read { try Int.fetchOne($0, sql: "SELECT consecutiveFailures FROM sourceState WHERE name = 'market'") }
        #expect(failures == 3)
    }

    @Test("a state that cannot be saved is logged, and the daemon goes on")
    func failedSave() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"])
        _ = try FeedStore(path: config.storage)
        let db = try DatabaseQueue(path: config.storage)
        try await db.write { try $0.execute(sql: """
            CREATE TRIGGER refuse BEFORE INSERT ON sourceState BEGIN SELECT RAISE(ABORT, 'disk says no'); END
            """) }
        try await h.run(config) { port in
            try await h.waitForPolls("market", 1)
            // Written a moment after the poll (`SQLiteStore.recordedStatesDelay`), with the others recorded meanwhile.
            let logged = await eventually(timeout: .seconds(5)) {
                h.logs.messages(atLeast: .error).contains { $0.contains("disk says no") && $0.contains("'market'") }
            }
            #expect(logged, "\(h.logs.messages(atLeast: .error))")
            #expect(try await RawHTTP.request(port: port, "/healthz").status == 200) // still serving
        }
    }

    @Test("upstreams out of reach (no DNS, connection refused): one line naming the hosts and `make demo`; still serving")
    func unreachableHosts() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        let closed = try FixtureServer()
        let closedPort = closed.port
        closed.stop() // nothing listens there any more
        let extra = ["nowhere": "http://feedd-test.invalid/list", "refused": "http://127.0.0.1:\(closedPort)/list"].map { name, url in
            """
              - name: \(name)
                type: json
                url: \(url)
                list: record
                fields: {id: infoCode, title: title, date: datetime, category: medianame}

            """
        }.joined()
        try await h.run(h.config([], extra: extra)) { port in
            try await h.waitForPolls("nowhere", 1)
            try await h.waitForPolls("refused", 1)
            let lines = h.logs.all().filter { $0.contains("make demo") }
            #expect(lines.count == 1, "\(h.logs.all())")
            #expect(lines.first?.contains("feedd-test.invalid") == true && lines.first?.contains("127.0.0.1:\(closedPort)") == true)
            #expect(!h.logs.messages(atLeast: .warning).contains { $0.contains("Couldn't") && !$0.contains("make demo") })
            let health = try await RawHTTP.request(port: port, "/healthz")
            #expect(health.status == 200 && health.text.contains("\"status\" : \"degraded\""))
            // Later failures do not repeat the line.
            h.clock.advance(by: .seconds(3))
            try await h.waitForPolls("refused", 2)
            #expect(h.logs.all().filter { $0.contains("make demo") }.count == 1)
        }
    }
}
