import FeedTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The built binary end to end on `storage: postgres://…` (the tests' own
/// throwaway server) against the loopback fixture APIs: the same feeds as on
/// SQLite, served by the daemon, and an unreachable database said at once.
/// Runs that compare bytes poll one source at a time: two lists naming one new
/// code at once race to store it (the media list carries its own text), and
/// which body wins is the poll order's, not the backend's.
@Suite("feedd end to end on PostgreSQL", .serialized)
struct PostgresEndToEndTests {
    /// Every file under `folder`, by relative path.
    static func files(under folder: String) -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        for relative in FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [] {
            var isFolder: ObjCBool = false
            let path = folder + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            out[relative] = [UInt8](FileManager.default.contents(atPath: path) ?? Data())
        }
        return out
    }

    @Test("refresh: the same feeds, pages and OPML, byte for byte, as on SQLite; a second refresh adds nothing")
    func refreshSameAsSQLite() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        let sqlite = folder.write("sqlite.yaml", api.config(storage: "./data/feedd.sqlite", output: "./public-sqlite", concurrency: 1))
        let postgres = folder.write("postgres.yaml", api.config(storage: "\"\(url)\"", output: "./public-postgres", concurrency: 1))
        let onSQLite = try await CLITests.feedd(["refresh", "--config", sqlite])
        #expect(onSQLite.status == 0, "\(onSQLite.err)")
        let bodiesBefore = api.bodyRequests.count
        let onPostgres = try await CLITests.feedd(["refresh", "--config", postgres])
        #expect(onPostgres.status == 0, "\(onPostgres.err)")
        #expect(onPostgres.out.split(separator: "\n").last == onSQLite.out.split(separator: "\n").last, "\(onPostgres.out)")
        #expect(api.bodyRequests.count - bodiesBefore == bodiesBefore) // each new body once per store

        let a = Self.files(under: folder.file("public-sqlite")), b = Self.files(under: folder.file("public-postgres"))
        #expect(a.count > 20 && Set(a.keys) == Set(b.keys), "\(Set(a.keys).symmetricDifference(b.keys).sorted())")
        let differing = a.keys.filter { a[$0] != b[$0] }.sorted()
        #expect(differing.isEmpty, "\(differing)")

        let again = try await CLITests.feedd(["refresh", "--config", postgres])
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.contains("market: not modified (304)"), "\(again.out)")
        #expect(again.out.contains("0 new, 0 updated, 0 unchanged, 0 errors, 0 files written"), "\(again.out)")
        #expect(api.bodyRequests.count == 2 * bodiesBefore)
        #expect(Self.files(under: folder.file("public-postgres")) == b)
        let status = try await CLITests.feedd(["status", "--config", postgres])
        #expect(status.out.split(separator: "\n").last == "items stored: 6", "\(status.out)")
    }

    @Test("refresh with rules, a topic and Jekyll posts: the same feeds and posts as on SQLite (pages of listed items, stories in all/)")
    func rulesTopicsPostsSameAsSQLite() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        // keep_days: every fixture item (dated 2021) is recent enough for its post to be read and written.
        let extra = { (name: String) in """
            rules:
              - discard: {title: "逆回购"}
              - rewrite: {title: {pattern: "^(.+)$", replace: "【要闻】$1"}}
            topics:
              央行: {match: {text: "央行|人民银行|工行"}}
            jekyll:
              posts: ./\(name)/_posts
              archive: ./\(name)/old_post
              keep_days: 36500
              site_url: //finews.withounder.com/

            """ }
        let sqlite = folder.write("sqlite.yaml", extra("site-sqlite")
            + api.config(storage: "./data/feedd.sqlite", output: "./public-sqlite", concurrency: 1))
        let postgres = folder.write("postgres.yaml", extra("site-postgres")
            + api.config(storage: "\"\(url)\"", output: "./public-postgres", concurrency: 1))
        for config in [sqlite, postgres] {
            let run = try await CLITests.feedd(["refresh", "--config", config])
            #expect(run.status == 0, "\(run.err)")
        }
        for (a, b) in [("public-sqlite", "public-postgres"), ("site-sqlite", "site-postgres")] {
            let left = Self.files(under: folder.file(a)), right = Self.files(under: folder.file(b))
            #expect(!left.isEmpty && Set(left.keys) == Set(right.keys),
                    "\(a): \(Set(left.keys).symmetricDifference(right.keys).sorted()) \(Self.files(under: folder.path).keys.sorted().prefix(40))")
            #expect(left.keys.filter { left[$0] != right[$0] }.isEmpty, "\(a)")
        }
        let topic = String(decoding: Self.files(under: folder.file("public-postgres"))["yangxing/atom.xml"] ?? [], as: UTF8.self)
        #expect(topic.contains("<entry>") && topic.contains("【要闻】") && !topic.contains("逆回购"), "\(topic.prefix(400))")
    }

    @Test("migrate: an SQLite store copied into PostgreSQL, idempotently; a refresh on it adds nothing and renders the same feeds")
    func migrate() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        let sqlite = folder.write("sqlite.yaml", api.config(storage: "./data/feedd.sqlite", output: "./public-sqlite", concurrency: 1))
        let postgres = folder.write("postgres.yaml", api.config(storage: "\"\(url)\"", output: "./public-postgres", concurrency: 1))
        #expect(try await CLITests.feedd(["refresh", "--config", sqlite]).status == 0)
        let bodies = api.bodyRequests.count
        let lists = api.server.requests.count

        let first = try await CLITests.feedd(["migrate", "--config", sqlite, "--to", url])
        #expect(first.status == 0, "\(first.err)")
        let lines = first.out.split(separator: "\n").map(String.init)
        #expect(lines.contains("item: 6 rows read, 6 copied") && lines.contains { $0.hasPrefix("itemStory: 6 rows read, 6 copied") },
                "\(first.out)")
        #expect(lines.contains("httpValidator: 3 rows read, 3 copied") && lines.contains("sourceState: 3 rows read, 3 copied"),
                "\(first.out)")
        let copied = try #require(lines.last)
        #expect(copied.hasPrefix("total: ") && copied.hasSuffix(", 0 already there") && !copied.contains("127.0.0.1:5432/"), "\(copied)")
        let again = try await CLITests.feedd(["migrate", "--config", sqlite, "--to", url])
        #expect(again.status == 0 && again.out.split(separator: "\n").last?.hasPrefix("total: 0 rows copied") == true, "\(again.out)")

        // Both stores say the same, source by source.
        let statusSQLite = try await CLITests.feedd(["status", "--config", sqlite])
        let statusPostgres = try await CLITests.feedd(["status", "--config", postgres])
        // (PostgreSQL adds the cluster's lease table, a header and a line per source, before the item count.)
        var postgresLines = statusPostgres.out.split(separator: "\n").map(String.init)
        if let leases = postgresLines.firstIndex(where: { $0.hasPrefix("source\tlease holder") }) {
            postgresLines.removeSubrange(leases..<min(leases + 4, postgresLines.count))
        }
        #expect(statusPostgres.status == 0 && postgresLines == statusSQLite.out.split(separator: "\n").map(String.init),
                "\(statusPostgres.out)\n\(statusSQLite.out)")

        // A refresh on the copy: every list answers 304 (the validators came along), nothing new, no body fetched;
        // rendered from the copy, every feed, page and OPML file has the SQLite store's bytes.
        let refresh = try await CLITests.feedd(["refresh", "--config", postgres])
        #expect(refresh.status == 0, "\(refresh.err)")
        #expect(refresh.out.contains(", 0 new, 0 updated, 0 unchanged, 0 errors"), "\(refresh.out)")
        #expect(refresh.out.split(separator: "\n").filter { $0.contains("not modified (304)") }.count == 3, "\(refresh.out)")
        #expect(api.bodyRequests.count == bodies && api.server.requests.count == lists + 3)
        let a = Self.files(under: folder.file("public-sqlite")), b = Self.files(under: folder.file("public-postgres"))
        #expect(a.count > 20 && Set(a.keys) == Set(b.keys) && a.keys.filter { a[$0] != b[$0] }.isEmpty,
                "\(a.keys.filter { a[$0] != b[$0] }.sorted())")

        let wrong = try await CLITests.feedd(["migrate", "--config", sqlite, "--to", "postgres://127.0.0.1/x"])
        #expect(wrong.status == 2 && wrong.err.contains("no user"), "\(wrong.err)")
        let onPostgres = try await CLITests.feedd(["migrate", "--config", postgres, "--to", url])
        #expect(onPostgres.status == 2 && onPostgres.err.contains("already PostgreSQL"), "\(onPostgres.err)")
    }

    @Test("import jekyll, stories rebuild and renormalize on PostgreSQL: the same lines and the same files as on SQLite")
    func commandsSameAsSQLite() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let url = try await TestPostgres.shared().freshDatabase()
        let sample = "2021-12-29-NW202112292229992448.md"
        _ = folder.write("old/" + sample, Fixtures.text("jekyll/" + sample))
        _ = folder.write("old/2021-12-28-NW202112282229990001.md", Fixtures.text("jekyll/" + sample)
            .replacingOccurrences(of: "NW202112292229992448", with: "NW202112282229990001"))
        func config(_ name: String, storage: String, stories: Bool) -> String {
            folder.write(name + (stories ? "" : "-off") + ".yaml", (stories ? "" : "stories: off\n")
                + "jekyll: {posts: \(name)-site/_posts, archive: \(name)-site/old_post, site_url: //finews.withounder.com/}\n"
                + api.config(storage: storage, output: "./\(name)-public", concurrency: 1))
        }
        var outputs: [String: [String]] = [:]
        for (name, storage) in [("sqlite", "./data/feedd.sqlite"), ("postgres", "\"\(url)\"")] {
            let off = config(name, storage: storage, stories: false), on = config(name, storage: storage, stories: true)
            for args in [["import", "jekyll", "--config", off, folder.file("old")], ["refresh", "--config", off],
                         ["stories", "rebuild", "--config", on], ["stories", "rebuild", "--config", on],
                         ["renormalize", "--all", "--config", on]] {
                let run = try await CLITests.feedd(args)
                #expect(run.status == 0, "\(name) \(args[0]): \(run.err)")
                outputs[name, default: []].append(args.prefix(2).joined(separator: " ") + " → " + run.out)
            }
        }
        #expect(outputs["postgres"] == outputs["sqlite"], "\(outputs["postgres"] ?? [])")
        let rebuilt = try #require(outputs["postgres"]?[2])
        #expect(rebuilt.contains("stories: 7 items assigned") && !rebuilt.contains(" 0 files written"), "\(rebuilt)")
        #expect(outputs["postgres"]?[3].contains("stories: 0 items assigned") == true)
        #expect(outputs["postgres"]?[4].contains("7 items examined, 0 bodies changed") == true, "\(outputs["postgres"] ?? [])")
        for (a, b, least) in [("sqlite-public", "postgres-public", 20), ("sqlite-site", "postgres-site", 2)] {
            let left = Self.files(under: folder.file(a)), right = Self.files(under: folder.file(b))
            #expect(left.count >= least && Set(left.keys) == Set(right.keys) && left.keys.filter { left[$0] != right[$0] }.isEmpty,
                    "\(a): \(left.keys.filter { left[$0] != right[$0] }.sorted())")
        }
    }

    @Test("run: the daemon polls into PostgreSQL and serves the feeds; /healthz reports the database connection")
    func runServes() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let server = try await TestPostgres.shared()
        let url = try await server.freshDatabase()
        let config = folder.write("config.yaml", api.config(storage: "\"\(url)\"", output: "./public")
            .replacingOccurrences(of: "  interval: 60s\n", with: "  interval: 1s\n") + "server:\n  listen: 127.0.0.1:0\n")
        let daemon = try SpawnedProcess(CLITests.binary, ["run", "--config", config], folder: folder.path)
        defer { daemon.kill() }
        let port = try #require(await Self.port(of: daemon), "\(daemon.stderr)")
        let atom = folder.file("public/xinhuacaijing/atom.xml")
        #expect(await eventually(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: folder.file("public/opml.xml"))
            && FileManager.default.fileExists(atPath: atom) }, "\(daemon.stderr)")
        // The file on disk as served: the daemon may render it again between a request and a read
        // (a poll every second), so the two are compared when the file was the same before and after.
        var served = try await RawHTTP.request(port: port, "/xinhuacaijing/atom.xml")
        #expect(try await eventually(timeout: .seconds(10)) {
            let before = FileManager.default.contents(atPath: atom)
            served = try await RawHTTP.request(port: port, "/xinhuacaijing/atom.xml")
            let after = FileManager.default.contents(atPath: atom)
            return before == after && served.body == [UInt8](after ?? Data())
        }, "\(served.status)")
        #expect(served.status == 200 && served.text.contains("<entry>"))

        let healthy = try await RawHTTP.request(port: port, "/healthz")
        #expect(healthy.status == 200, "\(healthy.text)")
        let database = try #require(try Self.json(healthy.body)["database"] as? [String: Any])
        #expect(database["backend"] as? String == "postgresql" && database["status"] as? String == "ok", "\(healthy.text)")
        #expect((database["location"] as? String)?.contains("127.0.0.1:\(server.port)") == true)

        // The database refuses connections (as a server going down does): /healthz says so, with the reason, at once.
        let name = try #require(url.split(separator: "/").last?.split(separator: "?").first.map(String.init))
        try await server.psql("ALTER DATABASE \(name) ALLOW_CONNECTIONS false")
        try await server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'")
        let started = ContinuousClock.now
        let down = try await RawHTTP.request(port: port, "/healthz")
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(down.status == 503, "\(down.text)")
        let reported = try Self.json(down.body)
        let downDatabase = try #require(reported["database"] as? [String: Any])
        #expect(reported["status"] as? String == "unavailable" && downDatabase["status"] as? String == "unavailable", "\(down.text)")
        #expect((downDatabase["error"] as? String)?.contains("127.0.0.1:\(server.port)") == true, "\(down.text)")
        try await server.psql("ALTER DATABASE \(name) ALLOW_CONNECTIONS true")
        #expect(await eventually(timeout: .seconds(20)) { (try? await RawHTTP.request(port: port, "/healthz").status) == 200 })

        daemon.signal(SIGTERM)
        #expect(await daemon.wait(timeout: .seconds(20)) == 0, "\(daemon.stderr)")
    }

    @Test("an unreachable database: refresh and run fail within seconds, naming host:port; nothing is written")
    func unreachable() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let port = try Self.closedPort()
        let config = folder.writePostgresConfig(storage: "postgres://feedd@127.0.0.1:\(port)/feedd?sslmode=disable", sources: ["a"])
        for command in ["refresh", "run", "status", "renormalize"] {
            let started = ContinuousClock.now
            let run = try await CLITests.feedd([command, "--config", config])
            #expect(ContinuousClock.now - started < .seconds(20), "\(command)")
            #expect(run.status == 1, "\(command): \(run.err)")
            #expect(run.err.contains("127.0.0.1:\(port)") && run.err.contains("cannot be reached"), "\(command): \(run.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.file("public")))
    }

    /// A loopback port nothing listens on (bound, then closed).
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The port the daemon says it serves on (bounded wait).
    static func port(of daemon: SpawnedProcess) async -> Int? {
        var found: Int?
        _ = await eventually(timeout: .seconds(30)) {
            guard let range = daemon.stderr.range(of: #"on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) else { return false }
            found = Int(daemon.stderr[range].split(separator: ":").last ?? "")
            return found != nil
        }
        return found
    }

    static func json(_ body: [UInt8]) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
    }
}
