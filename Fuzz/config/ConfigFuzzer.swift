import FeedConfig
import FuzzDriver

/// The config loader over arbitrary text.
///
/// What must hold: the text gives a config or a `ConfigError` naming the
/// file, and a line that exists — except for the few mistakes that belong to
/// no line (an empty file). A config has at least one source and unique names.
@main enum ConfigFuzzer {
    /// Errors about the whole file, which have no line to name.
    static let lineless = ["the file is empty"]

    static func main() {
        FuzzDriver.main { input in
            let text = String(decoding: input, as: UTF8.self)
            let context = "input: \(text.debugDescription)"
            do throws(ConfigError) {
                let config = try ConfigLoader.parse(yaml: text, file: "/etc/feedd/config.yaml", baseDirectory: "/etc/feedd")
                FuzzCheck.expect(!config.sources.isEmpty, "a config without sources\n\(context)")
                FuzzCheck.expect(Set(config.sources.map(\.name)).count == config.sources.count, "two sources with one name\n\(context)")
            } catch {
                FuzzCheck.expect(error.file == "/etc/feedd/config.yaml" && !error.message.isEmpty, "an error not naming the file: \(error)\n\(context)")
                let lines = text.reduce(1) { $1.isNewline ? $0 + 1 : $0 } // every line break YAML knows (and a few more)
                if let line = error.line {
                    FuzzCheck.expect(line >= 1 && line <= lines + 1, "line \(line) of a \(lines)-line file: \(error)\n\(context)")
                } else {
                    FuzzCheck.expect(lineless.contains(error.message), "an error without a line: \(error)\n\(context)")
                }
            }
        }
    }
}
