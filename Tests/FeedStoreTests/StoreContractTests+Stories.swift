import FeedModel
import FeedStore
import FeedStories
import Foundation
import Testing

/// The contract, both backends: stories (the SQLite-only `StoryStoreTests` cases, through `Store`).
extension StoreContractTests {
    static let t0: TimeInterval = 1_764_547_200
    static let storyBody = """
        <p>新华财经北京12月1日电 中国人民银行有关负责人表示，将围绕科技创新和绿色转型推出18项举措，政策效应将持续显现。截至收盘，上证指数上涨0.85%，报3092.59点。</p>
        <p>中金公司研究报告认为，半导体板块估值处于历史相对低位，储能与光伏方向结构性机会仍然值得关注，宁德时代前三季度营业收入同比增长21.92%。</p>
        """

    static func reprint(_ code: String, outlet: String, body: String = storyBody, hours: Double) -> IncomingItem {
        IncomingItem(infoCode: InfoCode(code)!, title: "央行推出18项举措", summary: "",
                     body: .init(html: body, raw: body, outlet: nil, normalizerVersion: 2),
                     link: "https://\(code.lowercased()).example.com/a.html", published: Date(timeIntervalSince1970: t0 + hours * 3600),
                     categories: [Category(name: outlet, slug: Slug.derive(from: outlet).slug)])
    }

    static func inputs(_ items: [IncomingItem]) -> [StoryInput] {
        items.map { StoryInput(infoCode: $0.infoCode, fingerprint: StoryFingerprint(title: $0.title, html: $0.body!.html),
                               published: $0.published) }
    }

