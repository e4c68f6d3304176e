import FeedModel
@testable import FeedStore
import FeedStories
import Foundation
import GRDB
import Testing

@Suite("SQLite store: stories")
struct StoryStoreTests {
    let folder = NSTemporaryDirectory() + "feedd-stories-" + UUID().uuidString
    var path: String { folder + "/feedd.sqlite" }
    static let t0: TimeInterval = 1_764_547_200
    static let body = """
        <p>新华财经北京12月1日电 中国人民银行有关负责人表示，将围绕科技创新和绿色转型推出18项举措，政策效应将持续显现。截至收盘，上证指数上涨0.85%，报3092.59点。</p>
        <p>中金公司研究报告认为，半导体板块估值处于历史相对低位，储能与光伏方向结构性机会仍然值得关注，宁德时代前三季度营业收入同比增长21.92%。</p>
        <p>展望后市，分析人士指出，经济基本面稳中向好的态势没有改变，中长期资金入市节奏有望加快，外资持续流入。</p>
        """

    func item(_ code: String, outlet: String, body: String = body, hours: Double) -> IncomingItem {
        IncomingItem(infoCode: InfoCode(code)!, title: "央行推出18项举措", summary: "",
                     body: .init(html: body, raw: body, outlet: nil, normalizerVersion: 2),
                     link: "https://\(code.lowercased()).example.com/a.html", published: Date(timeIntervalSince1970: Self.t0 + hours * 3600),
                     categories: [Category(name: outlet, slug: Slug.derive(from: outlet).slug)])
    }

    func store(_ items: [IncomingItem]) throws -> FeedStore {
        let store = try FeedStore(path: path)
        _ = try store.apply(items: items, source: SourceState(name: "s"), validators: nil, now: Date())
        return store
    }

    func inputs(_ items: [IncomingItem]) -> [StoryInput] {
        items.map { StoryInput(infoCode: $0.infoCode, fingerprint: StoryFingerprint(title: $0.title, html: $0.body!.html),
                               published: $0.published) }
    }

    @Test("three reprints: one story named by the earliest; the others listed with their outlets")
    func threeReprints() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = [item("NW3", outlet: "第一财经", body: Self.body + "<p>编辑：张三</p>", hours: 2),
                     item("NW1", outlet: "新华财经", hours: 0),
                     item("NW2", outlet: "证券时报", body: "<p>（文章来源：新华财经）</p>" + Self.body, hours: 1)]
        let store = try store(items)
        let result = try store.assignStories(inputs(items), window: 72 * 3600, now: Date(timeIntervalSince1970: Self.t0 + 9000))
        #expect(result.founded == 1 && result.joined == 2)
        for code in ["NW1", "NW2", "NW3"] { #expect(try store.story(of: InfoCode(code)!) == InfoCode("NW1")) }
        let entries = try store.storyEntries(limit: 10)
        #expect(entries.map(\.item.infoCode.rawValue) == ["NW1"])
        #expect(entries[0].others.map(\.outlet) == ["证券时报", "第一财经"])
        #expect(entries[0].others.map(\.link) == ["https://nw2.example.com/a.html", "https://nw3.example.com/a.html"])
        #expect(try store.storyCounts() == (items: 3, stories: 1))
    }

