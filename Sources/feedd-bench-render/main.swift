// feedd-bench-render: how many items per second feedd's writers turn into
// RSS 2.0 and Atom files on disk, one core. Run through bench/render.sh,
// which runs Python feedgen on the same input in the same run, interleaved,
// and prints the median of the paired ratios.
//
//   feedd-bench-render INPUT_DIR OUT_DIR
//
// INPUT_DIR is what bench/make_render_input.py writes: one JSON file per
// category. Per category, as FeedRenderer does after reading the store:
// RSSWriter and AtomWriter render, AtomicFile writes (temp file, fsync,
// rename). Prints one JSON line: items, CPU seconds of the rendering and the
// writes (loading the input is not counted, as in the peer), items/s, peak RSS.
import FeedModel
import FeedRender
import Foundation

struct InputItem: Decodable {
    var code, title, summary, body, link, outlet: String
    var published, updated: Double
}

struct InputCategory: Decodable {
    var name, slug: String
    var items: [InputItem]
}

struct Manifest: Decodable { var categories: [String] }

/// CPU time of the process (user + system), as the peer's time.process_time().
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

let args = CommandLine.arguments
guard args.count == 3 else { fail("usage: feedd-bench-render INPUT_DIR OUT_DIR") }
let (input, output) = (args[1], args[2])
func load<T: Decodable>(_ type: T.Type, _ path: String) -> T {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    do { return try JSONDecoder().decode(type, from: data) } catch { fail("\(path): \(error)") }
}

let manifest = load(Manifest.self, input + "/manifest.json")
let site = SiteInfo(title: "财经新闻", url: "http://localhost:8080/", language: "zh-CN",
                    timezone: TimeZone(identifier: "Asia/Shanghai")!)
var seconds = 0.0
var count = 0
var bytes = 0
for name in manifest.categories {
    let (items, category): ([Item], Category) = {
        let c = load(InputCategory.self, input + "/" + name)
        guard let slug = Slug(validating: c.slug) else { fail("bad slug \(c.slug)") }
        let category = Category(name: c.name, slug: slug)
        let items = c.items.map {
            Item(infoCode: InfoCode($0.code)!, title: $0.title, summary: $0.summary, body: $0.body, link: $0.link,
                 outlet: $0.outlet, published: Date(timeIntervalSince1970: $0.published),
                 updated: Date(timeIntervalSince1970: $0.updated), categories: [category])
        }
        return (items, category)
    }()
    let channel = FeedChannel(site: site, category: category, ttlMinutes: 1)
    let folder = output + "/" + category.slug.rawValue
    let start = cpuSeconds()
    do {
        let rss = RSSWriter.render(channel, items: items)
        try AtomicFile.write(rss, to: folder + "/rss.xml")
        let atom = AtomWriter.render(channel, items: items)
        try AtomicFile.write(atom, to: folder + "/atom.xml")
        bytes += rss.count + atom.count
    } catch {
        fail("\(error)")
    }
    seconds += cpuSeconds() - start
    count += items.count
}
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let line: [String: Any] = ["peer": "feedd", "items": count, "cpu_s": (seconds * 10_000).rounded() / 10_000,
                           "items_per_s": (Double(count) / seconds).rounded(), "peak_rss_kib": usage.ru_maxrss,
                           "bytes_written": bytes]
let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
