import FeedConfig
import FeedFetch
import FeedModel
import FeedNormalize
import FeedSources
import Foundation

/// `feedd preview`: polls one configured source now, unconditionally, and
/// shows what feedd would take from it — without opening the store, so
/// nothing is stored and no validator is kept.
public struct SourcePreview: Sendable {
    /// One item as feedd would store it.
    public struct Item: Sendable {
        public var infoCode: InfoCode
        public var title: String
        /// The date as upstream wrote it; nil when there was none.
        public var dateText: String?
        /// The instant read from it; nil when there was none or it was unreadable (first-seen time is used then).
        public var published: Date?
        /// Whether the text named its own zone; false: it was read in `site.timezone`.
        public var dateHadZone: Bool
        public var categories: [Category]
        /// The normalized body (HTML from the normalizer), or why there is none.
        public var body: Result<String, SourceError>
        public var summary: String
    }

    /// What one poll of the source gave.
    public struct Outcome: Sendable {
        public var source: String
        public var url: String
        public var items: [Item]
        public var warnings: [String]
        /// Records the list had that could not be taken (each has a warning).
        public var skipped: Int
    }

    let config: Config
    let client: HTTPClient

    public init(config: Config) {
        self.config = config
        client = HTTPClient(poll: config.poll)
    }

    /// Polls `source` and reads every item's body (at most `limit` items, in list order).
    public func run(_ source: SourceConfig, limit: Int) async throws(SourceError) -> Outcome {
        let dates = DateParser(zone: config.site.timezone)
        let upstream = SourceFactory.make(source, client: client, dates: dates)
        guard case .listed(let reading, _, _) = try await upstream.poll(conditional: nil) else {
            throw .malformed(source: source.name, url: source.url, message: "answered 304 to a request without validators")
        }
        var warnings = reading.warnings
        var items: [Item] = []
        for listed in Pipeline.uniqueByCode(reading.items).prefix(limit) {
            let body: Result<String, SourceError>
            var summary = Pipeline.summary(of: listed)
            do {
                let normalized = HTMLNormalizer.normalize(try await upstream.body(for: listed) ?? "", articleURL: listed.link)
                body = .success(normalized.html)
                if summary.isEmpty { summary = normalized.summary }
            } catch {
                body = .failure(error)
            }
            let categories = listed.categoryNames.map { name in
                let (category, warning) = config.category(named: name)
                if let warning { warnings.append("source '\(source.name)': \(warning)") }
                return category
            }
            items.append(Item(infoCode: listed.infoCode, title: listed.title, dateText: listed.dateText,
                              published: listed.published, dateHadZone: Self.namesItsZone(listed.dateText),
                              categories: categories, body: body, summary: summary))
        }
        return Outcome(source: source.name, url: source.url, items: items, warnings: warnings, skipped: reading.skipped)
    }

    /// A date text names its zone when reading it in two far-apart zones gives the same instant.
    static func namesItsZone(_ text: String?) -> Bool {
        guard let text, let east = TimeZone(secondsFromGMT: 12 * 3600), let west = TimeZone(secondsFromGMT: -11 * 3600),
              let a = DateParser(zone: east).parse(text), let b = DateParser(zone: west).parse(text) else { return false }
        return a == b
    }
}

extension HTTPClient {
    /// The client every command uses for `poll:` settings.
    public convenience init(poll: Config.PollSettings) {
        self.init(settings: FetchSettings(timeout: poll.timeout, connectTimeout: min(poll.timeout, .seconds(10)),
                                          maxBody: poll.maxBody, userAgent: poll.userAgent),
                  poolCapacity: poll.concurrency * 2)
    }
}
