// Benchmark for FeedNormalize (not a test): normalizes every CORPUS_DIR/*.html
// once per round on the calling thread and prints one JSON line with the
// median round, like ../shared/bench/nh3_peer.py does for nh3. Also times
// libxml2's bare HTML parse on the same bodies, its events delivered to no
// callback (the same context, options and encoding FeedNormalize's
// HTMLEvents uses): the floor feedd's normalizer stands on. Run it through
// bench/normalize.sh.
//
//   feedd-bench-normalize CORPUS_DIR [ROUNDS=5]
//   feedd-bench-normalize --print FILE [ARTICLE_URL]   (normalize one file, print it)
import CLibXML2
import FeedNormalize
import Foundation

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Peak resident set size of this process in KiB (Linux reports ru_maxrss in KiB).
func peakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return usage.ru_maxrss
}

/// Seconds of one run of `body` over all documents.
func timeRound(_ documents: [String], _ body: (String) -> Void) -> Double {
    let start = monotonicSeconds()
    for document in documents { body(document) }
    return monotonicSeconds() - start
}

func bareParse(_ document: String) {
    var document = document
    var handler = htmlSAXHandler()
    handler.initialized = 1
    document.withUTF8 { bytes in
        bytes.withMemoryRebound(to: CChar.self) { chars in
            // The options FeedNormalize's HTMLEvents parses with.
            let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue)
            _ = feedd_html_sax_parse(chars.baseAddress, Int32(chars.count), &handler, nil, options)
        }
    }
}

let arguments = CommandLine.arguments
if arguments.count >= 3 && arguments[1] == "--print" {
    guard let body = try? String(contentsOfFile: arguments[2], encoding: .utf8) else {
        FileHandle.standardError.write(Data("cannot read \(arguments[2])\n".utf8))
        exit(2)
    }
    let result = HTMLNormalizer.normalize(body, articleURL: arguments.count > 3 ? arguments[3] : nil)
    print(result.html)
    print("-- outlet: \(result.outlet ?? "(none)")")
    print("-- summary: \(result.summary)")
    exit(0)
}
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: feedd-bench-normalize CORPUS_DIR [ROUNDS=5]\n".utf8))
    exit(2)
}
let directory = URL(fileURLWithPath: arguments[1])
let rounds = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 5) : 5
let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .filter { $0.hasSuffix(".html") }.sorted()
let documents = files.compactMap { try? String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
guard !documents.isEmpty else {
    FileHandle.standardError.write(Data("no *.html in \(directory.path)\n".utf8))
    exit(1)
}
let inputBytes = documents.reduce(0) { $0 + $1.utf8.count }

// Warm-up, not timed (as nh3_peer.py does).
for document in documents.prefix(50) { _ = HTMLNormalizer.normalize(document, articleURL: "https://finance.example.cn/a/1.html") }

// Rounds alternate between the normalizer and the bare parse, so that a
// busy machine slows both alike and their ratio stays meaningful.
// FEEDD_BENCH_SKIP_BARE=1 leaves the bare parse out (for profiling).
let skipBare = ProcessInfo.processInfo.environment["FEEDD_BENCH_SKIP_BARE"] == "1"
var outputBytes = 0
var normalizeSeconds: [Double] = []
var bareSeconds: [Double] = []
for _ in 0..<rounds {
    normalizeSeconds.append(timeRound(documents) { document in
        let result = HTMLNormalizer.normalize(document, articleURL: "https://finance.example.cn/a/1.html")
        outputBytes &+= result.html.utf8.count
    })
    if !skipBare { bareSeconds.append(timeRound(documents, bareParse)) }
}
let seconds = median(normalizeSeconds)
let bare = skipBare ? Double.nan : median(bareSeconds)

let report: [(String, String)] = [
    ("peer", "\"feedd\""),
    ("normalizer_version", "\(HTMLNormalizer.version)"),
    ("items", "\(documents.count)"),
    ("in_bytes", "\(inputBytes)"),
    ("out_bytes_per_round", "\(outputBytes / rounds)"),
    ("sec_median", String(format: "%.6f", seconds)),
    ("items_per_s", String(format: "%.1f", Double(documents.count) / seconds)),
    ("MB_per_s", String(format: "%.2f", Double(inputBytes) / seconds / 1e6)),
    ("bare_parse_items_per_s", String(format: "%.1f", Double(documents.count) / bare)),
    ("bare_parse_MB_per_s", String(format: "%.2f", Double(inputBytes) / bare / 1e6)),
    ("peak_rss_kib", "\(peakRSSKiB())"),
]
print("{" + report.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
