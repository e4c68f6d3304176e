import FeedTestSupport
import Foundation
import Testing

/// `feedd stories rebuild`, run as a user would.
@Suite("feedd stories rebuild")
struct StoriesCLITests {
    @Test("assigns the items stored while stories were off, once; refuses with stories off")
    func rebuild() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let yaml = api.config(storage: "./data/feedd.sqlite", output: "./public")
        let off = folder.write("off.yaml", yaml + "stories: off\n")
        let on = folder.write("on.yaml", yaml)
        #expect(try await CLITests.feedd(["refresh", "--config", off]).status == 0)

        let refused = try await CLITests.feedd(["stories", "rebuild", "--config", off])
        #expect(refused.status == 1 && refused.err.contains("stories are off"), "\(refused.err)")

        let first = try await CLITests.feedd(["stories", "rebuild", "--config", on])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.hasPrefix("stories: 6 items assigned"), "\(first.out)")
        let second = try await CLITests.feedd(["stories", "rebuild", "--config", on])
        #expect(second.status == 0)
        #expect(second.out.hasPrefix("stories: 0 items assigned (0 new stories, 0 joined one)"), "\(second.out)")
    }

    /// One dispatch and a reprint under another code, as RSS items naming their outlet as category.
    static func rss(_ copies: [(code: String, outlet: String, hour: Int)], base: String) -> String {
        let body = """
            <p>新华财经北京12月1日电 中国人民银行有关负责人表示，将围绕科技创新和绿色转型推出18项举措，政策效应将持续显现。截至收盘，上证指数上涨0.85%，报3092.59点。</p>
            <p>中金公司研究报告认为，半导体板块估值处于历史相对低位，储能与光伏方向结构性机会仍然值得关注，宁德时代前三季度营业收入同比增长21.92%。</p>
            """
        let items = copies.map { c in
            """
            <item><title>央行推出18项举措</title><link>\(base)/a/\(c.code).html</link><guid>\(c.code)</guid>
            <pubDate>\(String(format: "Mon, 01 Dec 2025 %02d:00:00 +0800", 8 + c.hour))</pubDate><category>\(c.outlet)</category>
            <content:encoded><![CDATA[\(body)]]></content:encoded></item>
            """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>outlets</title>
            \(items.joined(separator: "\n"))
            </channel></rss>
            """
    }

    @Test("a fresh process finds the stories stored before: a reprint listed later joins the dispatch's entry in all/")
    func restart() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let config = folder.write("config.yaml", api.config(storage: "./data/feedd.sqlite", output: "./public", sources: [], extraSources: """
              - name: outlets
                type: feed
                url: \(api.base)/feeds/outlets.xml
                category_from: item

            """))
        func serve(_ copies: [(code: String, outlet: String, hour: Int)]) {
            api.server.set("/feeds/outlets.xml", .file(Array(Self.rss(copies, base: api.base).utf8), contentType: "application/rss+xml"))
        }
        serve([("NW202512010000000001", "新华财经", 0)])
        let first = try await CLITests.feedd(["refresh", "--config", config])
        #expect(first.status == 0, "\(first.err)")
        serve([("NW202512010000000001", "新华财经", 0), ("NW202512010000000002", "证券时报", 1)])
        let second = try await CLITests.feedd(["refresh", "--config", config])
        #expect(second.status == 0, "\(second.err)")
        let all = try String(contentsOfFile: folder.path + "/public/all/atom.xml", encoding: .utf8)
        #expect(all.components(separatedBy: "<entry>").count - 1 == 1, "\(all)")
        #expect(all.contains("rel=\"related\"") && all.contains("证券时报"))
    }
}