    @Test("founded together: the item that names itself as source represents the story, though a reprint is dated first")
    func originalRepresents() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = [item("NW1", outlet: "证券时报", hours: 0), item("NW2", outlet: "新华财经", hours: 1),
                     item("NW3", outlet: "第一财经", hours: 2)]
        let store = try store(items)
        var inputs = inputs(items)
        inputs[1].namesItselfAsSource = true
        inputs[2].namesItselfAsSource = false
        _ = try store.assignStories(inputs, window: 72 * 3600, now: Date())
        let entries = try store.storyEntries(limit: 10)
        #expect(entries.map(\.item.infoCode.rawValue) == ["NW2"])
        #expect(entries[0].others.map(\.outlet) == ["证券时报", "第一财经"])
        // A later copy that names itself does not take over a story already stored.
        let late = [item("NW4", outlet: "新华社", hours: 3)]
        _ = try store.apply(items: late, source: SourceState(name: "s"), validators: nil, now: Date())
        var lateInput = self.inputs(late)
        lateInput[0].namesItselfAsSource = true
        _ = try store.assignStories(lateInput, window: 72 * 3600, now: Date())
        #expect(try store.storyEntries(limit: 10).map(\.item.infoCode.rawValue) == ["NW2"])
    }

    @Test("assigning again is idempotent; a store reopened keeps the stories")
    func idempotent() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = [item("NW1", outlet: "新华财经", hours: 0), item("NW2", outlet: "证券时报", hours: 1)]
        _ = try store(items).assignStories(inputs(items), window: 72 * 3600, now: Date())
        let reopened = try FeedStore(path: path)
        let again = try reopened.assignStories(inputs(items), window: 72 * 3600, now: Date())
        #expect(again == { var r = StoryAssignment(); r.kept = 2; return r }())
        #expect(try reopened.storyCounts() == (items: 2, stories: 1))
        #expect(try reopened.itemsWithoutStory(limit: 10).isEmpty)
    }

    @Test("a reprint outside the window is a story of its own")
    func window() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = [item("NW1", outlet: "新华财经", hours: 0), item("NW2", outlet: "证券时报", hours: 80)]
        let result = try store(items).assignStories(inputs(items), window: 72 * 3600, now: Date())
        #expect(result.founded == 2 && result.joined == 0)
    }

    @Test("the representative deleted: its earliest remaining member represents the story")
    func representativeDeleted() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let items = [item("NW1", outlet: "新华财经", hours: 0), item("NW2", outlet: "证券时报", hours: 1),
                     item("NW3", outlet: "第一财经", hours: 2)]
        let store = try store(items)
        _ = try store.assignStories(inputs(items), window: 72 * 3600, now: Date())
        let db = try DatabaseQueue(path: path)
        try db.write { try $0.execute(sql: "DELETE FROM item WHERE infoCode = 'NW1'") }
        let entries = try store.storyEntries(limit: 10)
        #expect(entries.map(\.item.infoCode.rawValue) == ["NW2"])
        #expect(entries[0].others.map(\.infoCode.rawValue) == ["NW3"])
    }

    @Test("a v8 store (assignments logged by a trigger) migrates to v9: its stories kept, numbered in the order logged; a reprint then joins")
    func migratesFromV8() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: StorySchema.v8)
        let fingerprint = StoryFingerprint(title: "央行推出18项举措", html: Self.body)
        try queue.write { db in
            for (n, code) in ["NW2", "NW1"].enumerated() { // assigned in this order: NW2 represents
                try db.execute(sql: """
                    INSERT INTO item (infoCode, title, summary, body, rawBody, normalizerVersion, link, outlet, published, updated, firstSeen)
                    VALUES (?, '央行推出18项举措', '', ?, ?, 2, NULL, NULL, ?, 0, 0)
                    """, arguments: [code, Self.body, Self.body, Self.t0 + Double(n)])
                try db.execute(sql: """
                    INSERT INTO itemStory (infoCode, story, simFull, simHead, length, numbers, published, joined)
                    VALUES (?, 'NW2', ?, ?, ?, ?, ?, 0)
                    """, arguments: [code, Int64(bitPattern: fingerprint.full), Int64(bitPattern: fingerprint.head),
                                     fingerprint.length, fingerprint.numbersText, Self.t0 + Double(n)])
            }
        }
        let store = try FeedStore(path: path)
        let numbered = try queue.read { try Row.fetchAll($0, sql: "SELECT seq, infoCode FROM itemStory ORDER BY seq") }
        #expect(numbered.map { $0["infoCode"] as String } == ["NW2", "NW1"])
        #expect(try queue.read { try $0.tableExists("itemStoryLog") } == false)
        #expect(try store.story(of: InfoCode("NW1")!) == InfoCode("NW2"))
        let reprint = item("NW3", outlet: "第一财经", hours: 2)
        let result = try store.apply(items: [reprint], source: SourceState(name: "s"), validators: nil,
                                     stories: StoryRequest(inputs: [StoryInput(infoCode: reprint.infoCode, fingerprint: fingerprint,
                                                                               published: reprint.published)], window: 72 * 3600),
                                     now: Date())
        #expect(result.stories.joined == 1 && result.storiesFailure == nil)
        #expect(try store.story(of: InfoCode("NW3")!) == InfoCode("NW2"))
        #expect(try queue.read { try Int64.fetchOne($0, sql: "SELECT seq FROM itemStory WHERE infoCode = 'NW3'") } == 3)
    }
}
