// feedd-bench-feeds: how many feed items per second feedd turns into
// normalized items on one core. Run through bench/feeds.sh, which runs
// Python feedparser on the same files in the same run and prints the ratio.
//
//   feedd-bench-feeds FEED... [--rounds R] [--parse-only]
//
// Per feed, one JSON line: items, the median round's CPU seconds, items/s. A
// round is what a poll does after the fetch: parse (charset, repair, libxml2
// streaming, format mapping), identity, dates, and the normalizer on every body.
import FeedConfig
import FeedFetch
import FeedNormalize
import FeedSources
import Foundation

var args = Array(CommandLine.arguments.dropFirst())
var rounds = 30
// --parse-only times the parse alone (for profiling the feed reader without the normalizer).
let parseOnlyFlag = args.contains("--parse-only")
args.removeAll { $0 == "--parse-only" }
if let k = args.firstIndex(of: "--rounds"), k + 1 < args.count, let r = Int(args[k + 1]) {
    rounds = r
    args.removeSubrange(k...(k + 1))
}
guard !args.isEmpty else {
    FileHandle.standardError.write(Data("usage: feedd-bench-feeds FEED... [--rounds R]\n".utf8))
    exit(2)
}

/// This thread's CPU time: other load on a shared machine does not count
/// (feedparser_peer.py measures the same way, with time.thread_time()).
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

let client = HTTPClient(settings: FetchSettings())
for path in args {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        exit(1)
    }
    let bytes = [UInt8](data)
    let url = URL(fileURLWithPath: path).absoluteString
    let yaml = """
        sources:
          - {name: bench, type: feed, url: "\(url)", category: 财经}
        """
    let config = try ConfigLoader.parse(yaml: yaml, file: "bench.yaml", baseDirectory: "/")
    let source = FeedSource(config: config.sources[0], settings: FeedSourceSettings(), client: client,
                            dates: DateParser(zone: config.site.timezone))

    /// One poll's work on the bytes; returns the item count.
    func round(normalize: Bool = true) throws -> Int {
        let items = try source.read(bytes, url: url, contentType: "application/xml").items
        guard normalize else { return items.count }
        var chars = 0
        for item in items {
            let normalized = HTMLNormalizer.normalize(item.inlineBody ?? "", articleURL: item.link)
            chars &+= normalized.html.utf8.count // keep the work observable
        }
        if chars == -1 { print("unreachable") }
        return items.count
    }

    /// The median CPU seconds of `rounds` rounds, after an untimed warm-up.
    func median(normalize: Bool) throws -> (items: Int, seconds: Double) {
        var items = try round(normalize: normalize)
        var seconds: [Double] = []
        for _ in 0..<rounds {
            let start = cpuSeconds()
            items = try round(normalize: normalize)
            seconds.append(cpuSeconds() - start)
        }
        seconds.sort()
        return (items, seconds[seconds.count / 2])
    }

    let full = parseOnlyFlag ? 1.0 : try median(normalize: true).seconds
    let (_, parseOnly) = try median(normalize: false)
    let count = try round(normalize: false)
    let perSecond = { (s: Double) in (Double(count) / s * 10).rounded() / 10 }
    // items_per_s is the whole job; parse_items_per_s leaves the normalizer out, to show whose time is whose.
    let line: [String: Any] = ["tool": "feedd (normalizer v\(HTMLNormalizer.version))", "file": path, "items": count,
                               "median_s": (full * 1e6).rounded() / 1e6, "items_per_s": perSecond(full),
                               "parse_items_per_s": perSecond(parseOnly)]
    let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}
