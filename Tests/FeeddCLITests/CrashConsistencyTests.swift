import FeedStore
import FeedTestSupport
import Foundation
import GRDB
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` at any moment loses nothing: `feedd refresh` and `feedd run`
/// are started against the fixture APIs (bodies answering slowly, a new
/// article listed every round, so there is always work in flight) and
/// SIGKILLed at random moments; a last refresh then leaves every upstream
/// item in exactly its categories and once in `all/`, a store that passes
/// SQLite's integrity check, and no temp file in the output folder.
@Suite("Crash consistency: SIGKILL at random moments", .serialized)
struct CrashConsistencyTests {
    static let rounds = 24

    @Test("24 runs of refresh and run killed with SIGKILL, then one refresh: nothing lost, duplicated or left half-written")
    func killedAtRandomMoments() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let path = folder.write("config.yaml", DaemonProcessTests.config(api, sources: ["market", "media", "rolling"]))
        for (code, body) in api.bodies { api.server.set("/NewsData/GetNewsText.do?id=\(code)", Self.slowBody(body)) }
        var market = try Self.records(in: "market-list.json", list: "record")

        var schedule: [String] = []
        var killed = 0
        for round in 0..<Self.rounds {
            // A new article every round, so every run has a body to fetch and items to store and render.
            let code = "NW20211230000000\(String(format: "%04d", round))"
            market.append(["infoCode": code, "title": "第\(round)条快讯", "datetime": "2021-12-30 09:\(String(format: "%02d", round % 60)):00",
                           "medianame": round % 2 == 0 ? "新华财经" : "证券时报"])
            let list = try JSONSerialization.data(withJSONObject: ["record": market])
            api.server.set("/webapi/market", .file([UInt8](list), contentType: "application/json"))
            api.server.set("/NewsData/GetNewsText.do?id=\(code)", Self.slowBody("<p>第\(round)条正文</p>"))

            let command = round % 2 == 0 ? "refresh" : "run"
            let process = try SpawnedProcess(CLITests.binary, [command, "--config", path], folder: folder.path)
            let delay = Double.random(in: 0.05...0.8)
            try await Task.sleep(for: .seconds(delay))
            process.signal(SIGKILL)
            let status = await process.wait(timeout: .seconds(10))
            if status == nil { process.kill() }
            if status == 128 + SIGKILL { killed += 1 }
            schedule.append("\(command) \(String(format: "%.2f", delay))s → \(status.map(String.init) ?? "?")")
        }
        #expect(killed >= 20, "only \(killed) runs were still at work when killed: \(schedule)")

        // A temp file as a write killed between open and rename leaves it (its writer is gone).
        let leftover = folder.file("public/all/.rss.xml.tmp-99999999-12345")
        _ = folder.write("public/all/.rss.xml.tmp-99999999-12345", "<rss><chan")
        let last = try await CLITests.feedd(["refresh", "--config", path])
        #expect(last.status == 0, "\(last.out)\n\(last.err)\nschedule: \(schedule)")
        #expect(!FileManager.default.fileExists(atPath: leftover))
        #expect(Self.tempFiles(under: folder.file("public")) == [], "schedule: \(schedule)")

        // Every upstream item, in exactly its categories and once in all/.
        var expected: [String: Set<String>] = [:] // code → category names
        for record in market { expected[record["infoCode"] as! String, default: []].insert(record["medianame"] as! String) }
        for record in try Self.records(in: "media-list.json", list: "nodeList") {
            expected[record["infocode"] as! String, default: []].insert(record["from"] as! String)
        }
        for record in try Self.records(in: "rolling-list.json", list: "records") {
            expected[record["infoCode"] as! String, default: []].insert("东财滚动新闻")
        }
        let store = try FeedStore(path: folder.file("data/feedd.sqlite"))
        var slugs: [String: String] = [:] // category name → folder
        for name in Set(expected.values.flatMap { $0 }) {
            slugs[name] = try #require(try store.slug(ofCategoryNamed: name), "no category \(name)").rawValue
        }
        var found: [String: Set<String>] = [:] // code → category names whose feed lists it
        for (name, slug) in slugs {
            let guids = try Self.guids(in: folder.file("public/\(slug)/rss.xml"))
            #expect(guids.count == Set(guids).count, "\(slug) lists an item twice: \(guids)")
            for code in guids { found[code, default: []].insert(name) }
        }
        #expect(found == expected, "schedule: \(schedule)")
        let all = try Self.guids(in: folder.file("public/all/rss.xml"))
        #expect(all.sorted() == expected.keys.sorted(), "all/ lists \(all.count) items for \(expected.count) codes")
        for code in expected.keys {
            #expect(try store.item(.init(code)!)?.body.isEmpty == false, "\(code) has no body")
        }
        let integrity = try await DatabaseQueue(path: folder.file("data/feedd.sqlite")).read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check")
        }
        #expect(integrity == ["ok"])
    }

    static func slowBody(_ html: String) -> FixtureServer.Response {
        let json = try! JSONSerialization.data(withJSONObject: ["text": html])
        var response = FixtureServer.Response.file([UInt8](json), contentType: "application/json")
        response.delay = 0.25
        return response
    }

    static func records(in fixture: String, list: String) throws -> [[String: Any]] {
        let root = try JSONSerialization.jsonObject(with: Data(Fixtures.bytes(fixture))) as! [String: Any]
        return root[list] as! [[String: Any]]
    }

    static func guids(in path: String) throws -> [String] {
        let bytes = try #require(FileManager.default.contents(atPath: path), "no \(path)")
        switch XMLCheck.parse([UInt8](bytes)) {
        case .success(let document): return document.strings("//item/guid")
        case .failure(let problem): Issue.record("\(path) is not well-formed: \(problem)"); return []
        }
    }

    /// Files named like AtomicFile's temp files, anywhere under `folder`.
    static func tempFiles(under folder: String) -> [String] {
        let names = FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []
        return names.filter { ($0 as NSString).lastPathComponent.contains(".tmp-") }
    }
}
