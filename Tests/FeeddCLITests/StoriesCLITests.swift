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
}
