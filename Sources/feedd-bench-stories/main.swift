// Story detection on the labelled corpus of bench/gen_stories.py: pairwise
// precision and recall, and the cost of one new item with 100,000 items in
// the window. bench/stories.sh builds this in release and runs it.
//
//   feedd-bench-stories CORPUS.jsonl [ROUNDS=5]
import FeedConfig
import FeedModel
import FeedStore
import FeedStorePostgres
import FeedStories
import FeedTestSupport
import Foundation
import Logging

struct CorpusItem: Decodable {
    var code: String
    var story: Int
    var kind: String
    var title: String
    var html: String
    var published: Int
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: feedd-bench-stories CORPUS.jsonl [ROUNDS]\n".utf8))
    exit(2)
}
let rounds = args.count > 2 ? max(1, Int(args[2]) ?? 5) : 5
let window: TimeInterval = 72 * 3600
let items: [CorpusItem]
do {
    let text = try String(contentsOfFile: args[1], encoding: .utf8)
    let decoder = JSONDecoder()
    items = try text.split(separator: "\n").enumerated().map { (n, line) in
        do { return try decoder.decode(CorpusItem.self, from: Data(line.utf8)) } catch {
            throw NSError(domain: "corpus", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(args[1]):\(n + 1): \(error)"])
        }
    }
} catch {
    FileHandle.standardError.write(Data("cannot read the corpus: \(error)\n".utf8))
    exit(1)
}

// `PROFILE=fingerprint`: only fingerprint the corpus, over and over (for perf);
// `PROFILE=store`: only the production path's rounds on SQLite, each printed.
let profile = ProcessInfo.processInfo.environment["PROFILE"]
if profile == "fingerprint" {
    var sink: UInt64 = 0
    for _ in 0..<30 { for item in items { sink &+= StoryFingerprint(title: item.title, html: item.html).full } }
    print(sink)
    exit(0)
}

// MARK: the in-memory index alone

func date(_ item: CorpusItem) -> Date { Date(timeIntervalSince1970: TimeInterval(item.published)) }

/// The window index with the assignment rule, without a store: joins the best match, else a new story.
struct InMemory {
    var index = StoryWindowIndex()
    var stories = 0
    let window: Double

    mutating func assign(_ fp: StoryFingerprint, published: Date) -> String {
        let t = published.timeIntervalSince1970
        let story: StoryWindowIndex.Story
        if let m = index.match(fp, published: t, window: window) {
            story = m.story
        } else {
            story = index.newStory(String(stories))
            stories += 1
        }
        let label = index.label(of: story)
        index.insert(fp, published: t, story: story)
        index.settle()
        return label
    }
}

func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
struct Quality {
    var truePositives = 0, predictedPairs = 0, truePairs = 0, predictedStories = 0
    var falseByKind: [String: Int] = [:], missedByKind: [String: Int] = [:]
    var precision: Double { predictedPairs == 0 ? 1 : Double(truePositives) / Double(predictedPairs) }
    var recall: Double { truePairs == 0 ? 1 : Double(truePositives) / Double(truePairs) }

    init<P: Hashable>(_ predicted: [P]) {
        var cells: [[AnyHashable]: Int] = [:]
        var byPredicted: [P: Int] = [:]
        var byTruth: [Int: Int] = [:]
        for (item, p) in zip(items, predicted) {
            cells[[AnyHashable(p), AnyHashable(item.story)], default: 0] += 1
            byPredicted[p, default: 0] += 1
            byTruth[item.story, default: 0] += 1
        }
        truePositives = cells.values.reduce(0) { $0 + pairs($1) }
        predictedPairs = byPredicted.values.reduce(0) { $0 + pairs($1) }
        truePairs = byTruth.values.reduce(0) { $0 + pairs($1) }
        predictedStories = byPredicted.count
        // Where the errors are, by the kind of item (for tuning; the totals above are the result).
        var firstOfStory: [Int: Int] = [:]
        var firstOfPredicted: [P: Int] = [:]
        for (i, item) in items.enumerated() {
            let kind = String(item.kind.split(separator: ":").first ?? "")
            if let f = firstOfPredicted[predicted[i]], items[f].story != item.story { falseByKind[kind, default: 0] += 1 }
            if let f = firstOfStory[item.story], predicted[f] != predicted[i] {
                missedByKind[item.kind.contains("drop") ? kind + "(drop)" : kind, default: 0] += 1
            }
            firstOfStory[item.story] = firstOfStory[item.story] ?? i
            firstOfPredicted[predicted[i]] = firstOfPredicted[predicted[i]] ?? i
        }
    }
}
var inMemory = InMemory(window: window)
let inMemoryQuality = Quality(items.map { inMemory.assign(StoryFingerprint(title: $0.title, html: $0.html), published: date($0)) })

// MARK: speed

/// Filler for the window: 100,000 texts of 3–6 paragraphs drawn from the
/// corpus's own paragraphs, so the index holds text like the corpus's
/// (candidates that share a paragraph cost a confirmation, as in a real store).
var seeded = SeededGenerator(seed: 14)
let paragraphs = items.flatMap { $0.html.components(separatedBy: "</p>").filter { $0.count > 40 }.map { $0 + "</p>" } }
let fillerCount = 100_000
let t0 = items.first.map(date) ?? Date()
var filler: [(StoryFingerprint, Date)] = []
filler.reserveCapacity(fillerCount)
for i in 0..<fillerCount {
    let html = (0..<Int.random(in: 3...6, using: &seeded)).map { _ in paragraphs.randomElement(using: &seeded)! }.joined()
    let title = String(paragraphs.randomElement(using: &seeded)!.prefix(24))
    filler.append((StoryFingerprint(title: title, html: html), t0.addingTimeInterval(Double(i % 86_400))))
}

var perItem: [Double] = []
var candidates = 0.0
var fingerprintOnly: [Double] = []
func micros(_ d: Duration) -> Double { Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12 }
var lookupOnly: [Double] = []
let clock = CPUClock()
var assignOnly: [Double] = []
@MainActor func loadedIndex() -> InMemory {
    var index = InMemory(window: .infinity) // every filler item is in the window
    for (fp, d) in filler { _ = index.assign(fp, published: d) }
    return index
}
for _ in 0..<(profile == "store" ? 0 : rounds) {
    var sink = 0
    var labels = 0
    // Whole path per new item, in order, each joining the index: canonical text,
    // fingerprints, candidates, confirmation, insert.
    var loaded = loadedIndex()
    let whole = clock.measure {
        for item in items {
            let fp = StoryFingerprint(title: item.title, html: item.html)
            labels &+= loaded.assign(fp, published: date(item)).utf8.count
        }
    }
    perItem.append(micros(whole) / Double(items.count))
    // Its parts: fingerprints alone; candidates and confirmation alone (on the
    // filler, nothing inserted); candidates, confirmation and insert.
    var fps: [StoryFingerprint] = []
    let fingerprinting = clock.measure { fps = items.map { StoryFingerprint(title: $0.title, html: $0.html) } }
    fingerprintOnly.append(micros(fingerprinting) / Double(items.count))
    var fresh = loadedIndex()
    let lookup = clock.measure {
        for (fp, item) in zip(fps, items) {
            sink &+= fresh.index.match(fp, published: date(item).timeIntervalSince1970, window: .infinity)?.distance ?? 0
        }
    }
    lookupOnly.append(micros(lookup) / Double(items.count))
    candidates = items.count == 0 ? 0 : Double(fps.reduce(0) { $0 + fresh.index.candidateCount(of: $1) }) / Double(items.count)
    let assign = clock.measure {
        for (fp, item) in zip(fps, items) { labels &+= fresh.assign(fp, published: date(item)).utf8.count }
    }
    assignOnly.append(micros(assign) / Double(items.count))
    if sink == 42 || labels == 42 { print("") } // keep the work
}
/// The rebuilds' share of an insert in a steady window of 100,000 items (µs per
/// item, thread CPU): the filler inserted twice over, one item a second with a
/// window of 100,000 s, so that in the second pass each item coming evicts one
/// and every rebuild merges and compacts, as in a store's window. The second
/// pass is timed whole, with and without its `settle()` calls; the difference is the rebuilds'.
@MainActor func steadyRebuildCost() -> Double {
    func secondPass(settling: Bool) -> Duration {
        var index = StoryWindowIndex()
        for (i, (fp, _)) in filler.enumerated() {
            index.insert(fp, published: Double(i), story: index.newStory("x"))
            index.settle()
        }
        let window = Double(filler.count)
        return clock.measure {
            for (i, (fp, _)) in filler.enumerated() {
                index.insert(fp, published: Double(filler.count + i), story: index.newStory("x"))
                index.evict(olderThan: window)
                if settling { index.settle() }
            }
        }
    }
    return max(0, micros(secondPass(settling: true) - secondPass(settling: false)) / Double(filler.count))
}

// `PROFILE=index`: the in-memory assignment's parts on the loaded index, each round printed.
if profile == "index" {
    let fps = items.map { StoryFingerprint(title: $0.title, html: $0.html) }
    for _ in 0..<rounds {
        print("rebuilds in a steady window of \(filler.count): \(steadyRebuildCost()) µs per item")
        var loaded = loadedIndex()
        var matchTime = Duration.zero, insertTime = Duration.zero, settleTime = Duration.zero
        var sink = 0
        for (fp, item) in zip(fps, items) {
            let t = date(item).timeIntervalSince1970
            var m: StoryWindowIndex.Match?
            matchTime += clock.measure { m = loaded.index.match(fp, published: t, window: .infinity) }
            let story = m?.story ?? loaded.index.newStory("x")
            sink &+= Int(story.number)
            insertTime += clock.measure { loaded.index.insert(fp, published: t, story: story) }
            settleTime += clock.measure { loaded.index.settle() }
        }
        let n = Double(items.count)
        print("match \(micros(matchTime) / n) insert \(micros(insertTime) / n) settle \(micros(settleTime) / n) µs per item", sink == 42 ? "" : "")
    }
    exit(0)
}

/// CPU time of this thread: the machine is shared, and wall time would count the other engineers' builds.
struct CPUClock {
    func measure(_ body: () -> Void) -> Duration {
        func now() -> Duration {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
        }
        let start = now()
        body()
        return now() - start
    }
}
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

// MARK: the production path

/// What feedd runs when it stores a poll: `assignStories` of the store (SQLite's
/// `FeedStore`, PostgreSQL's `PostgresStore`), the corpus applied one poll (20
/// items) at a time, each poll's items fingerprinted and assigned in one call as
/// `StoryAssigner` does. The store's window index is loaded once, on its first
/// assignment (timed on its own).
func processCPU() -> Duration {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return .seconds(ts.tv_sec) + .nanoseconds(ts.tv_nsec)
}
/// The process's system (kernel) CPU time so far, in seconds.
func systemSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
func wall() -> Double { Date().timeIntervalSince1970 }
/// This process's resident set (kB) from /proc.
func vmRSS() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
}
let pollSize = 20
let feed = Category(name: "基准", slug: Slug(validating: "jizhun")!)
func incoming(code: String, title: String, html: String, published: Date) -> IncomingItem {
    IncomingItem(infoCode: InfoCode(code)!, title: title, summary: "", body: .init(html: html, raw: html, outlet: nil, normalizerVersion: 1),
                 link: nil, published: published, categories: [feed])
}
func storyInputs(_ poll: ArraySlice<CorpusItem>) -> [StoryInput] {
    poll.map { StoryInput(infoCode: InfoCode($0.code)!, fingerprint: StoryFingerprint(title: $0.title, html: $0.html), published: date($0)) }
}
let polls = stride(from: 0, to: items.count, by: pollSize).map { items[$0..<min($0 + pollSize, items.count)] }

