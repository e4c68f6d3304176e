import FeedConfig
import FeedPipeline

/// Watches the first poll of every configured source. When some of them
/// reached no server at all (the name did not resolve, the connection was
/// refused), it says so once, in one line naming the hosts: on a machine
/// without network to the upstreams that line, not one error per source and
/// poll, is what a newcomer needs to read. The daemon keeps running and
/// serving; those sources are reported degraded.
struct Reachability {
    private var waiting: Set<String>
    private var unreachable: [String: Int] = [:] // host → sources that could not reach it
    private var failedSources = 0
    private let total: Int
    private var said = false

    init(sources: [SourceConfig]) {
        waiting = Set(sources.map(\.name))
        total = waiting.count
    }

    /// Records a poll; returns the line to log once every source's first poll is in, if any host was unreachable.
    mutating func record(_ source: String, _ report: SourceReport) -> String? {
        guard !said, waiting.remove(source) != nil else { return nil }
        if let host = report.unreachableHost {
            unreachable[host, default: 0] += 1
            failedSources += 1
        }
        guard waiting.isEmpty else { return nil }
        said = true
        guard !unreachable.isEmpty else { return nil }
        let hosts = unreachable.keys.sorted().joined(separator: ", ")
        return "cannot reach \(hosts) (name not resolved or connection refused) for \(failedSources) of "
            + "\(total) sources; still serving the feeds as stored and retrying with backoff. "
            + "No network to these upstreams? `make demo` runs the same lists from local files"
    }
}
