import FeedConfig
import FeedFetch
import FeedModel
import Foundation

/// An RSS, RDF, Atom or JSON Feed upstream (`type: feed`).
public struct FeedSource: Source {
    public let config: SourceConfig
    public let settings: FeedSourceSettings
    let client: HTTPClient
    let dates: DateParser

    public init(config: SourceConfig, settings: FeedSourceSettings, client: HTTPClient, dates: DateParser) {
        self.config = config
        self.settings = settings
        self.client = client
        self.dates = dates
    }

    /// Fetches the feed (conditionally) and reads its items.
    public func poll(conditional: ConditionalHeaders?) async throws(SourceError) -> PollOutcome {
        guard let response = try await fetchList(client, conditional: conditional) else { return .notModified }
        return .listed(try read(response.body, url: response.url, contentType: response.contentType),
                       validators: response.validators, bytes: response.body.count)
    }

    /// Parses a feed document and turns its entries into items, with the
    /// warnings of what was skipped or guessed.
    public func read(_ body: [UInt8], url: String, contentType: String?) throws(SourceError) -> ListReading {
        let feed: ParsedFeed
        do {
            feed = try FeedParser.parse(body, url: url, contentType: contentType)
        } catch {
            throw .malformed(source: config.name, url: url, message: error.description)
        }
        var reading = ListReading(source: config.name)
        for note in feed.notes { reading.warn("source '\(config.name)': \(url): \(note)") }
        let identity = ItemIdentity(pattern: settings.idPattern)
        var missed = 0
        for (index, entry) in feed.entries.enumerated() {
            // A title made from the text: base64 content (Atom 0.3) can decode to characters XML forbids.
            guard let title = entry.title ?? UpstreamText.from(entry.summary ?? entry.content).map(Self.headline).map(FeedParser.xmlCharacters),
                  !title.isEmpty else {
                reading.skip("source '\(config.name)': item \(index) has no title and no text; skipped")
                continue
            }
            let categories = categoryNames(entry)
            guard !categories.isEmpty else {
                reading.skip("source '\(config.name)': item \(index) ('\(title)') has no <category>; skipped "
                    + "(set `category` for items without one)")
                continue
            }
            let (code, _, patternMissed) = identity.code(id: entry.id, link: entry.link, title: title, date: entry.date)
            if patternMissed { missed += 1 }
            let published = reading.date(entry.date, parser: dates)
            reading.items.append(UpstreamItem(infoCode: code, title: title, published: published, categoryNames: categories,
                                              summary: entry.summary.flatMap(UpstreamText.from), link: entry.link,
                                              inlineBody: entry.content ?? entry.summary, dateText: entry.date))
        }
        if missed > 0 {
            reading.warn("source '\(config.name)': `id` matched nothing in \(missed) item(s); their guid, link or a hash was used")
        }
        return reading
    }

    /// The item's own categories with `category_from: item`, else (or when it has none) the fixed one.
    private func categoryNames(_ entry: FeedEntry) -> [String] {
        var names: [String] = []
        if settings.categoryFromItem {
            for name in entry.categories where !names.contains(name) { names.append(name) }
        }
        if names.isEmpty, let fixed = config.category { names = [fixed] }
        return names
    }

    /// A title made from the text when an item has none (RSS 0.92 allows that).
    static func headline(_ text: String) -> String {
        text.count <= 60 ? text : String(text.prefix(60)) + "…"
    }

    /// With `full_text`: the item's page, fetched once (the pipeline asks only
    /// for new codes), and the configured node taken. Otherwise the content
    /// the feed carries.
    public func body(for item: UpstreamItem) async throws(SourceError) -> String? {
        guard let fullText = settings.fullText, let link = item.link else { return item.inlineBody }
        let page = ArticlePage(client: client, source: config.name, key: "full_text.xpath", options: config.request)
        return try await page.body(at: link, fullText)
    }

    public func bodyURL(for item: UpstreamItem) -> String? {
        settings.fullText == nil ? nil : item.link
    }
}
