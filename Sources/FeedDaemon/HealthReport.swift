import FeedConfig
import FeedStore
import Foundation

/// `/healthz`: per configured source, ok or degraded. A failing source is never
/// dropped: it backs off to `poll.max_backoff` and stays here as degraded.
struct HealthReport: Encodable {
    struct SourceHealth: Encodable {
        var name: String
        var status: String
        var consecutiveFailures: Int
        var lastPoll: String?
        var lastSuccess: String?
        var nextPoll: String?
        var message: String?
    }

    var status: String
    var sources: [SourceHealth]

    init(config: Config, states: [SourceState]) {
        let byName = Dictionary(states.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let iso = { (d: Date?) in d.map { ISO8601DateFormatter().string(from: $0) } }
        sources = config.sources.map { source in
            let s = byName[source.name]
            let failures = s?.consecutiveFailures ?? 0
            return SourceHealth(name: source.name, status: failures == 0 ? "ok" : "degraded",
                                consecutiveFailures: failures, lastPoll: iso(s?.lastPoll), lastSuccess: iso(s?.lastSuccess),
                                nextPoll: iso(s?.nextPoll), message: s?.message)
        }
        status = sources.allSatisfy { $0.status == "ok" } ? "ok" : "degraded"
    }

    func json() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return (try? [UInt8](encoder.encode(self))) ?? Array("{\"status\":\"unknown\"}".utf8)
    }
}
