import FeedModel
import FeedStore
import Foundation
import Testing

/// The contract, both backends: what rules, topics, the Jekyll posts and `feedd renormalize` read and write.
extension StoreContractTests {
    @Test("items by code: in the order asked, unknown codes left out, each with its categories", arguments: Backend.allCases)
    func itemsByCode(backend: Backend) async throws {
        try await with(backend) { store in
            _ = try await store.apply(items: [Self.item("NW1", categories: ["新华财经", "要闻"]), Self.item("NW2")],
                                      source: SourceState(name: "a"), validators: nil, now: Date())
            let items = try await store.items([InfoCode("NW2")!, InfoCode("NW9")!, InfoCode("NW1")!])
            #expect(items.map(\.infoCode.rawValue) == ["NW2", "NW1"])
            #expect(items[1].categories.map(\.name).sorted() == ["新华财经", "要闻"])
            #expect(items[1].body == "<p>正文</p>" && items[1].summary == "摘要 <not html> & 'quotes'")
            #expect(try await store.items([]).isEmpty)
        }
    }

    @Test("item pages: newest first, ties by code, a cursor that resumes exactly, listings per item", arguments: Backend.allCases)
    func itemPages(backend: Backend) async throws {
        try await with(backend) { store in
            // Fractional times: the cursor must compare what is stored, not a rounded copy.
            let items = (0..<7).map { Self.item("NW\($0)", categories: $0 % 2 == 0 ? ["新华财经"] : ["要闻"],
                                                published: 1_640_761_560.123 + Double($0 / 2)) }
            _ = try await store.apply(items: items, source: SourceState(name: "b"), validators: nil, now: Date())
            _ = try await store.apply(items: [items[6]], source: SourceState(name: "a"), validators: nil, now: Date())
            var codes: [String] = []
            var sources: [String: [String]] = [:]
            var cursor: FeedStore.PageCursor?
            var pages = 0
            repeat {
                let page = try await store.itemPage(in: Category.all.slug, after: cursor, limit: 3)
                codes += page.items.map(\.item.infoCode.rawValue)
                for listed in page.items { sources[listed.item.infoCode.rawValue] = listed.sources }
                cursor = page.next
                pages += 1
            } while cursor != nil && pages < 10
            #expect(codes == ["NW6", "NW5", "NW4", "NW3", "NW2", "NW1", "NW0"])
            #expect(pages == 3)
            #expect(sources["NW6"] == ["a", "b"] && sources["NW0"] == ["b"])
            let yaowen = try await store.itemPage(in: Slug.derive(from: "要闻").slug, after: nil, limit: 10)
            #expect(yaowen.items.map(\.item.infoCode.rawValue) == ["NW5", "NW3", "NW1"] && yaowen.next == nil)
            #expect(yaowen.items[0].item.categories.map(\.name) == ["要闻"])
            let listed = try await store.listingSources(of: [InfoCode("NW6")!, InfoCode("NW1")!, InfoCode("NW9")!])
            #expect(listed == [InfoCode("NW6")!: ["a", "b"], InfoCode("NW1")!: ["b"]])
            #expect(try await store.listingSources(of: []).isEmpty)
        }
    }

    @Test("raw bodies of older normalizers, page by page; replaced bodies keep their dates and name their feeds", arguments: Backend.allCases)
    func renormalizing(backend: Backend) async throws {
        try await with(backend) { store in
            let items = [Self.item("NW1"), Self.item("NW2", categories: ["要闻"]), Self.item("NW3")]
            _ = try await store.apply(items: items, source: SourceState(name: "a"), validators: nil, now: Date())
            #expect(try await store.rawBodies(olderThan: 3, all: false, after: "", limit: 10).isEmpty)
            let older = try await store.rawBodies(olderThan: 4, all: false, after: "", limit: 2)
            #expect(older.map(\.infoCode.rawValue) == ["NW1", "NW2"] && older[0].raw == "raw:<p>正文</p>")
            #expect(older[0].link == "https://example.com/NW1")
            #expect(try await store.rawBodies(olderThan: 4, all: false, after: "NW2", limit: 2).map(\.infoCode.rawValue) == ["NW3"])
            let before = try await store.renderState().contentVersion
            let result = try await store.replaceBodies([(InfoCode("NW2")!, "<p>新正文</p>", nil, 4),
                                                         (InfoCode("NW1")!, "<p>正文</p>", "新华社", 4)])
            #expect(result.changed == 1)
            #expect(result.slugs == [Slug.derive(from: "要闻").slug, Category.all.slug])
            #expect(try await store.renderState().contentVersion > before)
            let nw2 = try #require(try await store.item(InfoCode("NW2")!))
            #expect(nw2.body == "<p>新正文</p>" && nw2.outlet == "新华财经" && nw2.updated == items[1].published)
            // Both are this version's now, changed or not; NW3 is still older.
            #expect(try await store.rawBodies(olderThan: 4, all: false, after: "", limit: 10).map(\.infoCode.rawValue) == ["NW3"])
            #expect(try await store.rawBodies(olderThan: 0, all: true, after: "", limit: 10).count == 3)
            let unchanged = try await store.renderState().contentVersion
            #expect(try await store.replaceBodies([(InfoCode("NW2")!, "<p>新正文</p>", nil, 4)]).changed == 0)
            #expect(try await store.renderState().contentVersion == unchanged)
        }
    }

    @Test("a long list in one apply; a list naming a code twice takes the second record after the first", arguments: Backend.allCases)
    func applyManyAndTwice(backend: Backend) async throws {
        try await with(backend) { store in
            let many = (0..<1200).map { Self.item(String(format: "NW%05d", $0), categories: $0 % 3 == 0 ? ["要闻", "新华财经"] : ["新华财经"],
                                                  published: 1_640_761_560 + Double($0)) }
            let first = try await store.apply(items: many, source: SourceState(name: "a"), validators: nil, now: Date())
            #expect(first.new == 1200 && first.updated == 0 && first.unchanged == 0)
            #expect(try await store.itemCount() == 1200)
            #expect(try await store.categories().map(\.itemCount) == [1200, 400])
            var changed = many.map { var i = $0; i.body = nil; return i }
            changed[7].title = "改了"
            let second = try await store.apply(items: changed, source: SourceState(name: "b"), validators: nil, now: Date())
            #expect(second.new == 0 && second.updated == 1 && second.unchanged == 1199)
            #expect(try await store.listingSources(of: [InfoCode("NW00007")!]) == [InfoCode("NW00007")!: ["a", "b"]])
            let twice = try await store.apply(items: [Self.item("NX1", title: "一"), Self.item("NX1", title: "二", body: nil)],
                                              source: SourceState(name: "a"), validators: nil, now: Date())
            #expect(twice.new == 1 && twice.updated == 1 && twice.unchanged == 0)
            #expect(try await store.item(InfoCode("NX1")!)?.title == "二")
            #expect(try await store.item(InfoCode("NX1")!)?.body == "<p>正文</p>")
        }
    }

    @Test("the store answers a ping", arguments: Backend.allCases)
    func ping(backend: Backend) async throws {
        try await with(backend) { store in try await store.ping() }
    }
}
