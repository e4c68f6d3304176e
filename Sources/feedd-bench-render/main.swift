// feedd-bench-render: how many items per second feedd's writers turn into
// RSS 2.0 and Atom files on disk, one core. Run through bench/render.sh,
// which runs Python feedgen on the same input in the same run, interleaved,
// and prints the median of the paired ratios.
//
//   feedd-bench-render INPUT_DIR OUT_DIR [--plain-writes]
//
// INPUT_DIR is what bench/make_render_input.py writes: one JSON file per
// category. Per category, as FeedRenderer does after reading the store:
// RSSWriter and AtomWriter render, and one AtomicFile.Batch for the whole
// render writes the files (temp files, their write-back started together and
// waited for, fdatasync each, rename each, fsync each folder), as a render
// does. Prints one JSON line: items, CPU seconds of the rendering and the
// writes (loading the input is not counted, as in the peer), items/s, peak RSS,
// and the writers' share alone. With --plain-writes the files are written as
// the peer writes them (open, write, close: no temp file, no fsync), to tell
// the writers' speed from the cost of feedd's durable writes; with --per-file
// each file is made durable on its own (AtomicFile.write), as before batches.
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

var args = CommandLine.arguments
let plainWrites = args.contains("--plain-writes")
let perFile = args.contains("--per-file")
args.removeAll { $0 == "--plain-writes" || $0 == "--per-file" }
guard args.count == 3 else { fail("usage: feedd-bench-render INPUT_DIR OUT_DIR [--plain-writes | --per-file]") }

/// What Python's `open(path, "wb").write(bytes)` does.
func plainWrite(_ bytes: [UInt8], to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { fail("cannot open \(path)") }
    let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
    if n != bytes.count { fail("short write to \(path)") }
}
let (input, output) = (args[1], args[2])
func load<T: Decodable>(_ type: T.Type, _ path: String) -> T {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    do { return try JSONDecoder().decode(type, from: data) } catch { fail("\(path): \(error)") }
}

let manifest = load(Manifest.self, input + "/manifest.json")
let site = SiteInfo(title: "财经新闻", url: "http://localhost:8080/", language: "zh-CN",
                    timezone: TimeZone(identifier: "Asia/Shanghai")!)
var seconds = 0.0
/// The writers alone, without the file writes.
var renderSeconds = 0.0
var count = 0
var bytes = 0
var batch = AtomicFile.Batch()
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
    // The folder exists before the clock starts, as a category's does after its first render
    // (and as the peer's: it creates its folders untimed too).
    do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch { fail("\(error)") }
    let start = cpuSeconds()
    do {
        let rss = RSSWriter.render(channel, items: items)
        let atom = AtomWriter.render(channel, items: items)
        renderSeconds += cpuSeconds() - start
        if plainWrites {
            plainWrite(rss, to: folder + "/rss.xml")
            plainWrite(atom, to: folder + "/atom.xml")
        } else if perFile {
            try AtomicFile.write(rss, to: folder + "/rss.xml")
            try AtomicFile.write(atom, to: folder + "/atom.xml")
        } else {
            _ = try batch.write(rss, to: folder + "/rss.xml")
            _ = try batch.write(atom, to: folder + "/atom.xml")
        }
        bytes += rss.count + atom.count
    } catch {
        fail("\(error)")
    }
    seconds += cpuSeconds() - start
    count += items.count
}
let commitStart = cpuSeconds()
if let failure = batch.commit().first { fail("\(failure)") }
seconds += cpuSeconds() - commitStart
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let line: [String: Any] = ["peer": plainWrites ? "feedd-plain-writes" : perFile ? "feedd-per-file" : "feedd", "items": count, "cpu_s": (seconds * 10_000).rounded() / 10_000,
                           "items_per_s": (Double(count) / seconds).rounded(), "peak_rss_kib": usage.ru_maxrss,
                           "bytes_written": bytes,
                           "render_only_cpu_s": (renderSeconds * 10_000).rounded() / 10_000]
let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
