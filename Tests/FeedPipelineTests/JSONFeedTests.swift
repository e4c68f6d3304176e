import FeedConfig
@testable import FeedNormalize
import FeedPipeline
import FeedTestSupport
import Foundation
import Testing

/// `feed.json` (JSON Feed 1.1) beside every category's RSS and Atom files,
/// checked from the reader's side: Python's jsonschema and json modules, and
/// libxml2's HTML parser over what the JSON carries.
@Suite("JSON Feed 1.1 output, end to end over loopback")
struct JSONFeedTests {
    /// The category folders of an output (those with an Atom feed).
    static func categoryFolders(_ output: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: "\(output)/\($0)/atom.xml") }.sorted()
    }

    static func refreshAllKinds(_ h: PipelineHarness) async throws -> Config {
        FeedSourceRefreshTests.serveFeed(h)
        let config = try h.config(["market", "media", "rolling"], extra: FeedSourceRefreshTests().feedSource(h))
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")
        return config
    }

    /// Runs `Fixtures/jsonfeed/check_jsonfeed.py` over `output`, at most 60 s.
    static func pythonCheck(_ output: String, in folder: TempFolder) async throws -> (status: Int32?, stdout: String) {
        let script = Fixtures.url("jsonfeed/check_jsonfeed.py").path
        let process = try SpawnedProcess("/usr/bin/env", ["python3", script, output], folder: folder.path)
        let status = await process.wait(timeout: .seconds(60))
        if status == nil { process.kill() }
        return (status, process.stdout + process.stderr)
    }

    @Test("every category's feed.json validates against the JSON Feed 1.1 schema and reads into what its Atom feed says")
    func schemaAndAtomAgree() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        _ = try await Self.refreshAllKinds(h)
        let folders = Self.categoryFolders(h.output)
        #expect(folders.contains("all") && folders.contains("dongfangcaifu") && folders.count >= 5, "\(folders)")
        let (status, output) = try await Self.pythonCheck(h.output, in: h.folder)
        #expect(status == 0, "\(output)")
        let summary = output.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("checked \(folders.count) feeds, "), "\(output)")
        let items = Int(summary.split(separator: " ").dropFirst(3).first ?? "") ?? 0
        #expect(items > folders.count, "\(output)")
    }

    @Test("the checker is not blind: a feed.json that drifts from the Atom feed or the schema fails it")
    func checkerCatchesDrift() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        _ = try await Self.refreshAllKinds(h)
        let path = h.output + "/all/feed.json"
        var feed = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var items = try #require(feed["items"] as? [[String: Any]])
        items.swapAt(0, 1)
        items[0]["content"] = "not a JSON Feed key"
        feed["items"] = items
        try JSONSerialization.data(withJSONObject: feed).write(to: URL(fileURLWithPath: path))
        let (status, output) = try await Self.pythonCheck(h.output, in: h.folder)
        #expect(status == 1, "\(output)")
        #expect(output.contains("all/feed.json: schema: items/0"), "\(output)")
        #expect(output.contains("all: item ids or their order differ"), "\(output)")
    }

    @Test("feed.json is written only when its bytes change; the index page announces it for every category")
    func stableAndAnnounced() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        let config = try await Self.refreshAllKinds(h)
        let path = h.output + "/all/feed.json"
        let before = try FileManager.default.attributesOfItem(atPath: path)
        let again = try await h.pipeline(config).render()
        #expect(again.filesWritten == 0 && again.errors.isEmpty)
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(before[.systemFileNumber] as? Int == after[.systemFileNumber] as? Int)
        #expect(before[.modificationDate] as? Date == after[.modificationDate] as? Date)

        let index = try XMLCheck.parse([UInt8](FileManager.default.contents(atPath: h.output + "/index.html") ?? Data())).get()
        let announced = index.strings("//link[@rel='alternate'][@type='application/feed+json']/@href")
        let folders = Self.categoryFolders(h.output)
        #expect(Set(announced) == Set(folders.map { "http://localhost:8080/\($0)/feed.json" }), "\(announced)")
    }

    // MARK: hostile upstream text

    /// An RSS feed whose titles, summaries and bodies are attacks.
    static func hostileFeed(base: String) -> String {
        let bodies = [
            "<p>前</p><script>alert(1)</script><p>后 &lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</p>",
            "<img src=x onerror=alert(1)><a href=\"javascript:alert(1)\">链接</a><iframe src=\"https://evil/\"></iframe>",
            "<svg><script>alert(1)</script></svg><math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
            "<p style=\"background:url(javascript:alert(1))\" onclick=\"alert(1)\">样式</p><!-- comment --><form><input></form>",
            "<p>分行\u{2028}符\u{2029}与控制</p><object data=\"x\"></object><a href=\"https://ok.example/?a=1&amp;b=</script>\">好</a>",
        ]
        let titles = [
            "<script>alert('t')</script>标题一",
            "&lt;img src=x onerror=alert(1)&gt;标题二",
            "标题\u{2028}三 \"引号\" \\ 反斜杠",
            "<![CDATA[</script><b>粗</b>]]>标题四",
            "标题五 &amp; <i onmouseover=alert(1)>斜</i>",
        ]
        var items = ""
        for (i, (title, body)) in zip(titles, bodies).enumerated() {
            let escapedTitle = title.hasPrefix("<![CDATA[") ? title : title.replacingOccurrences(of: "<", with: "&lt;")
            items += """
                <item><title>\(escapedTitle)</title><link>\(base)/h/\(i).html</link><guid>hostile-\(i)</guid>
                <pubDate>Wed, 29 Dec 2021 15:0\(i):00 +0800</pubDate>
                <description><![CDATA[摘要 \(body)]]></description>
                <content:encoded><![CDATA[\(body)]]></content:encoded></item>

                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>hostile</title>
            \(items)</channel></rss>
            """
    }

    /// What the normalizer's allowlist keeps, plus what the writers add (`a rel`, `img referrerpolicy`).
    static let allowlist: [String: Set<String>] = {
        var allowed: [String: Set<String>] = [:]
        for rule in Allowlist.rules where rule.action == .keep { allowed[rule.name] = Set(rule.attributes.map(\.name)) }
        allowed["a", default: []].insert("rel")
        allowed["img", default: []].insert("referrerpolicy")
        return allowed
    }()

    @Test("hostile titles, summaries and bodies: the JSON is exact, content_html holds only the allowlist, plain text no markup")
    func hostile() async throws {
        let h = try PipelineHarness()
        defer { h.tearDown() }
        h.api.server.set("/feeds/hostile.xml", .file(Array(Self.hostileFeed(base: h.api.base).utf8), contentType: "application/rss+xml"))
        let config = try h.config([], extra: """
              - name: hostile
                type: feed
                url: \(h.api.base)/feeds/hostile.xml
                category: 攻击

            """)
        let report = try await h.pipeline(config).refresh(config.sources)
        #expect(report.exitCode == 0, "\(report.sources.map(\.line))")

        for folder in Self.categoryFolders(h.output) {
            let raw = [UInt8](FileManager.default.contents(atPath: "\(h.output)/\(folder)/feed.json") ?? Data())
            let text = String(decoding: raw, as: UTF8.self)
            // Exact escaping: no raw control but the layout's newlines, no raw U+2028/2029, nothing that ends a <script>.
            #expect(!raw.contains { $0 < 0x20 && $0 != 0x0A })
            #expect(!text.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" })
            #expect(!text.contains("</") && !text.lowercased().contains("<!--"))
            let feed = try #require(try JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any])
            let items = try #require(feed["items"] as? [[String: Any]])
            #expect(items.count == 5, "\(folder)")
            #expect(items.filter { $0["content_html"] != nil }.count >= 4)
            for item in items {
                let id = item["id"] as? String ?? "?"
                // A body the normalizer emptied (all of it was SVG and MathML) leaves the plain summary as content_text.
                let html = item["content_html"] as? String
                #expect(html != nil || item["content_text"] is String, "\(id) has no content")
                if let html {
                    #expect(!html.isEmpty)
                    let problems = HTMLCheck.problems(in: html, allowed: Self.allowlist)
                    #expect(problems.isEmpty, "\(folder) \(id): \(problems) in \(html)")
                }
                for key in ["title", "summary", "content_text"] where key != "content_text" || html == nil {
                    let value = try #require(item[key] as? String, "\(id) has no \(key)")
                    let plain = HTMLCheck.plainTextProblems(in: value)
                    #expect(plain.isEmpty, "\(folder) \(id) \(key): \(plain) in \(value)")
                }
            }
            // Quotes and backslashes survive decoding exactly (the title's U+2028 is whitespace to the title reader: one space).
            #expect(items.contains { ($0["title"] as? String) == "标题 三 \"引号\" \\ 反斜杠" }, "\(items.map { $0["title"] ?? "" })")
        }
    }
}