/// The filler items, 1,000 at a time: applied, fingerprinted and assigned.
func fillerBatches() -> [(items: [IncomingItem], inputs: [StoryInput])] {
    var seededFill = SeededGenerator(seed: 14)
    return stride(from: 0, to: fillerCount, by: 1_000).map { start in
        var batch: [IncomingItem] = []
        var inputs: [StoryInput] = []
        for i in start..<min(start + 1_000, fillerCount) {
            let html = (0..<Int.random(in: 3...6, using: &seededFill)).map { _ in paragraphs.randomElement(using: &seededFill)! }.joined()
            let title = String(paragraphs.randomElement(using: &seededFill)!.prefix(24))
            let published = t0.addingTimeInterval(Double(i % 86_400))
            let code = "FILL\(i)"
            batch.append(incoming(code: code, title: title, html: html, published: published))
            inputs.append(StoryInput(infoCode: InfoCode(code)!, fingerprint: StoryFingerprint(title: title, html: html), published: published))
        }
        return (batch, inputs)
    }
}
/// A filler item already assigned: assigning it again loads the index and keeps it.
let warmUp = [StoryInput(infoCode: InfoCode("FILL0")!, fingerprint: filler[0].0, published: filler[0].1)]

// SQLite

/// Precision and recall through the poll's apply (stories assigned in it) on an empty store with the default 72 h window.
func sqliteQuality() throws -> Quality {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feedd-bench-stories-q-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let store = try FeedStore(path: folder.appendingPathComponent("store.sqlite").path)
    let source = SourceState(name: "bench")
    for poll in polls {
        _ = try store.apply(items: poll.map { incoming(code: $0.code, title: $0.title, html: $0.html, published: date($0)) },
                            source: source, validators: nil, stories: StoryRequest(inputs: storyInputs(poll), window: window), now: Date())
    }
    return Quality(try items.map { try store.story(of: InfoCode($0.code)!)?.rawValue ?? "" })
}

