import FeedConfig
import FeedTestSupport
import Foundation
import Testing

/// The scheduler on a manual clock: time moves only when a test says so, so
/// every due time is asserted exactly; the tests wait (bounded) only for a
/// poll's real I/O against the fixture APIs.
@Suite("the daemon's scheduler, against the fixture APIs", .serialized)
struct SchedulerTests {
    @Test("each source is due again one interval (± jitter) after its poll; an unchanged list is a 304 and rewrites nothing")
    func picksUpNewItems() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        try await h.run(h.config(["market", "rolling"])) { port in
            // First polls at t ≤ 5 s; interval 1 s, jitter ± 0.1 s.
            try await h.waitForPolls("market", 1)
            try await h.waitForPolls("rolling", 1)
            let feed = h.output + "/xinhuacaijing/rss.xml"
            #expect(FileManager.default.fileExists(atPath: feed))
            let wake = try #require(await h.nextWake)
            #expect(wake >= .milliseconds(5900) && wake <= .milliseconds(6100), "\(wake)")
            #expect(h.api.server.requests(to: "/webapi/rolling").count == 1) // asleep until then: nothing polled early

            h.clock.advance(to: .seconds(6.1))
            try await h.waitForPolls("rolling", 2)
            let second = h.api.server.requests(to: "/webapi/rolling")[1]
            #expect(second.headers["if-none-match"] != nil)
            let emnews = try FileManager.default.attributesOfItem(atPath: h.output + "/emnews/rss.xml")[.modificationDate] as? Date
            let bodiesBefore = h.api.bodyRequests.count

            let added = Fixtures.text("market-list.json").replacingOccurrences(of: "\"record\": [", with: """
                "record": [{"infoCode": "NW202112292229990010", "title": "多家券商发布2022年投资策略", "datetime": "2021-12-29 16:00:00", "medianame": "新华财经"},
                """)
            h.api.server.set("/webapi/market", .json(added))
            try await h.waitForPolls("market", 2)
            h.clock.advance(to: .seconds(7.2)) // the next interval: the change is picked up
            try await h.waitForPolls("market", 3)
            let text = try String(contentsOfFile: feed, encoding: .utf8)
            #expect(text.contains("NW202112292229990010"))
            #expect(h.api.bodyRequests.count == bodiesBefore + 1) // only the new code's body
            // Only the categories whose items changed were rendered again.
            let emnewsAfter = try FileManager.default.attributesOfItem(atPath: h.output + "/emnews/rss.xml")[.modificationDate] as? Date
            #expect(emnews == emnewsAfter)
        }
    }

    @Test("with a start window, sources due within it of a wake start together, none earlier than the window")
    func startWindow() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        // Interval 1 s, jitter ± 0.1 s: after the first polls (all finished at t = 5 s) the two
        // sources are due again 0.2 s apart at most, inside a 0.25 s window.
        try await h.run(h.config(["market", "rolling"]), startWindow: .milliseconds(250)) { _ in
            try await h.waitForPolls("market", 1)
            try await h.waitForPolls("rolling", 1)
            let wake = try #require(await h.nextWake)
            #expect(wake >= .milliseconds(5900) && wake <= .milliseconds(6100), "\(wake)")
            h.clock.advance(to: wake) // the earlier one's due time only
            try await h.waitForPolls("market", 2)
            try await h.waitForPolls("rolling", 2) // the other started with it, no second wake needed
            // The next wake is a full interval (less the window at most) after that: nothing started early twice.
            let next = try #require(await h.nextWake)
            #expect(next >= wake + .milliseconds(900 - 250), "\(next) after \(wake)")
        }
    }

    @Test("a 503 with Retry-After: 3 is not asked again before 3 s; the source is reported degraded")
    func retryAfter() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        h.api.server.set("/webapi/rolling", FixtureServer.Response(status: 503, headers: [("Retry-After", "3")]))
        try await h.run(h.config(["rolling"])) { port in
            try await h.waitForPolls("rolling", 1)
            // Backoff alone would be 2 s (2 × 1 s); the upstream asked for 3.
            let wake = try #require(await h.nextWake)
            #expect(wake >= .seconds(8) && wake <= .milliseconds(8100), "\(wake)")
            h.clock.advance(to: .seconds(7.9))
            #expect(await h.nextWake == wake)
            #expect(h.api.server.arrivals(at: "/webapi/rolling").count == 1)
            h.clock.advance(to: .seconds(8.1))
            try await h.waitForPolls("rolling", 2)
            #expect(h.api.server.arrivals(at: "/webapi/rolling").count == 2)
            let health = try await RawHTTP.request(port: port, "/healthz")
            #expect(health.status == 200)
            #expect(health.text.contains("\"status\" : \"degraded\""))
            let metrics = try await RawHTTP.request(port: port, "/metrics").text
            #expect(metrics.contains("feedd_poll_failures_total{source=\"rolling\"} 2"))
        }
    }

    @Test("failures double the delay (2×, 4× the interval) up to max_backoff; a success resets it")
    func backoff() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        h.api.server.set("/webapi/rolling", FixtureServer.Response(status: 500))
        try await h.run(h.config(["rolling"])) { _ in // interval 1 s, max_backoff 4 s, jitter ± 0.1 s
            var at = Duration.seconds(5)
            for (n, expected) in [(1, 2000), (2, 4000), (3, 4000)] { // milliseconds: exact, as the clock is
                try await h.waitForPolls("rolling", n)
                let wake = try #require(await h.nextWake)
                #expect(wake - at >= .milliseconds(expected - 100) && wake - at <= .milliseconds(expected + 100), "failure \(n): \(wake - at)")
                at = wake
                h.clock.advance(to: wake)
            }
            h.api.server.set("/webapi/rolling", .json(Fixtures.text("rolling-list.json")))
            try await h.waitForPolls("rolling", 4) // succeeds
            let wake = try #require(await h.nextWake)
            #expect(wake - at >= .milliseconds(900) && wake - at <= .milliseconds(1100), "after success: \(wake - at)")
        }
    }

    @Test("a hanging source does not delay another")
    func hangingSource() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        h.api.server.set("/webapi/media", FixtureServer.Response(status: 200, body: Array("{}".utf8), delay: 2))
        try await h.run(h.config(["market", "media"])) { _ in
            try await h.waitForPolls("market", 1)
            h.clock.advance(by: .seconds(1.1))
            try await h.waitForPolls("market", 2)
            h.clock.advance(by: .seconds(1.1))
            try await h.waitForPolls("market", 3)
            #expect(h.api.server.requests(to: "/webapi/media").count == 1)
            #expect(h.polls(of: "media") == 0) // still hanging
        }
    }

    @Test("at most poll.per_host fetches against one host at once")
    func perHost() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        for path in ["/webapi/market", "/webapi/media", "/webapi/rolling"] {
            var slow = FixtureServer.Response.file(Fixtures.bytes(String(path.dropFirst(8)) + "-list.json"), contentType: "application/json")
            slow.delay = 0.3
            h.api.server.set(path, slow)
        }
        var config = try h.config()
        config.poll.perHost = 1
        try await h.run(config) { _ in
            #expect(await eventually { h.api.server.requests(to: "/webapi/rolling").count >= 1 && h.api.bodyRequests.count >= 6 })
            #expect(h.api.server.maxConcurrent == 1)
        }
    }

    @Test("a host at poll.per_host holds back its own due sources only: another host's source is polled meanwhile")
    func slowHostParksOnlyItsOwn() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        for path in ["/webapi/market", "/webapi/media"] {
            var slow = FixtureServer.Response.file(Fixtures.bytes(String(path.dropFirst(8)) + "-list.json"), contentType: "application/json")
            slow.delay = 1.5
            h.api.server.set(path, slow)
        }
        let other = h.api.base.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        let extra = """
              - name: elsewhere
                type: json
                url: \(other)/webapi/rolling
                list: records
                fields: {id: infoCode, title: title, date: showtime, summary: digest, link: url_w}
                category: 东财滚动新闻
                body: {url: "\(other)/NewsData/GetNewsText.do?id={id}", field: text}

            """
        var config = try h.config(["market", "media"], extra: extra)
        config.poll.perHost = 1
        try await h.run(config) { _ in
            try await h.waitForPolls("elsewhere", 1)
            // 127.0.0.1 has one poll running and one parked; neither has finished.
            #expect(h.polls(of: "market") + h.polls(of: "media") == 0)
            try await h.waitForPolls("market", 1)
            try await h.waitForPolls("media", 1)
            #expect(h.api.server.maxConcurrent(host: "127.0.0.1") == 1)
        }
    }

    /// Posts age by the calendar, not by upstream changes: a daemon whose
    /// sources change nothing still moves posts past `keep_days` to the archive.
    @Test("Jekyll posts move to the archive between renders")
    func jekyllArchiveWithoutChanges() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        let config = try h.config(["market"], interval: "60s",
                                  top: "jekyll:\n  posts: site/_posts\n  archive: site/old_post\n  keep_days: 3\n  site_url: //finews.withounder.com/\n")
        let posts = h.folder.file("site/_posts")
        let archive = h.folder.file("site/old_post")
        let old = "2001-01-01-NW200101012229990001.md"
        try await h.run(config, jekyllEvery: .seconds(300)) { _ in
            // The first poll and its render are done (one poll a minute: no other render follows).
            try await h.waitForPolls("market", 1)
            #expect(FileManager.default.fileExists(atPath: h.output + "/index.html"))
            try FileManager.default.createDirectory(atPath: posts, withIntermediateDirectories: true)
            try Data("---\nlayout: post\n---\nold".utf8).write(to: URL(fileURLWithPath: posts + "/" + old))
            let wake = try #require(await h.nextWake)
            #expect(wake >= .seconds(60) && wake <= .seconds(70), "\(wake)") // market: 60 s after its first poll, ± jitter
            for _ in 0..<5 { h.clock.advance(by: .seconds(60)) } // five minutes pass: the market is polled as well (304s)
            #expect(await eventually { FileManager.default.fileExists(atPath: archive + "/" + old) })
            #expect(!FileManager.default.fileExists(atPath: posts + "/" + old))
        }
    }

    @Test("WebSub: feeds carry the hub link and the hub is pinged when a feed changes")
    func websub() async throws {
        let h = try DaemonHarness()
        defer { h.tearDown() }
        h.api.server.set("/hub", FixtureServer.Response(status: 204))
        let config = try h.config(["rolling"], top: "websub:\n  hub: \(h.api.base)/hub\n")
        try await h.run(config) { _ in
            #expect(await eventually { h.api.server.requests(to: "/hub").contains { $0.body.contains("emnews") } })
            let pings = h.api.server.requests(to: "/hub")
            #expect(pings.allSatisfy { $0.method == "POST" && $0.body.contains("hub.mode=publish") })
            #expect(pings.contains { $0.body.contains("hub.url=http%3A%2F%2Flocalhost%3A8080%2Femnews%2Frss.xml") })
            let rss = try String(contentsOfFile: h.output + "/emnews/rss.xml", encoding: .utf8)
            #expect(rss.contains("<atom:link href=\"\(h.api.base)/hub\" rel=\"hub\"/>"))
            #expect(rss.contains("<ttl>1</ttl>"))
        }
    }
}
