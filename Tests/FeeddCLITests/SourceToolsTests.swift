import FeedTestSupport
import Foundation
import Testing

/// `feedd discover` and `feedd preview`, run as a user adding a source would:
/// find it, paste the entry, check it, look at what it gives.
@Suite("feedd discover and preview")
struct SourceToolsTests {
    /// A page announcing an RSS and an Atom feed (one link relative, one absolute), the two feeds, a page
    /// announcing nothing, and the news API's JSON lists.
    static func site() throws -> (NewsAPIFixture, FixtureServer) {
        let api = try NewsAPIFixture()
        let pages = try FixtureServer(routes: [
            "/rss.xml": .file(Fixtures.bytes("feeds/rss20-basic.xml"), contentType: "application/rss+xml"),
            "/atom.xml": .file(Fixtures.bytes("feeds/atom10-basic.xml"), contentType: "application/atom+xml"),
            "/plain.html": .file(Array("<html><head><title>x</title></head><body><p>no feeds</p></body></html>".utf8),
                                 contentType: "text/html; charset=utf-8"),
        ]) { request in
            if request.path == "/news/broken.html" {
                let page = """
                    <html><head><link rel="alternate" type="application/rss+xml" title="旧的" href="/gone.xml">
                    <link rel="alternate" type="application/atom+xml" href="/plain.html"></head></html>
                    """
                return .file(Array(page.utf8), contentType: "text/html; charset=utf-8")
            }
            guard request.path == "/news/index.html" else { return .notFound }
            let page = """
                <!DOCTYPE html><html><head><meta charset="utf-8"><title>财经</title>
                <link rel="stylesheet" href="/style.css">
                <link rel="alternate" type="application/rss+xml" title="新华财经 RSS" href="../rss.xml">
                <link rel="Alternate" type="application/atom+xml" href="\(request.headers["host"].map { "http://\($0)" } ?? "")/atom.xml">
                <link rel="alternate" type="application/rss+xml" href="../rss.xml">
                </head><body></body></html>
                """
            return .file(Array(page.utf8), contentType: "text/html; charset=utf-8")
        }
        return (api, pages)
    }

    /// The printed entries pasted under `sources:` of a config that `feedd check` then reads.
    static func check(_ entries: String, api: NewsAPIFixture, folder: TempFolder) async throws -> CLITests.Run {
        let yaml = api.config(storage: "./d.sqlite", output: "./public", sources: [], extraSources: entries + "\n")
        return try await CLITests.feedd(["check", "--config", folder.write("pasted.yaml", yaml)])
    }