struct StoreRound {
    /// What stories add to a poll's apply, µs per item (process CPU): the apply with
    /// stories less the same apply without, on two copies of the filler store, poll by poll.
    var perItem: Double
    /// Of which the fingerprints.
    var fingerprint: Double
    /// Of which the kernel's (more WAL pages written and synced).
    var system: Double
    /// The apply without stories, µs per item: what a poll costs the store anyway.
    var applyAlone: Double
    var loadSeconds: Double
    var loadKB: Int
    var fileMB: Double
}
/// The filler store, built once per corpus and copied for each store instance of a round.
func filledStore(_ path: String) throws {
    let filled = args[1] + ".store-v9-\(fillerCount).sqlite" // the schema version: a new one fills again
    if !FileManager.default.fileExists(atPath: filled) {
        try? FileManager.default.removeItem(atPath: filled + ".partial")
        let store = try FeedStore(path: filled + ".partial")
        for batch in fillerBatches() {
            _ = try store.apply(items: batch.items, source: SourceState(name: "bench"), validators: nil,
                                stories: StoryRequest(inputs: batch.inputs, window: .infinity), now: Date())
        }
        try FileManager.default.moveItem(atPath: filled + ".partial", toPath: filled)
        try? FileManager.default.moveItem(atPath: filled + ".partial-wal", toPath: filled + "-wal")
    }
    try FileManager.default.copyItem(atPath: filled, toPath: path)
    if FileManager.default.fileExists(atPath: filled + "-wal") {
        try FileManager.default.copyItem(atPath: filled + "-wal", toPath: path + "-wal")
    }
}
func storeRound() throws -> StoreRound {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("feedd-bench-stories-\(getpid())")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (path, basePath) = (folder.appendingPathComponent("store.sqlite").path, folder.appendingPathComponent("base.sqlite").path)
    try filledStore(path)
    try filledStore(basePath)
    let source = SourceState(name: "bench")
    let now = Date()
    let store = try FeedStore(path: path)
    let base = try FeedStore(path: basePath)
    let rss = vmRSS()
    let loadStart = wall()
    _ = try store.assignStories(warmUp, window: .infinity, now: now) // every filler item is in the window
    let loadSeconds = wall() - loadStart
    let loadKB = vmRSS() - rss
    var (withStories, without, fingerprinting) = (Duration.zero, Duration.zero, Duration.zero)
    var (systemWith, systemWithout) = (0.0, 0.0)
    for (n, poll) in polls.enumerated() {
        let incomingItems = poll.map { incoming(code: $0.code, title: $0.title, html: $0.html, published: date($0)) }
        func storing() throws {
            let (begin, systemBefore) = (processCPU(), systemSeconds())
            let request = StoryRequest(inputs: storyInputs(poll), window: .infinity)
            fingerprinting += processCPU() - begin
            _ = try store.apply(items: incomingItems, source: source, validators: nil, stories: request, now: now)
            withStories += processCPU() - begin
            systemWith += systemSeconds() - systemBefore
        }
        func storingAlone() throws {
            let (begin, systemBefore) = (processCPU(), systemSeconds())
            _ = try base.apply(items: incomingItems, source: source, validators: nil, now: now)
            without += processCPU() - begin
            systemWithout += systemSeconds() - systemBefore
        }
        // Interleaved, each first every other poll.
        if n % 2 == 0 { try storing(); try storingAlone() } else { try storingAlone(); try storing() }
    }
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let count = Double(items.count)
    return StoreRound(perItem: (micros(withStories) - micros(without)) / count, fingerprint: micros(fingerprinting) / count,
                      system: (systemWith - systemWithout) * 1e6 / count, applyAlone: micros(without) / count,
                      loadSeconds: loadSeconds, loadKB: loadKB, fileMB: Double(size) / 1_048_576)
}

