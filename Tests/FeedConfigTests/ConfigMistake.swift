import FeedConfig
import Testing

/// One mistake made in a valid config, and what the error must say about it.
struct ConfigMistake: Sendable, CustomStringConvertible {
    let description: String
    let replace: String
    let with: String
    let line: Int?
    let keyPath: String
    let message: String

    /// Makes the mistake in `valid` and checks the error: file, line, key path, message.
    func check(in valid: String) {
        #expect(valid.contains(replace), "fixture drifted: \(replace)")
        do {
            _ = try ConfigLoader.parse(yaml: valid.replacingOccurrences(of: replace, with: with),
                                       file: "config.yaml", baseDirectory: "/srv/feedd")
            Issue.record("no error for: \(description)")
        } catch {
            #expect(error.file == "config.yaml")
            #expect(error.line == line, "\(error)")
            #expect(error.keyPath == keyPath, "\(error)")
            #expect(error.message.contains(message), "\(error)")
            #expect(error.description.hasPrefix("config.yaml:"))
        }
    }
}
