import FeedTestSupport
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Three `feedd run` processes (the built binary) on one PostgreSQL (the tests'
/// own throwaway server), one `config.yaml` each with the same bytes, against
/// thirty JSON lists on the loopback fixture server: the lists are polled about
/// once per interval in all, each new body is requested once, and the three
/// output folders (and what the nodes serve, with its ETag) are byte-identical
/// within seconds of each change; a node killed in the middle of a poll loses
/// its sources to the others within the lease time, and no item is lost or
/// stored twice.
@Suite("three feedd nodes on one PostgreSQL", .serialized)
struct ClusterNodesTests {
    static let sourceCount = 30
    static let slugs = ["alpha", "beta", "gamma"]

    /// Thirty lists whose items the test changes, and their bodies (`/body?id=CODE`); `slow` bodies answer late.
    final class World: Sendable {
        let server: FixtureServer
        private let listed = Mutex<[[String]]>(Array(repeating: [], count: ClusterNodesTests.sourceCount))
        /// Codes whose bodies answer after 3 s.
        let slow = Codes()

        final class Codes: Sendable {
            private let value = Mutex<Set<String>>([])
            func set(_ codes: Set<String>) { value.withLock { $0 = codes } }
            func contains(_ code: String) -> Bool { value.withLock { $0.contains(code) } }
        }

        init() throws {
            let slow = self.slow
            server = try FixtureServer { request in
                guard request.path == "/body",
                      let id = URLComponents(string: request.target)?.queryItems?.first(where: { $0.name == "id" })?.value
                else { return .notFound }
                var response = FixtureServer.Response.json(#"{"text": "<p>The body of \#(id).</p>"}"#)
                if slow.contains(id) { response.delay = 3 }
                return response
            }
            server.set("/hub", FixtureServer.Response(status: 204))
        }

        /// Wave `wave` adds to list `i` a code of its own and one it shares with its neighbour (same instant).
        func add(wave: Int, extra: [Int: String] = [:]) {
            let lists = listed.withLock { lists -> [[String]] in
                for i in lists.indices {
                    lists[i] += ["W\(wave)-\(i)", "W\(wave)-P\(i / 2)"] + (extra[i].map { [$0] } ?? [])
                }
                return lists
            }
            publish(lists)
        }

        /// List `i` gains `code`; the other lists stay as they are.
        func add(_ code: String, to i: Int) {
            publish(listed.withLock { lists in
                lists[i].append(code)
                return lists
            })
        }

        private func publish(_ lists: [[String]]) {
            for (i, codes) in lists.enumerated() {
                let records = codes.enumerated().map { n, code in
                    #"{"id": "\#(code)", "title": "item \#(code)", "date": "2021-12-29 \#(String(format: "%02d", 8 + n / 60)):\#(String(format: "%02d", n % 60)):00"}"#
                }
                server.set("/list/\(i)", .json(#"{"record": [\#(records.joined(separator: ","))]}"#))
            }
        }

        /// Every code listed so far.
        var codes: Set<String> { Set(listed.withLock { $0.joined() }) }
        /// The category slug of list `i`.
        static func slug(of i: Int) -> String { ClusterNodesTests.slugs[i % 3] }

        /// The one config.yaml every node runs with (relative paths: each node's folder).
        func config(jekyll: Bool = false, websub: Bool = false) async throws -> String {
            let url = try await TestPostgres.shared().freshDatabase()
            var yaml = jekyll ? "jekyll: {posts: ./site/_posts, keep_days: 36500, site_url: //example.test/}\n" : ""
            if websub { yaml += "websub: {hub: \"\(server.baseURL)/hub\"}\n" }
            yaml += """
                site: {title: Cluster, url: "http://localhost:8080/", language: en, timezone: UTC}
                storage: "\(url)"
                output: ./public
                feeds: {items: 200}
                poll: {interval: 1s, concurrency: 8, timeout: 5s, user_agent: feedd-test/1}
                server: {listen: "127.0.0.1:0"}
                categories:
                  Alpha: {slug: alpha}
                  Beta: {slug: beta}
                  Gamma: {slug: gamma}
                sources:

                """
            for i in 0..<ClusterNodesTests.sourceCount {
                yaml += """
                      - name: s\(i)
                        type: json
                        url: \(server.baseURL)/list/\(i)
                        list: record
                        fields: {id: id, title: title, date: date}
                        category: \(["Alpha", "Beta", "Gamma"][i % 3])
                        body: {url: "\(server.baseURL)/body?id={id}", field: text}
                        link: "http://example.test/a/{id}"

                    """
            }
            return yaml
        }
    }

    /// A running node: its process, folder and port.
    struct Node {
        var process: SpawnedProcess
        var folder: String
        var port: Int
        var output: [String: [UInt8]] { PostgresEndToEndTests.files(under: folder + "/public") }
    }

    static func start(_ count: Int, config: String, in folder: TempFolder) async throws -> [Node] {
        var nodes: [Node] = []
        for n in 0..<count {
            let path = folder.write("node\(n)/config.yaml", config)
            let process = try SpawnedProcess(CLITests.binary, ["run", "--config", path], folder: folder.file("node\(n)"))
            nodes.append(Node(process: process, folder: folder.file("node\(n)"), port: 0))
        }
        for n in nodes.indices {
            guard let port = await PostgresEndToEndTests.port(of: nodes[n].process) else {
                for node in nodes { node.process.kill() }
                throw NodeError(message: "node \(n) did not listen: \(nodes[n].process.stderr)")
            }
            nodes[n].port = port
        }
        return nodes
    }

    struct NodeError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// Whether every node's output folder has the same bytes and every code in `codes` is in its category's feed.
    static func converged(_ nodes: [Node], codes: Set<String>) -> Bool {
        let outputs = nodes.map(\.output)
        guard let first = outputs.first, outputs.allSatisfy({ $0 == first }) else { return false }
        let feeds = slugs.map { String(decoding: first["\($0)/atom.xml"] ?? [], as: UTF8.self) }.joined()
        return codes.allSatisfy { feeds.contains("item \($0)<") }
    }

    /// How often each code's body was requested.
    static func bodyRequests(_ world: World) -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in world.server.requests(to: "/body") {
            let id = URLComponents(string: request.target)?.queryItems?.first(where: { $0.name == "id" })?.value ?? "?"
            counts[id, default: 0] += 1
        }
        return counts
    }

    /// Checks each node serves the same bytes with the same ETag, every feed valid, each item in it once.
    /// (A code two lists share may still be gaining the second list's category, polled again after the claim it lost:
    /// asked again until they agree.)
    static func checkServed(_ nodes: [Node], world: World) async throws {
        for slug in slugs {
            var answers: [(body: [UInt8], etag: String?)] = []
            let agreed = try await eventually(timeout: .seconds(20)) {
                answers = []
                for node in nodes {
                    let served = try await RawHTTP.request(port: node.port, "/\(slug)/atom.xml")
                    guard served.status == 200 else { return false }
                    answers.append((served.body, served.headers["etag"]))
                }
                return answers.allSatisfy { $0.body == answers[0].body && $0.etag == answers[0].etag && $0.etag != nil }
            }
            #expect(agreed, "\(slug): \(answers.map(\.etag)); on disk: \(nodes.map { $0.output["\(slug)/atom.xml"].map { "\"\(FixtureServer.hash($0))\"" } ?? "-" })")
            #expect(XMLCheck.atomSchemaErrors(answers[0].body).isEmpty, "\(slug)")
            let text = String(decoding: answers[0].body, as: UTF8.self)
            let mine = world.codes.filter { code in
                (0..<sourceCount).contains { i in World.slug(of: i) == slug && code.hasSuffix("-\(i)") }
            }
            for code in mine {
                #expect(text.components(separatedBy: "<title type=\"text\">item \(code)</title>").count == 2, "\(slug): \(code) not once")
            }
        }
    }

    @Test("30 sources, 1 s interval, lists that change: each list polled about once per interval in all, each body once, the same bytes on every node")
    func threeNodes() async throws {
        let world = try World()
        let folder = TempFolder()
        defer { world.server.stop(); folder.remove() }
        world.add(wave: 0)
        let config = try await world.config(jekyll: true)
        let nodes = try await Self.start(3, config: config, in: folder)
        defer { for node in nodes { node.process.kill() } }
        let log = { nodes.map { "--- node \($0.port)\n" + String($0.process.stderr.suffix(3000)) }.joined(separator: "\n") }
        #expect(await eventually(timeout: .seconds(30)) { Self.converged(nodes, codes: world.codes) }, "\(log())")

        // A quiet window: how often the lists are asked for, all nodes together.
        world.server.clearLog()
        let window = 5.0
        try await Task.sleep(for: .seconds(window))
        let polls = (0..<Self.sourceCount).map { world.server.requests(to: "/list/\($0)").count }
        let total = polls.reduce(0, +)
        // Once per interval (1 s plus jitter, plus the poll) is about 4–5 in 5 s; three nodes each polling would be 3×.
        #expect(polls.allSatisfy { $0 >= 2 && $0 <= 8 }, "\(polls)")
        #expect(total <= Self.sourceCount * 7 && total >= Self.sourceCount * 2, "\(total): \(polls)")

        for wave in 1...2 {
            let changed = ContinuousClock.now
            world.add(wave: wave)
            #expect(await eventually(timeout: .seconds(20)) { Self.converged(nodes, codes: world.codes) }, "wave \(wave): \(log())")
            let took = ContinuousClock.now - changed
            #expect(took < .seconds(10), "wave \(wave): the nodes agreed after \(took)")
            try await Self.checkServed(nodes, world: world)
        }
        // Each body once across the three nodes, the shared codes (two lists at once) too.
        let bodies = Self.bodyRequests(world)
        #expect(Set(bodies.keys) == world.codes.subtracting(Self.waveZero) && bodies.values.allSatisfy { $0 == 1 },
                "\(bodies.filter { $0.value != 1 })")

        // Jekyll posts: written by one node only, the writer lock's holder (a post per item).
        let posts = nodes.map { (try? FileManager.default.contentsOfDirectory(atPath: $0.folder + "/site/_posts")) ?? [] }
        #expect(posts.filter { !$0.isEmpty }.count == 1 && posts.map(\.count).max() == world.codes.count,
                "\(posts.map(\.count)) posts per node, \(world.codes.count) items")

        // SIGHUP with s29 gone from every node's config: the shared table no longer has it due; the rest go on.
        let parts = config.components(separatedBy: "  - name: s29\n")
        #expect(parts.count == 2)
        let without = parts[0]
        for node in nodes {
            _ = folder.write(String(node.folder.dropFirst(folder.path.count + 1)) + "/config.yaml", without)
            node.process.signal(SIGHUP)
        }
        #expect(await eventually(timeout: .seconds(15)) { nodes.allSatisfy { $0.process.stderr.contains("reloaded ") } }, "\(log())")
        try await Task.sleep(for: .seconds(2)) // a poll of s29 already leased finishes
        world.server.clearLog()
        try await Task.sleep(for: .seconds(3))
        let after = (0..<Self.sourceCount).map { world.server.requests(to: "/list/\($0)").count }
        #expect(after[29] == 0 && after.prefix(29).allSatisfy { $0 >= 1 }, "\(after)")
        for node in nodes { node.process.signal(SIGTERM) }
        for node in nodes { #expect(await node.process.wait(timeout: .seconds(20)) == 0, "\(node.process.stderr.suffix(2000))") }
    }

    @Test("WebSub in a cluster: a change one node polled is pinged once, by that node; the node told of it renders and does not ping")
    func oneWebSubPing() async throws {
        let world = try World()
        let folder = TempFolder()
        defer { world.server.stop(); folder.remove() }
        world.add(wave: 0)
        let nodes = try await Self.start(2, config: try await world.config(websub: true), in: folder)
        defer { for node in nodes { node.process.kill() } }
        let log = { nodes.map { "--- node \($0.port)\n" + String($0.process.stderr.suffix(3000)) }.joined(separator: "\n") }
        #expect(await eventually(timeout: .seconds(30)) { Self.converged(nodes, codes: world.codes) }, "\(log())")
        try await Task.sleep(for: .seconds(3)) // the first renders' pings are sent
        world.server.clearLog()

        world.add("ONE-0", to: 0) // list 0 is Alpha's
        #expect(await eventually(timeout: .seconds(20)) { Self.converged(nodes, codes: world.codes) }, "\(log())")
        try await Task.sleep(for: .seconds(3)) // a second ping would have been sent by now
        let pinged = world.server.requests(to: "/hub").map { request in
            request.body.split(separator: "&").first { $0.hasPrefix("hub.url=") }.map { $0.dropFirst(8).removingPercentEncoding ?? "" } ?? ""
        }
        let perURL = Dictionary(grouping: pinged, by: { $0 }).mapValues(\.count)
        #expect(perURL["http://localhost:8080/alpha/atom.xml"] == 1 && perURL["http://localhost:8080/alpha/rss.xml"] == 1,
                "\(perURL)")
        #expect(perURL.values.allSatisfy { $0 == 1 }, "\(perURL)")
        #expect(!perURL.keys.contains { $0.contains("/beta/") || $0.contains("/gamma/") }, "\(perURL)")
        for node in nodes { node.process.signal(SIGTERM) }
        for node in nodes { #expect(await node.process.wait(timeout: .seconds(20)) == 0, "\(node.process.stderr.suffix(2000))") }
    }

    /// The codes of wave 0, whose body requests the log cleared.
    static let waveZero = Set((0..<sourceCount).flatMap { ["W0-\($0)", "W0-P\($0 / 2)"] })

    @Test("SIGKILL of a node in the middle of a poll (a slow body): its source is polled again by the others within the lease time, nothing lost or stored twice")
    func killedNode() async throws {
        let world = try World()
        let folder = TempFolder()
        defer { world.server.stop(); folder.remove() }
        world.add(wave: 0)
        let config = try await world.config()
        var nodes = try await Self.start(3, config: config, in: folder)
        defer { for node in nodes { node.process.kill() } }
        let log = { nodes.map { "--- node \($0.port)\n" + String($0.process.stderr.suffix(3000)) }.joined(separator: "\n") }
        #expect(await eventually(timeout: .seconds(30)) { Self.converged(nodes, codes: world.codes) }, "\(log())")

        world.slow.set(["SLOW-7"])
        world.add(wave: 1, extra: [7: "SLOW-7"])
        #expect(await eventually(timeout: .seconds(15)) { Self.bodyRequests(world)["SLOW-7"] == 1 }, "\(log())")
        // The node fetching it holds s7's lease: `feedd status` names it (host:pid).
        let status = try await CLITests.feedd(["status", "--config", folder.file("node0/config.yaml")])
        let leases = status.out.split(separator: "\n").drop { !$0.hasPrefix("source\tlease holder") }
        let line = try #require(leases.first { $0.hasPrefix("s7\t") }, "\(status.out)")
        let holder = String(line.split(separator: "\t")[1])
        let victim = try #require(nodes.firstIndex { holder.hasSuffix(":\($0.process.pid)") }, "\(line)")
        nodes[victim].process.signal(SIGKILL)
        let killed = ContinuousClock.now
        #expect(await nodes[victim].process.wait(timeout: .seconds(10)) == 128 + SIGKILL)
        nodes.remove(at: victim)
        // Counted once the victim is gone (and the server has read what it sent): a body it asked for in the
        // instant before the kill is its request, not a second one.
        try await Task.sleep(for: .milliseconds(200))
        let beforeKill = Self.bodyRequests(world)

        // Source lease 10 s (timeout 5 s + 5 s), body claim 10 s: another node takes both over.
        #expect(await eventually(timeout: .seconds(25)) { Self.bodyRequests(world)["SLOW-7"] == 2 }, "\(log())")
        let took = ContinuousClock.now - killed
        #expect(took < .seconds(16), "polled again after \(took)")
        #expect(await eventually(timeout: .seconds(20)) { Self.converged(nodes, codes: world.codes) }, "\(log())")
        try await Self.checkServed(nodes, world: world)
        // Bodies the killed node had fetched in polls it never finished (never stored) are fetched once more by
        // the polls that take over; after the kill, no body is asked for twice.
        let bodies = Self.bodyRequests(world)
        #expect(Set(bodies.keys) == world.codes, "\(world.codes.subtracting(bodies.keys))")
        #expect(bodies.allSatisfy { $0.value - (beforeKill[$0.key] ?? 0) <= 1 && $0.value <= 2 },
                "\(bodies.filter { $0.value != 1 }) before the kill: \(beforeKill.filter { bodies[$0.key] != 1 })")

        // Every list is still polled by the two left (the killed node's other leases ran out too).
        world.server.clearLog()
        try await Task.sleep(for: .seconds(4))
        let polls = (0..<Self.sourceCount).map { world.server.requests(to: "/list/\($0)").count }
        #expect(polls.allSatisfy { $0 >= 1 }, "\(polls)")
        for node in nodes { node.process.signal(SIGTERM) }
        for node in nodes { #expect(await node.process.wait(timeout: .seconds(20)) == 0, "\(node.process.stderr.suffix(2000))") }
    }
}