if profile == "store" {
    do { for _ in 0..<rounds { print(try storeRound()) } } catch { print("store round failed: \(error)") }
    exit(0)
}

// The corpus pass is too short for a rebuild of 100,000 (one comes each quarter
// of the window): their share in a steady window, measured apart, is added.
let rebuildSteady = (0..<rounds).map { _ in steadyRebuildCost() }

var storeRounds: [StoreRound] = []
let storeRoundCount = max(1, min(rounds, Int(ProcessInfo.processInfo.environment["STORE_ROUNDS"] ?? "") ?? 3))
let productionQuality: Quality
do {
    productionQuality = try sqliteQuality()
    for _ in 0..<storeRoundCount { storeRounds.append(try storeRound()) }
} catch {
    FileHandle.standardError.write(Data("store round failed: \(error)\n".utf8))
    exit(1)
}

// PostgreSQL (a throwaway server, as the tests start it), when its binaries are installed and PG is not 0.

/// Wall time per item that stories add to the apply (the server's CPU is another process's), median of rounds; the
/// quality of the production path on PostgreSQL; each round on a fresh store holding the filler.
func postgresRounds(_ count: Int) async throws -> (perItem: [Double], load: [Double], quality: Quality) {
    let server = try await TestPostgres.shared()
    let logger = Logger(label: "bench")
    let source = SourceState(name: "bench")
    let now = Date()
    // Quality: an empty database, the default window.
    let qualityURL = try await server.freshDatabase()
    let q = try await PostgresStore.open(try PostgresStorage.parse(qualityURL).get(), logger: logger)
    for poll in polls {
        _ = try await q.apply(items: poll.map { incoming(code: $0.code, title: $0.title, html: $0.html, published: date($0)) },
                              source: source, validators: nil, stories: StoryRequest(inputs: storyInputs(poll), window: window), now: now)
    }
    var predicted: [String] = []
    for item in items { predicted.append(try await q.story(of: InfoCode(item.code)!)?.rawValue ?? "") }
    await q.close()
    // Speed: the filler stored once and copied (a template database); each round removes the corpus
    // items from both and opens them afresh: the apply with stories and without, poll by poll, interleaved.
    let url = try await server.freshDatabase()
    let storage = try PostgresStorage.parse(url).get()
    let filling = try await PostgresStore.open(storage, logger: logger)
    for batch in fillerBatches() {
        _ = try await filling.apply(items: batch.items, source: source, validators: nil,
                                    stories: StoryRequest(inputs: batch.inputs, window: .infinity), now: now)
    }
    await filling.close()
    var baseStorage = storage
    baseStorage.database = storage.database + "_base"
    try await server.psql("CREATE DATABASE \(baseStorage.database) TEMPLATE \(storage.database)")
    var perItem: [Double] = []
    var load: [Double] = []
    for _ in 0..<count {
        for database in [storage.database, baseStorage.database] {
            try await server.psql("DELETE FROM item WHERE infoCode NOT LIKE 'FILL%'", database: database)
        }
        let store = try await PostgresStore.open(storage, logger: logger)
        let base = try await PostgresStore.open(baseStorage, logger: logger)
        let loadStart = wall()
        _ = try await store.assignStories(warmUp, window: .infinity, now: now)
        load.append(wall() - loadStart)
        var (withStories, without) = (0.0, 0.0)
        for (n, poll) in polls.enumerated() {
            let incomingItems = poll.map { incoming(code: $0.code, title: $0.title, html: $0.html, published: date($0)) }
            for storiesTurn in [n % 2 == 0, n % 2 != 0] { // each first every other poll
                let begin = wall()
                if storiesTurn {
                    _ = try await store.apply(items: incomingItems, source: source, validators: nil,
                                              stories: StoryRequest(inputs: storyInputs(poll), window: .infinity), now: now)
                    withStories += wall() - begin
                } else {
                    _ = try await base.apply(items: incomingItems, source: source, validators: nil, now: now)
                    without += wall() - begin
                }
            }
        }
        perItem.append((withStories - without) * 1e6 / Double(items.count))
        await store.close()
        await base.close()
    }
    return (perItem, load, Quality(predicted))
}
var postgres: (perItem: [Double], load: [Double], quality: Quality)?
if ProcessInfo.processInfo.environment["PG"] != "0", FileManager.default.fileExists(atPath: TestPostgres.binaries + "/postgres") {
    do { postgres = try await postgresRounds(storeRoundCount) } catch {
        FileHandle.standardError.write(Data("PostgreSQL rounds failed: \(error)\n".utf8))
        exit(1)
    }
}

