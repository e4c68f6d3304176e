@testable import FeedConfig
import Testing

@Suite("config.yaml: the stories section")
struct StoriesConfigTests {
    func load(_ stories: String) throws(ConfigError) -> Config {
        try ConfigLoader.parse(yaml: JekyllConfigTests.sources + stories, file: "config.yaml", baseDirectory: "/srv/feedd")
    }

    func error(_ stories: String) -> ConfigError? {
        do { _ = try load(stories); return nil } catch { return error }
    }

    @Test("absent: on, with a 72h window")
    func absent() throws {
        #expect(try load("").stories == Config.Stories(window: .seconds(72 * 3600)))
    }

    @Test func off() throws {
        #expect(try load("stories: off\n").stories == nil)
    }

    @Test func window() throws {
        #expect(try load("stories: {window: 24h}\n").stories == Config.Stories(window: .seconds(24 * 3600)))
    }

    @Test("a mistake names the key and the line", arguments: [
        ("stories: maybe\n", "stories", "not a setting of stories"),
        ("stories: {window: soon}\n", "stories.window", "not a duration"),
        ("stories: {windows: 24h}\n", "stories.windows", "did you mean 'window'?"),
    ])
    func mistakes(yaml: String, keyPath: String, message: String) throws {
        let e = try #require(error(yaml))
        #expect(e.keyPath == keyPath, "\(e)")
        #expect(e.line != nil && "\(e)".contains(message), "\(e)")
    }
}
