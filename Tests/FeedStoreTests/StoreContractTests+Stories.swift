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

    @Test("an item another store instance assigned is a candidate of this one's next assignment; a fresh instance finds the stories stored before",
          arguments: Backend.allCases)
    func storyCatchUpAcrossInstances(backend: Backend) async throws {
        try await withOpened(backend) { opened in
            let a = opened.store
            let other = try await opened.another()
            let b = other.store
            // Both instances have loaded their window index.
            let seed = [Self.reprint("NW0", outlet: "另一家", body: "<p>完全不同的一篇报道，讲的是天气和交通，与央行无关的内容。</p>", hours: 0)]
            _ = try await a.apply(items: seed, source: SourceState(name: "s"), validators: nil, now: Date())
            _ = try await a.assignStories(Self.inputs(seed), window: 72 * 3600, now: Date())
            _ = try await b.assignStories(Self.inputs(seed), window: 72 * 3600, now: Date())
            // B stores and assigns the dispatch; A assigns its reprint and must find B's item.
            let first = [Self.reprint("NW1", outlet: "新华财经", hours: 1)]
            _ = try await b.apply(items: first, source: SourceState(name: "s"), validators: nil, now: Date())
            #expect(try await b.assignStories(Self.inputs(first), window: 72 * 3600, now: Date()).founded == 1)
            let second = [Self.reprint("NW2", outlet: "证券时报", hours: 2)]
            _ = try await a.apply(items: second, source: SourceState(name: "s"), validators: nil, now: Date())
            #expect(try await a.assignStories(Self.inputs(second), window: 72 * 3600, now: Date()).joined == 1)
            #expect(try await a.story(of: InfoCode("NW2")!) == InfoCode("NW1"))
            // …and B, in turn, A's (read once: one story of three, not counted twice).
            let third = [Self.reprint("NW3", outlet: "第一财经", hours: 3)]
            _ = try await b.apply(items: third, source: SourceState(name: "s"), validators: nil, now: Date())
            #expect(try await b.assignStories(Self.inputs(third), window: 72 * 3600, now: Date()).joined == 1)
            #expect(try await b.story(of: InfoCode("NW3")!) == InfoCode("NW1"))
            // A fresh instance (a restarted process) loads the window from the store.
            let fresh = try await opened.another()
            let fourth = [Self.reprint("NW4", outlet: "中国证券报", hours: 4)]
            _ = try await fresh.store.apply(items: fourth, source: SourceState(name: "s"), validators: nil, now: Date())
            #expect(try await fresh.store.assignStories(Self.inputs(fourth), window: 72 * 3600, now: Date()).joined == 1)
            #expect(try await fresh.store.story(of: InfoCode("NW4")!) == InfoCode("NW1"))
            await fresh.close()
            await other.close()
            #expect(try await a.storyCounts() == (items: 5, stories: 2))
            #expect(try await a.storyEntries(limit: 10).first { $0.item.infoCode.rawValue == "NW1" }?.others.count == 3)
        }
    }

    @Test("the window index evicts what is older than the window of the newest; an item dated before that still finds its story",
          arguments: Backend.allCases)
    func storyEvictionAtTheWindow(backend: Backend) async throws {
        try await withOpened(backend) { opened in
            let store = opened.store
            let window = 72.0 * 3600
            let first = [Self.reprint("NW1", outlet: "新华财经", hours: 0)]
            _ = try await store.apply(items: first, source: SourceState(name: "s"), validators: nil, now: Date())
            _ = try await store.assignStories(Self.inputs(first), window: window, now: Date())
            // A later, unrelated item moves the window on: NW1 is 100 h before it.
            let later = [Self.reprint("NW5", outlet: "另一家", body: "<p>完全不同的一篇报道，讲的是天气和交通，与央行无关的内容。</p>", hours: 100)]
            _ = try await store.apply(items: later, source: SourceState(name: "s"), validators: nil, now: Date())
            _ = try await store.assignStories(Self.inputs(later), window: window, now: Date())
            // A reprint at 101 h is more than the window after NW1: a story of its own.
            let outside = [Self.reprint("NW6", outlet: "证券时报", hours: 101)]
            _ = try await store.apply(items: outside, source: SourceState(name: "s"), validators: nil, now: Date())
            #expect(try await store.assignStories(Self.inputs(outside), window: window, now: Date()).founded == 1)
            // A reprint listed late, dated 10 h (before the index's cutoff at 28 h), joins NW1 from the stored rows,
            // and a second one dated 11 h in the same batch joins it through the first.
            let late = [Self.reprint("NW2", outlet: "第一财经", hours: 10), Self.reprint("NW3", outlet: "中国证券报", hours: 11)]
            _ = try await store.apply(items: late, source: SourceState(name: "s"), validators: nil, now: Date())
            #expect(try await store.assignStories(Self.inputs(late), window: window, now: Date()).joined == 2)
            for code in ["NW2", "NW3"] { #expect(try await store.story(of: InfoCode(code)!) == InfoCode("NW1")) }
            #expect(try await store.story(of: InfoCode("NW6")!) == InfoCode("NW6"))
        }
    }

    @Test("a poll's stories are assigned in its own apply; an assignment that fails keeps the poll's items, stored without a story",
          arguments: Backend.allCases)
    func storiesInTheApply(backend: Backend) async throws {
        try await withOpened(backend) { opened in
            let store = opened.store
            func apply(_ items: [IncomingItem]) async throws -> ApplyResult {
                try await store.apply(items: items, source: SourceState(name: "s"), validators: nil,
                                      stories: StoryRequest(inputs: Self.inputs(items), window: 72 * 3600), now: Date())
            }
            let first = try await apply([Self.reprint("NW1", outlet: "新华财经", hours: 0), Self.reprint("NW2", outlet: "证券时报", hours: 1)])
            #expect(first.new == 2 && first.stories.founded == 1 && first.stories.joined == 1 && first.storiesFailure == nil)
            #expect(first.changedSlugs.contains(Category.all.slug))
            #expect(try await store.story(of: InfoCode("NW2")!) == InfoCode("NW1"))
            // The store refuses story rows: the poll is stored all the same, and says why its stories are not.
            switch backend {
            case .sqlite:
                try await opened.execute("CREATE TRIGGER refuse BEFORE INSERT ON itemStory BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
            case .postgres:
                try await opened.execute("""
                    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
                    CREATE TRIGGER refuse BEFORE INSERT ON itemStory FOR EACH ROW EXECUTE FUNCTION refuse();
                    """)
            }
            let refused = try await apply([Self.reprint("NW3", outlet: "第一财经", hours: 2)])
            #expect(refused.new == 1 && refused.stories == StoryAssignment())
            #expect(refused.storiesFailure?.contains("refused by the test") == true, "\(refused.storiesFailure ?? "no failure")")
            #expect(try await store.itemsWithoutStory(limit: 10).map(\.infoCode.rawValue) == ["NW3"])
            #expect(try await store.sourceState(named: "s")?.itemsNew == 1)
            // Let go: the next poll's reprint joins the story (the window index read again), and a rebuild assigns the one left.
            try await opened.execute("DROP TRIGGER refuse\(backend == .postgres ? " ON itemStory" : "")")
            let next = try await apply([Self.reprint("NW4", outlet: "中国证券报", hours: 3)])
            #expect(next.stories.joined == 1 && next.storiesFailure == nil)
            #expect(try await store.assignStories(Self.inputs([Self.reprint("NW3", outlet: "第一财经", hours: 2)]),
                                                  window: 72 * 3600, now: Date()).joined == 1)
            #expect(try await store.storyCounts() == (items: 4, stories: 1))
        }
    }
}
