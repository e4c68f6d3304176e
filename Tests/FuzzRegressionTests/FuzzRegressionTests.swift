import FeedTestSupport
import Foundation
import Testing

/// Every fuzz finding, minimized, stays a test: `Fuzz/regressions/<target>/`
/// holds the inputs, and each is replayed through the fuzz target's own
/// checks (the target built as an ordinary executable replays the files it
/// is given, without the sanitizers). A target exits non-zero, naming the
/// property, when one no longer holds.
@Suite("Fuzz findings replayed", .serialized)
struct FuzzRegressionTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let targets = ["normalizer", "feed", "json-list", "dates", "charset", "config", "jekyll", "stories"]

    static var binaries: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0])
        return bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : Bundle.main.bundleURL
    }

    @Test("each target replays its regressions and its seed corpus", arguments: targets)
    func replay(target: String) async throws {
        var inputs: [String] = []
        for kind in ["Fuzz/regressions/\(target)", "Fuzz/\(target)/corpus"] {
            let folder = Self.root.appendingPathComponent(kind).path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            inputs += names.filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
        }
        #expect(!inputs.isEmpty)
        let folder = TempFolder()
        defer { folder.remove() }
        let replay = try SpawnedProcess(Self.binaries.appendingPathComponent("fuzz-\(target)").path, inputs, folder: folder.path)
        let status = await replay.wait(timeout: .seconds(60))
        if status == nil { replay.kill() }
        #expect(status == 0, "fuzz-\(target): \(replay.stderr.suffix(2000))")
        #expect(replay.stdout.split(separator: "\n").count == inputs.count)
    }
}