    @Test("three reprints in one batch: one story named by the earliest, the others listed with their outlets", arguments: Backend.allCases)
    func storiesInOneBatch(backend: Backend) async throws {
        try await with(backend) { store in
            let items = [Self.reprint("NW3", outlet: "第一财经", body: Self.storyBody + "<p>编辑：张三</p>", hours: 2),
                         Self.reprint("NW1", outlet: "新华财经", hours: 0),
                         Self.reprint("NW2", outlet: "证券时报", body: "<p>（文章来源：新华财经）</p>" + Self.storyBody, hours: 1),
                         Self.reprint("NW4", outlet: "另一家", body: "<p>完全不同的一篇报道，讲的是天气和交通。</p>", hours: 1)]
            _ = try await store.apply(items: items, source: SourceState(name: "s"), validators: nil, now: Date())
            let before = try await store.renderState().contentVersion
            var inputs = Self.inputs(items)
            inputs.append(StoryInput(infoCode: InfoCode("NW9")!, fingerprint: inputs[0].fingerprint, published: Date())) // not stored
            let result = try await store.assignStories(inputs, window: 72 * 3600, now: Date(timeIntervalSince1970: Self.t0 + 9000))
            #expect(result.founded == 2 && result.joined == 2 && result.kept == 0)
            #expect(try await store.renderState().contentVersion > before)
            for code in ["NW1", "NW2", "NW3"] { #expect(try await store.story(of: InfoCode(code)!) == InfoCode("NW1")) }
            #expect(try await store.story(of: InfoCode("NW4")!) == InfoCode("NW4"))
            #expect(try await store.story(of: InfoCode("NW9")!) == nil)
            let entries = try await store.storyEntries(limit: 10)
            #expect(entries.map(\.item.infoCode.rawValue) == ["NW4", "NW1"])
            #expect(entries[1].others.map(\.outlet) == ["证券时报", "第一财经"])
            #expect(entries[1].others.map(\.link) == ["https://nw2.example.com/a.html", "https://nw3.example.com/a.html"])
            #expect(entries[1].item.categories.map(\.name) == ["新华财经"] && entries[1].lastJoined == nil)
            #expect(try await store.storyCounts() == (items: 4, stories: 2))
        }
    }

    @Test("a copy stored later joins the story and moves the entry's updated; assigning again keeps everything", arguments: Backend.allCases)
    func storyJoinedLater(backend: Backend) async throws {
        try await with(backend) { store in
            let first = [Self.reprint("NW1", outlet: "新华财经", hours: 0)]
            _ = try await store.apply(items: first, source: SourceState(name: "s"), validators: nil, now: Date())
            _ = try await store.assignStories(Self.inputs(first), window: 72 * 3600, now: Date(timeIntervalSince1970: Self.t0 + 60))
            let late = [Self.reprint("NW2", outlet: "证券时报", hours: 5)]
            _ = try await store.apply(items: late, source: SourceState(name: "s"), validators: nil, now: Date())
            var input = Self.inputs(late)
            input[0].namesItselfAsSource = true // a later copy never takes over a stored story
            let joined = try await store.assignStories(input, window: 72 * 3600, now: Date(timeIntervalSince1970: Self.t0 + 7200))
            #expect(joined.joined == 1 && joined.founded == 0)
            let entries = try await store.storyEntries(limit: 10)
            #expect(entries.map(\.item.infoCode.rawValue) == ["NW1"])
            #expect(entries[0].lastJoined == Date(timeIntervalSince1970: Self.t0 + 7200))
            let again = try await store.assignStories(Self.inputs(first + late), window: 72 * 3600, now: Date())
            #expect(again == { var r = StoryAssignment(); r.kept = 2; return r }())
            #expect(try await store.itemsWithoutStory(limit: 10).isEmpty)
        }
    }

    @Test("founded together: the item that names itself as source represents the story", arguments: Backend.allCases)
    func storyOriginalRepresents(backend: Backend) async throws {
        try await with(backend) { store in
            let items = [Self.reprint("NW1", outlet: "证券时报", hours: 0), Self.reprint("NW2", outlet: "新华财经", hours: 1),
                         Self.reprint("NW3", outlet: "第一财经", hours: 2)]
            _ = try await store.apply(items: items, source: SourceState(name: "s"), validators: nil, now: Date())
            var inputs = Self.inputs(items)
            inputs[1].namesItselfAsSource = true
            _ = try await store.assignStories(inputs, window: 72 * 3600, now: Date())
            let entries = try await store.storyEntries(limit: 10)
            #expect(entries.map(\.item.infoCode.rawValue) == ["NW2"])
            #expect(entries[0].others.map(\.outlet) == ["证券时报", "第一财经"])
        }
    }

    @Test("outside the window: a story of its own; stories rebuild reads the unassigned oldest first", arguments: Backend.allCases)
    func storyWindowAndRebuildOrder(backend: Backend) async throws {
        try await with(backend) { store in
            let items = [Self.reprint("NW2", outlet: "证券时报", hours: 80), Self.reprint("NW1", outlet: "新华财经", hours: 0)]
            _ = try await store.apply(items: items, source: SourceState(name: "s"), validators: nil, now: Date())
            let waiting = try await store.itemsWithoutStory(limit: 10)
            #expect(waiting.map(\.infoCode.rawValue) == ["NW1", "NW2"])
            #expect(waiting[0].title == "央行推出18项举措" && waiting[0].published == Date(timeIntervalSince1970: Self.t0))
            #expect(try await store.itemsWithoutStory(limit: 1).count == 1)
            let result = try await store.assignStories(Self.inputs(items), window: 72 * 3600, now: Date())
            #expect(result.founded == 2 && result.joined == 0)
        }
    }

    @Test("the representative deleted: its earliest remaining member represents the story", arguments: Backend.allCases)
    func storyRepresentativeDeleted(backend: Backend) async throws {
        try await withOpened(backend) { opened in
            let store = opened.store
            let items = [Self.reprint("NW1", outlet: "新华财经", hours: 0), Self.reprint("NW2", outlet: "证券时报", hours: 1),
                         Self.reprint("NW3", outlet: "第一财经", hours: 2)]
            _ = try await store.apply(items: items, source: SourceState(name: "s"), validators: nil, now: Date())
            _ = try await store.assignStories(Self.inputs(items), window: 72 * 3600, now: Date())
            try await opened.execute("DELETE FROM item WHERE infoCode = 'NW1'")
            let entries = try await store.storyEntries(limit: 10)
            #expect(entries.map(\.item.infoCode.rawValue) == ["NW2"])
            #expect(entries[0].others.map(\.infoCode.rawValue) == ["NW3"])
        }
    }
}
