import FeedPipeline
import FeedStore
import Foundation
import GRDB
import Testing

@Suite("SQLite store: source states, one by key")
struct SourceStateTests {
    let folder = NSTemporaryDirectory() + "feedd-state-" + UUID().uuidString
    var path: String { folder + "/feedd.sqlite" }

    @Test("one source's state is read by its name among thousands, and saved in place with its next poll")
    func byKey() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        // Two thousand rows in one transaction (2,000 saves would be 2,000 fsyncs on a test thread).
        try DatabaseQueue(path: path).write { db in
            for i in 0..<2_000 {
                try db.execute(sql: "INSERT INTO sourceState (name, lastResult, consecutiveFailures) VALUES (?, ?, ?)",
                               arguments: ["s\(i)", i % 3 == 0 ? "failed" : "not modified", i % 7])
            }
        }
        let next = Date(timeIntervalSince1970: 1_700_000_123)
        var state = try #require(try store.sourceState(named: "s1234"))
        #expect(state.consecutiveFailures == 1234 % 7 && state.lastResult == .notModified)
        state.lastResult = .ok
        state.nextPoll = next
        try store.save(state)
        #expect(try store.sourceState(named: "s1234") == state)
        #expect(try store.sourceState(named: "s1235")?.nextPoll == nil)
        #expect(try store.sourceState(named: "nobody") == nil)
        #expect(try store.sourceStates().count == 2_000)
        // The query plan is a primary-key lookup, not a scan.
        let detail = try DatabaseQueue(path: path).read {
            try Row.fetchAll($0, sql: "EXPLAIN QUERY PLAN SELECT lastPoll FROM sourceState WHERE name = ?", arguments: ["s1"])
                .map { $0["detail"] as String }
        }
        #expect(detail.contains { $0.contains("USING INDEX") || $0.contains("PRIMARY KEY") }, "\(detail)")
    }

    @Test("lastResult is stored as the words feedd status prints; an unknown one is an error naming it")
    func lastResultWords() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        for result in PollResult.allCases { try store.save(SourceState(name: result.rawValue, lastResult: result)) }
        let db = try DatabaseQueue(path: path)
        let words = try db.read { try String.fetchAll($0, sql: "SELECT lastResult FROM sourceState ORDER BY lastResult") }
        #expect(words == ["failed", "not modified", "ok"])
        try db.write { try $0.execute(sql: "UPDATE sourceState SET lastResult = 'exploded' WHERE name = 'ok'") }
        #expect(throws: StoreError.self) { try store.sourceState(named: "ok") }
        do {
            _ = try store.sourceStates()
            Issue.record("an unknown lastResult was read")
        } catch {
            #expect(error.description.contains("'exploded'") && error.description.contains(path) && error.description.contains("'ok'"))
        }
        #expect(try store.sourceState(named: "failed")?.lastResult == .failed) // the others still read
    }

    @Test("a recorded state is read back at once and written later with the others, after an apply's newer one never over it")
    func recorded() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try FeedStore(path: path)
        let other = try FeedStore(path: path) // another process on the same file
        let a = SourceState(name: "a", lastPoll: Date(timeIntervalSince1970: 1_700_000_000), lastResult: .notModified)
        let b = SourceState(name: "b", lastPoll: Date(timeIntervalSince1970: 1_700_000_001), lastResult: .notModified)
        #expect(store.record(a))
        #expect(!store.record(b)) // one write queued for both
        #expect(try store.sourceState(named: "a") == a)
        #expect(try store.sourceStates() == [a, b])
        #expect(try store.pollStart(source: "a", url: "http://h/a").state == a)
        #expect(try other.sourceState(named: "a") == nil) // not written yet
        try store.writeRecorded()
        #expect(try other.sourceStates() == [a, b])

        // Recorded, then an apply of the same source with a newer state: the recorded one is never written over it.
        var older = a
        older.lastPoll = Date(timeIntervalSince1970: 1_700_000_100)
        #expect(store.record(older))
        var newer = a
        newer.lastPoll = Date(timeIntervalSince1970: 1_700_000_200)
        newer.lastResult = .ok
        _ = try store.apply(items: [], source: newer, validators: ("http://h/a", "\"v2\"", nil), now: Date())
        try store.writeRecorded()
        #expect(try other.sourceState(named: "a")?.lastPoll == newer.lastPoll)
        // What the poll starts from next comes from memory, with the apply's validators.
        let start = try #require(store.heldPollStart(source: "a", url: "http://h/a"))
        #expect(start.state?.lastPoll == newer.lastPoll && start.validators?.etag == "\"v2\"")
        #expect(store.heldPollStart(source: "a", url: "http://h/elsewhere") == nil) // never read: from the file
    }

    @Test("recorded states are written by the SQLite backend's flush, as the daemon and refresh do before closing")
    func flushed() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let backend = SQLiteStore(try FeedStore(path: path), pool: BlockingPool.shared)
        let state = SourceState(name: "s", lastPoll: Date(timeIntervalSince1970: 1_700_000_000), lastResult: .failed,
                                message: "HTTP 503", consecutiveFailures: 2)
        try await backend.save(state)
        #expect(try await backend.sourceState(named: "s") == state)
        try await backend.flush()
        #expect(try FeedStore(path: path).sourceState(named: "s") == state)
    }
}
