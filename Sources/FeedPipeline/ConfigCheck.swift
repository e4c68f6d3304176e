import FeedConfig
import FeedSources

/// Loads the config and checks what `FeedConfig` cannot check by itself:
/// the rules' `remove` XPaths, compiled with libxml2 (which lives in the
/// source readers, not in the config module). `feedd` and the daemon's
/// reload load through here, so a bad XPath is a config error naming key and line.
public enum ConfigCheck {
    public static func load(path: String) throws(ConfigError) -> Config {
        let config = try ConfigLoader.load(path: path)
        try check(config)
        return config
    }

    public static func parse(yaml: String, file: String, baseDirectory: String) throws(ConfigError) -> Config {
        let config = try ConfigLoader.parse(yaml: yaml, file: file, baseDirectory: baseDirectory)
        try check(config)
        return config
    }

    /// Every XPath that does not compile is reported (the first error carries the others).
    public static func check(_ config: Config) throws(ConfigError) {
        let bad = config.rules.xpaths.filter { !HTMLFragmentEdit.isValidXPath($0.expression) }
            .map { $0.error("'\($0.expression)' is not a valid XPath 1.0 expression") }
        guard var first = bad.first else { return }
        first.others = Array(bad.dropFirst())
        throw first
    }
}
