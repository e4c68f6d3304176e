import FeedTestSupport
import Foundation
import Testing

@Suite("feedd import jekyll, as a user runs it")
struct ImportCLITests {
    @Test("help names the arguments and the exit status")
    func help() async throws {
        let help = try await CLITests.feedd(["import", "jekyll", "--help"]).out
        #expect(help.contains("<DIR>") && help.contains("--config") && help.contains("Exit status"))
        let none = try await CLITests.feedd(["import", "jekyll"])
        #expect(none.status == 64 && none.err.contains("at least one folder"))
    }

    @Test("a skipped file: exit 1 naming it and its line, the rest imported and in the feeds; again: nothing new, exit 0 once fixed")
    func run() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let config = folder.write("config.yaml", """
            site: {title: 财经新闻, url: "http://localhost:8080/", timezone: Asia/Shanghai}
            storage: ./data/feedd.sqlite
            output: ./public
            sources:
              - {name: market, type: json, url: "http://127.0.0.1:9/x", list: record, fields: {id: infoCode, title: title, category: medianame}}
            jekyll: {posts: site/_posts, archive: site/old_post, site_url: //finews.withounder.com/}

            """)
        let sample = "2021-12-29-NW202112292229992448.md"
        _ = folder.write("old/" + sample, Fixtures.text("jekyll/" + sample))
        let broken = folder.write("old/2021-12-28-NW1.md", "---\ntitle: \"他说\"不\"行\"\n---\n<p>x</p>\n")
        let first = try await CLITests.feedd(["import", "jekyll", "--config", config, folder.file("old")])
        #expect(first.status == 1, "\(first.err)")
        let lines = first.out.split(separator: "\n")
        #expect(lines.count == 2, "\(first.out)")
        #expect(lines.first == "skipped: \(broken):2: unreadable front matter: did not find expected key")
        #expect(lines.last?.hasPrefix("imported 1, already present 0, skipped 1; ") == true)
        #expect(FileManager.default.fileExists(atPath: folder.file("public/xinhuacaijing/rss.xml")))
        // 2021 is long past keep_days: the post goes straight to the archive, as the old site had it:
        // the same front matter and links; the body is the normalized one (JekyllSampleTests pins the difference).
        let written = String(decoding: FileManager.default.contents(atPath: folder.file("site/old_post/" + sample)) ?? Data(),
                             as: UTF8.self).components(separatedBy: "\n")
        let original = Fixtures.text("jekyll/" + sample).components(separatedBy: "\n")
        #expect(written.prefix(7) == original.prefix(7))
        #expect(written.suffix(4) == original.suffix(4))

        try FileManager.default.removeItem(atPath: broken)
        let again = try await CLITests.feedd(["import", "jekyll", "--config", config, folder.file("old")])
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out == "imported 0, already present 1, skipped 0; 0 files written\n")
    }
}
