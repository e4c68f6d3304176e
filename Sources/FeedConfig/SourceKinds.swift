/// The source types a config may name. A new kind of upstream adds one entry:
/// its type name, the keys it allows beside the common ones, and its reader.
extension ConfigLoader {
    struct SourceKind: Sendable {
        let keys: [String]
        let read: @Sendable (SourceContext) throws(ConfigError) -> SourceConfig.Kind
    }

    static let sourceKinds: [String: SourceKind] = [
        "json": SourceKind(keys: ["list", "fields", "body", "link"], read: readJSONSource),
        "feed": SourceKind(keys: feedSourceKeys, read: readFeedSource),
        "html": SourceKind(keys: htmlSourceKeys, read: readHTMLSource),
    ]
}

/// What a kind's reader gets: the source's name and its checked keys.
struct SourceContext {
    let name: String
    let value: YAMLValue
    let mapping: YAMLMapping
    /// The config file's folder, for relative `file:` URLs.
    let base: String
}
