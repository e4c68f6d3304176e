import FeedTestSupport
import Foundation
import Testing

/// Runs the built `feedd` binary, as a user would.
@Suite("feedd command line")
struct CLITests {
    static var binary: String {
        // The test bundle sits beside the products in .build/<config>/.
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var dir = bundle.deletingLastPathComponent()
        if bundle.pathExtension != "xctest" { dir = Bundle.main.bundleURL }
        return dir.appendingPathComponent("feedd").path
    }

    struct Run { var status: Int32; var out: String; var err: String }

    /// Runs on a Dispatch thread: waiting for a child must not hold a cooperative-pool thread.
    static func feedd(_ args: [String], cwd: String? = nil) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingFeedd(args, cwd: cwd) })
            }
        }
    }

    static func blockingFeedd(_ args: [String], cwd: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    @Test("--version and help")
    func version() async throws {
        #expect(try await Self.feedd(["--version"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = try await Self.feedd(["refresh", "--help"]).out
        #expect(help.contains("--config") && help.contains("--source") && help.contains("Exit status"))
    }

    @Test("refresh: exit 0 when all sources succeed, a line per source and a total; a second run is a no-op")
    func refreshOK() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let config = folder.write("config.yaml", api.config(storage: "./data/feedd.sqlite", output: "./public"))
        let run = try await Self.feedd(["refresh", "--config", config])
        #expect(run.status == 0, "\(run.err)")
        let lines = run.out.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("market: fetched") && lines[3].hasPrefix("total: 3 sources (3 ok, 0 failed), 6 new"))
        #expect(FileManager.default.fileExists(atPath: folder.file("public/xinhuacaijing/atom.xml")))
        let again = try await Self.feedd(["refresh", "--config", config])
        #expect(again.status == 0)
        #expect(again.out.contains("market: not modified (304)"))
        #expect(again.out.contains("0 new, 0 updated, 0 unchanged, 0 errors, 0 files written"))
    }

    @Test("refresh: exit 1 when a source fails, its error on stderr naming it; --source limits the poll")
    func refreshFailure() async throws {
        let api = try NewsAPIFixture()
        let folder = TempFolder()
        defer { api.server.stop(); folder.remove() }
        let config = folder.write("config.yaml", api.config(storage: "./d.sqlite", output: "./public", sources: ["market", "broken"]))
        let run = try await Self.feedd(["refresh", "--config", config])
        #expect(run.status == 1)
        #expect(run.out.contains("broken: FAILED: source 'broken': \(api.base)/webapi/broken: malformed JSON"))
        #expect(run.err.contains("source 'broken'"))
        let only = try await Self.feedd(["refresh", "--config", config, "--source", "market"])
        #expect(only.status == 0 && !only.out.contains("broken"))
    }

    @Test("config errors exit 2 with file, line and key; check validates without fetching")
    func configErrors() async throws {
        let folder = TempFolder()
        defer { folder.remove() }
        let bad = folder.write("bad.yaml", "sources:\n  - name: x\n    type: json\n    url: http://127.0.0.1:9/x\n    lst: record\n")
        for command in ["refresh", "check"] {
            let run = try await Self.feedd([command, "--config", bad])
            #expect(run.status == 2)
            #expect(run.err.contains("bad.yaml:5: sources[0].lst: unknown key 'lst'; did you mean 'list'?"), "\(run.err)")
        }
        let good = folder.write("good.yaml", "sources:\n  - name: x\n    type: json\n    url: http://127.0.0.1:9/x\n    list: record\n    category: 新华财经\n    fields: {id: infoCode, title: title}\n")
        let check = try await Self.feedd(["check", "--config", good])
        #expect(check.status == 0)
        #expect(check.out.contains("新华财经 → xinhuacaijing"))
        let unknown = try await Self.feedd(["refresh", "--config", good, "--source", "y"])
        #expect(unknown.status == 2 && unknown.err.contains("no source named 'y'"))
        let missing = try await Self.feedd(["check", "--config", folder.file("nope.yaml")])
        #expect(missing.status == 2 && missing.err.contains("nope.yaml: cannot read the file"))
    }
}