func r2(_ x: Double) -> Double { (x * 100).rounded() / 100 }
func r4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
var report: [String: Any] = [
    "items": items.count, "stories": Set(items.map(\.story)).count,
    "true_pairs": productionQuality.truePairs, "predicted_pairs": productionQuality.predictedPairs,
    "true_positive_pairs": productionQuality.truePositives, "predicted_stories": productionQuality.predictedStories,
    "precision": r4(productionQuality.precision), "recall": r4(productionQuality.recall),
    "false_joins_by_kind": productionQuality.falseByKind, "missed_by_kind": productionQuality.missedByKind,
    "precision_in_memory": r4(inMemoryQuality.precision), "recall_in_memory": r4(inMemoryQuality.recall),
    "us_per_item": r2(median(perItem)),
    "us_per_item_fingerprint_only": r2(median(fingerprintOnly)),
    "us_per_item_lookup_only": r2(median(lookupOnly)),
    "us_per_item_assign_only": r2(median(assignOnly)),
    "us_per_item_rebuild_steady": r2(median(rebuildSteady)),
    "us_per_item_store": r2(median(storeRounds.map(\.perItem))), "store_rounds": storeRoundCount,
    "us_per_item_store_system": r2(median(storeRounds.map(\.system))),
    "us_per_item_apply_alone": r2(median(storeRounds.map(\.applyAlone))),
    "us_per_item_store_fingerprint": r2(median(storeRounds.map(\.fingerprint))),
    "store_load_s": r2(median(storeRounds.map(\.loadSeconds))), "store_load_mb": r2(Double(median(storeRounds.map { Double($0.loadKB) })) / 1024),
    "store_file_mb": ((storeRounds.last?.fileMB ?? 0) * 10).rounded() / 10,
    "window_items": fillerCount, "candidates_per_item": candidates, "rounds": rounds,
]
if let postgres {
    report["us_per_item_postgres_wall"] = r2(median(postgres.perItem))
    report["postgres_load_s"] = r2(median(postgres.load))
    report["precision_postgres"] = r4(postgres.quality.precision)
    report["recall_postgres"] = r4(postgres.quality.recall)
}
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