    @Test("discover: a page announcing two feeds gives two entries that check accepts, each feed once")
    func page() async throws {
        let (api, pages) = try Self.site()
        let folder = TempFolder()
        defer { api.server.stop(); pages.stop(); folder.remove() }
        let run = try await CLITests.feedd(["discover", pages.baseURL + "/news/index.html", "--config", folder.file("none.yaml")])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("2 sources found"))
        #expect(run.out.contains("url: \"\(pages.baseURL)/rss.xml\""))
        #expect(run.out.contains("url: \"\(pages.baseURL)/atom.xml\""))
        #expect(run.out.contains("category: \"新华财经\"") && run.out.contains("category: \"21世纪经济报道\""))
        #expect(run.out.contains("RSS 0.9x/2.0") && run.out.contains("Atom 1.0"))
        let check = try await Self.check(run.out, api: api, folder: folder)
        #expect(check.status == 0, "\(check.err)")
        #expect(check.out.contains("ok, 2 sources"))
    }

    @Test("discover: an announced feed that cannot be read is still an entry, saying why in its comment")
    func unreadable() async throws {
        let (api, pages) = try Self.site()
        let folder = TempFolder()
        defer { api.server.stop(); pages.stop(); folder.remove() }
        let run = try await CLITests.feedd(["discover", pages.baseURL + "/news/broken.html", "--config", folder.file("none.yaml")])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("2 sources found"))
        let lines = run.out.split(separator: "\n")
        #expect(lines.contains { $0.contains("type: feed") && $0.contains("announced by the page; not read:") && $0.contains("404") },
                "\(run.out)")
        #expect(lines.contains { $0.contains("type: feed") && $0.contains("its answer (text/html; charset=utf-8) is not a feed") },
                "\(run.out)")
        let check = try await Self.check(run.out, api: api, folder: folder)
        #expect(check.status == 0, "\(check.err)")
    }

    @Test("discover: a bare feed and a bare JSON list are recognised as themselves")
    func bare() async throws {
        let (api, pages) = try Self.site()
        let folder = TempFolder()
        defer { api.server.stop(); pages.stop(); folder.remove() }
        let rss = try await CLITests.feedd(["discover", pages.baseURL + "/rss.xml", "--config", folder.file("none.yaml")])
        #expect(rss.status == 0, "\(rss.err)")
        #expect(rss.out.contains("1 source found") && rss.out.contains("type: feed"))
        let json = try await CLITests.feedd(["discover", api.base + "/webapi/market", "--config", folder.file("none.yaml")])
        #expect(json.status == 0, "\(json.err)")
        #expect(json.out.contains("type: json") && json.out.contains("list: \"record\""))
        #expect(json.out.contains("fields: {id: \"infoCode\", title: \"title\", date: \"datetime\", category: \"medianame\"}"),
                "\(json.out)")
        let rolling = try await CLITests.feedd(["discover", api.base + "/webapi/rolling", "--config", folder.file("none.yaml")])
        #expect(rolling.out.contains("summary: \"digest\"") && rolling.out.contains("link: \"url_w\""), "\(rolling.out)")
        // No category field in the rolling list: the entry names a fixed one, so it still checks.
        #expect(rolling.out.contains("category: \""))
        let check = try await Self.check(rss.out + "\n" + json.out + "\n" + rolling.out, api: api, folder: folder)
        #expect(check.status == 0, "\(check.err)")
        #expect(rss.out.contains("- name: rss\n") && json.out.contains("- name: webapi-market\n"), "\(rss.out)\(json.out)")
        #expect(check.out.contains("ok, 3 sources"))
    }

    @Test("discover: a page announcing nothing, or an address that fails, exits 1 saying why")
    func nothing() async throws {
        let (api, pages) = try Self.site()
        let folder = TempFolder()
        defer { api.server.stop(); pages.stop(); folder.remove() }
        let plain = try await CLITests.feedd(["discover", pages.baseURL + "/plain.html", "--config", folder.file("none.yaml")])
        #expect(plain.status == 1)
        #expect(plain.err.contains("announces no feed"), "\(plain.err)")
        let missing = try await CLITests.feedd(["discover", pages.baseURL + "/gone.xml", "--config", folder.file("none.yaml")])
        #expect(missing.status == 1)
        #expect(missing.err.contains("gone.xml: HTTP status 404"), "\(missing.err)")
    }

    @Test("preview: prints each item's id, title, date and zone, category and slug, body; stores nothing")
    func preview() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let config = folder.write("config.yaml", api.config(storage: "./data/feedd.sqlite", output: "./public"))
        let run = try await CLITests.feedd(["preview", "--config", config, "--source", "market"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("NW202112292229992448  截至11月底工行制造业贷款余额超过2万亿元"))
        #expect(run.out.contains("'2021-12-29 15:06:00' → 2021-12-29T15:06:00+08:00 (no zone given: read in site.timezone Asia/Shanghai)"),
                "\(run.out)")
        #expect(run.out.contains("category: 新华财经 → xinhuacaijing"))
        #expect(run.out.contains("body:     <p>"))
        #expect(run.out.contains("4 items shown; nothing stored"))
        // Nothing stored: no store file, no output folder, no validators kept (the next preview asks again in full).
        #expect(!FileManager.default.fileExists(atPath: folder.file("data/feedd.sqlite")))
        #expect(!FileManager.default.fileExists(atPath: folder.file("public")))
        #expect(api.server.requests(to: "/webapi/market").allSatisfy { $0.headers["if-none-match"] == nil })
    }

    @Test("preview: an existing store is left byte for byte as it was")
    func previewLeavesStore() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let config = folder.write("config.yaml", api.config(storage: "./feedd.sqlite", output: "./public", sources: ["market"]))
        #expect(try await CLITests.feedd(["refresh", "--config", config]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("feedd.sqlite") }.sorted()
        let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: folder.file($0))) }
        let run = try await CLITests.feedd(["preview", "--config", config, "--source", "market", "--limit", "2"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.contains("2 items shown"))
        let after = try files.map { try Data(contentsOf: URL(fileURLWithPath: folder.file($0))) }
        #expect(before == after)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("feedd.sqlite") }.sorted() == files)
    }

    @Test("preview: exit 1 with the reason when the source fails; 2 for a source not configured")
    func previewFailure() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let config = folder.write("config.yaml", api.config(storage: "./d.sqlite", output: "./public", sources: ["market", "broken"]))
        let broken = try await CLITests.feedd(["preview", "--config", config, "--source", "broken"])
        #expect(broken.status == 1)
        #expect(broken.out.contains("broken: failed: source 'broken': \(api.base)/webapi/broken: malformed JSON"), "\(broken.out)")
        let unknown = try await CLITests.feedd(["preview", "--config", config, "--source", "nope"])
        #expect(unknown.status == 2 && unknown.err.contains("no source named 'nope'"))
    }
}
