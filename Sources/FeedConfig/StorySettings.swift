extension Config {
    /// `stories:`: reprints of one story by several outlets are one entry in
    /// `all/`. On unless `stories: off`.
    public struct Stories: Sendable, Equatable {
        /// Items published further apart than this are never one story.
        public var window: Duration

        public static let defaultWindow: Duration = .seconds(72 * 3600)

        public init(window: Duration = defaultWindow) {
            self.window = window
        }
    }
}

extension ConfigLoader {
    /// `stories: off`, `stories: {window: 72h}`, or absent (on, 72h).
    static func readStories(_ value: YAMLValue?) throws(ConfigError) -> Config.Stories? {
        guard let value else { return Config.Stories() }
        if value.node.kind == .scalar {
            let text = try value.string()
            switch text.lowercased() {
            case "off", "false", "no": return nil
            case "on", "true", "yes": return Config.Stories()
            default: throw value.error("'\(text)' is not a setting of stories; write off, or {window: 72h}")
            }
        }
        let m = try value.mapping(allowed: ["window"])
        return Config.Stories(window: try m.optional("window")?.duration(atLeast: .seconds(60)) ?? Config.Stories.defaultWindow)
    }
}
