import FeedModel
import Foundation

/// `config.yaml`, read and checked: every value typed, every path resolved.
public struct Config: Sendable {
    /// The file it was read from (for messages).
    public var file: String
    public var site: Site
    /// The SQLite file; relative paths are resolved against the config file's folder.
    /// For a PostgreSQL URL, the URL without its password (`postgres` holds the rest).
    public var storage: String
    /// The folder the feeds are written to; resolved like `storage`.
    public var output: String
    public var feeds: FeedSettings
    public var poll: PollSettings
    public var sources: [SourceConfig]
    /// Per category name: settings the user gave (a slug).
    public var categories: [String: CategorySettings]
    /// The built-in feed server (`feedd run`); nil: no server.
    public var server: ServerSettings?
    /// A WebSub hub to announce feed changes to; nil: none.
    public var websub: WebSubSettings?
    /// Posts for the old Jekyll site; nil: none are written.
    public var jekyll: Jekyll?
    /// `images:`: how the feeds show article images.
    public var images = ImageSettings()
    /// `rules:` at the three levels (RuleSettings.swift).
    public var rules = RuleBook()
    /// `topics:`: categories defined by a condition over every stored item (TopicSettings.swift).
    public var topics: [Topic] = []
    /// Story detection across info codes (`stories:`); nil: `stories: off`.
    public var stories: Stories? = Stories()
    /// `storage:` given as a `postgres://` URL (StorageSettings.swift); nil: SQLite at `storage`.
    public var postgres: PostgresStorage?

    public struct Site: Sendable {
        public var title: String
        /// Public base URL of the output folder, always ending in `/`.
        public var url: String
        public var language: String
        /// The zone of upstream dates that carry none.
        public var timezone: TimeZone
        /// `site.pages`: the front, category and article pages (on unless `pages: off`, which writes
        /// only the feeds and OPML).
        public var pages = true
    }

    public struct FeedSettings: Sendable {
        /// Newest items kept in each feed.
        public var items: Int
    }

    public struct PollSettings: Sendable {
        public var interval: Duration
        public var concurrency: Int
        public var timeout: Duration
        public var maxBody: Int
        public var userAgent: String
        /// At most this many fetches against one host at once.
        public var perHost: Int
        /// Failures back off up to this.
        public var maxBackoff: Duration
        /// How long a source claimed on a shared store is one process's (PostgreSQL):
        /// the poll's timeout and half again, at least 5 s more; renewed every half of it.
        public var lease: Duration { timeout + max(timeout / 2, .seconds(5)) }

        /// What a config without `poll:` (or without one of its keys) gets.
        public static let defaults = PollSettings(interval: .seconds(60), concurrency: 8, timeout: .seconds(20),
                                                  maxBody: 15 << 20, userAgent: "feedd/0.1", perHost: 2,
                                                  maxBackoff: .seconds(3600))
    }

    public struct ServerSettings: Sendable, Equatable {
        public var host: String
        public var port: Int
    }

    public struct WebSubSettings: Sendable, Equatable {
        public var hub: String
    }

    /// A source's poll interval: its own, else `poll.interval`.
    public func interval(of source: SourceConfig) -> Duration { source.interval ?? poll.interval }

    public struct CategorySettings: Sendable {
        public var slug: Slug?
    }

    /// The category of a name: its configured slug, else the derived one.
    /// The warning is set when a derived slug had to be hashed.
    public func category(named name: String) -> (category: Category, warning: String?) {
        if let slug = categories[name]?.slug { return (Category(name: name, slug: slug), nil) }
        let derived = Slug.derive(from: name)
        return (Category(name: name, slug: derived.slug), derived.warning)
    }

    /// The sources to poll: all, or those named (unknown names are an error).
    public func sources(named names: [String]) throws(ConfigError) -> [SourceConfig] {
        guard !names.isEmpty else { return sources }
        return try names.map { name throws(ConfigError) in
            guard let s = sources.first(where: { $0.name == name }) else {
                let hint = Suggestion.closest(to: name, among: sources.map(\.name))
                throw ConfigError(file: file, line: nil, keyPath: "sources",
                                  message: "no source named '\(name)'" + (hint.map { "; did you mean '\($0)'?" } ?? ""))
            }
            return s
        }
    }
}

/// One upstream that feedd polls.
public struct SourceConfig: Sendable, Equatable {
    public var name: String
    public var url: String
    /// Overrides `poll.interval`.
    public var interval: Duration?
    /// The fixed category of every item, when the records do not name one.
    public var category: String?
    public var kind: Kind
    /// `headers:`, `proxy:`, `user_agent:`: sent with the list, body and full-text requests.
    public var request: RequestOptions = .none

    public enum Kind: Sendable, Equatable {
        case json(JSONSourceSettings)
        case feed(FeedSourceSettings)
        case html(HTMLSourceSettings)
    }

    /// Line of the source in the config file, for messages.
    public var line: Int?
}

